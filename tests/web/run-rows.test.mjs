// run-rows.test.mjs: a long run's log on the page (model/run-rows.js) comes as
// windows of rows the engine makes again on demand (engine-core rows(), lab
// heap.rowsAt, c/wasm/run_rows_api.c): every window equals the same rows of
// the whole run's log, under every policy, at the start, the middle and the
// end, and a step's snapshot brings the window holding its op.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { EngineCore } from '../../web/js/engine/engine-core.js';
import { FULL_COLUMN_STEPS } from '../../web/js/engine/run-shape.js';
import { ROW_WINDOW, KEEP_WINDOWS, addRows, logRow, missingRows, hasWholeLog } from '../../web/js/model/run-rows.js';
import { eventsAt } from '../../web/js/model/events.js';

const require = createRequire(import.meta.url);
const HeapLab = require(new URL('../../dist/heaplab.js', import.meta.url).pathname);
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
