// engine.test.mjs: engine-core.js and events.js against the real wasm
// module (dist/heaplab.js): runs, the free-block count each op record
// carries vs the engine's own statistics after every op, snapshots (a C
// cursor over the run's trace) as pure functions of the step and equal to
// a fresh replay of the first k steps, manual edits, bad imports, compare
// and export.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import { EngineCore } from '../../../web/js/engine/engine-core.js';
import { freeHead, withBlocks } from '../../../web/js/engine/snapshot.js';
import { eventsAt } from '../../../web/js/model/events.js';
import { decodeBlocks } from '../../../web/js/lab/blocks.js';

const require = createRequire(import.meta.url);
const DIST = new URL('../../../dist/heaplab.js', import.meta.url).pathname;
if (!existsSync(DIST)) throw new Error('dist/heaplab.js is missing: run ./build.sh first');
const HeapLab = require(DIST);
const lab = await HeapLab.load();
const POLICIES = lab.singleListPolicies; // the compared ones
const SETTINGS = { policy: 'first', order: 'lifo', coalesce: true, align: 8, arena: 1 << 20 };
const gen = (name, seed = 3, ops = 200) => ({ kind: 'gen', name, seed, ops });

// Returns heap.stats() after each of the first n steps of a run's exported log
// (fresh prefix replays: the definition of "state at step k").
function statsPerStep(log, s) {
  const t = lab.loadTrace(log);
  const h = lab.createHeap({ policy: s.policy, order: s.order, coalesce: s.coalesce, align: s.align, arenaBytes: s.arena, log: false });
  const out = [];
  for (let k = 1; k <= t.length; k++) {
    h.reset();
    const r = h.replay(t, { verify: false, limit: k });
    assert.ok(!r.error, r.error);
    out.push(h.stats());
  }
  h.destroy();
  t.destroy();
  return out;
}

test('a run carries the rich log as columns and every event, flattened', () => {
  const core = new EngineCore(lab);
  const res = core.runScenario({ scenario: gen('random', 1, 300), settings: SETTINGS });
  assert.ok(!res.error, res.error);
  const { run } = res;
  assert.equal(run.n, 300);
  const h = lab.createHeap({ arenaBytes: 1 << 20 });
  h.replay(lab.generate('random', 1, 300));
  const recs = h.events(0);
  assert.equal(run.events.start[run.n], recs.reduce((s, r) => s + r.events.length, 0));
  for (const i of [0, 17, 150, 299]) {
    assert.equal(run.cols.heapSize[i], recs[i].heapSize);
    assert.equal(run.cols.scanned[i], recs[i].scanned);
    assert.equal(run.cols.freeBlocks[i], recs[i].freeBlocks);
    assert.deepEqual(eventsAt(run.events, i).map((e) => e.kind), recs[i].events.map((e) => e.kind));
  }
  assert.ok(eventsAt(run.events, 0).every((e) => run.events.names.includes(e.kind)));
  h.destroy();
});

test('the free-block count of each op record equals heap.stats().freeBlocks after that op (all policies, orders, coalescing)', () => {
  let checked = 0;
  for (const name of ['random', 'realloc', 'fragment']) {
    for (const policy of POLICIES) {
      for (const order of lab.orders) {
        for (const coalesce of [true, false]) {
          const s = { ...SETTINGS, policy, order, coalesce };
          const core = new EngineCore(lab);
          const res = core.runScenario({ scenario: gen(name, 5, 120), settings: s });
          assert.ok(!res.error, res.error);
          const stats = statsPerStep(core.exportLog('rich').text, s);
          stats.forEach((st, i) => assert.equal(res.run.cols.freeBlocks[i], st.freeBlocks, `${name} ${policy}/${order}/${coalesce} after op ${i}`));
          checked += stats.length;
        }
      }
    }
  }
  assert.ok(checked > 5000);
});

test('free blocks match on a real trace with growth steps and a small arena (failures)', () => {
  const text = readFileSync(new URL('../../../web/data/sqlite3.csv', import.meta.url), 'utf8');
  for (const s of [{ ...SETTINGS, arena: 16384 }, { ...SETTINGS, policy: 'best', order: 'addr' }]) {
    const core = new EngineCore(lab);
    const res = core.runScenario({ scenario: { kind: 'real', name: 'sqlite3', text: text.split('\n').slice(0, 700).join('\n') + '\n' }, settings: s });
    assert.ok(!res.error, res.error);
    const stats = statsPerStep(core.exportLog('rich').text, s);
    stats.forEach((st, i) => assert.equal(res.run.cols.freeBlocks[i], st.freeBlocks, `op ${i}`));
  }
});

