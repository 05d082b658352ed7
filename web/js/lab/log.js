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
// order come from C (tables.js, log-columns.js). `kind` is the log's name (request, scan,
// split, place, extend, free, coalesce, realloc, fail); detail/a/b/c mean
// what c/log/event_log.h says, except that a `fail` event's `a` is the
// (negative) error code, not its uint32 bits. C copies records into tables
// a chunk at a time (rows for events(), columns for logTable()), so a long log
// never needs one huge table.

import { LogColumns, refuseSkippedEvents } from './log-columns.js';
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

// The op records' and the events' tables, as eachChunk reads them.
const opRows = (mod) => ({ stride: tables(mod).op.stride, count: mod._hl_log_op_count, fill: mod._hl_log_ops, ptr: mod._hl_ops_ptr, read: readF64 });
const eventRows = (mod) => ({ stride: tables(mod).event.stride, count: mod._hl_log_event_count, fill: mod._hl_log_events, ptr: mod._hl_events_ptr, read: readU32 });
const eachOpChunk = (mod, h, start, fn) => eachChunk(mod, h, start, opRows(mod), fn);
const eachEventChunk = (mod, h, start, fn) => eachChunk(mod, h, start, eventRows(mod), fn);

// Returns the op records from index `since` on (see the top of this file).
export function readEvents(mod, h, since) {
  refuseSkippedEvents(mod, h);
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
  const c = new LogColumns(mod);
  c.read(h);
  return c.table(eventKindNames(mod));
}

// A generator reading the log as columns a chunk at a time: it yields the fraction done
// (0..1) after each chunk, so a caller can report progress or stop, and returns the table.
export function* logTableSteps(mod, h) {
  const c = new LogColumns(mod);
  yield* c.readSteps(h);
  return c.table(eventKindNames(mod));
}

// A heap's log read while it is written: drain() appends every record C holds now to
// JS columns (log-columns.js: one typed-array copy per field and chunk) and empties C's
// log, so a 3,000,000-op run never holds its whole log in linear memory and in columns
// at once; table() returns the columns of everything drained, the shape readLogTable
// gives (call drain between ops, never inside one).
export class LogDrain {
  constructor(mod, h) {
    this.mod = mod;
    this.h = h;
    this.columns = new LogColumns(mod); // sized at each drain by what C holds
  }

  // Reads the log C holds now into the columns and empties it; returns the ops read.
  // events: false moves the op records only (this part's events are dropped with C's
  // log, or were never logged: heap.js replaySlices; table() then has events: null), for a
  // caller that will not show them (events: true of a log that skipped some is refused); fields:
  // the op fields to move (null: all; op and id always), the table has only those;
  // series: a RunSeries (series.js) the records are folded into first, in C; clear: false
  // leaves C's log as it was (another drain reads it next: the engine's last slice, read for
  // its steps and then whole).
  drain({ events = true, fields = null, series = null, clear = true } = {}) {
    if (series) series.fold(this.h);
    const before = this.columns.ops;
    this.columns.read(this.h, { events, fields });
    const n = this.columns.ops - before;
    if (n === 0 || !clear) return n;
    const rc = this.mod._hl_log_clear(this.h);
    if (rc !== 0) throw new Error(`HeapLab: clearing the log failed (${rc})`);
    return n;
  }

  // Sizes the columns for `ops` records in all, of the op fields `fields` (null: all; see
  // LogColumns.reserve): for a drain that knows its run's length.
  reserve(ops, fields = null) {
    this.columns.reserve(ops, fields);
  }

  // Returns the whole table (see readLogTable) of what was drained.
  table() {
    return this.columns.table(eventKindNames(this.mod));
  }
}
