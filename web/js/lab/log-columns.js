// log-columns.js: a heap's event log read into JS columns, a whole field of a chunk at a
// time. C fills one region per field (c/wasm/log_wasm_api.c hl_log_op_columns,
// hl_log_event_columns: the fields' names and types come from hl_op_columns /
// hl_event_columns) and says, for each field it writes as doubles, which typed array
// holds the chunk exactly, writing it as that array's words (for its u64 and i64 fields); JS appends each region
// with one typed-array copy of integers (no loop over records, and no conversion from
// doubles, which V8 does 30-50x slower than integer copies), so draining a
// 3,000,000-op log costs a few copies per 64k records.
//
// Each column is the narrowest of Uint32Array, Int32Array and Float64Array that holds
// every value it got (what log.js's readEvents callers and the page's model expect):
// Uint32Array while every value is in [0, 2^32), Int32Array when some are negative and
// all are in [-2^31, 2^31), else Float64Array. The op kind and the events' kind and
// detail are Uint8Arrays.

import { addr, readCString } from './memory.js';

const CHUNK = 65536; // records per call into C
// enum column_kind (c/wasm/log_wasm_api.c): which typed array holds a chunk exactly
const U31 = 0, U32 = 1, I32 = 2, F64 = 3;
const TYPE_OF_KIND = [Uint32Array, Uint32Array, Int32Array, Float64Array];
const BYTES = new Set(['op', 'kind', 'detail']); // small enums: Uint8Array columns

const layouts = new WeakMap();

// Throws when heap h's log holds op records made without their events (heap.js
// replaySlices' more(count, {events: false})): their empty event ranges are not "no events".
export function refuseSkippedEvents(mod, h) {
  const skipped = mod._hl_log_events_skipped(h);
  if (skipped > 0) throw new RangeError(`HeapLab: ${skipped} op records of this log were made without their events`);
}

// Returns the op fields a read of `fields` fills (null: all), as a Set ('op' and 'id' always), or null.
const wanted = (fields) => fields && new Set(['op', 'id', ...fields]);

// Returns {op, event}: each a list of {name, wide} in the order of C's regions, read once.
function layout(mod) {
  let l = layouts.get(mod);
  if (!l) {
    const read = (fn) => readCString(mod, fn()).split(',').filter(Boolean).map((f) => {
      const [name, type] = f.split(':');
      return { name, wide: type !== 'u32' }; // u64, i64: C says each chunk's kind
    });
    layouts.set(mod, (l = { op: read(mod._hl_op_columns), event: read(mod._hl_event_columns) }));
  }
  return l;
}

// Returns the kind holding values of kinds a and b.
function join(a, b) {
  if (a === b || b === U31) return a;
  if (a === U31) return b;
  return F64; // U32 with I32, or anything with F64
}

// A growing column: appended a chunk at a time, its array widened when a chunk needs it.
class Column {
  constructor(fixed) {
    this.fixed = fixed; // a typed array type it always is, or null (narrowest, by kind)
    this.kind = U31;
    this.a = new (fixed || Uint32Array)(0);
    this.n = 0;
  }

  // Makes room for `need` values in all: exactly that many the first time (a drain
  // knows how many records it reads), doubling after (a log drained again and again).
  reserve(need) {
    if (need <= this.a.length) return;
    const a = new this.a.constructor(this.a.length ? Math.max(need, this.a.length * 2) : need);
    a.set(this.a.subarray(0, this.n));
    this.a = a;
  }

  // Appends the m values of src (a view of C's region), whose kind is `kind`.
  append(src, kind) {
    const k = this.fixed ? U31 : join(this.kind, kind);
    const Type = this.fixed || TYPE_OF_KIND[k];
    const need = this.n + src.length;
    if (!(this.a instanceof Type) || need > this.a.length) {
      const a = new Type(Math.max(need, this.a.length * (need > this.a.length ? 2 : 1)));
      a.set(this.a.subarray(0, this.n)); // exact: the new type holds every earlier value
      this.a = a;
    }
    this.a.set(src, this.n);
    this.n = need;
    this.kind = k;
  }

  // Returns the values: an array of exactly n, a view of the column's own buffer (not a
  // copy: the pages of its unused capacity were never touched, so they cost no memory).
  values() {
    return this.a.length === this.n ? this.a : this.a.subarray(0, this.n);
  }
}

// The log's records and events read so far, as columns. Each read sizes the columns
// for the records and events C holds before copying any, so a single read allocates
// each column once and exactly (the page drains a slice's log once: a guess of 4
// events per op, zero-filled and then mostly garbage, had cost ~20% of the drain);
// later reads grow them (doubling).
export class LogColumns {
  constructor(mod) {
    this.mod = mod;
    this.layout = layout(mod);
    const cols = (fields) => Object.fromEntries(fields.map((f) => [f.name, new Column(BYTES.has(f.name) ? Uint8Array : f.wide ? null : Uint32Array)]));
    this.opCols = cols(this.layout.op);
    this.eventCols = cols(this.layout.event);
    this.ops = 0;
    this.events = 0;
    this.eventsLeft = false; // a read left events out: the table has none
    this.fieldsLeft = new Set(); // op fields a read left out: the table has none of them
  }

