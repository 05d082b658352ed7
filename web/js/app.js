// app.js: the page's state and actions. It owns the scenario, settings,
// manual edits, the current run (columns + events from the engine) and the
// cursor; views are told what to show and never change this state. Every
// action ends in one of two paths: rerun() (new ops or settings: the engine
// replays the whole trace) or setCursor(k) (the engine rebuilds the heap
// after the first k ops; log and charts show their prefix up to k).
import { clamp, moveCursor, touchedBy, normalizeSettings } from './model/state.js';
import { addRows, logRow } from './model/run-rows.js';
import { describeOp, callText, plural, countOf } from './model/words.js';
import { blockSite } from './model/sites.js';
import { searchOf } from './model/search.js';
import { formatQuery, runAsManual } from './model/url-state.js';
import { formatBytes } from './model/heap-layout.js';
import { Pacer } from './model/pacer.js';
import { sameStep } from './model/step-map.js';
import { rehearseStep } from './rehearse.js';

const OPWORD = { alloc: 'malloc', free: 'free', realloc: 'realloc' };
// A paused step's log, strip and step line wait for its heap at most this long (then show without it).
const VIEWS_WAIT_MS = 50;
const LINK_OPS = 500; // the most imported ops a link carries (as manual ops)

export class App {
  // engine: Engine; views: {heap, log, charts, compare, predict, ui}; info: engine info (info.vocab: state.js).
  constructor(engine, views, info) {
    this.engine = engine;
    this.v = views;
    this.info = info;
    this.vocab = info.vocab;
    this.scenario = null;
    this.settings = normalizeSettings({}, this.vocab);
    this.cut = null;
    this.manual = [];
    this.run = null;
    this.cursor = 0;
    this.playing = false;
    this.speed = 10;
    this.embed = false;
    this.snapBusy = false;
    this.snapDirty = false;
    this.offstage = false; // true while the OSTEP mode owns the page and its URL
    // while playing: the log 4 and the step line ~7 times a second, the heap map up to 12 as its cost allows (model/pacer.js)
    this.pace = new Pacer({ log: 250, line: 150, charts: 500, heap: 80 });
  }

  // Replays the scenario (with manual edits) under the settings; on error keeps the previous state and says why.
  // Returns true when the new run was installed.
  // cursorFor(run): the step to show in the new run (default: `cursor`, else the current step).
  async rerun({ cursor = null, cursorFor = null, scenario = this.scenario, settings = this.settings, cut = this.cut, manual = this.manual, busy = 'Replaying…' } = {}) {
    this.pause();
    this.v.ui.busy(busy, { line: !this.run }); // once a run is shown, a long rerun's words are in its progress bar
    const t0 = performance.now();
    const phases = { reading: busy, replaying: 'Replaying the operations…', logging: 'Building the event log…' };
    const req = this.engine.request({ type: 'run', scenario: this.wireScenario(scenario), settings, cut, manual }, {
      onProgress: (p) => this.v.ui.progress({ label: phases[p.phase] || busy, fraction: p.fraction }, () => this.engine.cancel(req.id)),
    });
    const res = await req;
    if (res && res.cancelled) {
      this.v.ui.progress(null);
      this.v.ui.busy('');
      const what = `Cancelled: ${busy.replace(/…$/, '').replace(/^\w/, (c) => c.toLowerCase())}.`;
      this.v.ui.status(this.run ? `${what} Still showing ${this.statusText()}` : what);
      this.v.ui.announce(what);
      return false;
    }
    if (!res || res.error) {
      this.v.ui.progress(null);
      this.v.ui.busy('');
      this.lastError = res ? res.error : 'the engine did not answer';
      this.v.ui.error(this.lastError, res && res.line, this.run !== null);
      return false;
    }
    if (this.run) this.v.ui.progress({ label: 'Drawing…', fraction: 1 });
    this.v.ui.error('');
    this.scenario = scenario;
    this.settings = normalizeSettings(settings, this.vocab);
    this.cut = cut;
    this.manual = manual;
    this.run = res.run;
    this.rowsAsked = new Set(); // windows of log rows asked of the engine for this run (needRows)
    if (this.run.tail) { addRows(this.run, this.run.tail); delete this.run.tail; }
    this.summary = res.summary;
    this.endSnap = res.end || null; // the heap after the last step, already made (requestSnapshot)
    this.v.log.setRun(this.run);
    if (this.v.predict) this.v.predict.clear();
    this.v.charts.setRun(this.run);
    this.v.ui.setRun(this.run);
    const k = cursorFor ? cursorFor(this.run) : cursor === null ? this.cursor : cursor;
    if (this.run.n > 20000) await new Promise((res) => setTimeout(res, 0)); // a long run: the map is drawn in a task of its own
    this.refreshHistory();
    await this.setCursor(clamp(k, 0, this.run.n), { announce: false });
    this.lastRunMs = performance.now() - t0;
    if (this.run.n > 20000) rehearseStep(this); // the first step after it then runs compiled code
    this.v.ui.progress(null);
    this.v.ui.busy('');
    this.v.ui.status(this.statusText());
    if (this.v.ui.about) this.v.ui.about(scenario.kind === 'gen' ? (this.vocab.scenarioAbout || {})[scenario.name] || '' : '');
    return true;
  }

