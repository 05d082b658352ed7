// defects.test.mjs: the page model's side of issue 12's defects (the page's
// side is tests/e2e/defects.test.mjs): a link's unusable values are named,
// the zoom travels in links, the step follows its operation across
// settings, Compare's star is justified by the precision shown, the
// prediction verdict weighs every measure and refuses a tiny test set, the
// features are explained, and the log's sentences name blocks and payloads
// consistently.
import test from 'node:test';
import assert from 'node:assert/strict';
import { VOCAB, runOf } from './fixtures.mjs';
import { parseQuery, formatQuery } from '../../web/js/model/url-state.js';
import { normalizeSettings } from '../../web/js/model/state.js';
import { sameStep } from '../../web/js/model/step-map.js';
import { heapSizeTexts, summary } from '../../web/js/views/compare-view.js';
import { verdict, metricRows, featureMeaning, MIN_TEST } from '../../web/js/model/predict-model.js';
import { describeOp, sized } from '../../web/js/model/words.js';

test('a link names every value it cannot use, and what it uses instead', () => {
  const q = parseQuery('?policy=bogus&align=7&ops=0&order=lifo&m=a32.x9.f0&coalesce=maybe&step=abc', VOCAB);
  assert.equal(q.settings.policy, VOCAB.defaults.policy);
  assert.equal(q.scenario.ops, 300, 'ops=0 falls back to the default, not to 1');
  const text = q.problems.join('\n');
  assert.match(text, /policy="bogus" is not one of first, next, best, worst/);
  assert.match(text, /align="7" is not one of 8, 16: using 8/);
  assert.match(text, /ops="0" is not a whole number from 1 to 200000: using 300/);
  assert.match(text, /coalesce="maybe" is not 0 or 1/);
  assert.match(text, /step="abc" is not a whole number/);
  assert.match(text, /m: "x9" is not an operation/);
  assert.deepEqual(q.manual.map((o) => o.op), ['alloc', 'free']);
  assert.doesNotMatch(text, /order/, 'a valid value is not a problem');
  assert.deepEqual(parseQuery('?scenario=queue&policy=best&align=16&ops=50&step=3', VOCAB).problems, []);
  assert.match(parseQuery('?arena=12', VOCAB).problems.join(), /arena="12" is not a whole number of bytes from \d+ to 1024 MiB/);
});

test('the map zoom travels in a link', () => {
  const st = { scenario: { name: 'queue' }, settings: normalizeSettings({}, VOCAB), step: 4, manual: [], zoom: 8 };
  const q = formatQuery(st, VOCAB);
  assert.match(q, /zoom=8/);
  assert.equal(parseQuery(q, VOCAB).zoom, 8);
  assert.doesNotMatch(formatQuery({ ...st, zoom: 1 }, VOCAB), /zoom/);
  assert.equal(parseQuery('?zoom=junk', VOCAB).zoom, 1);
});

test('after new settings the step points at the same operation, or says it is gone', () => {
  // the same trace: in the small arena the alloc of block 2 fails, so its free makes no step
  const big = runOf('seq,op,id,size\n1,alloc,0,16\n2,alloc,1,24\n3,alloc,2,900\n4,free,2,0\n5,free,0,0\n6,alloc,3,8\n7,free,1,0');
  const small = runOf('seq,op,id,size\n1,alloc,0,16\n2,alloc,1,24\n3,alloc,2,900\n4,free,0,0\n5,alloc,3,8\n6,free,1,0');
  assert.deepEqual(sameStep(big, 5, small), { k: 4, exact: true }, 'step 5 (free 0) is step 4 in the small arena');
  assert.deepEqual(sameStep(big, 6, small), { k: 5, exact: true });
  assert.deepEqual(sameStep(big, 4, small), { k: 3, exact: false }, 'free 2 is not there: the step before it');
  assert.deepEqual(sameStep(small, 4, big), { k: 5, exact: true }, 'and back: the extra free is skipped over');
  assert.deepEqual(sameStep(big, 7, small), { k: 6, exact: true }, 'the end stays the end');
  assert.deepEqual(sameStep(big, 0, small), { k: 0, exact: true });
  assert.deepEqual(sameStep(big, 3, big), { k: 3, exact: true });
});

