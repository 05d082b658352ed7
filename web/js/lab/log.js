// log.js: the event log of a heap, read from the tables C fills.
//
// heap.events(since) returns one array with an entry per op record from
// index `since` (0-based, = the record's seq) to the end of the log:
//
//   { seq, op: 'alloc'|'free'|'realloc'|'calloc', id, size, offset,
//     blockSize, scanned, heapSize, liveBytes, freeBytes, largestFree,
//     freeBlocks, result,             // payload offset, 0 (good free) or HEAP_E* code
//     events: [ { kind, detail, a, b, c }, ... ] }
//
// heap.logTable() returns the same log as columns, for a long run:
//
//   { n, op: Uint8Array, id,
//     cols: { size, offset, blockSize, ..., freeBlocks, result },   // the narrowest typed array holding each (Column)
//     events: { n, names, start: Uint32Array(n + 1), kind, detail: Uint8Array, a, b, c } }   // a, b, c, id: Columns too
//
// (`names`: the event kinds' names, index = kind)
//
// and op i's events are start[i] .. start[i + 1]. The record fields and their
// order come from C (tables.js). `kind` is the log's name (request, scan,
// split, place, extend, free, coalesce, realloc, fail); detail/a/b/c mean
// what c/log/event_log.h says, except that a `fail` event's `a` is the
// (negative) error code, not its uint32 bits. C copies records into tables
// a chunk at a time, so a long log never needs one huge table.

import { readF64, readNames, readU32 } from './memory.js';
import { tables } from './tables.js';

const CHUNK = 8192;
const OP_NAMES = ['alloc', 'free', 'realloc', 'calloc']; // enum log_op (the CSV writes calloc as alloc)

const kindNames = new WeakMap();

// Returns the log's event-kind names, read once from C (index = kind).
export function eventKindNames(mod) {
  let names = kindNames.get(mod);
  if (!names) kindNames.set(mod, (names = readNames(mod, mod._hl_event_name)));
  return names;
}

// Calls fn(rowTable, firstIndex, count) for each chunk of a log table from `start`: `which`
// is tables(mod).op or .event with C's count, fill and pointer functions for it.
function eachChunk(mod, h, start, { stride, count, fill, ptr, read }, fn) {
  const total = count(h);
  for (let i = start; i < total; i += CHUNK) {
    const n = fill(h, i, CHUNK);
    if (n < 0) throw new Error(`HeapLab: reading the log failed (${n})`);
    fn(read(mod, ptr(), n, stride), i, n);
  }
}

// A column of n numbers in the narrowest typed array that holds them: a Uint32Array
// until a value does not fit, then an Int32Array (negative error codes) or a
// Float64Array, so a 3,000,000-op log costs the page half the memory of doubles.
class Column {
  constructor(n) { this.a = new Uint32Array(n); }

  // Stores v at i, widening the array when it cannot hold v exactly.
  put(i, v) {
    const a = this.a;
    a[i] = v;
    if (a[i] !== v && !(a instanceof Float64Array)) this.widen(i, v);
  }

  // Replaces the array by a wider one holding v at i and every value before it.
  widen(i, v) {
    let a = this.a;
    const int32 = a instanceof Uint32Array && (v | 0) === v && a.subarray(0, i).every((x) => x < 2 ** 31);
    a = int32 ? new Int32Array(a.buffer.slice(0)) : Float64Array.from(a);
    a[i] = v;
    if (a[i] !== v) { a = Float64Array.from(a); a[i] = v; }
    this.a = a;
  }
}

// Yields [rowTable, firstIndex, count] for each chunk of a log table (as eachChunk, from 0).
function* chunksOf(mod, h, { stride, count, fill, ptr, read }) {
  const total = count(h);
  for (let i = 0; i < total; i += CHUNK) {
    const n = fill(h, i, CHUNK);
    if (n < 0) throw new Error(`HeapLab: reading the log failed (${n})`);
    yield [read(mod, ptr(), n, stride), i, n];
  }
}

