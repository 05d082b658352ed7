// run-rows.test.mjs: a long run's log on the page (model/run-rows.js) comes as
// windows of rows the engine makes again on demand (engine-core rows(), lab
// heap.rowsAt, c/wasm/run_rows_api.c): every window equals the same rows of
// the whole run's log, under every policy, at the start, the middle and the
// end, and a step's snapshot brings the window holding its op.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { EngineCore } from '../../../web/js/engine/engine-core.js';
import { FULL_COLUMN_STEPS } from '../../../web/js/engine/run-shape.js';
import { ROW_WINDOW, KEEP_WINDOWS, addRows, logRow, missingRows, hasWholeLog } from '../../../web/js/model/run-rows.js';
import { eventsAt } from '../../../web/js/model/events.js';

const require = createRequire(import.meta.url);
const HeapLab = require(new URL('../../../dist/heaplab.js', import.meta.url).pathname);
const lab = await HeapLab.load();
const SETTINGS = { policy: 'first', order: 'lifo', coalesce: true, align: 8, arena: 1 << 20 };
const N = FULL_COLUMN_STEPS + 5000;

// Returns row i of a whole log table as logRow gives it.
function wholeRow(t, i) {
  const c = t.cols;
  return { op: t.op[i], id: t.id[i], size: c.size[i], offset: c.offset[i], blockSize: c.blockSize[i], heapSize: c.heapSize[i], result: c.result[i], events: eventsAt(t.events, i) };
}

for (const policy of lab.policies) {
  test(`${policy} fit: a long run's log rows made again in windows equal the whole run's log`, () => {
    const core = new EngineCore(lab);
    const s = { ...SETTINGS, policy };
    const res = core.runScenario({ scenario: { kind: 'gen', name: 'random', seed: 9, ops: N }, settings: s });
    assert.ok(!res.error, res.error);
    const run = res.run;
    assert.equal(hasWholeLog(run), false, 'a long run is not sent whole');
    assert.deepEqual(Object.keys(run.cols), ['size']);
    // the whole log, from one replay of the run's steps with the log on
    const h = lab.createHeap({ policy, order: s.order, coalesce: true, align: 8, arenaBytes: s.arena, log: true, examineCap: run.examineCap });
    h.replay(core.trace, { verify: false });
    const whole = h.logTable();
    h.destroy();
    assert.equal(whole.n, run.n);
    // the tail that comes with the run
    addRows(run, run.tail);
    for (let i = run.n - ROW_WINDOW; i < run.n; i++) assert.deepEqual(logRow(run, i), wholeRow(whole, i), `tail row ${i}`);
    assert.equal(logRow(run, 5), null, 'a row before the tail is not at hand');
    assert.deepEqual(missingRows(run, 3, 10), [0, ROW_WINDOW]);
    // windows asked for, out of order (each made from a checkpoint of the cursor)
    for (const from of [0, 12345, 640, 19999, run.n - 700, 7]) {
      const r = core.rows(from, from + 150);
      assert.ok(!r.error, r.error);
      assert.equal(r.rows.from, from);
      assert.equal(r.rows.n, 150);
      addRows(run, r.rows);
      for (let i = from; i < from + 150; i++) assert.deepEqual(logRow(run, i), wholeRow(whole, i), `row ${i}`);
    }
    // a step's snapshot brings the window holding its op, and the heap of that step
    for (const k of [1, 64, 65, 9000, run.n]) {
      const snap = core.snapshot(k);
      assert.ok(snap.rows.from <= k - 1 && k - 1 < snap.rows.from + snap.rows.n, `window of step ${k}`);
      assert.equal(snap.stats.heapSize, whole.cols.heapSize[k - 1]);
    }
    assert.equal(core.snapshot(0).rows, undefined);
  });
}

test('rows: out-of-range asks are clamped, bad heaps refused; the window cache keeps the latest', () => {
  const core = new EngineCore(lab);
  assert.ok(core.rows(0, 5).error, 'no run');
  const res = core.runScenario({ scenario: { kind: 'gen', name: 'random', seed: 2, ops: N }, settings: SETTINGS });
  const r = core.rows(res.run.n - 3, res.run.n + 50);
  assert.equal(r.rows.n, 3);
  assert.equal(core.rows(-5, 2).rows.from, 0);
  assert.equal(core.rows(10, 5000).rows.n, 1024, 'at most MAX_ROWS rows a request');
  // the C query refuses a heap without a log, and a range past the trace
  const a = lab.createHeap({ log: false }), b = lab.createHeap({ log: false });
  assert.throws(() => a.rowsAt(b, core.trace, 0, 1), /log: true/);
  const c = lab.createHeap({ log: true });
  assert.throws(() => a.rowsAt(c, core.trace, 0, core.trace.length + 1), /failed/);
  a.destroy(); b.destroy(); c.destroy();
  const run = { n: 10000, op: new Uint8Array(10000), id: new Uint32Array(10000), cols: { size: new Uint32Array(10000) } };
  for (let w = 0; w < KEEP_WINDOWS + 5; w++) addRows(run, { ...r.rows, from: w * 3 });
  assert.equal(run.windows.length, KEEP_WINDOWS);
  assert.equal(run.windows[0].from, 15);
});

