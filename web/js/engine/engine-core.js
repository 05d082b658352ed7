// engine-core.js: everything the page asks of the wasm module, as plain
// request -> result functions (no DOM), the OSTEP mode's runs included
// (ostep-session.js). It runs inside a Web Worker (engine-worker.js) so a
// long trace never freezes the page; node tests use it directly.
//
// The current run's trace lives in C (a lab Trace): it crosses from JS to
// C once, as text at import (or is generated in C), and is never turned
// back into text to be parsed again. A run is that trace replayed once
// with the log on; its steps are the ops that made a log row (a free of a
// block whose allocation failed makes none), kept as the run's trace. The
// state at step k is, by definition, the first k of those ops replayed into
// an empty heap: a C cursor per settings moves a heap there from its
// nearest checkpoint, so a step costs the same on a 300-op and a 300,000-op
// trace. Export and prediction read the run's trace up to k; manual edits
// cut it and append ops to it. A long run's log is kept by no one: the page
// gets its steps, its charts' series (run-shape.js) and, on request or with a
// step's snapshot, windows of its log rows made again from the cursor
// (rows(), c/wasm/run_rows_api.c).
//
// The vocabulary the page's model is given (state.js) is read from the lab,
// that is from C, in vocabulary.js and nowhere else, and answers 'info'.
import { normalizeSettings, clamp } from '../model/state.js';
import { ostepSession } from './ostep-session.js';
import { mmSession } from './mm-session.js';
import { errorText } from '../model/words.js';
import { RunShaper, FULL_COLUMN_STEPS, sliceOps } from './run-shape.js';
import { MAX_POINTS } from '../model/chart-config.js';
import { ROW_WINDOW } from '../model/run-rows.js';
import { firstDivergence } from './divergence.js';
import { vocabularyOf, SEARCH_MARK_STEPS } from './vocabulary.js';
import { predictOnce, predictInSlices } from './predict-work.js';

const MAIN_BUDGET = 32 << 20; // checkpoint bytes for the settings on show
const OTHER_BUDGET = 8 << 20; // for each other policy (the compare view)
const MAX_CURSORS = 6;
const REPLAY_SLICE = 50000; // ops per slice of a run's replay (a few ms each)
const PARSE_SLICE = 1 << 19; // bytes of trace text per slice of an import's parse (~10 ms)
const SEEK_SLICE = 50000;   // steps per slice of moving a compared heap forward
// the longest run whose first divergence between policies Compare names (a replay per policy)
const DIVERGE_STEPS = 200000;
const MAX_ROWS = 1024; // the most log rows one 'rows' request makes
if (REPLAY_SLICE < FULL_COLUMN_STEPS) throw new Error('engine-core: a run sent whole must be drained in one slice');


