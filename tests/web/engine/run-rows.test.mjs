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
  const { RunShaper, sliceOps } = await import('../../../web/js/engine/run-shape.js');
  const opts = { policy: 'fast', order: 'lifo', coalesce: true, align: 8, arenaBytes: 1 << 24, log: true, examineCap: 0 };
  for (const [n, slice] of [[70000, 25000], [FULL_COLUMN_STEPS - 7, 25000]]) {
    const t = lab.generateTrace('random', 4, n);
    const one = lab.createHeap(opts);
    one.replay(t, { verify: false });
    const whole = one.logTable();
    one.destroy();
    const h = lab.createHeap(opts);
    const series = lab.createSeries(t.length, 4000);
    const replay = h.replaySlices(t, { verify: false });
    const sh = new RunShaper(series, h, replay.length);
    const parts = [];
    for (let done = 0; done < replay.length;) {
      const was = done;
      done = replay.more(sliceOps(replay.length - done, sh.n, slice));
      parts.push(done - was);
      sh.take(done >= replay.length);
      assert.equal(sh.n, done, 'every op drained');
    }
    replay.end();
    const r = sh.result();
    const ref = lab.createSeries(t.length, 4000);
    const again = lab.createHeap(opts);
    again.replay(t, { verify: false });
    again.logDrain().drain({ events: false, fields: [], series: ref });
    assert.deepEqual(r.series, ref.result().series, `${n}: the series of the whole log`);
    for (const x of [again, ref, series, h]) x.destroy();
    t.destroy();
    if (n <= FULL_COLUMN_STEPS) { // a short run: its whole log, in one part
      assert.deepEqual(parts, [n]);
      assert.deepEqual(r.log, whole);
      continue;
    }
    assert.ok(parts.length > 2, `${n} ops in ${parts.length} parts`);
    assert.deepEqual(Array.from(r.log.op), Array.from(whole.op));
    assert.deepEqual(Array.from(r.log.id), Array.from(whole.id));
    assert.deepEqual(Array.from(r.log.cols.size), Array.from(whole.cols.size));
    assert.deepEqual(Object.keys(r.log.cols), ['size']);
    assert.equal(r.log.op.length, n, 'the steps\' columns are exactly the run (sized once)');
    assert.equal(r.log.events, undefined);
    const run = { ...r.log };
    addRows(run, run.tail);
    assert.ok(run.tail.from <= n - ROW_WINDOW);
    for (let i = run.tail.from; i < n; i++) assert.deepEqual(logRow(run, i), wholeRow(whole, i), `tail row ${i}`);
  }
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
