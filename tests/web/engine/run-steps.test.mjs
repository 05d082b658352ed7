// run-steps.test.mjs: a run done in slices (engine-core runSteps, the C replay
// session hl_replay_begin/more/end, the log read a chunk at a time): it reports
// rising progress, gives the same run as the one-call replay, and one stopped
// part-way keeps the previous run whole (what the page's Cancel relies on). The log
// is drained from C after every slice (heap.logDrain), and the joined columns equal
// the one-call log's. The charts' series are made with the run, in the worker, and
// a long run's log is never sent whole. A slice replayed without its events (the engine's
// slices but the last) has the same op records, and no reader takes it for one with none.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { EngineCore } from '../../../web/js/engine/engine-core.js';
import { pointOfStats, MAX_POINTS, seriesPoints } from '../../../web/js/model/chart-config.js';
import { emptySeries, extendSeries, endSeries, pointAt, fragmentationStart } from '../series-oracle.mjs';

const require = createRequire(import.meta.url);
const HeapLab = require(new URL('../../../dist/heaplab.js', import.meta.url).pathname);
const lab = await HeapLab.load();
const SETTINGS = { policy: 'first', order: 'lifo', coalesce: true, align: 8, arena: 1 << 20 };
const gen = (ops) => ({ kind: 'gen', name: 'random', seed: 5, ops });

test('a run in slices reports rising progress and equals the one-call replay', () => {
  const core = new EngineCore(lab);
  const steps = core.runSteps({ scenario: gen(120000), settings: SETTINGS });
  const seen = [];
  let r;
  while (!(r = steps.next()).done) seen.push(r.value);
  const res = r.value;
  assert.ok(!res.error, res.error);
  assert.ok(seen.length > 3, `progress steps: ${seen.length}`);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i].fraction >= seen[i - 1].fraction, 'progress never goes back');
  assert.ok(seen.some((p) => p.phase === 'replaying'));
  // the same ops replayed in one call, with the log on
  const t = lab.generateTrace('random', 5, 120000);
  const h = lab.createHeap({ policy: 'first', order: 'lifo', coalesce: true, align: 8, arenaBytes: 1 << 20, log: true, examineCap: res.run.examineCap }); // a long run logs no search marks
  const one = h.replay(t, { verify: false });
  const table = h.logTable();
  for (const f of ['ops', 'failed', 'skipped', 'peakPayload', 'heapBytes', 'utilization']) assert.equal(res.summary[f], one[f], f);
  assert.equal(res.run.n, table.n);
  // a long run is sent as its steps (and its last rows: run-rows.test.mjs); the charts get
  // the log's series, folded in C from each slice (three here) as it was drained: the
  // reference's series of the whole log
  assert.deepEqual(Object.keys(res.run.cols), ['size']);
  assert.deepEqual(Array.from(res.run.cols.size), Array.from(table.cols.size));
  assert.equal(res.run.events, undefined);
  // (bucketed for the ops replayed, t.length: the steps are known only at the end)
  assert.deepEqual(seriesPoints(res.run.series), (({ open, ...s }) => s)(endSeries(extendSeries(emptySeries(t.length), table, 0, table.n))));
  assert.ok(table.n < t.length, 'some ops were skipped');
  const pts = seriesPoints(res.run.series);
  assert.ok(pts.live.length <= MAX_POINTS && pts.scanned.length > 100);
  assert.equal(res.run.fragStart, fragmentationStart(table));
  assert.ok(res.run.fragStart > 0);
  assert.deepEqual(Array.from(res.run.op), Array.from(table.op));
  assert.deepEqual(Array.from(res.run.id), Array.from(table.id));
  h.destroy();
  t.destroy();
});

test('a run stopped part-way keeps the previous run, its cursors and steps', () => {
  const core = new EngineCore(lab);
  const first = core.runScenario({ scenario: gen(3000), settings: SETTINGS });
  assert.ok(!first.error);
  const before = core.snapshot(1500);
  const steps = core.runSteps({ scenario: gen(200000), settings: SETTINGS });
  let r;
  for (let i = 0; i < 3; i++) r = steps.next();
  assert.equal(r.done, false);
  steps.return();
  assert.equal(core.trace.length, 3000, 'the previous steps stay');
  const after = core.snapshot(1500);
  assert.deepEqual(after.blockTable.data, before.blockTable.data);
  assert.deepEqual(after.stats, before.stats);
  // and the next run works (the C replay session was released)
  const next = core.runScenario({ scenario: gen(500), settings: SETTINGS });
  assert.ok(!next.error, next.error);
  assert.equal(next.run.n, core.trace.length);
});