test('the heap at step k does not depend on the path taken to k', () => {
  const core = new EngineCore(lab);
  core.runScenario({ scenario: gen('phases', 9, 400), settings: SETTINGS });
  const direct = withBlocks(core.snapshot(250));
  for (const k of [400, 0, 251, 249, 10]) core.snapshot(k);
  const again = withBlocks(core.snapshot(250));
  assert.deepEqual(again.blocks, direct.blocks);
  assert.deepEqual(again.stats, direct.stats);
  assert.equal(direct.k, 250);
  const empty = withBlocks(core.snapshot(0));
  assert.equal(empty.blocks.length, 0);
  assert.equal(freeHead(direct.blocks), direct.blocks.filter((b) => b.free).length ? freeHead(direct.blocks) : 0);
});

test('a step decodes only the blocks it changed: the others are the previous step\'s objects, and all equal a fresh decode', () => {
  const core = new EngineCore(lab);
  core.runScenario({ scenario: gen('phases', 9, 400), settings: SETTINGS });
  let prev = withBlocks(core.snapshot(200)).blocks;
  for (let k = 201; k <= 260; k++) {
    const snap = core.snapshot(k);
    const fresh = decodeBlocks({ ...snap.blockTable, data: snap.blockTable.data.slice() });
    const blocks = withBlocks(snap).blocks;
    assert.deepEqual(blocks, fresh, `step ${k}`);
    const old = new Set(prev);
    const made = blocks.filter((b) => !old.has(b));
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    // a block object is new exactly when no block of the previous step had all its fields
    for (const b of blocks) assert.equal(old.has(b), prev.some((p) => same(p, b)), `step ${k} block @${b.offset}`);
    assert.ok(made.length <= 4, `step ${k}: ${made.length} new block objects of ${blocks.length}`);
    prev = blocks;
  }
});

test('freeHead is the free block nothing links to', () => {
  const b = [{ offset: 4, free: true, nextFree: 100 }, { offset: 50, free: false }, { offset: 100, free: true, nextFree: 0 }];
  assert.equal(freeHead(b), 4);
  assert.equal(freeHead([{ offset: 100, free: true, nextFree: 4 }, { offset: 4, free: true, nextFree: 0 }]), 100);
  assert.equal(freeHead([]), 0);
});

test('manual edits: the first `cut` ops, then yours with fresh ids', () => {
  const core = new EngineCore(lab);
  const base = core.runScenario({ scenario: gen('random', 2, 50), settings: SETTINGS });
  let maxId = -1;
  for (let i = 0; i < 20; i++) maxId = Math.max(maxId, base.run.id[i]);
  const res = core.runScenario({ scenario: gen('random', 2, 50), settings: SETTINGS, cut: 20, manual: [{ op: 'alloc', size: 100 }, { op: 'realloc', id: maxId + 1, size: 300 }, { op: 'free', id: maxId + 1 }] });
  assert.ok(!res.error, res.error);
  assert.equal(res.run.n, 23);
  assert.deepEqual([...res.run.op.slice(20)], [0, 2, 1]);
  assert.deepEqual([...res.run.id.slice(20)], [maxId + 1, maxId + 1, maxId + 1]);
  assert.equal(res.run.cols.size[20], 100);
  for (let i = 0; i < 20; i++) assert.equal(res.run.cols.offset[i], base.run.cols.offset[i]);
  const bad = core.runScenario({ scenario: gen('random', 2, 50), settings: SETTINGS, cut: 5, manual: [{ op: 'free', id: 999 }] });
  assert.match(bad.error, /not possible there/);
  assert.equal(core.trace.length, 23, 'a refused edit keeps the previous run');
});

