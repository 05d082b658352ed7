// predict-view.js: the Predictions section. It shows what the regression
// tree trained on the log up to the cursor (lab.predict) came back with,
// stated plainly: every predictor's metrics on the same chronological
// split, which one wins (if a baseline beats the tree, it says so), the
// next N sizes, the tree node by node, feature importances, and predicted
// vs actual sizes on the test part. While the tree trains, a progress bar
// with Cancel sits under the verdict and the previous report stays in view
// (a cancel keeps it). When to train and the asking belong to the
// controller (predictions.js); this only draws and reads its fields.
import { el, table, byId, whenVisible } from '../dom.js';
import { plural } from '../../model/words.js';
import { verdict, metricRows, treeLines, importances, featureMeaning } from '../../model/predict-model.js';

// Returns "1 operation" / "400,000 operations".
const opsText = (k) => `${Number(k).toLocaleString('en-US')} operation${k === 1 ? '' : 's'}`;

export class PredictView {
  // chart: PredictionChart; section: the observed <section>; onTrain(): the Train button;
  // onWanted(): the section came into view, or was cleared while in view (the controller may train).
  constructor(chart, section, { onTrain = () => {}, onWanted = () => {} } = {}) {
    this.chart = chart;
    this.onWanted = onWanted;
    this.visible = false;
    byId('p-train').addEventListener('click', () => onTrain());
    // training's progress, with Cancel (built here: the page's markup has only the verdict)
    this.bar = el('progress', { max: '1', value: '0', 'aria-label': 'Training progress' });
    this.cancelBtn = el('button', { type: 'button', text: 'Cancel' });
    this.barText = el('span', { class: 'hint' });
    this.barBox = el('p', { class: 'train-progress', id: 'p-progress' }, this.barText, this.bar, this.cancelBtn);
    this.barBox.hidden = true;
    this.cancelBtn.addEventListener('click', () => { if (this.onCancel) this.onCancel(); });
    this.note = el('p', { class: 'hint', id: 'p-note', 'aria-live': 'polite' });
    this.note.hidden = true;
    byId('p-verdict').after(this.barBox, this.note);
    this.shownK = null; // the step of the report on show (null: none)
    whenVisible(section, (on) => { this.visible = on; if (on) { chart.prepare(); onWanted(); } }, '100px');
  }

  // Forgets what was shown (a new run): the old numbers belong to other operations.
  clear() {
    this.shownK = null;
    this.progress(null);
    this.note.hidden = true;
    byId('p-metrics').replaceChildren();
    byId('p-forecast').replaceChildren();
    byId('p-importance').replaceChildren();
    byId('p-tree').replaceChildren();
    this.chart.clear();
    this.setAvailable(this.available);
    if (this.visible) setTimeout(() => this.onWanted(), 0);
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
    return { horizon: n('p-horizon', 10, 1, 50), maxDepth: n('p-depth', 8, 1, 20), leaf: byId('p-mode').checked ? 'mode' : 'mean', columns: this.chart.columns() };
  }

  // Says that training on the first k operations has started (the button waits meanwhile;
  // the report on show, if any, stays until the new one replaces it).
  training(k) {
    this.trainingK = k;
    this.chart.prepare(); // made while the tree trains, so the report only fills it
    this.note.hidden = true;
    if (this.shownK === null) byId('p-verdict').textContent = `Training on the first ${opsText(k)}…`;
    byId('p-train').disabled = true;
  }

  // Shows training's progress (fraction 0..1) with Cancel calling onCancel; null hides it.
  progress(fraction, onCancel = null) {
    this.onCancel = onCancel;
    this.barBox.hidden = fraction === null;
    if (fraction === null) return;
    this.bar.value = Math.max(0, Math.min(1, fraction));
    const text = `Training on the first ${opsText(this.trainingK ?? 0)}… ${Math.floor(100 * Math.max(0, Math.min(1, fraction)))}%`;
    if (this.barText.textContent !== text) this.barText.textContent = text;
    this.cancelBtn.hidden = !onCancel;
  }

  // Says that training on the first k operations was cancelled; the report on show (if any) stays.
  cancelled(k) {
    this.progress(null);
    byId('p-train').disabled = !this.available;
    if (this.shownK === null) this.setAvailable(this.available);
    this.note.textContent = this.shownK === null
      ? `Training on the first ${opsText(k)} was cancelled.`
      : `Training on the first ${opsText(k)} was cancelled; the report below is still the one for the first ${opsText(this.shownK)}.`;
    this.note.hidden = false;
  }

  // Shows why there is no report for the first k operations (the engine's error).
  failed(why, k) {
    this.progress(null);
    this.shownK = null;
    byId('p-train').disabled = false;
    byId('p-verdict').textContent = /too few/i.test(why)
      ? `Too few allocation requests in the first ${plural(k, 'operation')} to train on one part and test on the rest. Step further and train again.`
      : `No prediction: ${why}.`;
  }

  // Renders a prediction report for the first k operations.
  show(rep, k) {
    this.progress(null);
    this.note.hidden = true;
    this.shownK = k;
    byId('p-train').disabled = false;
    // the verdict's first sentence is the headline; the measures follow in plain weight
    const v = verdict(rep, k);
    const cut = v.indexOf('. ') + 1;
    byId('p-verdict').replaceChildren(cut > 0 ? el('strong', { text: v.slice(0, cut) }) : v, cut > 0 ? v.slice(cut) : '');
    const rows = metricRows(rep);
    byId('p-metrics').replaceChildren(rows.length
      ? table(['predictor', 'MAE (bytes)', 'RMSE (bytes)', 'exact size', 'size class'], rows, `Trained on ${rep.train?.toLocaleString('en') ?? '?'} requests, tested on the next ${rep.test?.toLocaleString('en') ?? '?'}`)
      : el('p', { text: 'Too few allocation requests to split into training and test parts.' }));
    const fc = rep.forecast || [];
    byId('p-forecast').replaceChildren(...fc.map((s, i) => el('li', { text: `${i + 1}: ${Math.round(s)} B` })));
    const imp = importances(rep);
    byId('p-importance').replaceChildren(...imp.map(([name, w]) => el('li', {},
      el('span', { class: 'imp-name' }, el('code', { text: name }), featureMeaning(name) ? `: ${featureMeaning(name)}` : ''),
      el('meter', { min: 0, max: 1, value: w, 'aria-label': `${name} importance` }),
      el('span', { class: 'imp-val', text: w.toFixed(3) }))));
    const lines = treeLines(rep, 80);
    byId('p-tree').replaceChildren(...lines.map((t) => el('li', { text: t })));
    if (rep.chart && rep.chart.n) this.chart.show(rep.chart);
  }
}
