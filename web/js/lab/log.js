// log.js: the event log of a heap as JS objects.
//
// heap.events(since) returns one array with an entry per op record from
// index `since` (0-based, = the record's seq) to the end of the log:
//
//   { seq, op: 'alloc'|'free'|'realloc'|'calloc', id, size, offset,
//     blockSize, scanned, heapSize, liveBytes, freeBytes, largestFree,
//     result,                         // payload offset, 0 (good free) or HEAP_E* code
//     events: [ { kind, detail, a, b, c }, ... ] }
//
// `kind` is the logger's name (request, scan, split, place, extend, free,
// coalesce, realloc, fail); detail/a/b/c mean what logger.h says, except
// that a `fail` event's `a` is the (negative) error code, not its uint32 bits.
// C copies records into tables a chunk at a time, so a long log never needs
// one huge table.

import { readF64, readNames, readU32 } from './memory.js';

const OP_STRIDE = 13;
const EVENT_STRIDE = 6;
const CHUNK = 8192;
const OP_NAMES = ['alloc', 'free', 'realloc', 'calloc']; // enum log_op (the CSV writes calloc as alloc)
const EV_FAIL = 8;

let eventNames = null;

// Returns the logger's event-kind names, read once from C.
export function eventKindNames(mod) {
  if (!eventNames) eventNames = readNames(mod, mod._hl_event_name, EV_FAIL + 1);
  return eventNames;
}

// Returns the op records from index `since` on (see the top of this file).
export function readEvents(mod, h, since) {
  const nOps = mod._hl_log_op_count(h);
  const start = Number.isInteger(since) && since > 0 ? since : 0;
  if (start >= nOps) return [];
  const names = eventKindNames(mod);
  const ops = [];
  let firstEvent = 0;
  for (let i = start; i < nOps; i += CHUNK) {
    const n = mod._hl_log_ops(h, i, CHUNK);
    if (n < 0) throw new Error(`HeapLab: reading the log failed (${n})`);
    const t = readF64(mod, mod._hl_ops_ptr(), n, OP_STRIDE);
    if (i === start) firstEvent = t[11];
    for (let k = 0, r = 0; k < n; k++, r += OP_STRIDE) {
      ops.push({
        seq: t[r], op: OP_NAMES[t[r + 1]] ?? String(t[r + 1]), id: t[r + 2], size: t[r + 3], offset: t[r + 4],
        blockSize: t[r + 5], scanned: t[r + 6], heapSize: t[r + 7], liveBytes: t[r + 8], freeBytes: t[r + 9],
        largestFree: t[r + 10], result: t[r + 12], events: [],
      });
    }
  }
  const nEvents = mod._hl_log_event_count(h);
  for (let i = firstEvent; i < nEvents; i += CHUNK) {
    const n = mod._hl_log_events(h, i, CHUNK);
    if (n < 0) throw new Error(`HeapLab: reading the log failed (${n})`);
    const t = readU32(mod, mod._hl_events_ptr(), n, EVENT_STRIDE);
    for (let k = 0, r = 0; k < n; k++, r += EVENT_STRIDE) {
      const kind = t[r + 1];
      ops[t[r] - start].events.push({
        kind: names[kind] ?? String(kind), detail: t[r + 2], a: kind === EV_FAIL ? t[r + 3] | 0 : t[r + 3],
        b: t[r + 4], c: t[r + 5],
      });
    }
  }
  return ops;
}