test('a malformed import reports its line and keeps the previous run', () => {
  const core = new EngineCore(lab);
  core.runScenario({ scenario: gen('stack', 1, 30), settings: SETTINGS });
  const res = core.runScenario({ scenario: { kind: 'import', name: 'import', fileName: 'bad.csv', text: 'op,id,size\nalloc,0,16\nalloc,1,-4\n' }, settings: SETTINGS });
  assert.equal(res.line, 3);
  assert.match(res.error, /bad\.csv:3/);
  assert.equal(core.trace.length, 30);
  const seed = core.runScenario({ scenario: { kind: 'import', name: 'import', fileName: 'seed.csv', text: 'ALLOC,32\nALLOC,64\nFREE\n' }, settings: SETTINGS });
  assert.ok(!seed.error, seed.error);
  assert.equal(seed.run.n, 3);
  const rep = core.runScenario({ scenario: { kind: 'import', name: 'import', fileName: 't.rep', text: '100\n2\n3\n1\na 0 10\na 1 20\nf 0\n' }, settings: SETTINGS });
  assert.ok(!rep.error, rep.error);
  assert.deepEqual([...rep.run.op], [0, 0, 1]);
});

test('compare gives the same ops under the five policies; export writes both CSV formats', () => {
  const core = new EngineCore(lab);
  core.runScenario({ scenario: gen('fragment', 4, 300), settings: SETTINGS });
  const c = withBlocks(core.compare(300));
  assert.deepEqual(c.heaps.map((h) => h.policy), ['first', 'next', 'best', 'worst', 'fast']);
  for (const h of c.heaps) assert.equal(h.stats.allocBlocks, c.heaps[0].stats.allocBlocks);
  const rich = core.exportLog('rich').text;
  assert.equal(rich.trim().split('\n').length, 301);
  const seed = core.exportLog('seed').text.trim().split('\n');
  assert.ok(seed.every((l) => /^(ALLOC,\d+|FREE|REALLOC,\d+)$/.test(l)));
  // the rich export replays to the same log, byte for byte
  const again = new EngineCore(lab);
  again.runScenario({ scenario: { kind: 'import', name: 'import', text: rich }, settings: SETTINGS });
  assert.equal(again.exportLog('rich').text, rich);
});

test('compare names the first step where the policies part ways', () => {
  // four holes (32, 64, 48, 24 bytes) between live separators, then malloc(36): first fit takes
  // the 64-byte hole, best fit the 48-byte one, so step 13 is the first where they differ
  const text = 'op,id,size\nalloc,0,28\nalloc,1,12\nalloc,2,60\nalloc,3,12\nalloc,4,44\nalloc,5,12\nalloc,6,20\nalloc,7,12\n' +
    'free,0,0\nfree,2,0\nfree,4,0\nfree,6,0\nalloc,8,36\nalloc,9,8\n';
  const core = new EngineCore(lab);
  core.runScenario({ scenario: { kind: 'import', name: 'import', text }, settings: { ...SETTINGS, order: 'addr' } });
  const d = core.compare(14).diverge;
  assert.equal(d.teaching, 13);
  assert.ok(d.fast >= 1 && d.fast <= 13, String(d.fast));
  // a stack workload: the teaching policies never part ways
  core.runScenario({ scenario: gen('stack', 1, 300), settings: SETTINGS });
  assert.equal(core.compare(300).diverge.teaching, null);
});

test('the history strip: one row per step on a short run, the cells C computed', () => {
  const core = new EngineCore(lab);
  // three 16-byte blocks, the middle one freed: the last row is allocated, free, allocated
  core.runScenario({ scenario: { kind: 'import', name: 'import', text: 'op,id,size\nalloc,0,12\nalloc,1,12\nalloc,2,12\nfree,1,0\n' }, settings: SETTINGS });
  const h = core.history(10, 7).history;
  assert.equal(h.rows, 4);
  assert.deepEqual([...h.steps], [1, 2, 3, 4]);
  assert.equal(h.span, 56); // the run's largest break: 4 bytes of padding, three blocks, the epilogue
  const last = [...h.cells.slice(3 * 7, 4 * 7)];
  // cells of 8 bytes; the free block is bytes 20..36: half of cell 2, all of cell 3, half of cell 4
  assert.deepEqual(last, [1, 1, 128, 255, 128, 1, 1]);
  const first = [...h.cells.slice(0, 7)];
  assert.deepEqual(first.slice(3), [0, 0, 0, 0]); // step 1: beyond the break past byte 24
});

