// predictions.js: the Predictions section's controller. It decides when to
// train the regression tree (the Train button; or by itself, once per run
// and step, when the section comes into view on a run of at most AUTO_MAX
// ops, so the section is never empty), asks the engine for the report on
// the log up to the app's cursor, and hands it to the view (PredictView)
// with the training's progress and a Cancel.

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

  // Trains on the log up to the cursor and shows the report (or why there is none). The
  // engine trains in slices: the view shows the progress with Cancel, and a cancelled or
  // superseded training leaves the report on show as it was.
  async train() {
    const app = this.app;
    if (!app.run || !this.available) return;
    const k = app.cursor;
    const run = app.run;
    const before = this.trained;
    this.busy = true;
    this.trained = { run, k };
    this.view.training(k);
    this.view.progress(0, () => this.cancel());
    const req = this.engine.request({ type: 'predict', k, options: this.view.options() }, {
      onProgress: (p) => {
        if (this.req !== req) return;
        if (app.run !== run) this.cancel(); // a new run came meanwhile: this training is for the old one
        else this.view.progress(p.fraction, () => this.cancel());
      },
    });
    this.req = req;
    const res = await req;
    if (this.req !== req) return; // a newer training took over (the engine stopped this one)
    this.req = null;
    this.busy = false;
    if (app.run !== run) { // the report (or the cancel) belongs to the old run: nothing to show
      this.trained = null;
      this.view.progress(null);
      this.auto();
    } else if (res && res.cancelled) {
      this.trained = before;
      this.view.cancelled(k);
    } else if (!res || res.error) {
      this.view.failed(res ? res.error : 'the engine did not answer', k);
    } else {
      this.view.show(res.report, k);
    }
  }

  // Stops the training in progress (its answer is then {cancelled: true}).
  cancel() {
    if (this.req) this.engine.cancel(this.req.id);
  }
}