// Runs a generator of {phase, fraction} to its end and returns its result (the request at once).
function finish(steps) {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

// Returns the createHeap options for settings (log off for snapshots).
function heapOptions(s, log) {
  return { policy: s.policy, order: s.order, coalesce: !!s.coalesce, align: s.align, arenaBytes: s.arena, log };
}

export class EngineCore {
  // lab: the loaded HeapLab module API.
  constructor(lab) {
    this.lab = lab;
    this.vocab = vocabularyOf(lab);
    this.trace = null;    // the current run's steps, a Trace in C
    this.settings = null;
    this.cursors = new Map(); // settings key -> {heap, cursor} over this.trace
    this.base = null;     // {key, trace}: the last scenario's steps, kept for manual edits
  }

  // Frees every cursor (they borrow this.trace).
  dropCursors() {
    for (const c of this.cursors.values()) { c.cursor.destroy(); c.heap.destroy(); }
    this.cursors.clear();
  }

  // Returns the heap of the cursor for settings s, moved to step k.
  heapAt(s, k) {
    const c = this.cursorFor(s);
    const rc = c.cursor.seek(k);
    if (rc !== 0) throw new Error(`moving the heap to step ${k} failed (${this.lab.strerror(rc)})`);
    return c.heap;
  }

  // Returns the {heap, cursor} for settings s over the run's steps (made on first use).
  cursorFor(s) {
    const key = JSON.stringify(s);
    let c = this.cursors.get(key);
    if (!c) {
      if (this.cursors.size >= MAX_CURSORS) this.dropCursors();
      const heap = this.lab.createHeap(heapOptions(s, false));
      const budgetBytes = s.policy === this.settings.policy ? MAIN_BUDGET : OTHER_BUDGET;
      try {
        c = { heap, cursor: heap.cursor(this.trace, { budgetBytes }) };
      } catch (e) {
        heap.destroy(); // out of memory: nothing left behind
        throw e;
      }
      this.cursors.set(key, c);
    }
    return c;
  }

  // Returns the scenario's trace in C, or {error, line}.
  loadTrace(sc) {
    const name = sc.fileName || sc.name || 'trace';
    if (sc.kind === 'gen') return this.lab.generateTrace(sc.name, sc.seed, sc.ops);
    return this.lab.loadTrace(typeof sc.text === 'string' ? sc.text : 'op,id,size\n', { name });
  }

  // The same as loadTrace, as a generator that parses imported text PARSE_SLICE bytes at a
  // time, yielding {phase: 'reading', fraction} (0..0.2 of the run); stopped early, it keeps nothing.
  * readTrace(sc) {
    if (sc.kind === 'gen' || typeof sc.text !== 'string' || !this.lab.parseTraceSlices) return this.loadTrace(sc);
    const parse = this.lab.parseTraceSlices(sc.text, { name: sc.fileName || sc.name || 'trace' });
    let ended = false;
    try {
      while (parse.done < parse.bytes) {
        parse.more(PARSE_SLICE);
        yield { phase: 'reading', fraction: 0.2 * (parse.done / parse.bytes) };
      }
      ended = true;
      return parse.end();
    } finally {
      if (!ended) parse.abort();
    }
  }

  // Returns the scenario's steps under settings s (its trace replayed, log off, keeping
  // the ops that made a row), cached for the next manual edit; or {error, line}.
  baseSteps(scenario, s) {
    // the scenario and settings it was made for (the text compared as is: no copy of a 20 MB import)
    const key = JSON.stringify([scenario.kind, scenario.name, scenario.seed, scenario.ops, scenario.fileName, s]);
    if (this.base && this.base.key === key && this.base.text === scenario.text) return this.base.trace;
    const t = this.loadTrace(scenario);
    if (t.error) return t;
    const h = this.lab.createHeap(heapOptions(s, false));
    try {
      const r = h.replay(t, { verify: false, rows: true });
      if (!r.rows) return { error: 'out of memory replaying the trace', line: 0 };
      if (this.base) this.base.trace.destroy();
      this.base = { key, text: scenario.text, trace: r.rows };
      return r.rows;
    } finally {
      h.destroy();
      t.destroy();
    }
  }

  // Runs a scenario (with manual edits: the first `cut` steps, then the manual ops).
  // Returns {run, summary, end} or {error, line}; on error the previous run stays. run: the
  // steps, the log (whole for a short run, else its last rows: run-shape.js) and the series.
  runScenario(msg) {
    return finish(this.runSteps(msg));
  }

  // The same as runScenario, as a generator that yields {phase, fraction} (fraction of the
  // whole run done, 0..1) between slices of work and returns runScenario's result. Nothing is
  // installed until the last step, so a caller that stops early (return()) keeps the previous run.
  * runSteps({ scenario, settings, cut = null, manual = [] }) {
    const s = normalizeSettings(settings, this.vocab);
    yield { phase: 'reading', fraction: 0 };
    let steps;
    try {
      steps = manual.length ? this.baseSteps(scenario, s) : yield* this.readTrace(scenario);
    } catch (e) {
      return { error: errorText(e), line: 0 };
    }
    if (steps.error) return steps;
    let input = steps;
    if (manual.length) {
      input = steps.slice(cut === null ? steps.length : clamp(cut, 0, steps.length));
      let next = input.maxId;
      for (const m of manual) {
        const rc = m.op === 'alloc' ? input.push('alloc', ++next, m.size) : input.push(m.op, m.id, m.op === 'free' ? 0 : m.size);
        if (rc !== 0) {
          input.destroy();
          return { error: `manual operations: ${m.op} of block ${m.op === 'alloc' ? next : m.id} is not possible there (${this.lab.strerror(rc)})`, line: 0 };
        }
      }
    }
    const examineCap = input.length <= SEARCH_MARK_STEPS ? this.lab.defaults.examineCap : 0;
    const h = this.lab.createHeap({ ...heapOptions(s, true), examineCap });
    let r = null, shape = null, replay = null, end = null, rows = null, runSeries = null, installed = false;
    try {
      // the phases' weights: reading 0-0.2, replaying and reading the log 0.2-1; the log is
      // drained from C after every slice and taken in by a RunShaper (run-shape.js), so
      // neither C nor the worker holds a long run's whole log.
      // The replay keeps no copy of the ops that made a row: when none was skipped they are
      // the input itself (a second 3.3M-op trace would cost ~150 MB of wasm memory at its
      // peak, and wasm memory never shrinks); otherwise a replay without the log picks them.
      replay = h.replaySlices(input, { verify: false, rows: false });
      runSeries = this.lab.createSeries(replay.length, MAX_POINTS);
      const shaper = new RunShaper(runSeries, h, replay.length);
      for (let done = 0; ;) {
        const count = sliceOps(replay.length - done, shaper.n, REPLAY_SLICE); // (a long run's last ops alone)
        // a slice but the last is logged without its events (C skips their stores); the shaper
        // drains a part's events only when it is the last (its rows are the tail, or the whole
        // short run), and of the others' op records only the fields it keeps (SHAPE_FIELDS);
        // each part is folded into the run's series (in C) first
        const events = count >= replay.length - done;
        done = replay.more(count, { events });
        // (a replay that failed ends early: its last slice is drained as it was logged, and refused below)
        shaper.take(done >= replay.length, events);
        yield { phase: 'replaying', fraction: 0.2 + 0.8 * (done / Math.max(1, replay.length)) };
        if (done >= replay.length) break;
      }
      r = replay.end();
      replay = null;
      if (r.error) { // a trace that does not fit this heap (e.g. a recorded bad call naming a live block): refused whole
        return { error: `${scenario.fileName || scenario.name || 'trace'}: op ${r.errorOp + 1}: ${this.lab.strerror(r.error)}`, line: 0 };
      }
      rows = r.skipped ? this.keptOps(input, s) : input;
      if (!rows) return { error: 'out of memory replaying the trace', line: 0 };
      shape = shaper.result();
      // the heap after the last step, from this replay (the snapshot(n) answer), so a run that
      // lands at its end is shown without replaying it again; the cursor is built when first moved
      end = { k: rows.length, blockTable: h.blockTable(), stats: h.stats(), policy: s.policy };
      this.dropCursors();
      if (this.rowHeap) this.rowHeap.destroy();
      this.rowHeap = null;
      if (this.trace) this.trace.destroy();
      this.trace = rows;
      this.settings = s;
      this.examineCap = examineCap;
      installed = true;
    } catch (e) {
      return { error: errorText(e), line: 0 };
    } finally {
      // stopped early (return()) or failed: nothing of this run is kept
      if (replay) replay.abort();
      if (runSeries) runSeries.destroy();
      if (!installed && rows && rows !== input) rows.destroy();
      h.destroy();
      if (this.trace !== input) input.destroy();
    }
    this.maxHeap = Math.max(0, shape.maxHeap);
    // a short run is sent whole; a long one as its steps and its last rows, the rest of its
    // log made again when asked for (rows())
    this.windowed = !shape.log.events;
    const { log, series, fragStart, maxId } = shape;
    return {
      summary: r,
      end,
      run: { ...log, maxId, maxHeap: this.maxHeap, sites: this.trace.sites(), examineCap, series, fragStart },
    };
  }

  // Returns the log rows of steps [from, to) of the current run (model/run-rows.js window):
  // made again on a heap with a log from the run's heap at step `from` (lab heap.rowsAt).
  rowsOf(from, to) {
    if (!this.rowHeap) this.rowHeap = this.lab.createHeap({ ...heapOptions(this.settings, true), examineCap: this.examineCap });
    return this.heapAt(this.settings, from).rowsAt(this.rowHeap, this.trace, from, to);
  }

  // Returns {rows} (rowsOf) for [from, to) clamped to the run and to MAX_ROWS rows, or {error}.
  rows(from, to) {
    if (!this.trace) return { error: 'no run' };
    const a = clamp(Math.trunc(from) || 0, 0, this.trace.length);
    const b = clamp(Math.trunc(to) || 0, a, Math.min(this.trace.length, a + MAX_ROWS));
    try {
      return { rows: this.rowsOf(a, b) };
    } catch (e) {
      return { error: errorText(e) };
    }
  }

  // Returns a new Trace of the ops of `input` that made a log row under settings s (a replay
  // with the log off), or null when host memory ran out.
  keptOps(input, s) {
    const h = this.lab.createHeap(heapOptions(s, false));
    try {
      return h.replay(input, { verify: false, rows: true }).rows || null;
    } finally {
      h.destroy();
    }
  }

  // Returns {k, blockTable, stats, policy} of the heap after the first k steps of the current run.
  snapshot(k, policy) {
    if (!this.trace) return { error: 'no run', line: 0 };
    const t0 = Date.now();
    const s = policy ? { ...this.settings, policy } : this.settings;
    const step = clamp(k, 0, this.trace.length);
    let h, rows;
    try {
      // a long run's step comes with the window of log rows holding its op, made first (from
      // the window's first step) so the heap then moves forward to the step
      if (!policy && this.windowed && step > 0) {
        const from = Math.floor((step - 1) / ROW_WINDOW) * ROW_WINDOW;
        rows = this.rowsOf(from, Math.min(this.trace.length, from + ROW_WINDOW));
      }
      h = this.heapAt(s, step);
    } catch (e) {
      return { error: errorText(e), line: 0 };
    }
    const t1 = Date.now();
    const blockTable = h.blockTable(); // decoded on the page (snapshot.js withBlocks)
    const out = { k, blockTable, stats: h.stats(), policy: s.policy, replayMs: t1 - t0 };
    if (rows) out.rows = rows;
    out.ms = Date.now() - t0;
    return out;
  }

  // Returns a snapshot under each compared policy at step k (the compare view).
  compare(k) {
    return finish(this.compareSteps(k));
  }

  // The same as compare, as a generator yielding {phase, fraction} while each policy's heap
  // is moved forward to step k a slice of SEEK_SLICE steps at a time (the first compare on a
  // long run replays it once per policy), and returning compare's result.
  * compareSteps(k) {
    const P = this.vocab.comparePolicies;
    if (this.trace) {
      const step = clamp(k, 0, this.trace.length);
      for (let i = 0; i < P.length; i++) {
        let c;
        try { c = this.cursorFor({ ...this.settings, policy: P[i] }); } catch { break; } // snapshot() says why
        const st = c.cursor.stats();
        for (let pos = st ? st.pos : step; pos < step;) {
          pos = Math.min(step, pos + SEEK_SLICE);
          if (c.cursor.seek(pos) !== 0) break;
          yield { phase: 'compare', fraction: (i + pos / step) / P.length };
        }
      }
    }
    return { k, heaps: P.map((p) => this.snapshot(k, p)), diverge: this.divergence(), teaching: this.vocab.teachingPolicies };
  }

  // Returns {history} (lab heap.timeline) of the current run under its settings: the heap
  // after up to `rows` evenly spaced steps, `cols` cells over the run's largest break.
  history(rows, cols) {
    if (!this.trace) return { error: 'no run' };
    const h = this.lab.createHeap(heapOptions(this.settings, false));
    try {
      return { history: h.timeline(this.trace, { rows, cols, span: Math.max(this.maxHeap || 0, 1) }) };
    } catch (e) {
      return { error: errorText(e) };
    } finally {
      h.destroy();
    }
  }

  // Returns where the compared policies first part ways on the current run: {teaching, fast},
  // each the first step after which some placement or break differs (teaching: among first,
  // next, best and worst fit; fast: fast against first fit), null when never; null for runs
  // longer than DIVERGE_STEPS. Computed once per run.
  divergence() {
    if (!this.trace || this.trace.length > DIVERGE_STEPS) return null;
    if (this.diverge && this.diverge.trace === this.trace) return this.diverge.value;
    const heapOf = (policy) => this.lab.createHeap({ ...heapOptions({ ...this.settings, policy }, true), examineCap: 0 });
    const value = firstDivergence(this.trace, heapOf, this.vocab.comparePolicies, this.vocab.teachingPolicies);
    this.diverge = { trace: this.trace, value };
    return value;
  }

  // Returns the engine's own log (rich or seed CSV) of the current run up to step k (all of it when k is null).
  exportLog(format, k = null) {
    if (!this.trace) return { error: 'no run' };
    const h = this.lab.createHeap(heapOptions(this.settings, true));
    try {
      const r = h.replay(this.trace, { verify: false, limit: k === null ? Infinity : clamp(k, 0, this.trace.length) });
      if (r.error) return { error: String(r.error) };
      return { text: h.exportLog(format) };
    } catch (e) {
      return { error: errorText(e) }; // out of host memory: the log is incomplete, never exported
    } finally {
      h.destroy();
    }
  }

  // Returns the prediction report for the run up to step k, or {error} when unavailable.
  predict(k, options) {
    if (!this.trace) return { error: 'no run' };
    return predictOnce(this.lab, this.trace, { ...options, limit: clamp(k, 0, this.trace.length) });
  }

  // The same as predict, as a generator yielding {phase: 'training', fraction} (predict-work.js).
  * predictSteps({ k, options }) {
    if (!this.trace) return { error: 'no run' };
    return yield* predictInSlices(this.lab, this.trace, { ...options, limit: clamp(k, 0, this.trace.length) });
  }

  // Builds the cursor of the run on show at its last step (idle work after a run: the first
  // step the page asks for then costs what any step costs).
  warm() {
    if (this.trace && this.settings) this.heapAt(this.settings, this.trace.length);
  }

  // Dispatches one request {type, ...} and returns its result.
  handle(msg) {
    switch (msg.type) {
      case 'run': return this.runScenario(msg);
      case 'snapshot': return this.snapshot(msg.k);
      case 'rows': return this.rows(msg.from, msg.to);
      case 'compare': return this.compare(msg.k);
      case 'export': return this.exportLog(msg.format, msg.k ?? null);
      case 'history': return this.history(msg.rows, msg.cols);
      case 'predict': return this.predict(msg.k, msg.options);
      case 'ostep': return ostepSession(this.lab, msg.flags);
      case 'memory': return { wasmBytes: this.lab.memoryBytes() };
      case 'mm': return mmSession(this.lab, msg.text, msg.name);
      case 'info': return { scenarios: this.lab.scenarios.slice(), policies: this.lab.policies.slice(), vocab: this.vocab, canPredict: typeof this.lab.predict === 'function', mmLogMagic: this.lab.mmLog ? this.lab.mmLog.magic : null };
      default: return { error: `unknown request ${msg.type}` };
    }
  }
}
