// heap.js: one heap of the wasm module, as a JS object.
//
// A Heap holds only an integer handle; all state lives in C. The four
// allocator calls never throw: every argument is passed down as a Number
// (anything else becomes NaN), and C turns what is not a non-negative
// integer into a value the engine refuses with a code and a logged `fail`
// event (sizes -> EINVAL, offsets -> EBADPTR). Snapshots (blocks, stats,
// log) are tables C fills in linear memory; they are copied out at once.

import { addr, readF64, readText, readU32, rowObject, view } from './memory.js';
import { readEvents, readLogTable, logTableSteps, LogDrain } from './log.js';
import { tables } from './tables.js';
import { decodeBlocks } from './blocks.js';
import { Cursor, Trace, traceHandle, parseTrace } from './trace.js';

const LOG_FORMATS = { rich: 0, seed: 1 };
const EINVAL = -2;

// Returns x when it is a Number, else NaN (which C refuses).
function num(x) {
  return typeof x === 'number' ? x : NaN;
}

export class Heap {
  #mod;
  #h;

  // Wraps handle `h` of module `mod`; `options` are the normalized creation options.
  constructor(mod, h, options) {
    this.#mod = mod;
    this.#h = h;
    this.options = Object.freeze({ ...options });
  }

  // Returns the live handle, or throws when the heap was destroyed.
  #handle() {
    if (this.#h <= 0) throw new Error('HeapLab: heap used after destroy()');
    return this.#h;
  }

  // Returns a payload offset (> 0) or a negative error code.
  malloc(size) {
    return this.#h > 0 ? this.#mod._hl_malloc(this.#h, num(size)) : EINVAL;
  }

  // Returns 0 (freed, or offset 0) or a negative error code.
  free(offset) {
    return this.#h > 0 ? this.#mod._hl_free(this.#h, num(offset)) : EINVAL;
  }

  // Returns the new payload offset or a negative code (the old block stays live on failure).
  realloc(offset, size) {
    return this.#h > 0 ? this.#mod._hl_realloc(this.#h, num(offset), num(size)) : EINVAL;
  }

  // Returns a zero-filled payload offset of n * size bytes or a negative code.
  calloc(n, size) {
    return this.#h > 0 ? this.#mod._hl_calloc(this.#h, num(n), num(size)) : EINVAL;
  }

