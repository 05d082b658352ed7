// lesson-mode.js: the guided lessons' controller. A lesson (data in
// web/js/lessons/) is replayed by the App like any scenario (its ops as
// manual ops on an empty heap, or a bundled trace), under the step's
// settings; the step's question is asked with the heap *before* its op,
// and the answer, computed from the engine (lessons/answers.js), is shown
// with the heap after it. While the mode is on (body.mode-lesson) the
// dashboard's panels are hidden, the App stops writing the URL
// (app.offstage) and this writes ?lesson=N&step=k[&reveal=1]. The map's
// search marks for the op just revealed (when the map draws them) need
// nothing here: they are the marks of the op before the cursor.
import { byId, isShortcut } from './views/dom.js';
import { LessonView } from './views/lesson-view.js';
import { LESSONS } from './lessons/index.js';
import { gather, answerOf, placeChoices, factsOf, fill, blockLabel } from './lessons/answers.js';
import { settingsAt, realAt, cursorOf, parseLessonQuery, formatLessonQuery, isRight, manualOps } from './lessons/lesson-model.js';
import { normalizeSettings } from './model/state.js';
import { scenarioFor } from './model/scenarios.js';
import { errorText } from './model/words.js';

export class LessonMode {
  // app: App; ui: Ui; engine: Engine; predictions: Predictions; ostep: OstepMode; genNames: the generators.
  constructor({ app, ui, engine, predictions, ostep, genNames }) {
    Object.assign(this, { app, ui, engine, predictions, ostep, genNames });
    this.on = false;
    this.n = 0;
    this.s = 0;
    this.revealed = false;
    this.picked = null;
    this.loaded = null; // the key of the run the App holds for a lesson
    this.seq = 0;       // the latest goto(); older ones stop early
    this.busy = false;  // true while a step is being loaded or answered (the browser tests wait on it)
    this.view = new LessonView({
      onPick: (v) => this.pick(v),
      onReveal: () => this.pick(null),
      onNext: () => this.next(),
      onBack: () => this.back(),
      onStart: () => { this.introOn = false; this.view.intro(false); this.goto(0, 0).then(() => this.view.focusStep()); },
      onLesson: (i) => this.goto(i, 0),
      onDashboard: () => this.leave(),
    });
    this.view.setLessons(LESSONS);
    byId('mode-lesson').addEventListener('click', () => { if (!this.on) this.goto(this.n, this.s); });
    byId('mode-alloc').addEventListener('click', () => this.leave());
    byId('mode-ostep').addEventListener('click', () => this.leave());
    byId('heap-canvas').addEventListener('keydown', (e) => {
      const h = this.app.v.heap;
      if (this.on && e.key === 'Enter' && h.snap && h.snap.blocks[h.selected]) { e.preventDefault(); this.pickBlock(h.snap.blocks[h.selected], true); }
    });
    // importing a file (the input, or a drop on the page) leaves the lessons for what was imported
    // under the dashboard's settings, not the lesson's (a 1 KiB arena would refuse most of a real trace)
    byId('import').addEventListener('change', () => this.leave({ dashboardSettings: true }), true);
    document.addEventListener('drop', () => this.leave({ dashboardSettings: true }), true);
    // Capture phase: before the App's document-level keys, which would move its cursor.
    globalThis.addEventListener('keydown', (e) => this.key(e), true);
  }

  // Returns the step on show (its data).
  currentStep() {
    return LESSONS[this.n].steps[this.s];
  }

  // Returns how many steps the lesson on show has.
  stepCount() {
    return LESSONS[this.n].steps.length;
  }

  // Returns how many lessons there are.
  lessonCount() {
    return LESSONS.length;
  }

  // Returns [lesson, step] of each lesson's first question (0-based).
  firstQuestions() {
    return LESSONS.map((L, n) => [n, L.steps.findIndex((st) => st.ask)]);
  }

  // Returns the lesson query of the URL, or null (see lesson-model.js parseLessonQuery).
  static parse(search) {
    return parseLessonQuery(search, LESSONS);
  }

  // Starts the mode from a parsed query (or the first visit's welcome when q is null).
  async start(q) {
    if (!q) {
      this.introOn = true;
      await this.goto(0, 0, { intro: true });
      byId('lesson-start').focus({ preventScroll: true });
      return;
    }
    await this.goto(q.lesson, q.step, { reveal: q.reveal });
    if (q.bad) this.view.error(`The link asks for what is not there: ${q.bad}. This is the nearest lesson step.`);
  }

