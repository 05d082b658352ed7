// lossless.test.js: the lossless log through the JS API (issue 16). Named
// cases for the holes found (offsets >= 2^32, realloc(0, n), direct calls
// mixed with replay(), a recorded bad call naming a live block, a failed
// alloc whose id is reused), then the property over 1,500 generated cases:
// replaying any exported log on a fresh heap with the same options gives
// the same log, byte for byte, and the same blocks (so it freed no block the
// first run kept live). tests/c/trace/test_roundtrip.c checks the same natively.
// Last, the log read into columns a chunk at a time (web/js/lab/log-columns.js): each
// column is the narrowest typed array holding every value it got, also when the values
// that need a wider one come in a later drain than the first (it widens then, keeping
// what it had), and a drained log equals the whole log read at once and heap.events().
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { heaplab, rng, randInt } = require('./helpers.js');

const { EBADPTR } = heaplab();
let labPromise;
const getLab = () => (labPromise ??= heaplab().load());

// Replays `log` on a fresh heap with `options`; returns {heap, summary, again}.
function replayLog(lab, options, log, replayOpts = {}) {
  const heap = lab.createHeap(options);
  const summary = heap.replay(log, { name: 'log.csv', ...replayOpts });
  return { heap, summary, again: heap.exportLog() };
}

// The blocks as comparable rows.
const layout = (heap) => heap.blocks().map((b) => [b.offset, b.size, b.free, b.id, b.payloadSize].join(':'));

test('a refused call at an offset of 2^32 and more is logged whole and replays refused', async () => {
  const lab = await getLab();
  const h = lab.createHeap();
  const a = h.malloc(32);
  assert.equal(h.free(2 ** 32 + a), EBADPTR);
  assert.equal(h.realloc(2 ** 32 + a, 64), EBADPTR);
  const log = h.exportLog();
  assert.match(log, /,free,-1,0,4294967304,/);
  const { heap, summary, again } = replayLog(lab, h.options, log);
  assert.equal(summary.error, 0);
  assert.equal(again, log);
  assert.equal(heap.blocks().filter((b) => !b.free).length, 1, 'the live block stays live');
});

test('realloc(0, n) and direct calls mixed with replay() give a log that replays to itself', async () => {
  const lab = await getLab();
  const h = lab.createHeap({ policy: 'best' });
  const p = h.realloc(0, 40);
  assert.ok(p > 0);
  assert.equal(h.events(0)[0].op, 'alloc', 'realloc(0, n) is logged as the malloc it is');
  h.malloc(40);
  assert.equal(h.replay(lab.generate('random', 2, 500)).error, 0);
  h.free(p);
  const log = h.exportLog();
  const { summary, again, heap } = replayLog(lab, h.options, log);
  assert.equal(summary.error, 0, `replay error ${summary.error}: ${lab.strerror(summary.error)}`);
  assert.equal(again, log);
  assert.deepEqual(layout(heap), layout(h));
});

test('a recorded bad call that names a live block is refused, verified or not', async () => {
  const lab = await getLab();
  const text = 'op,id,size,offset,result\nalloc,0,32,0,0\nalloc,1,32,0,0\nfree,-1,0,8,-4\nfree,0,0,0,0\n';
  for (const verify of [true, false]) {
    const h = lab.createHeap();
    const s = h.replay(text, { verify });
    assert.ok(s.error < 0, 'the replay reports it');
    assert.equal(s.errorOp, 2);
    assert.match(lab.strerror(s.error), /live block/);
    assert.equal(h.blocks().find((b) => b.payloadOffset === 8)?.free, false, 'block 8 stays live');
  }
});

test('a failed alloc whose id is reused: its log re-imports', async () => {
  const lab = await getLab();
  const h = lab.createHeap();
  assert.equal(h.replay('op,id,size\nalloc,1,0\nfree,1,0\nalloc,1,8\n').error, 0);
  const log = h.exportLog();
  const { summary, again } = replayLog(lab, h.options, log);
  assert.equal(summary.error, 0);
  assert.equal(again, log);
});

test('createHeap reports the arena C uses (rounded down to the alignment)', async () => {
  const lab = await getLab();
  assert.equal(lab.createHeap({ arenaBytes: 65 }).options.arenaBytes, 64);
  assert.equal(lab.createHeap({ arenaBytes: 100, align: 16 }).options.arenaBytes, 96);
});