  // Returns the block table as C filled it: {n, names, data: Uint32Array} (see blocks.js).
  blockTable() {
    const mod = this.#mod;
    const n = mod._hl_blocks(this.#handle());
    if (n < 0) throw new Error(`HeapLab: block snapshot failed (${n})`);
    const { names, stride } = tables(mod).block;
    return { n, names, data: readU32(mod, mod._hl_blocks_ptr(), n, stride) };
  }

  // Returns the blocks in address order: {offset, size, free, payloadOffset, payloadSize, nextFree, id}.
  blocks() {
    return decodeBlocks(this.blockTable());
  }

  // Returns struct heap_stats with camelCase field names.
  stats() {
    const mod = this.#mod;
    const p = mod._hl_stats(this.#handle());
    const { names } = tables(mod).stats;
    return rowObject(names, readF64(mod, p, 1, names.length));
  }

  // Returns {code, offset}: code 0 when every invariant holds, else a negative check code.
  check() {
    const code = this.#mod._hl_check(this.#handle());
    return { code, offset: this.#mod._hl_check_offset() };
  }

  // Returns the number of op records in the log whose events were not logged (replaySlices'
  // more(count, {events: false})): 0 when every record has its events.
  skippedEvents() {
    return this.#mod._hl_log_events_skipped(this.#handle());
  }

  // Returns the op records from index `since` on, each with its events (see log.js).
  events(since = 0) {
    return readEvents(this.#mod, this.#handle(), since); // (refused when events were skipped: log-columns.js)
  }

  // Returns the whole log as columns (typed arrays), for moving a long run cheaply (see log.js).
  logTable() {
    return readLogTable(this.#mod, this.#handle());
  }

  // The same, as a generator yielding the fraction read after each chunk (log.js logTableSteps).
  logTableSteps() {
    return logTableSteps(this.#mod, this.#handle());
  }

  // Returns a LogDrain of this heap's log: drain() moves the records so far into columns and
  // empties the log in C, table() returns what was drained (log.js); for long runs in slices.
  // Each drain sizes its columns by the records C holds (an `ops` hint, once taken, is not needed).
  // A drain with events of a log that skipped some is refused (skippedEvents(); log-columns.js
  // readSteps); one without them marks the table's events as left out, as when C holds some.
  logDrain() {
    if (!this.options.log) throw new RangeError('HeapLab: this heap was created with log: false');
    return new LogDrain(this.#mod, this.#handle());
  }

  // Replays a trace (a Trace, or rich CSV, seed CSV or .rep text) on this heap. Returns the
  // summary, or {error: 'name:line: message', line} with nothing applied. Options: `limit`
  // (replay only the first ops), `rows` (the summary's `rows` is a new Trace of the ops that
  // made a log row: the run's steps; destroy it when done).
  replay(trace, { name = 'trace', verify = true, check = false, limit = Infinity, rows = false } = {}) {
    const mod = this.#mod;
    const h = this.#handle();
    let t = trace instanceof Trace ? null : parseTrace(mod, trace, name);
    if (t && t.error) return t;
    const handle = t ? t.handle : traceHandle(trace);
    try {
      const n = mod._hl_trace_length(handle);
      const lim = Number.isFinite(limit) && limit >= 0 ? Math.min(Math.trunc(limit), n) : n;
      const rc = mod._hl_replay_trace(h, handle, lim, verify ? 1 : 0, check ? 1 : 0, rows ? 1 : 0);
      if (rc !== 0) return { error: `${String(name)}:0: replay failed (${rc})`, line: 0 };
      const { names } = tables(mod).replay;
      const out = rowObject(names, readF64(mod, mod._hl_replay_ptr(), 1, names.length));
      if (rows) out.rows = out.rows > 0 ? new Trace(mod, out.rows) : null;
      else delete out.rows;
      return out;
    } finally {
      if (t) t.destroy();
    }
  }

  // Returns a replay of `trace` (a Trace) in slices, for a caller that reports progress
  // or stops between them: {length, more(count, {events}) -> ops done so far, end() -> the
  // summary replay() gives, abort()}. One at a time per module (starting one aborts the last).
  // events: false logs the slice's op records without their events (C skips their stores),
  // for a caller that drains it with events: false; until the log is next drained or
  // cleared, events(), logTable() and a drain with events refuse it (skippedEvents()).
  replaySlices(trace, { verify = true, rows = false } = {}) {
    const mod = this.#mod;
    const h = this.#handle();
    const handle = traceHandle(trace);
    const rc = mod._hl_replay_begin(h, handle, verify ? 1 : 0, rows ? 1 : 0);
    if (rc !== 0) throw new Error(`HeapLab: starting a replay failed (${rc})`);
    return {
      length: mod._hl_trace_length(handle),
      more(count, { events = true } = {}) {
        const done = mod._hl_replay_more(Math.max(0, Math.trunc(count)), events ? 1 : 0);
        if (done < 0) throw new Error(`HeapLab: replaying failed (${done})`);
        return done;
      },
      end() {
        const r = mod._hl_replay_end();
        if (r !== 0) throw new Error(`HeapLab: ending a replay failed (${r})`);
        const { names } = tables(mod).replay;
        const out = rowObject(names, readF64(mod, mod._hl_replay_ptr(), 1, names.length));
        if (rows) out.rows = out.rows > 0 ? new Trace(mod, out.rows) : null;
        else delete out.rows;
        return out;
      },
      abort() { mod._hl_replay_abort(); },
    };
  }

  // Returns the log rows (logTable columns, `from` added) that steps [from, to) of `trace`
  // make from the state this heap is in (it must be at step `from`: a cursor's heap there):
  // this heap is copied into `logHeap` (the same options, log: true) and the steps are
  // replayed on the copy (c/wasm/run_rows_api.c); this heap is left as it was.
  rowsAt(logHeap, trace, from, to) {
    if (!(logHeap instanceof Heap) || !logHeap.options.log) throw new RangeError('HeapLab: rowsAt needs a heap created with log: true');
    const n = this.#mod._hl_run_rows(this.#handle(), logHeap.#handle(), traceHandle(trace), num(from), num(to));
    if (n < 0) throw new Error(`HeapLab: making the log rows failed (${n})`);
    return { ...logHeap.logTable(), from };
  }

  // Returns a Cursor that moves this heap (created with log: false) to any step of `trace`;
  // checkpoints may hold up to budgetBytes of host memory. The heap is emptied now.
  cursor(trace, { budgetBytes = 32 << 20 } = {}) {
    const mod = this.#mod;
    if (this.options.log) throw new RangeError('HeapLab: a cursor moves a heap created with log: false');
    const c = mod._hl_cursor_create(traceHandle(trace), this.#handle(), Math.max(0, Number(budgetBytes) || 0));
    if (c <= 0) throw new Error(`HeapLab: cursor_create failed (${c})`);
    return new Cursor(mod, c);
  }

  // Returns the heap over time (c/trace/trace_history.h): `trace` replayed on this heap (emptied
  // before and after) and the heap after `rows` evenly spaced steps drawn as rows of `cols` cells
  // over the addresses [0, span): {rows, cols, span, steps: Uint32Array (the step of each row),
  // cells: Uint8Array (rows * cols; 0 beyond the break, else 1 + the free share scaled to 0..254)}.
  timeline(trace, { rows = 120, cols = 256, span } = {}) {
    const mod = this.#mod;
    const n = mod._hl_history(traceHandle(trace), this.#handle(), num(rows) | 0, num(cols) | 0, num(span));
    if (n < 0) throw new RangeError(`HeapLab: timeline needs rows and cols in 1..4096 and a span in bytes (${n})`);
    const at = addr(mod._hl_history_cells_ptr());
    const cells = n ? mod.HEAPU8.slice(at, at + n * cols) : new Uint8Array(0);
    return { rows: n, cols, span, steps: n ? readU32(mod, mod._hl_history_steps_ptr(), n, 1) : new Uint32Array(0), cells };
  }

  // Returns the event log as CSV ('rich' or 'seed'), or null when the heap logs nothing;
  // throws when host memory ran out (an incomplete log is never exported).
  exportLog(format = 'rich') {
    const f = LOG_FORMATS[format];
    if (f === undefined || !Object.hasOwn(LOG_FORMATS, format)) throw new RangeError(`HeapLab: exportLog format must be 'rich' or 'seed', not ${String(format)}`);
    const mod = this.#mod;
    const h = this.#handle();
    const len = mod._hl_export_log(h, f);
    if (len < -1) {
      throw new Error(mod._hl_log_incomplete(h)
        ? 'HeapLab: out of host memory: the log is incomplete, so it is not exported (reset() the heap to start a new one)'
        : 'HeapLab: out of host memory formatting the log');
    }
    return len < 0 ? null : readText(mod, mod._hl_text_ptr(), len);
  }

  // Returns a Uint8Array over the requested bytes of live payload `offset`
  // (valid until the next call into the module), or null.
  payload(offset) {
    const mod = this.#mod;
    const h = this.#handle();
    const size = mod._hl_payload_size(h, num(offset));
    const p = mod._hl_payload(h, num(offset));
    return addr(p) === 0 ? null : view(mod, p, size);
  }

  // Returns a Uint8Array over arena bytes [0, break) (valid until the next call into the module).
  arena() {
    const mod = this.#mod;
    const h = this.#handle();
    const size = this.stats().heapSize;
    return view(mod, mod._hl_arena(h), size);
  }

  // Empties the heap (arena and log), keeping its options.
  reset() {
    this.#mod._hl_heap_reset(this.#handle());
  }

  // Frees the heap; later allocator calls return EINVAL, other methods throw.
  destroy() {
    if (this.#h > 0) this.#mod._hl_heap_destroy(this.#h);
    this.#h = 0;
  }
}
