// search.test.mjs: the search marks (model/search.js, what views/search-marks.js
// draws) against hand-worked searches, one per policy, run through the page's
// engine (engine-core.js) on the real wasm module. The heap: blocks A@4 (32
// bytes), C@52 (64), E@132 (48), G@196 (24) freed, 16-byte live separators
// between, address-ordered list; then malloc(36), a 40-byte block.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { EngineCore } from '../../web/js/engine/engine-core.js';
import { eventsAt } from '../../web/js/model/events.js';
import { searchOf, searchLines } from '../../web/js/model/search.js';

const require = createRequire(import.meta.url);
const lab = await require('../../dist/heaplab.js').load();
const HOLES = 'op,id,size\nalloc,0,28\nalloc,1,12\nalloc,2,60\nalloc,3,12\nalloc,4,44\nalloc,5,12\nalloc,6,20\nalloc,7,12\n' +
  'free,0,0\nfree,2,0\nfree,4,0\nfree,6,0\n';

// Returns the marks of each step of `text` under a policy (address order), as [block, why] pairs.
function marksOf(policy, text) {
  const core = new EngineCore(lab);
  const res = core.runScenario({ scenario: { kind: 'import', name: 'import', fileName: 'hand.csv', text }, settings: { policy, order: 'addr', coalesce: true, align: 8, arena: 1 << 20 } });
  assert.ok(!res.error, res.error);
  const out = [];
  for (let i = 0; i < res.run.n; i++) out.push(searchOf(eventsAt(res.run.events, i), core.vocab.examineReasons));
  core.dropCursors();
  return out;
}
const pairs = (s) => s.marks.map((m) => [m.block, m.why]);

test('first fit: A too small, C chosen', () => {
  const s = marksOf('first', `${HOLES}alloc,8,36\n`).at(-1);
  assert.deepEqual(pairs(s), [[4, 'too_small'], [52, 'chosen']]);
  assert.equal(s.scanned, 2);
  assert.deepEqual(s.split, { block: 52, low: 40, high: 24, highTaken: false });
});

test('best fit: the whole list, E the smallest that fits', () => {
  const s = marksOf('best', `${HOLES}alloc,8,36\n`).at(-1);
  assert.deepEqual(pairs(s), [[4, 'too_small'], [52, 'not_best'], [132, 'chosen'], [196, 'too_small']]);
  assert.equal(s.chosen, 132);
  assert.equal(s.split, null); // 8 bytes left: no block, the whole 48 is taken
});

test('worst fit: the whole list, C the largest', () => {
  const s = marksOf('worst', `${HOLES}alloc,8,36\n`).at(-1);
  assert.deepEqual(pairs(s), [[4, 'too_small'], [52, 'chosen'], [132, 'not_best'], [196, 'too_small']]);
});

test('next fit: from the rover, wrapping to the head', () => {
  const steps = marksOf('next', `${HOLES}alloc,8,44\nalloc,9,36\nalloc,10,26\n`);
  assert.deepEqual(pairs(steps.at(-3)), [[4, 'too_small'], [52, 'chosen']]);
  assert.deepEqual(pairs(steps.at(-2)), [[100, 'too_small'], [132, 'chosen']]); // from C's remainder
  assert.deepEqual(pairs(steps.at(-1)), [[196, 'too_small'], [4, 'chosen']]); // from G, wrapped
});

test('fast: an empty class, the bitmap names the next one', () => {
  const s = marksOf('fast', `${HOLES}alloc,8,36\n`).at(-1);
  assert.deepEqual(pairs(s), [[132, 'next_class']]);
  assert.equal(s.requestClass, 5);
  assert.equal(s.fromClass, 6);
  assert.match(searchLines(s, 'fast').lines[0], /class 5 had no fit: the bitmap named class 6/);
});

test('fast: the top block passed over, taken last', () => {
  // lesson 8's heap: 192 bytes free at 108 (class 18), the 96-byte top block at 420 (class 12)
  const ops = [[40], [8], [16], [8], ['f', 0], ['f', 2], [16], [200], [8], ['f', 5], [24], [8], [100], [100], [92], ['f', 9], ['f', 11], [40]];
  let id = 0;
  const text = 'op,id,size\n' + ops.map((o) => (o[0] === 'f' ? `free,${o[1]},0` : `alloc,${id++},${o[0]}`)).join('\n') + '\n';
  const s = marksOf('fast', text).at(-1);
  assert.deepEqual(pairs(s), [[420, 'top_last'], [108, 'next_class']]);
  assert.deepEqual([s.requestClass, s.topClass, s.fromClass, s.scanned], [6, 12, 18, 2]);
  assert.match(searchLines(s, 'fast').lines[0], /named class 12, .*the top block, kept for last; so the head of class 18/);
});

test('a free and the steps before any search have no marks', () => {
  const steps = marksOf('first', HOLES);
  assert.equal(steps.at(-1), null);
  assert.deepEqual(steps[1].marks, []); // an alloc on an empty list: nothing examined
  assert.equal(steps[1].scanned, 0);
});