  // Turns the mode's look on or off (body class, section, mode switch, the App's URL writing).
  showMode(on) {
    if (on && !this.on) this.dashSettings = { ...this.app.settings }; // the dashboard's, given back for an import
    this.on = on;
    document.body.classList.toggle('mode-lesson', on);
    byId('lesson').hidden = !on;
    byId('mode-lesson').setAttribute('aria-pressed', String(on));
    if (on) {
      if (this.ostep.on) this.ostep.leave();
      if (this.app.mm && this.app.mm.on) this.app.mm.leave(); // an imported mm log's mode
      byId('mode-alloc').setAttribute('aria-pressed', 'false');
      this.app.pause();
      this.app.offstage = true;
    }
  }

  // Leaves the lessons for the dashboard (or for the OSTEP mode, which then owns the page).
  leave({ dashboardSettings = false } = {}) {
    if (!this.on) return;
    this.showMode(false);
    if (dashboardSettings && this.dashSettings) this.app.settings = this.dashSettings;
    document.body.classList.remove('lesson-show-compare', 'lesson-show-predict');
    if (this.ostep.on) return;
    byId('mode-alloc').setAttribute('aria-pressed', 'true');
    this.showFields();
    this.app.backOnStage('The full dashboard: every panel, on the lesson\'s operations.');
  }

  // Shows the App's scenario and settings in the dashboard's fields (the lessons changed them).
  showFields() {
    const st = this.app.settings;
    byId('scenario').value = this.app.scenario ? this.app.scenario.name : 'manual';
    for (const f of ['policy', 'order', 'align', 'arena']) byId(f).value = String(st[f]);
    byId('coalesce').checked = st.coalesce;
    for (const e of document.querySelectorAll('.gen-only')) e.hidden = !this.genNames.includes(byId('scenario').value);
  }

  // Shows lesson n, step s (answer shown when reveal); loads the run the step needs first.
  async goto(n, s, { reveal = false, intro = false } = {}) {
    const seq = ++this.seq;
    this.busy = true;
    try {
      await this.show(seq, n, s, reveal, intro);
    } finally {
      if (seq === this.seq) this.busy = false;
    }
  }

  // goto()'s work: stops early when a later goto() (seq) has begun.
  async show(seq, n, s, reveal, intro) {
    this.showMode(true);
    this.view.error('');
    if (!intro) this.introOn = false;
    this.n = n;
    this.s = s;
    this.revealed = reveal;
    this.picked = null;
    const L = LESSONS[n];
    const step = L.steps[s];
    try {
      await this.load(L, s, cursorOf(step, reveal));
      if (seq !== this.seq) return;
      const at = step.ask ? step.at : step.at - 1;
      this.ctx = await gather(this.app.run, at, step.ask ? step.ask.kind : 'none', (msg) => this.engine.request(msg));
      if (seq !== this.seq) return;
      this.answer = step.ask ? answerOf(step.ask.kind, this.ctx, this.app.vocab.headerBytes) : null;
    } catch (err) {
      this.view.error(`This lesson step could not be shown: ${errorText(err)}`);
      return;
    }
    this.app.v.heap.clearSelection();
    this.render();
    if (!intro) this.writeUrl();
    this.ui.announce(`Lesson ${n + 1}, step ${s + 1} of ${L.steps.length}. ${this.view.e['lesson-text'].textContent}${step.ask ? ` ${step.ask.prompt}` : ''}`);
  }

  // Makes the App hold lesson L's run under step s's settings, at cursor k.
  async load(L, s, k) {
    const settings = normalizeSettings(settingsAt(L, s), this.app.vocab);
    const real = realAt(L, s);
    const key = JSON.stringify([LESSONS.indexOf(L), real, settings]);
    if (this.loaded === key && this.app.run) { await this.app.setCursor(k, { announce: false }); return; }
    const sc = real ? await scenarioFor(real, this.genNames) : { kind: 'manual', name: 'manual', label: `Lesson ${LESSONS.indexOf(L) + 1}: ${L.title}`, text: 'op,id,size\n' };
    if (!sc) throw new Error(`this page has no bundled trace ${real}`);
    const ok = await this.app.rerun({ scenario: sc, settings, cut: real ? null : 0, manual: real ? [] : manualOps(L), cursor: k, busy: 'Loading the lesson…' });
    if (!ok) throw new Error('the lesson\'s operations did not replay');
    this.loaded = key;
  }