  // Returns the scenario as sent to the engine (no DOM objects, text only when needed; an
  // import's File goes as a handle, not its bytes: the worker reads it once, by fileId).
  wireScenario(sc) {
    return { kind: sc.kind, name: sc.name, seed: sc.seed, ops: sc.ops, text: sc.text, fileName: sc.fileName, file: sc.file, fileId: sc.fileId };
  }

  // Returns the one-line summary of the run shown under the settings.
  statusText() {
    const s = this.summary || {};
    const r = this.run;
    const bits = [`${this.scenario.label}: ${countOf(r.n, 'operation')}`];
    if (s.failed) bits.push(`${s.failed} refused by the allocator`);
    if (s.skipped) bits.push(`${s.skipped} skipped (their block was never allocated)`);
    if (this.manual.length) bits.push(`${this.manual.length} of them yours`);
    if (r.sites) bits.push(`made from ${r.sites.names.length} call sites in the recorded program`);
    if (this.scenario.kind === 'import' && s.heapBytes !== undefined) {
      bits.push(`peak live payload ${formatBytes(s.peakPayload)}`, `heap size ${formatBytes(s.heapBytes)}`, `utilization ${(100 * s.utilization).toFixed(1)}%`);
    }
    return `${bits.join(', ')}.`;
  }

  // Moves the cursor to step k (clamped) and updates every view; the heap comes back from the engine.
  async setCursor(k, { announce = true } = {}) {
    if (!this.run) return;
    this.cursor = clamp(k, 0, this.run.n);
    const at = this.cursor;
    const views = () => {
      this.pace.run('log', () => this.v.log.setCursor(at));
      if (this.v.history) this.pace.run('history', () => this.v.history.setCursor(at));
      this.showLine(at, announce && !this.playing);
    };
    // A step paints once: paused, the log, strip and step line change with the map, when the step's heap (and
    // a long run's rows around it) arrive, not one frame before it (showSnapshot); playing, they go at their pace.
    // A heap slow to come (a far jump on a long run) does not hold them back more than VIEWS_WAIT_MS.
    if (this.playing) views();
    else {
      this.viewsDue = views;
      clearTimeout(this.viewsTimer);
      this.viewsTimer = setTimeout(() => this.showDueViews(), VIEWS_WAIT_MS);
    }
    if (!this.playing) this.updateUrl(false);
    this.compareSoon();
    await this.requestSnapshot();
  }

  // Shows step k on the step line (and announces it): at once when op k-1's log row is at
  // hand, else when the snapshot bringing it arrives (showSnapshot; a long run's rows come in windows).
  showLine(k, announce) {
    const words = k > 0 ? this.opWords(k - 1) : 'Nothing has happened yet: the heap is empty.';
    this.lineDue = words === null ? { k, announce: announce || (this.lineDue && this.lineDue.announce) } : null;
    this.pace.run('line', () => this.v.ui.setCursor(k, this.run.n, words));
    if (announce && words !== null) this.v.ui.announce(`Step ${k} of ${this.run.n}. ${words}`);
  }

  // Returns op i in words, or null when its log row is not at hand (model/run-rows.js).
  opWords(i) {
    return this.wordsOf(this.run, i);
  }

