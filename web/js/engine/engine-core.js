// engine-core.js: everything the page asks of the wasm module, as plain
// request -> result functions (no DOM), the OSTEP mode's runs included
// (ostep-session.js). It runs inside a Web Worker
// (engine-worker.js) so a long trace never freezes the page; node tests
// use it directly. It keeps the current run's trace text (the rich log
// rows); the state at step k is rebuilt by replaying the first k rows into
// a fresh (reset) heap, so every view is a function of the first k ops
// (cursor-heap.js only skips the rows it already applied when stepping forward).
import { runFromRecords, prefixText, manualRow, normalizeSettings, clamp, POLICIES } from '../model/state.js';
import { flattenEvents, freeBlockSeries } from '../model/events.js';
import { CursorHeap } from './cursor-heap.js';
import { ostepSession } from './ostep-session.js';
import { errorText } from '../model/words.js';

// Returns the createHeap options for settings (log off for snapshots).
function heapOptions(s, log) {
  return { policy: s.policy, order: s.order, coalesce: !!s.coalesce, align: s.align, arenaBytes: s.arena, log };
}

// Returns the free-list head: the free block no other free block links to (0 when none).
export function freeHead(blocks) {
  const pointed = new Set();
  let any = 0;
  for (const b of blocks) if (b.free) { any = any || b.offset; if (b.nextFree) pointed.add(b.nextFree); }
  for (const b of blocks) if (b.free && !pointed.has(b.offset)) return b.offset;
  return any;
}

export class EngineCore {
  // lab: the loaded HeapLab module API.
  constructor(lab) {
    this.lab = lab;
    this.run = null;
    this.settings = null;
    this.scratch = new Map();
  }

  // Returns the cursor heap for settings s (one per settings, at most 6 kept).
  cursorFor(s) {
    const key = JSON.stringify(s);
    let c = this.scratch.get(key);
    if (!c) {
      if (this.scratch.size >= 6) { for (const x of this.scratch.values()) x.destroy(); this.scratch.clear(); }
      c = new CursorHeap(this.lab, heapOptions(s, false));
      this.scratch.set(key, c);
    }
    return c;
  }

  // Returns the scenario's trace text: generated, or given.
  baseText(sc) {
    if (sc.kind === 'gen') return this.lab.generate(sc.name, sc.seed, sc.ops);
    if (typeof sc.text === 'string') return sc.text;
    return 'op,id,size\n';
  }

  // Returns the summary and op records of `text` replayed under settings, or {error, line}.
  replayLog(text, s, name) {
    const h = this.lab.createHeap(heapOptions(s, true));
    try {
      const r = h.replay(text, { name, verify: false });
      if (r.error) return { error: r.error, line: r.line };
      return { summary: r, records: h.events(0) };
    } finally {
      h.destroy();
    }
  }

  // Runs a scenario (with manual edits: the first `cut` log rows, then the manual ops).
  // Returns {run: columns + flat events, summary} or {error, line}; on error the previous run stays.
  runScenario({ scenario, settings, cut = null, manual = [] }) {
    const s = normalizeSettings(settings);
    let text;
    try {
      text = this.baseText(scenario);
    } catch (e) {
      return { error: errorText(e), line: 0 };
    }
    const name = scenario.fileName || scenario.name || 'trace';
    let out = this.replayLog(text, s, name);
    if (out.error) return out;
    if (manual.length) {
      const base = runFromRecords(out.records);
      const k = cut === null ? base.n : clamp(cut, 0, base.n);
      let next = -1;
      for (let i = 0; i < k; i++) if (base.id[i] > next) next = base.id[i];
      const rows = manual.map((m) => {
        if (m.op === 'alloc') return manualRow(base.header, 'alloc', ++next, m.size);
        if (m.op === 'free') return manualRow(base.header, 'free', m.id, 0);
        return manualRow(base.header, 'realloc', m.id, m.size);
      });
      text = prefixText(base, k, rows);
      out = this.replayLog(text, s, 'manual operations');
      if (out.error) return out;
    }
    const run = runFromRecords(out.records);
    this.run = run;
    this.settings = s;
    const ev = flattenEvents(out.records);
    const freeBlocks = freeBlockSeries(run, ev);
    return {
      summary: out.summary,
      run: { n: run.n, header: run.header, op: run.op, id: run.id, cols: run.cols, maxId: run.maxId, maxHeap: run.maxHeap, freeBlocks, events: ev },
    };
  }

  // Returns {blocks, stats, freeHead} of the heap after the first k ops of the current run.
  snapshot(k, policy) {
    if (!this.run) return { error: 'no run', line: 0 };
    const t0 = Date.now();
    const s = policy ? { ...this.settings, policy } : this.settings;
    let h;
    try {
      h = this.cursorFor(s).moveTo(this.run, clamp(k, 0, this.run.n), s.policy === this.settings.policy);
    } catch (e) {
      return { error: errorText(e), line: 0 };
    }
    const t1 = Date.now();
    const blocks = h.blocks();
    return { k, blocks, stats: h.stats(), freeHead: freeHead(blocks), policy: s.policy, replayMs: t1 - t0, ms: Date.now() - t0 };
  }

  // Returns a snapshot under every policy at step k (the compare view).
  compare(k) {
    return { k, heaps: POLICIES.map((p) => this.snapshot(k, p)) };
  }

  // Returns the engine's own log (rich or seed CSV) of the current run up to step k (all of it when k is null).
  exportLog(format, k = null) {
    if (!this.run) return { error: 'no run' };
    const text = prefixText(this.run, k === null ? this.run.n : k);
    const h = this.lab.createHeap(heapOptions(this.settings, true));
    try {
      const r = h.replay(text, { name: 'log', verify: false });
      if (r.error) return { error: r.error };
      return { text: h.exportLog(format) };
    } finally {
      h.destroy();
    }
  }

  // Returns the prediction report for the log up to step k, or {error} when unavailable.
  predict(k, options) {
    if (!this.run) return { error: 'no run' };
    if (typeof this.lab.predict !== 'function') return { error: 'The prediction engine is not part of this build.' };
    try {
      return { report: this.lab.predict(prefixText(this.run, k), options) };
    } catch (e) {
      return { error: errorText(e) };
    }
  }

  // Dispatches one request {type, ...} and returns its result.
  handle(msg) {
    switch (msg.type) {
      case 'run': return this.runScenario(msg);
      case 'snapshot': return this.snapshot(msg.k);
      case 'compare': return this.compare(msg.k);
      case 'export': return this.exportLog(msg.format, msg.k ?? null);
      case 'predict': return this.predict(msg.k, msg.options);
      case 'ostep': return ostepSession(this.lab, msg.flags);
      case 'info': return { scenarios: this.lab.scenarios.slice(), policies: this.lab.policies.slice(), canPredict: typeof this.lab.predict === 'function' };
      default: return { error: `unknown request ${msg.type}` };
    }
  }
}