  // Draws the panel for the current step from the engine's answer.
  render() {
    const L = LESSONS[this.n];
    const step = L.steps[this.s];
    const before = factsOf(this.ctx, null, { asking: !!step.ask });
    let ask = null;
    let reveal = '';
    let pickedLabel = '';
    if (step.ask) {
      const map = step.ask.kind === 'place';
      ask = { prompt: step.ask.prompt, choices: map ? placeChoices(this.ctx.before) : step.ask.choices, map };
      if (this.revealed) {
        const words = this.app.opWords(step.at);
        const right = ask.choices.find((x) => String(x.value) === String(this.answer.value));
        reveal = fill(step.reveal, { ...factsOf(this.ctx, this.answer), words, choice: right ? right.label : this.answer.label });
        const c = ask.choices.find((x) => String(x.value) === String(this.picked));
        pickedLabel = c ? c.label : this.pickedLabel || String(this.picked);
      }
    }
    const shows = this.revealed || !step.ask ? step.show : null;
    document.body.classList.toggle('lesson-show-compare', shows === 'compare');
    document.body.classList.toggle('lesson-show-predict', shows === 'predict');
    if (shows === 'predict') this.predictions.train();
    if (shows === 'compare') setTimeout(() => this.app.refreshCompare(), 0);
    this.view.render({
      n: this.n, count: LESSONS.length, title: L.title, stepNo: this.s, steps: L.steps.length,
      text: fill(step.text, before), ask, revealed: this.revealed, answer: this.answer,
      picked: this.picked, pickedLabel, right: this.revealed && this.picked !== null ? isRight(this.picked, this.answer) : null,
      reveal, last: this.s === L.steps.length - 1, lastLesson: this.n === LESSONS.length - 1,
    });
    this.view.intro(!!this.introOn);
  }

  // Answers the question with `value` (null: just show the answer); the heap moves past the op.
  async pick(value, label = '') {
    const step = LESSONS[this.n].steps[this.s];
    if (!this.on || !step.ask || this.revealed || this.busy) return;
    this.picked = value;
    this.pickedLabel = label;
    this.revealed = true;
    this.busy = true;
    await this.app.setCursor(step.at + 1, { announce: false });
    this.busy = false;
    this.render();
    this.writeUrl();
    this.ui.announce(`${this.view.e['lesson-result'].textContent} ${this.view.e['lesson-reveal'].textContent}`);
    this.view.e['lesson-next'].focus({ preventScroll: true });
  }

  // Answers a place question with a block of the map (null: the space beyond the break).
  pickBlock(b, byKey = false) {
    const step = LESSONS[this.n].steps[this.s];
    if (!this.on || !step.ask || step.ask.kind !== 'place' || this.revealed) return;
    if (!b && byKey) return;
    this.pick(b ? b.offset : 'break', blockLabel(b));
  }

  // Goes to the next step, the next lesson, or (after the last) the dashboard.
  next() {
    const L = LESSONS[this.n];
    if (this.s + 1 < L.steps.length) return this.goto(this.n, this.s + 1).then(() => this.view.focusStep());
    if (this.n + 1 < LESSONS.length) return this.goto(this.n + 1, 0).then(() => this.view.focusStep());
    this.leave();
    return Promise.resolve();
  }

  // Goes to the previous step (or the last step of the previous lesson).
  back() {
    if (this.s > 0) return this.goto(this.n, this.s - 1);
    if (this.n > 0) return this.goto(this.n - 1, LESSONS[this.n - 1].steps.length - 1);
    return Promise.resolve();
  }

  // Handles the mode's keys before the App's: → next, ← back (not while the map has focus).
  key(e) {
    if (!this.on || !isShortcut(e) || e.target.tagName === 'CANVAS') return;
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft' || e.key === ' ' || e.key === 'Home' || e.key === 'End') {
      e.stopPropagation();
      if (e.key === ' ') return; // space presses the focused button, and never plays the App
      e.preventDefault();
      if (e.key === 'ArrowRight') this.next();
      else if (e.key === 'ArrowLeft') this.back();
    }
  }

  // Writes ?lesson=N&step=k[&reveal=1][&embed=1] into the address bar.
  writeUrl() {
    if (this.on) this.ui.showQuery(formatLessonQuery(this.n, this.s, this.revealed, this.app.embed));
  }
}