test('log columns are the narrowest arrays that hold them exactly', () => {
  // the log of a long run drained from C in slices, as runSteps drains it (heap.logDrain)
  const opts = { policy: 'first', order: 'lifo', coalesce: true, align: 8, arenaBytes: 4096, log: true, examineCap: 0 };
  const t = lab.generateTrace('random', 5, 120000);
  const d = lab.createHeap(opts);
  const replay = d.replaySlices(t, { verify: false });
  const log = d.logDrain();
  for (let done = 0; done < replay.length;) { done = replay.more(50000); log.drain(); } // drained in 3 parts
  replay.end();
  const table = log.table();
  d.destroy();
  const cols = table.cols;
  assert.ok(cols.offset instanceof Uint32Array, 'offsets fit 32 bits');
  assert.ok(Array.from(cols.result).some((x) => x < 0), 'a small arena refuses some requests');
  assert.ok(cols.result instanceof Int32Array, 'results with error codes are signed');
  const h = lab.createHeap(opts);
  h.replay(t, { verify: false });
  const ev = h.events(0);
  let j = 0;
  for (const rec of ev) {
    assert.equal(cols.result[rec.seq], rec.result);
    for (const e of rec.events) { assert.equal(table.events.a[j], e.a); j++; }
  }
  h.destroy();
  t.destroy();
  // what the page is sent of a long run keeps the narrow arrays (its last rows, run-shape.js pageLog)
  const core = new EngineCore(lab);
  const res = core.runScenario({ scenario: gen(120000), settings: { ...SETTINGS, arena: 4096 } });
  assert.ok(res.run.tail.cols.offset instanceof Uint32Array && res.run.tail.cols.result instanceof Int32Array);
});

test("a run's last heap comes with it, equal to the cursor's snapshot at the end", () => {
  const core = new EngineCore(lab);
  for (const sc of [gen(5000), { kind: 'gen', name: 'fragment', seed: 2, ops: 3000 }]) {
    const res = core.runScenario({ scenario: sc, settings: { ...SETTINGS, policy: 'best' } });
    assert.equal(res.end.k, res.run.n);
    const snap = core.snapshot(res.run.n);
    assert.deepEqual(res.end.blockTable.data, snap.blockTable.data);
    assert.deepEqual(res.end.stats, snap.stats);
    assert.equal(res.end.policy, snap.policy);
  }
});

test('an empty run (the manual scenario, an empty import) has every column, empty', () => {
  const core = new EngineCore(lab);
  const res = core.runScenario({ scenario: { kind: 'import', text: 'op,id,size\n', fileName: 'empty.csv' }, settings: SETTINGS });
  assert.ok(!res.error, res.error);
  assert.equal(res.run.n, 0);
  const one = lab.createHeap({ log: true });
  assert.deepEqual(Object.keys(res.run.cols), Object.keys(one.logTable().cols));
  one.destroy();
  assert.equal(res.run.maxHeap, 0);
  assert.equal(res.end.k, 0);
});

test("the chart point at a step read from the heap's statistics equals the log's record of that step", () => {
  const core = new EngineCore(lab);
  const res = core.runScenario({ scenario: gen(3000), settings: SETTINGS });
  assert.ok(!res.error, res.error);
  assert.ok(res.run.cols.liveBytes, 'a short run keeps every column');
  for (const k of [1, 2, 17, 500, 1499, 2222, res.run.n]) {
    const snap = core.snapshot(k);
    for (const name of ['live', 'heap', 'frag', 'freeBlocks']) {
      assert.deepEqual(pointOfStats(snap.stats, name, k), pointAt(res.run, name, k), `${name} at ${k}`);
    }
    assert.equal(pointOfStats(snap.stats, 'scanned', k), null);
  }
  assert.equal(pointOfStats(core.snapshot(0).stats, 'live', 0), null);
});

test('a run whose trace has skipped ops keeps as its steps only the ops that made a row; one without shares the input', () => {
  const core = new EngineCore(lab);
  // a 64 KiB arena refuses block 2's 100,000 bytes, so its free makes no call and no row
  const text = 'op,id,size\nalloc,1,16\nalloc,2,100000\nalloc,3,24\nfree,2,0\nfree,1,0\nalloc,4,8\n';
  const res = core.runScenario({ scenario: { kind: 'import', text, fileName: 'skip.csv' }, settings: { ...SETTINGS, arena: 1 << 16 } });
  assert.ok(!res.error, res.error);
  assert.equal(res.summary.skipped, 1);
  assert.equal(res.summary.failed, 1);
  assert.equal(res.run.n, 5);
  assert.equal(core.trace.length, 5, 'the skipped free is not a step');
  assert.deepEqual(Array.from(res.run.id), [1, 2, 3, 1, 4]);
  assert.match(core.trace.text(), /^op,id,size\nalloc,1,16\nalloc,2,100000\nalloc,3,24\nfree,1,0?\s*\nalloc,4,8\n?$/);
  // every step's heap is that of a fresh replay of the steps before it
  for (let k = 0; k <= 5; k++) assert.ok(!core.snapshot(k).error);
  assert.equal(core.snapshot(5).stats.allocBlocks, 2, 'blocks 3 and 4');
  // no op skipped: the run's steps are the generated trace itself
  const again = core.runScenario({ scenario: gen(2000), settings: SETTINGS });
  assert.equal(again.summary.skipped, 0);
  assert.equal(core.trace.length, again.run.n);
});

