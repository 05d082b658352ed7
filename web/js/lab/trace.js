// trace.js: a parsed trace held by C, and a cursor that moves a heap to
// any step of it.
//
// A Trace holds only a handle: the ops live in C, parsed once from text
// (lab.loadTrace) or generated in place (lab.generateTrace). It is replayed
// by heap.replay(trace), cut and extended (manual edits), turned back into
// text only when asked (trace.text()), and gives the request sizes the
// predictor learns (trace.requestSizes) and its call sites (trace.sites). A Cursor moves one heap (created
// with log: false) to step k of a trace from checkpoints in C, so a step
// costs about the same on a 300-op and a 3,000,000-op trace
// (c/trace/trace_cursor.h). Destroy both when done: C memory is not
// garbage-collected.

import { addr, readCString, readF64, readI32, readText, rowObject, utf8, writeBytes } from './memory.js';
import { tables } from './tables.js';

const OPS = { alloc: 0, free: 1, realloc: 2 }; // enum log_op's numbers
const TEXT_FORMATS = { rich: 0, rep: 2 };
const EINVAL = -2;

export class Trace {
  #mod;
  #t;

  // Wraps trace handle t of module mod.
  constructor(mod, t) {
    this.#mod = mod;
    this.#t = t;
  }

  // Returns the live handle, or throws when the trace was destroyed.
  get handle() {
    if (this.#t <= 0) throw new Error('HeapLab: trace used after destroy()');
    return this.#t;
  }

  // The number of ops, and the largest block id (-1 when none).
  get length() { return this.#mod._hl_trace_length(this.handle); }
  get maxId() { return this.#mod._hl_trace_max_id(this.handle); }

  // Returns a new Trace holding a copy of the first k ops (all by default).
  slice(k = Infinity) {
    const n = this.length;
    const t = this.#mod._hl_trace_copy(this.handle, Number.isFinite(k) ? Math.max(0, Math.trunc(k)) : n);
    if (t <= 0) throw new Error('HeapLab: copying the trace failed (out of memory)');
    return new Trace(this.#mod, t);
  }

  // Keeps the first k ops.
  truncate(k) {
    this.#mod._hl_trace_truncate(this.handle, Number(k));
  }

  // Appends one op ('alloc' of a new id, 'free' or 'realloc' of a live one); returns 0 or a negative code.
  push(op, id, size = 0) {
    const o = Object.hasOwn(OPS, op) ? OPS[op] : -1;
    return o < 0 ? EINVAL : this.#mod._hl_trace_push(this.handle, o, Number(id), Number(size));
  }

  // Returns the trace as text: 'rich' (op,id,size CSV) or 'rep'.
  text(format = 'rich') {
    if (!Object.hasOwn(TEXT_FORMATS, format)) throw new RangeError("HeapLab: trace format must be 'rich' or 'rep'");
    const mod = this.#mod;
    const len = mod._hl_trace_text(this.handle, TEXT_FORMATS[format]);
    if (len < 0) throw new Error('HeapLab: writing the trace failed (out of memory)');
    return readText(mod, mod._hl_text_ptr(), len);
  }

  // Returns a Float64Array of the request sizes of the first `limit` ops (alloc, and realloc unless withRealloc is false).
  requestSizes(limit = Infinity, withRealloc = true) {
    const mod = this.#mod;
    const lim = Number.isFinite(limit) && limit >= 0 ? Math.trunc(limit) : this.length;
    const m = mod._hl_trace_sizes(this.handle, lim, withRealloc ? 1 : 0);
    if (m < 0) throw new Error(`HeapLab: reading the trace's sizes failed (${m})`);
    return readF64(mod, mod._hl_sizes_ptr(), m, 1);
  }

  // Returns the ops' call sites (the rich CSV's site column, `heaplab record --sites`):
  // {names: [site name], of: Int32Array (op i's index into names, -1 none)}, or null
  // when the trace has none. The names come from C's reader.
  sites() {
    const mod = this.#mod;
    const count = mod._hl_trace_site_count(this.handle);
    if (count <= 0) return null;
    const names = Array.from({ length: count }, (_, s) => readCString(mod, mod._hl_trace_site_name(this.handle, s)));
    const n = mod._hl_trace_op_sites(this.handle);
    if (n < 0) throw new Error(`HeapLab: reading the trace's sites failed (${n})`);
    return { names, of: readI32(mod, mod._hl_op_sites_ptr(), n, 1) };
  }

  // Frees the trace in C.
  destroy() {
    if (this.#t > 0) this.#mod._hl_trace_destroy(this.#t);
    this.#t = 0;
  }
}

// Returns the handle of a Trace (throws a TypeError for anything else).
export function traceHandle(trace) {
  if (!(trace instanceof Trace)) throw new TypeError('HeapLab: expected a Trace (lab.loadTrace or lab.generateTrace)');
  return trace.handle;
}

// Parses trace text in C; returns a Trace, or {error: 'name:line: message', line} (nothing kept).
export function parseTrace(mod, text, name = 'trace') {
  const label = String(name);
  if (typeof text !== 'string') return { error: `${label}:0: trace text must be a string`, line: 0 };
  const body = utf8(text);
  const tag = utf8(label);
  const p = mod._hl_input(body.length + tag.length);
  if (addr(p) === 0) return { error: `${label}:0: out of memory for the trace text`, line: 0 };
  writeBytes(mod, p, body);
  writeBytes(mod, p, tag, body.length);
  const t = mod._hl_trace_parse(body.length, tag.length);
  if (t > 0) return new Trace(mod, t);
  if (t !== -1) return { error: `${label}:0: reading the trace failed (${t})`, line: 0 };
  const len = mod._hl_text_length();
  const msg = len >= 0 ? readText(mod, mod._hl_text_ptr(), len) : `${label}:0: out of memory`;
  // "name:line: message"; C keeps at most 127 bytes of the name, so fall back to the first ":N: ".
  const m = msg.startsWith(`${label}:`) ? /^(\d+): /.exec(msg.slice(label.length + 1)) : /:(\d+): /.exec(msg);
  return { error: msg, line: m ? Number(m[1]) : 0 };
}

export class Cursor {
  #mod;
  #c;

  // Wraps cursor handle c of module mod.
  constructor(mod, c) {
    this.#mod = mod;
    this.#c = c;
  }

  // Moves the heap to step k (clamped to the trace); returns 0 or a negative code.
  seek(k) {
    return this.#c > 0 ? this.#mod._hl_cursor_seek(this.#c, Math.max(0, Math.trunc(Number(k)) || 0)) : EINVAL;
  }

  // Returns {pos, ops, checkpoints, bytes, spacing, opsApplied, restores}, or null once its trace or heap is gone.
  stats() {
    const mod = this.#mod;
    const p = this.#c > 0 ? addr(mod._hl_cursor_stats(this.#c)) : 0;
    if (!p) return null;
    const { names } = tables(mod).cursor;
    return rowObject(names, readF64(mod, p, 1, names.length));
  }

  // Frees the cursor (not its trace or heap).
  destroy() {
    if (this.#c > 0) this.#mod._hl_cursor_destroy(this.#c);
    this.#c = 0;
  }
}