  // Returns op i of run r in words, or null when its log row is not at hand.
  wordsOf(r, i) {
    const row = logRow(r, i);
    return row ? describeOp(row.op, row.id, row.size, row.offset, row.events) : null;
  }

  // Asks the engine for the log rows [from, to) of the run on show (the log view scrolled to
  // rows not at hand), once per window, and redraws the log when they arrive.
  async needRows(from, to) {
    const run = this.run;
    const key = `${from}-${to}`;
    if (!run || this.rowsAsked.has(key)) return;
    this.rowsAsked.add(key);
    const res = await this.engine.request({ type: 'rows', from, to });
    if (this.run !== run) return;
    this.rowsAsked.delete(key);
    if (!res || res.error) { if (res) this.v.ui.error(res.error); return; }
    addRows(run, res.rows);
    this.v.log.refresh();
    if (this.lineDue && this.lineDue.k === this.cursor && logRow(run, this.cursor - 1)) this.showLine(this.cursor, this.lineDue.announce);
  }

  // Asks the engine for the heap at the cursor; while one request is in flight, later cursors coalesce into one more.
  // An answer is shown when it is still for the cursor and the run on show (a slider's input and change events
  // ask for the same step twice: the second waits for the first's answer instead of asking again).
  async requestSnapshot() {
    if (this.snapBusy) { this.snapDirty = true; return; }
    this.snapBusy = true;
    try {
      let current;
      do {
        this.snapDirty = false;
        await this.pace.wait('heap'); // while playing, the map's turn (model/pacer.js)
        const k = this.cursor;
        const run = this.run;
        const t0 = performance.now();
        const end = this.endSnap;
        const snap = end && end.k === k && !this.playing ? end : await this.engine.request({ type: 'snapshot', k });
        current = this.cursor === k && this.run === run;
        if (snap && !snap.error && current) {
          const t1 = performance.now();
          this.showSnapshot(snap);
          this.pace.spent('heap', performance.now() - t1);
          this.lastStepMs = performance.now() - t0;
        } else if (snap && snap.error) this.v.ui.error(snap.error);
      } while (this.snapDirty && !current);
      this.showDueViews(); // no heap came for the cursor (an error, or another run took over): the views still follow it
    } finally {
      this.snapBusy = false;
    }
  }

  // Runs the step's log, strip and line updates kept by setCursor; returns whether there were any.
  showDueViews() {
    const due = this.viewsDue;
    this.viewsDue = null;
    clearTimeout(this.viewsTimer);
    if (due) due();
    return Boolean(due);
  }

  // Draws a snapshot (with the last op's touched blocks outlined).
  showSnapshot(snap) {
    const k = snap.k;
    if (snap.rows) addRows(this.run, snap.rows);
    if (!this.showDueViews() && snap.rows) this.v.log.refresh();
    if (this.lineDue && this.lineDue.k === k) this.showLine(k, this.lineDue.announce);
    const row = k > 0 ? logRow(this.run, k - 1) : null;
    const events = row ? row.events : [];
    const touched = k > 0 ? touchedBy(events) : { blocks: new Set(), extend: null };
    const span = Math.max(this.run.maxHeap || 0, snap.stats.heapSize, this.settings.align * 4);
    this.snap = snap;
    const run = this.run;
    if (this.v.search) {
      const search = k > 0 ? searchOf(events, this.vocab.examineReasons || []) : null;
      this.v.search.show(search, this.settings.policy, { animate: this.playing, stepMs: 1000 / this.speed, run });
      if (this.v.classes) this.v.classes.show(snap.blocks, this.settings.policy, search);
    }
    this.v.heap.show({ ...snap, span, align: this.settings.align, touched, siteOf: run.sites ? (id) => blockSite(run, id, k) : null });
    this.v.ui.setSnapshot(snap, this.v.heap.scaleText());
    this.pace.run('charts', () => this.v.charts.setCursor(k, snap.stats)); // the exact point at k is read from snap.stats
  }

