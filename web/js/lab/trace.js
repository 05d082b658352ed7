// trace.js: a parsed trace held by C, and a cursor that moves a heap to
// any step of it.
//
// A Trace holds only a handle: the ops live in C, parsed once from text
// (lab.loadTrace, or lab.parseTraceSlices a slice at a time) or generated in place (lab.generateTrace). It is replayed
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

// Returns {error, line} from the "name:line: message" C left in the text slot.
function textSlotError(mod, label) {
  const len = mod._hl_text_length();
  const msg = len >= 0 ? readText(mod, mod._hl_text_ptr(), len) : `${label}:0: out of memory`;
  // "name:line: message"; C keeps at most 127 bytes of the name, so fall back to the first ":N: ".
  const m = msg.startsWith(`${label}:`) ? /^(\d+): /.exec(msg.slice(label.length + 1)) : /:(\d+): /.exec(msg);
  return { error: msg, line: m ? Number(m[1]) : 0 };
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
  return textSlotError(mod, label);
}

// A parse of trace text done in slices (c/wasm/trace_parse_wasm_api.c), so a caller can show
// how far it has come and stop it: more(maxBytes) parses the next slice and returns the bytes
// parsed so far (of `bytes`); end() returns what parseTrace would (a Trace, or {error, line});
// abort() drops it. Only one slice of the text is in wasm memory at a time.
// Returns the number of lines of UTF-8 bytes (newlines, plus one for a last line without one).
function lineCount(bytes) {
  let n = 0;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) n++;
  return bytes.length && bytes[bytes.length - 1] !== 10 ? n + 1 : n;
}

export class TraceParse {
  #mod;
  #p;
  #body;
  #label;
  #failed = null;

  // Starts parsing text (a string) named name in module mod; throws when C is out of memory.
  constructor(mod, text, name = 'trace') {
    this.#mod = mod;
    this.#label = String(name);
    this.#body = typeof text === 'string' ? utf8(text) : null;
    this.bytes = this.#body ? this.#body.length : 0;
    this.done = 0;
    if (!this.#body) { this.#failed = { error: `${this.#label}:0: trace text must be a string`, line: 0 }; this.#p = 0; return; }
    const tag = utf8(this.#label);
    const p = mod._hl_input(tag.length);
    if (addr(p) === 0) throw new Error('HeapLab: out of memory starting a trace parse');
    writeBytes(mod, p, tag);
    this.#p = mod._hl_trace_parse_begin(tag.length);
    if (this.#p <= 0) throw new Error(`HeapLab: starting a trace parse failed (${this.#p})`);
    mod._hl_trace_parse_reserve(this.#p, lineCount(this.#body)); // the ops array made once, never doubled
  }

  // Parses up to maxBytes more bytes (a line may end in a later slice); returns the bytes parsed
  // so far (all of them once finished or failed: end() then says which).
  more(maxBytes = 1 << 20) {
    if (this.#p <= 0 || this.#failed) return (this.done = this.bytes);
    const mod = this.#mod;
    const n = Math.min(Math.max(1, Math.trunc(maxBytes) || 1), this.bytes - this.done);
    const p = mod._hl_input(n);
    if (addr(p) === 0) { this.#failed = { error: `${this.#label}:0: out of memory for the trace text`, line: 0 }; return (this.done = this.bytes); }
    writeBytes(mod, p, this.#body.subarray(this.done, this.done + n));
    const rc = mod._hl_trace_parse_more(this.#p, n);
    if (rc === -1) this.#failed = textSlotError(mod, this.#label);
    else if (rc !== 0) this.#failed = { error: `${this.#label}:0: reading the trace failed (${rc})`, line: 0 };
    this.done = this.#failed ? this.bytes : this.done + n;
    return this.done;
  }

  // Parses what is left and returns a Trace, or {error: 'name:line: message', line} (nothing kept).
  end() {
    while (this.done < this.bytes && !this.#failed) this.more(this.bytes);
    const mod = this.#mod;
    const p = this.#p;
    this.#p = 0;
    this.#body = null;
    if (this.#failed) {
      if (p > 0) mod._hl_trace_parse_abort(p);
      return this.#failed;
    }
    const t = mod._hl_trace_parse_end(p);
    if (t > 0) return new Trace(mod, t);
    if (t !== -1) return { error: `${this.#label}:0: reading the trace failed (${t})`, line: 0 };
    return textSlotError(mod, this.#label);
  }

  // Stops the parse; nothing of it is kept.
  abort() {
    if (this.#p > 0) this.#mod._hl_trace_parse_abort(this.#p);
    this.#p = 0;
    this.#body = null;
  }
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