  // Appends m records of C's column table (fields `fields`, those whose bit is set in mask) to `into`.
  #take(fields, into, m, mask = -1) {
    const mod = this.mod;
    const base = addr(mod._hl_columns_ptr());
    const stride = mod._hl_columns_stride();
    const kinds = mod.HEAPU32.subarray(addr(mod._hl_column_kinds_ptr()) >>> 2);
    fields.forEach((f, c) => {
      if (!((mask >>> c) & 1)) return;
      const at = base + c * stride;
      // a wide column comes as the words of its chunk's kind (doubles only for F64)
      const kind = f.wide ? kinds[c] : U31;
      const src = kind === F64 ? mod.HEAPF64.subarray(at >>> 3, (at >>> 3) + m)
        : (kind === I32 ? mod.HEAP32 : mod.HEAPU32).subarray(at >>> 2, (at >>> 2) + m);
      into[f.name].append(src, kind);
    });
  }

  // Sizes the op columns a read of `fields` fills (null: all; 'op' and 'id' always) for `ops`
  // records in all: a reader that knows its run's length allocates each column once, exactly,
  // and never copies it to grow (a fresh typed array costs ~0.4 us per KB here to touch).
  reserve(ops, fields = null) {
    const want = wanted(fields);
    for (const [name, c] of Object.entries(this.opCols)) if (!want || want.has(name)) c.reserve(ops);
  }

  // Reads heap h's whole log (as C holds it now) into the columns, a chunk at a time,
  // yielding the fraction of this read done after each chunk. events: false reads the op
  // records only (a caller that will not look at this part's events: a long run's parts
  // but its last, in the page's engine); the table then has no events (null). fields: the
  // op fields to read (null: all), for such a caller too ('op' and 'id' are always read;
  // C neither fills nor JS copies the others, and the table has none of them).
  * readSteps(h, { events = true, fields = null } = {}) {
    const mod = this.mod;
    let mask = -1;
    if (fields) {
      const want = wanted(fields);
      mask = 0;
      this.layout.op.forEach((f, c) => { if (want.has(f.name)) mask |= 1 << c; else this.fieldsLeft.add(f.name); });
    }
    const n = mod._hl_log_op_count(h), total = events ? mod._hl_log_event_count(h) : 0;
    if (events) refuseSkippedEvents(mod, h);
    else if (mod._hl_log_event_count(h) > 0 || mod._hl_log_events_skipped(h) > 0) this.eventsLeft = true;
    const work = Math.max(1, n + total);
    for (const [name, c] of Object.entries(this.opCols)) if (!this.fieldsLeft.has(name)) c.reserve(this.ops + n);
    if (events) for (const c of Object.values(this.eventCols)) c.reserve(this.events + total);
    for (let i = 0; i < n; i += CHUNK) {
      const m = mod._hl_log_op_columns(h, i, CHUNK, this.events, mask);
      if (m < 0) throw new Error(`HeapLab: reading the log failed (${m})`);
      this.#take(this.layout.op, this.opCols, m, mask);
      yield (i + m) / work;
    }
    for (let i = 0; i < total; i += CHUNK) {
      const m = mod._hl_log_event_columns(h, i, CHUNK);
      if (m < 0) throw new Error(`HeapLab: reading the log failed (${m})`);
      this.#take(this.layout.event, this.eventCols, m);
      yield (n + i + m) / work;
    }
    this.ops += n;
    this.events += total;
  }

  // Reads heap h's whole log into the columns.
  read(h, options) {
    for (const _ of this.readSteps(h, options)); // eslint-disable-line no-unused-vars
  }

  // Returns the table of everything read (the shape of log.js's readLogTable; events null
  // when a read left some out, and no column for a field a read left out).
  table(names) {
    const { opCols: o, eventCols: e } = this;
    const cols = {};
    for (const { name } of this.layout.op) if (!['op', 'id', 'firstEvent'].includes(name) && !this.fieldsLeft.has(name)) cols[name] = o[name].values();
    let events = null;
    if (!this.eventsLeft && !this.fieldsLeft.has('firstEvent')) {
      const start = new Uint32Array(this.ops + 1);
      start.set(o.firstEvent.a.subarray(0, this.ops));
      start[this.ops] = this.events;
      events = { n: this.ops, names, start, kind: e.kind.values(), detail: e.detail.values(), a: e.a.values(), b: e.b.values(), c: e.c.values() };
    }
    return { n: this.ops, op: o.op.values(), id: o.id.values(), cols, events };
  }
}