test('a short run is sent whole and read in place', () => {
  const core = new EngineCore(lab);
  const res = core.runScenario({ scenario: { kind: 'gen', name: 'random', seed: 2, ops: 300 }, settings: SETTINGS });
  assert.ok(hasWholeLog(res.run));
  assert.equal(missingRows(res.run, 0, 300), null);
  assert.equal(logRow(res.run, 12).offset, res.run.cols.offset[12]);
  assert.equal(core.snapshot(20).rows, undefined);
});

test('a log taken in part by part (RunShaper) gives the steps and tail of the whole log, and the series it was folded into', async () => {
  const { RunShaper } = await import('../../../web/js/engine/run-shape.js');
  const n = 70000;
  const col = (f) => Float64Array.from({ length: n }, (_, i) => f(i));
  const table = {
    n, op: Uint8Array.from({ length: n }, (_, i) => i % 3 === 2 ? 1 : 0), id: Uint32Array.from({ length: n }, (_, i) => i),
    cols: { size: col((i) => 8 + (i % 50)), heapSize: col((i) => 4096 + (i % 977)), liveBytes: col((i) => i % 1311), freeBytes: col((i) => (i % 7) * 16),
      largestFree: col((i) => (i % 7) * 8), freeBlocks: col((i) => (i > 41234 ? 2 : 1)), scanned: col((i) => i % 5), offset: col((i) => 16 + i), blockSize: col(() => 32), result: col(() => 0) },
    events: { n, names: ['request'], start: Uint32Array.from({ length: n + 1 }, (_, i) => i), kind: new Uint8Array(n), detail: new Uint8Array(n), a: col((i) => i), b: col(() => 0), c: col(() => 0) },
  };
  // the same table cut into parts of 25,000 rows, as drained
  const part = (from, to) => {
    const cols = {};
    for (const [k, c] of Object.entries(table.cols)) cols[k] = c.slice(from, to);
    const ev = { n: to - from, names: table.events.names, start: table.events.start.slice(from, to + 1).map((x) => x - from), kind: table.events.kind.slice(from, to), detail: table.events.detail.slice(from, to) };
    for (const k of ['a', 'b', 'c']) ev[k] = table.events[k].slice(from, to);
    return { n: to - from, op: table.op.slice(from, to), id: table.id.slice(from, to), cols, events: ev };
  };
  // the series are folded in C as each part is drained (run-steps.test.mjs checks them): here a stand-in
  const folded = { series: { live: [{ x: 1, y: 0 }] }, fragStart: 41236, maxHeap: 5072, maxId: n - 1 };
  const sh = new RunShaper({ result: () => folded });
  for (let from = 0; from < n; from += 25000) sh.add(part(from, Math.min(n, from + 25000)));
  const r = sh.result();
  for (const k of Object.keys(folded)) assert.deepEqual(r[k], folded[k], k);
  assert.deepEqual(Array.from(r.log.id), Array.from(table.id));
  assert.deepEqual(Array.from(r.log.cols.size), Array.from(table.cols.size));
  assert.equal(r.log.events, undefined);
  const run = { ...r.log };
  addRows(run, run.tail);
  assert.ok(run.tail.from <= n - ROW_WINDOW);
  assert.deepEqual(logRow(run, n - 1).events, [{ kind: 'request', detail: 0, a: n - 1, b: 0, c: 0 }]);
  assert.equal(logRow(run, n - 1).offset, 16 + n - 1);
});

test("a long run's last ops come in a slice of their own; a run that may still be short stays in one", async () => {
  const { sliceOps, TAIL_OPS, FULL_COLUMN_STEPS } = await import('../../../web/js/engine/run-shape.js');
  const slice = 50000;
  assert.equal(sliceOps(85070, 0, slice), slice, 'the first slice: nothing known yet');
  assert.equal(sliceOps(35070, 50000, slice), 35070 - TAIL_OPS, 'the rest but the last TAIL_OPS');
  assert.equal(sliceOps(TAIL_OPS, 50000 + 35070 - TAIL_OPS, slice), slice, 'then the last ops (all that is left)');
  assert.equal(sliceOps(120000, 50000, slice), slice, 'far from the end: a whole slice');
  assert.equal(sliceOps(slice + TAIL_OPS, 50000, slice), slice, 'a whole slice, then the last ops alone');
  assert.equal(sliceOps(30000, FULL_COLUMN_STEPS, slice), slice, 'rows so far could still make a short run: one part');
  // a replay's slices, as the engine takes them: the last holds TAIL_OPS ops
  const slices = [];
  for (let done = 0, n = 85070; done < n;) { const k = Math.min(n - done, sliceOps(n - done, done, slice)); slices.push(k); done += k; }
  assert.deepEqual(slices, [50000, 35070 - TAIL_OPS, TAIL_OPS]);
});
