// predictions.js: the Predictions section's controller. It decides when to
// train the regression tree (the Train button; or by itself, once per run
// and step, when the section comes into view on a run of at most AUTO_MAX
// ops, so the section is never empty), asks the engine for the report on
// the log up to the app's cursor, and hands it to the view (PredictView).

const AUTO_MAX = 20000;
const AUTO_MIN = 40;

export class Predictions {
  // app: App (run, cursor, playing); engine: Engine; view: PredictView; available: the engine can predict.
  constructor(app, engine, view, available) {
    this.app = app;
    this.engine = engine;
    this.view = view;
    this.available = available;
    this.trained = null;
    this.busy = false;
    view.setAvailable(available);
  }

  // Trains when nothing is shown for this run and step yet (and playback is not running).
  auto() {
    const app = this.app;
    if (!this.available || !app.run || app.playing || app.run.n > AUTO_MAX || app.cursor < AUTO_MIN || this.busy) return;
    if (this.trained && this.trained.run === app.run && this.trained.k === app.cursor) return;
    this.train();
  }

  // Trains on the log up to the cursor and shows the report (or why there is none).
  async train() {
    const app = this.app;
    if (!app.run || !this.available) return;
    const k = app.cursor;
    this.busy = true;
    this.trained = { run: app.run, k };
    this.view.training(k);
    const res = await this.engine.request({ type: 'predict', k, options: this.view.options() });
    this.busy = false;
    if (!res || res.error) this.view.failed(res ? res.error : 'the engine did not answer', k);
    else this.view.show(res.report, k);
  }
}