test('unknown requests and missing runs answer with an error, not an exception', () => {
  const core = new EngineCore(lab);
  assert.match(core.handle({ type: 'nope' }).error, /unknown request/);
  assert.match(core.handle({ type: 'snapshot', k: 3 }).error, /no run/);
  const info = core.handle({ type: 'info' });
  assert.ok(info.scenarios.includes('random'));
  assert.deepEqual(info.vocab, structuredClone(info.vocab), 'the vocabulary crosses to the page as plain data');
});

test('a snapshot at step k is the first k steps replayed into a fresh heap, however the cursor got there (every policy, failures, reallocs)', () => {
  const text = readFileSync(new URL('../../../web/data/git_log.csv', import.meta.url), 'utf8').split('\n').slice(0, 2600).join('\n') + '\n';
  const cases = [
    [{ kind: 'gen', name: 'realloc', seed: 2, ops: 3000 }, { ...SETTINGS, arena: 4096 }],
    [{ kind: 'gen', name: 'random', seed: 8, ops: 3000 }, { ...SETTINGS, order: 'addr', coalesce: false }],
    [{ kind: 'real', name: 'git_log', text }, { ...SETTINGS, arena: 1 << 20 }],
    [{ kind: 'import', name: 'import', text: 'op,id,size\nalloc,50,10\nalloc,7,20\nfree,50,0\nalloc,3,30\nrealloc,7,90\n' }, SETTINGS],
  ];
  for (const [scenario, s] of cases) {
    const core = new EngineCore(lab);
    const res = core.runScenario({ scenario, settings: s });
    assert.ok(!res.error, res.error);
    const n = res.run.n;
    const steps = [0, 1, 2, 5, 6, 40, 41, 42, 1030, 1029, 2049, 120, 119, 2200, n - 1, n, 3, n - 2];
    for (const policy of POLICIES) {
      const fresh = lab.createHeap({ policy, order: s.order, coalesce: s.coalesce, align: s.align, arenaBytes: s.arena, log: false });
      for (const k of steps.filter((x) => x >= 0 && x <= n)) {
        const snap = withBlocks(core.snapshot(k, policy));
        assert.ok(!snap.error, snap.error);
        fresh.reset();
        fresh.replay(core.trace, { verify: false, limit: k });
        assert.equal(JSON.stringify(snap.blocks), JSON.stringify(fresh.blocks()), `${scenario.name} ${policy} step ${k}: blocks`);
        assert.equal(JSON.stringify(snap.stats), JSON.stringify(fresh.stats()), `${scenario.name} ${policy} step ${k}: stats`);
      }
      fresh.destroy();
    }
  }
});

test('every bundled trace is a valid 3,000-op prefix that replays without a failure', () => {
  const dir = new URL('../../../web/data/', import.meta.url);
  const names = ['gcc_cc1_pngtest', 'git_log', 'python_json', 'sqlite3'];
  for (const name of names) {
    const text = readFileSync(new URL(`${name}.csv`, dir), 'utf8');
    assert.equal(text.trim().split('\n').length, 3001, `${name}: header + 3,000 rows`);
    const core = new EngineCore(lab);
    const res = core.runScenario({ scenario: { kind: 'real', name, text }, settings: { ...SETTINGS, arena: 64 << 20 } });
    assert.ok(!res.error, `${name}: ${res.error}`);
    assert.equal(res.summary.failed, 0, name);
    assert.equal(res.summary.skipped, 0, name);
    assert.equal(res.run.n, 3000, name);
  }
});

test('an import whose recorded bad call names a live block is refused whole, the previous run kept (issue 16)', () => {
  const core = new EngineCore(lab);
  assert.ok(!core.runScenario({ scenario: gen('random', 1, 50), settings: SETTINGS }).error);
  const text = 'op,id,size,offset,result\nalloc,0,32,0,0\nalloc,1,32,0,0\nfree,-1,0,8,-4\nfree,0,0,0,0\n';
  const res = core.runScenario({ scenario: { kind: 'file', fileName: 'crafted.csv', text }, settings: SETTINGS });
  assert.match(res.error ?? '', /crafted\.csv: op 3: a recorded bad call names a live block/);
  assert.ok(core.exportLog('rich').text.split('\n').length > 40, 'the previous run stays');
});