test('compare shows heap sizes precisely enough to justify the star', () => {
  // python_json at its end: three policies' heaps round to "5 MiB"
  assert.deepEqual(heapSizeTexts([5242880, 5246976, 5251072, 6291456]), ['5,242,880 B', '5,246,976 B', '5,251,072 B', '6,291,456 B']);
  assert.deepEqual(heapSizeTexts([4096, 8192]), ['4 KiB', '8 KiB'], 'rounded when rounding tells them apart');
  assert.deepEqual(heapSizeTexts([4096, 4096, 8192]), ['4 KiB', '4 KiB', '8 KiB'], 'equal sizes are a tie, not a clash');
  assert.equal(summary(['first'], 4, '5,242,880 B'), 'First fit needs the smallest heap here (5,242,880 B).');
});

test('the prediction verdict names the winner of each measure and refuses a tiny test set', () => {
  // gcc at step 3000: the tree has the lowest mean error, the n-gram far more exact sizes
  const rep = {
    train: 700, test: 300,
    tree: { mae: 498.6, rmse: 900, exact: 0.032, size_class: 0.41 },
    last: { mae: 700, rmse: 1200, exact: 0.2, size_class: 0.3 },
    ngram: { mae: 560, rmse: 1000, exact: 0.379, size_class: 0.52 },
  };
  const v = verdict(rep, 3000);
  assert.doesNotMatch(v, /regression tree predicts best/);
  assert.match(v, /No predictor is best on every measure/);
  assert.match(v, /Closest on average \(mean error\): regression tree, 498\.6 bytes/);
  assert.match(v, /Exact size most often: n-gram with backoff, 37\.9% against the tree's 3\.2%/);
  const rows = metricRows(rep);
  assert.equal(rows[0].cells[1], '498.6\u00a0★');
  assert.equal(rows[2].cells[3], '37.9%\u00a0★');
  const tiny = verdict({ ...rep, test: 5 }, 20);
  assert.match(tiny, /Too few test requests to tell: the last 5 requests were held back/);
  assert.doesNotMatch(tiny, /best|beats/);
  assert.ok(MIN_TEST >= 20);
  const cross = verdict({ ...rep, tree_sklearn: { mae: 6507, rmse: 28797, exact: 0.475, size_class: 0.69 } }, 3000);
  assert.match(cross, /Exact size most often: regression tree, mean leaves \(scikit-learn exact\), 47\.5% against the tree's 3\.2%/, 'every row of the table competes');
  const tied = { test: 100, tree: { mae: 2, exact: 0.5, size_class: 0.9 }, last: { mae: 2, exact: 0.5, size_class: 0.9 } };
  assert.match(verdict(tied, 200), /predicts best on every measure.*regression tree and repeat last size/);
});

test('the tree features are explained; next1 is history, not the answer', () => {
  assert.equal(featureMeaning('next1'), 'what followed the previous size the last time it was asked for');
  assert.equal(featureMeaning('lag1'), 'the previous request size');
  assert.equal(featureMeaning('lag3'), 'the request size 3 requests back');
  assert.match(featureMeaning('run'), /in a row/);
  for (const f of ['delta', 'next2', 'next3', 'mf1', 'mf2']) assert.ok(featureMeaning(f).length > 10, f);
  assert.equal(featureMeaning('nonsense'), '');
});

test('the log names a block by its start and its payload as such, in one sentence per realloc part', () => {
  const place = describeOp(0, 3, 24, 400, [{ kind: 'request', a: 24, b: 32 }, { kind: 'scan', a: 1, b: 396 }, { kind: 'place', a: 396, b: 32, c: 400 }]);
  const free = describeOp(1, 3, 0, 400, [{ kind: 'free', a: 396, b: 32, c: 400 }]);
  assert.match(place, /placed at 396 \(payload at 400\)/);
  assert.match(free, /freed the 32-byte block at 396 \(payload at 400\)/);
  const moved = describeOp(2, 0, 147, 736, [
    { kind: 'request', a: 147, b: 152 }, { kind: 'scan', a: 2, b: 0 }, { kind: 'extend', a: 736, b: 888 },
    { kind: 'place', a: 732, b: 152, c: 736 }, { kind: 'free', a: 412, b: 104, c: 416 }, { kind: 'coalesce', detail: 3, a: 300, b: 248 },
    { kind: 'realloc', detail: 4, a: 416, b: 736, c: 152 },
  ]);
  assert.equal(moved, 'realloc(block 0, 147): moved it (malloc, copy, free). New block: needs a 152-byte block, scanned 2 free blocks, none fits, moved the break 736 → 888 (+152), placed at 732 (payload at 736). Old block freed, coalesced with the previous block (case 3) into 248 bytes.');
  assert.equal(sized(88), 'an 88-byte');
  assert.equal(sized(18), 'an 18-byte');
  assert.equal(sized(180), 'a 180-byte');
  assert.equal(sized(40), 'a 40-byte');
});
