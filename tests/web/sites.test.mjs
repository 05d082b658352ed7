// sites.test.mjs: a recorded trace's call sites through the engine core and
// model/sites.js (the real wasm module): the run carries the names C read, a
// log row's site, a block's site at a step (the alloc or realloc that made it,
// and the right one when an id is used again), manual ops without a site, and
// runs without sites.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { EngineCore } from '../../web/js/engine/engine-core.js';
import { blockSite, siteAt } from '../../web/js/model/sites.js';

const require = createRequire(import.meta.url);
const DIST = new URL('../../dist/heaplab.js', import.meta.url).pathname;
if (!existsSync(DIST)) throw new Error('dist/heaplab.js is missing: run ./build.sh first');
const lab = await require(DIST).load();
const SETTINGS = { policy: 'first', order: 'lifo', coalesce: true, align: 8, arena: 1 << 20 };

const RECORDED = `op,id,size,result,thread,time,site
alloc,0,16,0,0,1,a.out!main+0x10
alloc,1,32,0,0,2,libc.so.6!strdup+0x1a
realloc,0,64,0,0,3,a.out!grow+0x8
free,1,0,0,0,4,
alloc,1,8,0,0,5,a.out+0x99
`;

test('a recorded run carries its sites; rows and blocks name them', () => {
  const core = new EngineCore(lab);
  const { run, error } = core.runScenario({ scenario: { kind: 'import', name: 'rec', fileName: 'rec.csv', text: RECORDED }, settings: SETTINGS });
  assert.equal(error, undefined);
  assert.deepEqual(run.sites.names, ['a.out!main+0x10', 'libc.so.6!strdup+0x1a', 'a.out!grow+0x8', 'a.out+0x99']);
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => siteAt(run, i)), ['a.out!main+0x10', 'libc.so.6!strdup+0x1a', 'a.out!grow+0x8', null, 'a.out+0x99']);
  assert.equal(blockSite(run, 0, 2), 'a.out!main+0x10', 'before its realloc');
  assert.equal(blockSite(run, 0, 5), 'a.out!grow+0x8', 'after it: the realloc that moved it');
  assert.equal(blockSite(run, 1, 3), 'libc.so.6!strdup+0x1a', 'id 1 before it was freed and used again');
  assert.equal(blockSite(run, 1, 5), 'a.out+0x99');
  const edited = core.runScenario({ scenario: { kind: 'import', name: 'rec', fileName: 'rec.csv', text: RECORDED }, settings: SETTINGS, cut: 5, manual: [{ op: 'alloc', size: 24 }] });
  assert.equal(edited.run.n, 6);
  assert.equal(siteAt(edited.run, 4), 'a.out+0x99', 'the recorded steps keep their sites');
  assert.equal(siteAt(edited.run, 5), null, 'an op made by hand has none');
});

test('a run without a site column has none', () => {
  const core = new EngineCore(lab);
  const { run } = core.runScenario({ scenario: { kind: 'gen', name: 'random', seed: 1, ops: 50 }, settings: SETTINGS });
  assert.equal(run.sites, null);
  assert.equal(siteAt(run, 0), null);
  assert.equal(blockSite(run, 0, 10), null);
});