// The op records' and the events' tables, as eachChunk reads them.
const opRows = (mod) => ({ stride: tables(mod).op.stride, count: mod._hl_log_op_count, fill: mod._hl_log_ops, ptr: mod._hl_ops_ptr, read: readF64 });
const eventRows = (mod) => ({ stride: tables(mod).event.stride, count: mod._hl_log_event_count, fill: mod._hl_log_events, ptr: mod._hl_events_ptr, read: readU32 });
const eachOpChunk = (mod, h, start, fn) => eachChunk(mod, h, start, opRows(mod), fn);
const eachEventChunk = (mod, h, start, fn) => eachChunk(mod, h, start, eventRows(mod), fn);

// Returns the op records from index `since` on (see the top of this file).
export function readEvents(mod, h, since) {
  const start = Number.isInteger(since) && since > 0 ? since : 0;
  if (start >= mod._hl_log_op_count(h)) return [];
  const { op: OP, event: EV } = tables(mod);
  const names = eventKindNames(mod);
  const fail = names.indexOf('fail');
  const fields = OP.names.filter((f) => f !== 'firstEvent');
  const ops = [];
  let firstEvent = -1;
  eachOpChunk(mod, h, start, (t, i, n) => {
    if (firstEvent < 0) firstEvent = t[OP.at.firstEvent];
    for (let k = 0, r = 0; k < n; k++, r += OP.stride) {
      const rec = {};
      for (const f of fields) rec[f] = t[r + OP.at[f]];
      rec.op = OP_NAMES[rec.op] ?? String(rec.op);
      rec.events = [];
      ops.push(rec);
    }
  });
  const e = EV.at;
  eachEventChunk(mod, h, firstEvent, (t, i, n) => {
    for (let k = 0, r = 0; k < n; k++, r += EV.stride) {
      const kind = t[r + e.kind];
      ops[t[r + e.op] - start].events.push({
        kind: names[kind] ?? String(kind), detail: t[r + e.detail], a: kind === fail ? t[r + e.a] | 0 : t[r + e.a],
        b: t[r + e.b], c: t[r + e.c],
      });
    }
  });
  return ops;
}