  // Asks the engine for the heap over time of the run on show (the history strip).
  async refreshHistory() {
    if (!this.v.history || !this.run) return;
    const run = this.run;
    const res = await this.engine.latestOf('history', { type: 'history', rows: Math.min(run.n, 160), cols: 256 });
    if (this.run !== run) return;
    this.v.history.show(res && !res.error ? res.history : null, run, (k) => { this.pause(); this.setCursor(k); });
  }

  // Plans a compare refresh 120 ms after the cursor settles (none while playback runs).
  compareSoon() {
    clearTimeout(this.compareTimer);
    if (!this.playing) this.compareTimer = setTimeout(() => this.refreshCompare(), 120);
  }

  // Asks the engine for the heap under every policy at the cursor and hands it to the
  // compare view, only while that view is on screen and shows another step; stale answers are dropped.
  async refreshCompare() {
    const view = this.v.compare;
    if (!view.visible || !this.run || view.shows(this.cursor)) return;
    let id = 0;
    const req = this.engine.latestOf('compare', { type: 'compare', k: this.cursor }, {
      onProgress: (p) => view.progress(p.fraction, () => this.engine.cancel(id)),
    });
    id = this.engine.seq; // the request latestOf just made
    const res = await req;
    view.progress(null);
    if (!res || res.error || res.cancelled) return;
    view.show(res, { n: this.run.n, maxHeap: this.run.maxHeap, align: this.settings.align });
  }

  // Returns the engine's log of the run (rich or seed CSV): {text} or {error}.
  async exportLog(format) {
    return this.engine.request({ type: 'export', format });
  }

  // Starts playback from the cursor (from the start when at the end).
  play() {
    if (!this.run || this.playing) return;
    if (this.cursor >= this.run.n) this.setCursor(0, { announce: false });
    this.playing = true;
    this.pace.setActive(true);
    this.v.ui.setPlaying(true);
    let last = performance.now(), carry = 0;
    const tick = (now) => {
      if (!this.playing) return;
      carry += ((now - last) / 1000) * this.speed;
      last = now;
      const steps = Math.floor(carry);
      if (steps > 0) {
        carry -= steps;
        const k = Math.min(this.run.n, this.cursor + steps);
        this.setCursor(k, { announce: false });
        if (k >= this.run.n) { this.pause(); return; }
      }
      this.raf = requestAnimationFrame(tick);
    };
    this.raf = requestAnimationFrame(tick);
  }

  // Stops playback and announces where it stopped.
  pause() {
    if (!this.playing) return;
    this.playing = false;
    this.pace.setActive(false); // every view catches up with the cursor
    cancelAnimationFrame(this.raf);
    this.v.ui.setPlaying(false);
    this.updateUrl(true);
    this.compareSoon();
    if (this.run) this.v.ui.announce(`Paused at step ${this.cursor} of ${this.run.n}.`);
  }

  // Toggles playback.
  toggle() {
    if (this.playing) this.pause(); else this.play();
  }

  // Applies a playback action: 'forward' | 'back' | 'reset' | 'end'.
  step(action) {
    if (!this.run) return;
    this.pause();
    this.setCursor(moveCursor(this.cursor, this.run.n, action));
  }

  // Adds a manual op at the cursor (later steps are dropped) and replays; returns true when applied.
  // When it dropped later steps, the page says how many and offers to undo the edit.
  async manualOp(op) {
    if (!this.run) return false;
    let cut = this.cut, manual = this.manual.slice();
    const k = this.cursor;
    const dropped = this.run.n - k;
    const before = { cut: this.cut, manual: this.manual, cursor: k, scenario: this.scenario };
    if (!manual.length) { cut = k; manual = [op]; }
    else if (k >= cut && k - cut <= manual.length) manual = [...manual.slice(0, k - cut), op];
    else if (k < cut) { cut = k; manual = [op]; }
    else manual.push(op);
    const ok = await this.rerun({ cut, manual, cursor: Number.MAX_SAFE_INTEGER, busy: 'Applying…' });
    if (!ok) return ok;
    const undo = { label: 'Undo', run: () => this.scenario === before.scenario && this.rerun({ cut: before.cut, manual: before.manual, cursor: before.cursor, busy: 'Undoing…' }) };
    const note = dropped > 0 ? `Your ${OPWORD[op.op]} at step ${k + 1} replaced the ${plural(dropped, 'later operation')} (steps ${k + 1}–${k + dropped}).` : '';
    this.v.ui.editNote(note, dropped > 0 ? undo : null);
    this.v.ui.announce(`Step ${this.cursor}. ${this.opWords(this.cursor - 1) || ''}${note ? ` ${note} Undo brings them back.` : ''}`);
    return ok;
  }