test('the series C folds from a log drained in slices are the reference series of the whole log', () => {
  // a short run (one step a bucket), a long one, one bucketed hard (50 points), and a small arena whose refused
  // calls are steps too
  for (const [name, ops, maxPoints, slice, arenaBytes] of [['random', 1500, 4000, 400, 1 << 20], ['fragment', 30000, 4000, 7000, 1 << 20],
    ['phases', 30000, 50, 30000, 1 << 20], ['random', 5000, 300, 999, 4096]]) {
    const t = lab.generateTrace(name, 3, ops);
    const opts = { policy: 'best', order: 'lifo', coalesce: true, align: 8, arenaBytes, log: true, examineCap: 0 };
    const one = lab.createHeap(opts);
    one.replay(t, { verify: false });
    const table = one.logTable();
    const h = lab.createHeap(opts);
    const series = lab.createSeries(t.length, maxPoints);
    const replay = h.replaySlices(t, { verify: false });
    for (let done = 0; done < replay.length;) {
      done = replay.more(slice);
      h.logDrain().drain({ events: false, fields: [], series });
    }
    replay.end();
    const r = series.result();
    const ref = endSeries(extendSeries(emptySeries(t.length, maxPoints), table, 0, table.n));
    delete ref.open;
    assert.deepEqual(seriesPoints(r.series), ref, `${name} ${ops} ops, ${maxPoints} points`);
    assert.ok(Object.values(r.series).filter(ArrayBuffer.isView).every((xy) => xy instanceof Float64Array), 'each series one Float64Array (transferable)');
    assert.equal(r.fragStart, fragmentationStart(table), `${name}: where fragmentation starts`);
    assert.equal(r.maxHeap, Math.max(-1, ...table.cols.heapSize), `${name}: the largest break`);
    assert.equal(r.maxId, Math.max(-1, ...table.id), `${name}: the largest id`);
    if (arenaBytes === 4096) assert.ok(Array.from(table.cols.result).some((x) => x < 0), 'some calls were refused');
    series.destroy();
    assert.throws(() => series.result(), /after destroy/);
    one.destroy();
    h.destroy();
    t.destroy();
  }
  assert.throws(() => lab.createSeries(10, 1), RangeError);
  assert.throws(() => lab.createSeries(-1, 100), RangeError);
});

test('a slice replayed without its events has the same op records, and no reader takes them for none', () => {
  const opts = { policy: 'fast', order: 'lifo', coalesce: true, align: 8, log: true, examineCap: 0 };
  const t = lab.generateTrace('random', 7, 9000);
  const full = lab.createHeap(opts);
  full.replay(t, { verify: false });
  const all = full.logTable();
  full.destroy();
  const h = lab.createHeap(opts);
  const replay = h.replaySlices(t, { verify: false });
  const drain = h.logDrain();
  assert.equal(replay.more(3000, { events: false }), 3000);
  assert.equal(h.skippedEvents(), 3000, 'the records made without events are counted');
  assert.throws(() => h.events(0), /without their events/);
  assert.throws(() => h.logTable(), /without their events/);
  const probe = h.logDrain();
  assert.throws(() => probe.drain(), /without their events/, 'a drain with events is refused');
  drain.drain({ events: false });
  assert.equal(h.skippedEvents(), 0, 'the drain cleared the log');
  assert.equal(replay.more(3000), 6000);
  assert.equal(h.skippedEvents(), 0, 'a slice with its events');
  drain.drain({ events: false });
  replay.more(3000, { events: false });
  drain.drain({ events: false });
  replay.end();
  const part = drain.table();
  h.destroy();
  assert.equal(part.n, all.n);
  assert.equal(part.events, null, 'events left out: the table has none');
  for (const f of Object.keys(all.cols)) assert.deepEqual(Array.from(part.cols[f]), Array.from(all.cols[f]), f);
  assert.deepEqual(Array.from(part.id), Array.from(all.id));
});