// Returns the whole log as columns (see the top of this file).
export function readLogTable(mod, h) {
  const steps = logTableSteps(mod, h);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

// A generator reading the log as columns a chunk at a time: it yields the fraction done
// (0..1) after each chunk, so a caller can report progress or stop, and returns the table.
export function* logTableSteps(mod, h) {
  const { op: OP, event: EV } = tables(mod);
  const n = mod._hl_log_op_count(h);
  const op = new Uint8Array(n), ids = new Column(n), cols = {};
  const colNames = OP.names.filter((f) => !['seq', 'op', 'id', 'firstEvent'].includes(f));
  const total = mod._hl_log_event_count(h);
  const start = new Uint32Array(n + 1);
  const dst = colNames.map(() => new Column(n));
  const src = colNames.map((f) => OP.at[f]);
  const { stride } = OP;
  const [aOp, aId, aFirst] = [OP.at.op, OP.at.id, OP.at.firstEvent];
  const work = Math.max(1, n + total);
  for (const [t, i, m] of chunksOf(mod, h, opRows(mod))) {
    for (let k = 0, r = 0; k < m; k++, r += stride) {
      op[i + k] = t[r + aOp];
      ids.put(i + k, t[r + aId]);
      start[i + k] = t[r + aFirst];
    }
    for (let c = 0; c < dst.length; c++) {
      const col = dst[c];
      for (let k = 0, r = src[c]; k < m; k++, r += stride) col.put(i + k, t[r]);
    }
    yield (i + m) / work;
  }
  colNames.forEach((f, c) => { cols[f] = dst[c].a; });
  const id = ids.a;
  start[n] = total;
  const [A, B, C] = [new Column(total), new Column(total), new Column(total)];
  const events = { n, names: eventKindNames(mod), start, kind: new Uint8Array(total), detail: new Uint8Array(total) };
  const fail = eventKindNames(mod).indexOf('fail');
  const { kind: aKind, detail: aDetail, a: aA, b: aB, c: aC } = EV.at;
  const { kind: K, detail: D } = events;
  const es = EV.stride;
  for (const [t, i, m] of chunksOf(mod, h, eventRows(mod))) {
    for (let k = 0, r = 0, j = i; k < m; k++, r += es, j++) {
      const kind = t[r + aKind];
      K[j] = kind;
      D[j] = t[r + aDetail];
      A.put(j, kind === fail ? t[r + aA] | 0 : t[r + aA]);
      B.put(j, t[r + aB]);
      C.put(j, t[r + aC]);
    }
    yield (n + i + m) / work;
  }
  Object.assign(events, { a: A.a, b: B.a, c: C.a });
  return { n, op, id, cols, events };
}

// Returns one typed array holding the arrays of `parts` end to end: the narrowest of
// Uint32Array, Int32Array and Float64Array that holds every value exactly (as Column does).
function joined(parts) {
  const n = parts.reduce((m, a) => m + a.length, 0);
  let Type = Uint32Array;
  if (parts.some((a) => a instanceof Float64Array)) Type = Float64Array;
  else if (parts.some((a) => a instanceof Int32Array)) {
    Type = parts.every((a) => a instanceof Int32Array || a.every((x) => x < 2 ** 31)) ? Int32Array : Float64Array;
  }
  const out = new Type(n);
  let at = 0;
  for (const a of parts) { out.set(a, at); at += a.length; }
  return out;
}

// A heap's log read while it is written: drain() moves every record C holds now into
// JS columns and empties C's log, so a 3,000,000-op run never holds its whole log in
// linear memory and in columns at once; table() returns the columns of everything
// drained, the shape readLogTable gives (call drain between ops, never inside one).
export class LogDrain {
  constructor(mod, h) {
    this.mod = mod;
    this.h = h;
    this.parts = [];
    this.ops = 0;
    this.events = 0;
  }

  // Reads the log C holds now into a part of the table and empties it; returns the ops read.
  drain() {
    const t = readLogTable(this.mod, this.h);
    if (t.n === 0) return 0;
    this.parts.push({ t, evBase: this.events });
    this.ops += t.n;
    this.events += t.events.kind.length;
    const rc = this.mod._hl_log_clear(this.h);
    if (rc !== 0) throw new Error(`HeapLab: clearing the log failed (${rc})`);
    return t.n;
  }

  // Returns the whole table (see readLogTable) of what was drained.
  table() {
    if (!this.parts.length) return readLogTable(this.mod, this.h); // nothing drained: the (empty) log's own columns
    const ts = this.parts.map((p) => p.t);
    const n = this.ops;
    const cols = {};
    for (const f of Object.keys(ts.length ? ts[0].cols : {})) cols[f] = joined(ts.map((t) => t.cols[f]));
    const op = new Uint8Array(n);
    const start = new Uint32Array(n + 1);
    const kind = new Uint8Array(this.events), detail = new Uint8Array(this.events);
    let at = 0;
    for (const { t, evBase } of this.parts) {
      op.set(t.op, at);
      for (let i = 0; i < t.n; i++) start[at + i] = t.events.start[i] + evBase;
      kind.set(t.events.kind, evBase);
      detail.set(t.events.detail, evBase);
      at += t.n;
    }
    start[n] = this.events;
    const ev = (k) => joined(ts.map((t) => t.events[k]));
    const events = { n, names: eventKindNames(this.mod), start, kind, detail, a: ev('a'), b: ev('b'), c: ev('c') };
    return { n, op, id: joined(ts.map((t) => t.id)), cols, events };
  }
}