  // Switches scenario (drops manual edits) and replays from step `step` (0 when not given).
  async loadScenario(sc, step = 0, edits = { cut: null, manual: [] }) {
    this.v.ui.editNote('');
    const had = this.run;
    const ok = await this.rerun({ scenario: sc, cut: edits.cut, manual: edits.manual, cursor: step, busy: sc.kind === 'import' ? `Reading ${sc.fileName}…` : `Loading ${sc.label}…` });
    if (ok && had && this.v.heap.view) this.v.heap.setView(null); // another heap: shown whole
    return ok;
  }

  // Changes allocator settings and replays the same operations, keeping the step on the same
  // operation (sameStep); when the new run lacks it (its block could not be allocated), says so.
  async changeSettings(patch) {
    const old = this.run, k = this.cursor;
    let moved = null;
    const cursorFor = (run) => {
      if (!old) return k;
      const m = sameStep(old, k, run);
      const row = logRow(old, k - 1);
      if (!m.exact) moved = { from: k, to: m.k, call: callText(old.op[k - 1], old.id[k - 1], old.cols.size[k - 1], row ? row.offset : 0) };
      return m.k;
    };
    const ok = await this.rerun({ settings: normalizeSettings({ ...this.settings, ...patch }, this.vocab), cursorFor });
    if (ok && moved) {
      this.v.ui.status(`${this.statusText()} Step ${moved.from} was ${moved.call}; these settings leave that operation out (its block could not be allocated), so the page shows step ${moved.to}, the last operation before it.`);
    }
    return ok;
  }

  // Returns why a link cannot restore this view (an imported trace too long or too odd to
  // travel as manual ops), or null when it can.
  linkLimit() {
    const sc = this.scenario;
    if (!sc || sc.kind !== 'import' || !this.run) return null;
    const ops = runAsManual(this.run, LINK_OPS);
    if (ops && ops.length) return null;
    if (this.run.n > LINK_OPS) return `it has ${this.run.n.toLocaleString('en')} operations and a link carries at most ${LINK_OPS}`;
    if (!this.run.n) return 'it has no operations';
    return 'it frees or resizes a block it never allocated, which a link cannot write down';
  }

  // Returns the URL query that restores this exact view.
  // An imported trace travels as manual ops when short enough (runAsManual); else it names no step (the URL stays put).
  query() {
    const sc = this.scenario;
    const base = { settings: this.settings, step: this.cursor, embed: this.embed, zoom: this.v.heap.zoom, view: this.v.heap.view };
    if (sc.kind === 'import') {
      const ops = this.run ? runAsManual(this.run, LINK_OPS) : null;
      if (ops && ops.length) return formatQuery({ ...base, scenario: { name: 'manual' }, cut: 0, manual: ops }, this.vocab);
      return formatQuery({ ...base, step: null, scenario: { name: 'import' }, cut: null, manual: [] }, this.vocab);
    }
    return formatQuery({ ...base, scenario: { name: sc.name, seed: sc.seed, ops: sc.ops, generated: sc.kind === 'gen' }, cut: this.cut, manual: this.manual }, this.vocab);
  }

  // Gives the page back to the dashboard after a mode owned it (OSTEP, mm, a lesson):
  // the URL is the App's again, the layout is measured anew, and the change is said.
  backOnStage(words) {
    this.offstage = false;
    this.updateUrl(true);
    globalThis.dispatchEvent(new Event('resize'));
    this.v.ui.announce(words);
  }

  // Writes the state into the address bar: at once when forced, else 300 ms after the
  // last change (replaceState is slow on file:// pages, so steps never wait for it).
  // Failures are ignored: file:// may refuse, and Copy link still gives the full state.
  updateUrl(force) {
    clearTimeout(this.urlTimer);
    if (this.offstage) return;
    if (!force) { this.urlTimer = setTimeout(() => this.updateUrl(true), 300); return; }
    this.v.ui.showQuery(this.query());
  }
}
