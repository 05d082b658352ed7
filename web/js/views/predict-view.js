// predict-view.js: the Predictions section. It asks the engine to train the
// regression tree on the log up to the cursor (lab.predict) and shows what
// came back, stated plainly: every predictor's metrics on the same
// chronological split, which one wins (if a baseline beats the tree, it
// says so), the next N sizes, the tree node by node, feature importances,
// and predicted vs actual sizes on the test part.
import { el, table, byId } from './dom.js';
import { verdict, metricRows, treeLines, importances } from '../model/predict-model.js';

const AUTO_MAX = 20000;
const AUTO_MIN = 40;

export class PredictView {
  // engine: Engine; chart: PredictionChart; app: App (for the cursor).
  // Trains by itself (once per run and step) when the section comes into view on a run
  // of at most AUTO_MAX ops, so the section is never empty; the button retrains.
  constructor(engine, chart, app, section) {
    this.engine = engine;
    this.chart = chart;
    this.app = app;
    this.trained = null;
    byId('p-train').addEventListener('click', () => this.train());
    if (section && typeof IntersectionObserver === 'function') {
      new IntersectionObserver((entries) => {
        this.visible = entries.some((e) => e.isIntersecting);
        if (this.visible) this.auto();
      }, { rootMargin: '100px' }).observe(section);
    }
  }

  // Forgets what was shown (a new run): the old numbers belong to other operations.
  clear() {
    this.trained = null;
    byId('p-metrics').replaceChildren();
    byId('p-forecast').replaceChildren();
    byId('p-importance').replaceChildren();
    byId('p-tree').replaceChildren();
    this.chart.clear();
    this.setAvailable(this.available);
    if (this.visible) setTimeout(() => this.auto(), 0);
  }

  // Trains when nothing is shown for this run and step yet (and playback is not running).
  auto() {
    const app = this.app;
    if (!this.available || !app.run || app.playing || app.run.n > AUTO_MAX || app.cursor < AUTO_MIN || this.busy) return;
    if (this.trained && this.trained.run === app.run && this.trained.k === app.cursor) return;
    this.train();
  }

  // Notes whether the engine can predict; explains when it cannot.
  setAvailable(ok) {
    this.available = ok;
    byId('p-train').disabled = !ok;
    byId('p-verdict').textContent = ok
      ? 'Train the regression tree on the log up to the current step to see how well it guesses the next request sizes.'
      : 'This build of the engine has no prediction API, so there is nothing to show here.';
  }

  // Returns the options from the fields (bad numbers fall back to defaults).
  options() {
    const n = (id, d, lo, hi) => { const v = Number(byId(id).value); return Number.isInteger(v) && v >= lo && v <= hi ? v : d; };
    return { horizon: n('p-horizon', 10, 1, 50), maxDepth: n('p-depth', 8, 1, 20), leaf: byId('p-mode').checked ? 'mode' : 'mean' };
  }

  // Trains on the log up to the cursor and shows the report.
  async train() {
    const app = this.app;
    if (!app.run || !this.available) return;
    const k = app.cursor;
    this.busy = true;
    this.trained = { run: app.run, k };
    const v = byId('p-verdict');
    v.textContent = `Training on the first ${k} operations…`;
    byId('p-train').disabled = true;
    const res = await this.engine.request({ type: 'predict', k, options: this.options() });
    byId('p-train').disabled = false;
    this.busy = false;
    if (!res || res.error) {
      const why = res ? res.error : 'the engine did not answer';
      v.textContent = /too few/i.test(why)
        ? `Too few allocation requests in the first ${k} operations to train on one part and test on the rest. Step further and train again.`
        : `No prediction: ${why}.`;
      return;
    }
    this.show(res.report, k);
  }

  // Renders a prediction report.
  show(rep, k) {
    byId('p-verdict').textContent = verdict(rep, k);
    const rows = metricRows(rep);
    byId('p-metrics').replaceChildren(rows.length
      ? table(['predictor', 'MAE (bytes)', 'RMSE (bytes)', 'exact size', 'size class'], rows, `Trained on ${rep.train ?? '?'} requests, tested on the next ${rep.test ?? '?'}`)
      : el('p', { text: 'Too few allocation requests to split into training and test parts.' }));
    const fc = rep.forecast || [];
    byId('p-forecast').replaceChildren(...fc.map((s, i) => el('li', { text: `${i + 1}: ${Math.round(s)} B` })));
    const imp = importances(rep);
    byId('p-importance').replaceChildren(...imp.map(([name, w]) => el('li', {},
      el('span', { class: 'imp-name', text: name }),
      el('meter', { min: 0, max: 1, value: w, 'aria-label': `${name} importance` }),
      el('span', { class: 'imp-val', text: w.toFixed(3) }))));
    const lines = treeLines(rep, 80);
    byId('p-tree').replaceChildren(...lines.map((t) => el('li', { text: t })));
    if (rep.actual && rep.predicted && rep.actual.length) this.chart.show(rep.actual, rep.predicted, (rep.train || 0) + 1);
  }
}
