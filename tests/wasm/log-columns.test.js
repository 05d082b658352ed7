// log-columns.test.js: the log read into columns a chunk at a time (web/js/lab/log-columns.js,
// C's hl_log_op_columns / hl_log_event_columns). Each column is the narrowest typed array
// holding every value it got, also when the values that need a wider one come in a later
// drain than the first (the column widens then, keeping what it had), and a drained log
// equals the same log read whole, field by field, and the per-op objects heap.events() gives.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { heaplab } = require('./helpers.js');

// Runs the same calls on a heap, calling between(h) after each group of calls; returns the heap.
function play(lab, between) {
  const h = lab.createHeap({ policy: 'first', arenaBytes: 1 << 24 });
  const p = [];
  for (let i = 0; i < 300; i++) p.push(h.malloc(16 + (i % 40) * 8));
  between(h); // drain 1: every value so far fits 31 bits
  for (let i = 0; i < 300; i += 2) h.free(p[i]);
  h.free(p[1] + 8); // refused: a negative result (Int32), a fail event with a negative `a`
  between(h); // drain 2
  h.malloc(2 ** 33); // refused: a size of 2^33 (Float64)
  h.malloc(2 ** 31 + 8); // refused too big for this arena: a size in [2^31, 2^32)
  for (let i = 1; i < 300; i += 2) h.free(p[i]);
  between(h); // drain 3
  return h;
}

test('columns widen across drains and equal the whole log read at once', async () => {
  const lab = await heaplab().load();
  const whole = play(lab, () => {});
  const expect = whole.logTable();
  const objects = whole.events(0);
  let drain = null;
  const drained = play(lab, (h) => { if (!drain) drain = h.logDrain({ ops: 4 }); drain.drain(); }); // a hint too small: columns grow
  const got = drain.table();
  assert.equal(got.n, expect.n);
  assert.equal(got.n, objects.length);
  // the narrowest array for each set of values
  assert.ok(got.cols.result instanceof Int32Array, got.cols.result.constructor.name);
  assert.ok(got.cols.size instanceof Float64Array, got.cols.size.constructor.name);
  assert.ok(got.cols.blockSize instanceof Uint32Array && got.op instanceof Uint8Array && got.events.kind instanceof Uint8Array);
  assert.ok(got.events.a instanceof Int32Array, got.events.a.constructor.name);
  for (const [k, col] of Object.entries(expect.cols)) {
    assert.equal(got.cols[k].constructor, col.constructor, k);
    assert.deepEqual(Array.from(got.cols[k]), Array.from(col), k);
  }
  for (const k of ['start', 'kind', 'detail', 'a', 'b', 'c']) assert.deepEqual(Array.from(got.events[k]), Array.from(expect.events[k]), `events.${k}`);
  assert.deepEqual(Array.from(got.id), Array.from(expect.id));
  // and the values are the records' own (heap.events() reads C's rows, not its columns)
  const fail = got.events.names.indexOf('fail');
  objects.forEach((o, i) => {
    assert.equal(got.cols.size[i], o.size, `size ${i}`);
    assert.equal(got.cols.result[i], o.result, `result ${i}`);
    assert.equal(got.events.start[i + 1] - got.events.start[i], o.events.length, `events of ${i}`);
    o.events.forEach((e, j) => { if (e.kind === 'fail') assert.equal(got.events.a[got.events.start[i] + j], e.a); });
  });
  assert.ok(got.events.kind.includes(fail));
  assert.ok(objects.some((o) => o.size === 2 ** 33 && o.result < 0));
  whole.destroy();
  drained.destroy();
});