test('property: any exported log replays to itself, byte for byte (1,500 generated cases)', async () => {
  const lab = await getLab();
  const r = rng(16);
  const pick = (list) => list[randInt(r, 0, list.length - 1)];
  const size = (arena) => pick([0, 2 ** 64, 2 ** 32, arena + randInt(r, 0, 64), randInt(r, 1, 4000), randInt(r, 1, 200), randInt(r, 1, 200)]);
  let failures = 0;
  for (let k = 0; k < 1500; k++) {
    const options = {
      policy: pick(lab.policies), order: pick(lab.orders), coalesce: r() < 0.75, align: pick(lab.aligns),
      arenaBytes: pick([256, 4096, 65536, 1 << 20]),
    };
    const h = lab.createHeap(options);
    const live = () => h.blocks().filter((b) => !b.free).map((b) => b.payloadOffset);
    const anyLive = () => pick([0, ...live()]);
    const bad = () => {
      const a = anyLive();
      const freed = h.blocks().filter((b) => b.free).map((b) => b.payloadOffset);
      return pick([a + 8, a + 1, 2 ** 32 + a, 2 ** 53, pick([0, ...freed]), randInt(r, 0, 600), -8, NaN]);
    };
    const calls = randInt(r, 5, 40);
    for (let i = 0; i < calls; i++) {
      const c = randInt(r, 0, 12);
      if (c <= 2) h.malloc(size(options.arenaBytes));
      else if (c === 3) h.calloc(pick([0, 3, 2 ** 40]), size(options.arenaBytes));
      else if (c <= 5) h.free(anyLive());
      else if (c === 6) h.realloc(anyLive(), size(options.arenaBytes));
      else if (c === 7) h.free(bad());
      else if (c === 8) h.realloc(bad(), size(options.arenaBytes));
      else if (c === 9) h.realloc(0, size(options.arenaBytes));
      else if (c === 10 && r() < 0.3) h.replay(lab.generate(pick(lab.scenarios), randInt(r, 0, 999), randInt(r, 1, 30)), { verify: r() < 0.5 });
      else if (c === 11 && r() < 0.3) {
        h.replay(`op,id,size,offset,result\nalloc,0,${size(options.arenaBytes)},0,${pick([0, -2])}\nalloc,1,24,0,0\n` +
          `free,-1,0,${Math.max(1, bad() || 1)},-4\nrealloc,1,${randInt(r, 1, 300)},0,0\nfree,1,0,0,0\n`);
      } else h.malloc(randInt(r, 1, 100));
    }
    const log = h.exportLog();
    const { heap, summary, again } = replayLog(lab, options, log);
    const ok = !summary.error && summary.error !== undefined && again === log && layout(heap).join() === layout(h).join();
    if (!ok && failures++ < 2) console.error(`case ${k}: ${JSON.stringify(summary)}\n--- log:\n${log}--- again:\n${again}`);
    heap.destroy();
    h.destroy();
  }
  assert.equal(failures, 0, `${failures} of 1500 cases did not replay to themselves`);
});

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

test('one drain sizes every column exactly by the records C holds (no guess of events per op)', async () => {
  const lab = await heaplab().load();
  const h = lab.createHeap({ policy: 'first', arenaBytes: 1 << 24 });
  const p = [];
  for (let i = 0; i < 3000; i++) p.push(h.malloc(16 + (i % 40) * 8));
  for (let i = 0; i < 3000; i += 2) h.free(p[i]);
  const drain = h.logDrain({ ops: 4500 }); // the hint the engine once gave (columns were then ops + 1 and 4 events per op)
  assert.equal(drain.drain(), 4500);
  const t = drain.table();
  const events = t.events.kind.length;
  assert.ok(events > 4500 && events < 4 * 4500, `${events} events`);
  const exact = (a, n, name) => assert.equal(a.buffer.byteLength, n * a.BYTES_PER_ELEMENT, `${name}: ${a.buffer.byteLength} bytes for ${n} values`);
  for (const [k, col] of Object.entries(t.cols)) exact(col, 4500, k);
  exact(t.op, 4500, 'op');
  exact(t.id, 4500, 'id');
  for (const k of ['kind', 'detail', 'a', 'b', 'c']) exact(t.events[k], events, `events.${k}`);
  h.destroy();
});

test('a drain without events moves the op records only, and the log in C is emptied all the same', async () => {
  const lab = await heaplab().load();
  const whole = play(lab, () => {});
  const expect = whole.logTable();
  let drain = null, parts = 0;
  const drained = play(lab, (h) => { if (!drain) drain = h.logDrain(); drain.drain({ events: ++parts === 3 }); });
  const got = drain.table();
  assert.equal(got.events, null, 'a part without events has none (never a start pointing nowhere)');
  assert.equal(got.n, expect.n);
  for (const [k, col] of Object.entries(expect.cols)) assert.deepEqual(Array.from(got.cols[k]), Array.from(col), k);
  assert.deepEqual(Array.from(got.op), Array.from(expect.op));
  assert.deepEqual(Array.from(got.id), Array.from(expect.id));
  assert.equal(drained.logTable().n, 0, 'C holds nothing after the drains');
  const last = drained.logDrain();
  drained.malloc(8);
  last.drain();
  assert.equal(last.table().events.kind.length, expect.events.kind.length > 0 ? last.table().events.start[1] : 0, 'a drain with events still has them');
  whole.destroy();
  drained.destroy();
});

test('a drain of some fields moves only those (and op, id), equal to the whole log, and empties C', async () => {
  const lab = await heaplab().load();
  const whole = play(lab, () => {});
  const expect = whole.logTable();
  const fields = ['size', 'heapSize', 'freeBlocks'];
  let drain = null;
  const drained = play(lab, (h) => { if (!drain) drain = h.logDrain(); drain.drain({ events: false, fields }); });
  const got = drain.table();
  assert.deepEqual(Object.keys(got.cols).sort(), [...fields].sort(), 'only the fields asked for (never an empty column for one left out)');
  assert.equal(got.events, null);
  assert.equal(got.n, expect.n);
  for (const k of fields) {
    assert.equal(got.cols[k].constructor, expect.cols[k].constructor, k);
    assert.deepEqual(Array.from(got.cols[k]), Array.from(expect.cols[k]), k);
  }
  assert.deepEqual(Array.from(got.op), Array.from(expect.op));
  assert.deepEqual(Array.from(got.id), Array.from(expect.id));
  assert.equal(drained.logTable().n, 0, 'C holds nothing after the drains');
  // the next drain of the same heap with every field is whole again (a new LogDrain)
  const all = drained.logDrain();
  drained.malloc(24);
  all.drain();
  assert.ok('offset' in all.table().cols && all.table().events.kind.length > 0);
  whole.destroy();
  drained.destroy();
});
