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
// cut it and append ops to it.
//
// The vocabulary the page's model is given (state.js) is read from the lab,
// that is from C, here and nowhere else (vocabularyOf), and answers 'info'.
import { normalizeSettings, clamp } from '../model/state.js';
import { ostepSession } from './ostep-session.js';
import { mmSession } from './mm-session.js';
import { errorText } from '../model/words.js';

const MAIN_BUDGET = 32 << 20; // checkpoint bytes for the settings on show
const OTHER_BUDGET = 8 << 20; // for each other policy (the compare view)
const MAX_CURSORS = 6;
const REPLAY_SLICE = 50000; // ops per slice of a run's replay (a few ms each)
const SEEK_SLICE = 50000;   // steps per slice of moving a compared heap forward
// the longest run whose searches are logged block by block (search marks): up to 16
// examine events per search would make a long run's log several times larger
export const SEARCH_MARK_STEPS = 20000;
// the longest run whose first divergence between policies Compare names (a replay per policy)
const DIVERGE_STEPS = 200000;

// Returns the createHeap options for settings (log off for snapshots).
function heapOptions(s, log) {
  return { policy: s.policy, order: s.order, coalesce: !!s.coalesce, align: s.align, arenaBytes: s.arena, log };
}

// Returns the largest value of a typed array (-1 when empty).
function maxOf(a) {
  let m = -1;
  for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i];
  return m;
}

// Returns the page's vocabulary (state.js) as plain data: the lab's names, alignments,
// header size, smallest arena and defaults; the policies compared side by side are
// those that search the one free list.
export function vocabularyOf(lab) {
  const d = lab.defaults;
  return {
    policies: [...lab.policies],
    comparePolicies: [...lab.policies], // every policy, the segregated fast one last
    teachingPolicies: [...lab.singleListPolicies], // those that search the one free list
    searchMarkSteps: SEARCH_MARK_STEPS,
    examineReasons: [...lab.examineReasons], // an examine event's detail -> its name
    sizeClassMin: [...lab.sizeClasses.minSize], // fast: the smallest block size of each class
    scenarioAbout: lab.scenarioAbout ? Object.fromEntries(lab.scenarios.map((n, i) => [n, lab.scenarioAbout[i]])) : {},
    orders: [...lab.orders],
    aligns: [...lab.aligns],
    headerBytes: lab.headerBytes,
    minArena: lab.minArena,
    defaults: { policy: d.policy, order: d.order, coalesce: d.coalesce, align: d.align, arena: d.arenaBytes },
  };
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
  // Returns {run: columns + flat events, summary} or {error, line}; on error the previous run stays.
  runScenario(msg) {
    const steps = this.runSteps(msg);
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
    }
  }

  // The same as runScenario, as a generator that yields {phase, fraction} (fraction of the
  // whole run done, 0..1) between slices of work and returns runScenario's result. Nothing is
  // installed until the last step, so a caller that stops early (return()) keeps the previous run.
  * runSteps({ scenario, settings, cut = null, manual = [] }) {
    const s = normalizeSettings(settings, this.vocab);
    yield { phase: 'reading', fraction: 0 };
    let steps;
    try {
      steps = manual.length ? this.baseSteps(scenario, s) : this.loadTrace(scenario);
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
    let r = null, table = null, replay = null, end = null, installed = false;
    try {
      // the phases' weights: reading 0-0.2, replaying and reading the log 0.2-1; the log is
      // drained into columns after every slice, so C never holds a long run's whole log
      replay = h.replaySlices(input, { verify: false, rows: true });
      const log = h.logDrain({ ops: replay.length });
      for (let done = 0; done < replay.length;) {
        done = replay.more(REPLAY_SLICE);
        log.drain();
        yield { phase: 'replaying', fraction: 0.2 + 0.8 * (done / Math.max(1, replay.length)) };
      }
      r = replay.end();
      replay = null;
      if (!r.rows) return { error: 'out of memory replaying the trace', line: 0 };
      if (r.error) { // a trace that does not fit this heap (e.g. a recorded bad call naming a live block): refused whole
        return { error: `${scenario.fileName || scenario.name || 'trace'}: op ${r.errorOp + 1}: ${this.lab.strerror(r.error)}`, line: 0 };
      }
      table = log.table();
      // the heap after the last step, from this replay (the snapshot(n) answer), so a run that
      // lands at its end is shown without replaying it again; the cursor is built when first moved
      end = { k: r.rows.length, blockTable: h.blockTable(), stats: h.stats(), policy: s.policy };
      this.dropCursors();
      if (this.trace) this.trace.destroy();
      this.trace = r.rows;
      this.settings = s;
      installed = true;
    } catch (e) {
      return { error: errorText(e), line: 0 };
    } finally {
      // stopped early (return()) or failed: nothing of this run is kept
      if (replay) replay.abort();
      if (!installed && r && r.rows) r.rows.destroy();
      h.destroy();
      input.destroy();
    }
    this.maxHeap = Math.max(0, maxOf(table.cols.heapSize));
    delete r.rows;
    return {
      summary: r,
      end,
      run: { ...table, maxId: maxOf(table.id), maxHeap: this.maxHeap, sites: this.trace.sites(), examineCap },
    };
  }

  // Returns {k, blockTable, stats, policy} of the heap after the first k steps of the current run.
  snapshot(k, policy) {
    if (!this.trace) return { error: 'no run', line: 0 };
    const t0 = Date.now();
    const s = policy ? { ...this.settings, policy } : this.settings;
    const step = clamp(k, 0, this.trace.length);
    let h;
    try {
      h = this.heapAt(s, step);
    } catch (e) {
      return { error: errorText(e), line: 0 };
    }
    const t1 = Date.now();
    const blockTable = h.blockTable(); // decoded on the page (snapshot.js withBlocks)
    return { k, blockTable, stats: h.stats(), policy: s.policy, replayMs: t1 - t0, ms: Date.now() - t0 };
  }

  // Returns a snapshot under each compared policy at step k (the compare view).
  compare(k) {
    const steps = this.compareSteps(k);
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
    }
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
    const cols = {};
    for (const p of this.vocab.comparePolicies) {
      const h = this.lab.createHeap({ ...heapOptions({ ...this.settings, policy: p }, true), examineCap: 0 });
      try {
        h.replay(this.trace, { verify: false });
        const t = h.logTable();
        cols[p] = [t.cols.offset, t.cols.heapSize];
      } finally {
        h.destroy();
      }
    }
    const first = (ps) => {
      const n = this.trace.length;
      for (let i = 0; i < n; i++) {
        const [o0, b0] = cols[ps[0]];
        if (ps.some((p) => cols[p][0][i] !== o0[i] || cols[p][1][i] !== b0[i])) return i + 1;
      }
      return null;
    };
    const teaching = this.vocab.teachingPolicies;
    const fast = this.vocab.comparePolicies.filter((p) => !teaching.includes(p));
    const value = { teaching: first(teaching), fast: fast.length ? first([teaching[0], ...fast]) : null };
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
    if (typeof this.lab.predict !== 'function') return { error: 'The prediction engine is not part of this build.' };
    try {
      return { report: this.lab.predict(this.trace, { ...options, limit: clamp(k, 0, this.trace.length) }) };
    } catch (e) {
      return { error: errorText(e) };
    }
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
