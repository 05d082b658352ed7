// model.test.mjs: unit tests of the page's DOM-free model (state.js,
// url-state.js, words.js, heap-layout.js, predict-model.js).
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  normalizeSettings, clamp, moveCursor, blockTable, blockAt, touchedBy, liveBlocks,
} from '../../web/js/model/state.js';
import { runOf, VOCAB } from './fixtures.mjs';
import { parseQuery, formatQuery, parseManual, formatManual } from '../../web/js/model/url-state.js';
import { describeOp, plural, countOf, errorName, errorText } from '../../web/js/model/words.js';
import { makeLayout, rectsOf, eachRect, pixelKinds, byteAt, formatBytes } from '../../web/js/model/heap-layout.js';
import { verdict, winner, metricRows, treeLines, importances } from '../../web/js/model/predict-model.js';


const DEFAULTS = { policy: 'first', order: 'lifo', coalesce: true, align: 8, arena: 64 << 20 };

test("settings: bad values fall back to the engine's defaults, good ones are kept", () => {
  assert.deepEqual(VOCAB.defaults, DEFAULTS);
  assert.deepEqual(normalizeSettings({}, VOCAB), DEFAULTS);
  assert.deepEqual(normalizeSettings({ policy: 'evil', order: 'x', align: '12', arena: '10', coalesce: 'maybe' }, VOCAB),
    { ...DEFAULTS, coalesce: false });
  assert.deepEqual(normalizeSettings({ policy: 'best', order: 'addr', align: '16', arena: '4096', coalesce: '0' }, VOCAB),
    { policy: 'best', order: 'addr', align: 16, arena: 4096, coalesce: false });
  assert.equal(normalizeSettings({ policy: 'fast', arena: '64' }, VOCAB).policy, 'fast');
  assert.equal(normalizeSettings({ arena: '63' }, VOCAB).arena, DEFAULTS.arena);
  assert.equal(normalizeSettings({ arena: String(2 ** 30 + 1) }, VOCAB).arena, DEFAULTS.arena);
  // the names and defaults are the vocabulary's, not the model's
  const v = { ...VOCAB, policies: ['one', 'two'], aligns: [32], defaults: { ...DEFAULTS, policy: 'two', align: 32 } };
  assert.deepEqual(normalizeSettings({ policy: 'first', align: '8' }, v), { ...DEFAULTS, policy: 'two', align: 32 });
  assert.equal(normalizeSettings({ policy: 'one' }, v).policy, 'one');
});

test('cursor moves stay inside [0, n]', () => {
  assert.equal(moveCursor(0, 5, 'back'), 0);
  assert.equal(moveCursor(5, 5, 'forward'), 5);
  assert.equal(moveCursor(3, 5, 'forward'), 4);
  assert.equal(moveCursor(3, 5, 'reset'), 0);
  assert.equal(moveCursor(3, 5, 'end'), 5);
  assert.equal(moveCursor(3, 5, 17), 5);
  assert.equal(clamp(NaN, 0, 9), 0);
  assert.equal(clamp('4.7', 0, 9), 4);
});

const BLOCKS = [
  { offset: 4, size: 32, free: false, payloadOffset: 8, payloadSize: 20, nextFree: 0, id: 0 },
  { offset: 36, size: 48, free: true, payloadOffset: 40, payloadSize: 0, nextFree: 0, id: -1 },
  { offset: 84, size: 16, free: false, payloadOffset: 88, payloadSize: 12, nextFree: 0, id: 1 },
];

test('blockTable tiles [0, heapSize) with header, payload, padding, free, footer, pad, epilogue', () => {
  const t = blockTable(BLOCKS, 104, 8, VOCAB);
  let at = 0;
  for (const r of t) { assert.equal(r.start, at, `gap before ${JSON.stringify(r)}`); assert.ok(r.end > r.start); at = r.end; }
  assert.equal(at, 104);
  assert.deepEqual(t.map((r) => r.kind), ['pad', 'header', 'payload', 'padding', 'header', 'free', 'footer', 'header', 'payload', 'epilogue']);
  const pay = t.find((r) => r.kind === 'payload');
  assert.deepEqual([pay.start, pay.end], [8, 28]);
  // rewritten into an earlier table (longer or shorter): the same ranges, the array and its objects reused
  const old = blockTable([{ ...BLOCKS[2], offset: 4 }], 24, 8, VOCAB).concat(blockTable(BLOCKS, 104, 8, VOCAB));
  const firstObj = old[0];
  const again = blockTable(BLOCKS, 104, 8, VOCAB, old);
  assert.equal(again, old);
  assert.equal(again[0], firstObj);
  assert.deepEqual(again.map((r) => ({ ...r })), t.map((r) => ({ ...r })));
  const grown = blockTable(BLOCKS, 104, 8, VOCAB, blockTable([], 8, 8, VOCAB));
  assert.deepEqual(grown.map((r) => ({ ...r })), t.map((r) => ({ ...r })));
  // a block whose payload fills it exactly has no padding range
  assert.ok(!blockTable([{ ...BLOCKS[2], offset: 4 }], 24, 8, VOCAB).some((r) => r.kind === 'padding'));
  // headers and footers are the vocabulary's size
  assert.equal(VOCAB.headerBytes, 4);
  const wide = blockTable(BLOCKS.map((b) => ({ ...b })), 104, 8, { headerBytes: 8 });
  assert.deepEqual(wide.filter((r) => r.block === 1).map((r) => [r.kind, r.start, r.end]), [['header', 36, 44], ['free', 44, 76], ['footer', 76, 84]]);
});

test('blockAt finds the block holding a byte, -1 outside', () => {
  assert.equal(blockAt(BLOCKS, 4), 0);
  assert.equal(blockAt(BLOCKS, 35), 0);
  assert.equal(blockAt(BLOCKS, 36), 1);
  assert.equal(blockAt(BLOCKS, 99), 2);
  assert.equal(blockAt(BLOCKS, 100), -1);
  assert.equal(blockAt(BLOCKS, 0), -1);
  assert.equal(blockAt([], 10), -1);
});

test('touchedBy names the blocks an op placed, split, freed or merged, and the break it moved', () => {
  const t = touchedBy([{ kind: 'scan', a: 2, b: 36 }, { kind: 'split', a: 36, b: 16, c: 32 }, { kind: 'place', a: 36, b: 16, c: 40 }, { kind: 'extend', a: 104, b: 200 }]);
  assert.deepEqual([...t.blocks].sort((a, b) => a - b), [36, 52]);
  assert.deepEqual(t.extend, [104, 200]);
  assert.equal(t.label, 'split, break +96');
  assert.equal(touchedBy([{ kind: 'free', a: 8, b: 16 }, { kind: 'coalesce', detail: 4, a: 4, b: 64 }]).label, 'coalesced (case 4), freed');
  assert.equal(touchedBy([]).label, '');
  assert.deepEqual(liveBlocks(BLOCKS).map((b) => b.id), [0, 1]);
});

test('URL state round-trips and rejects junk', () => {
  const q = parseQuery('?scenario=stack&seed=7&ops=50&policy=best&order=addr&coalesce=0&align=16&arena=4096&step=12&cut=3&m=a32.f2.r1:64&embed=1', VOCAB);
  assert.deepEqual(q.scenario, { name: 'stack', seed: 7, ops: 50 });
  assert.deepEqual(q.settings, { policy: 'best', order: 'addr', coalesce: false, align: 16, arena: 4096 });
  assert.equal(q.step, 12);
  assert.equal(q.cut, 3);
  assert.deepEqual(q.manual, [{ op: 'alloc', size: 32 }, { op: 'free', id: 2 }, { op: 'realloc', id: 1, size: 64 }]);
  assert.equal(q.embed, true);
  const back = parseQuery(formatQuery({ scenario: { ...q.scenario, generated: true }, settings: q.settings, step: 12, cut: 3, manual: q.manual, embed: true }, VOCAB), VOCAB);
  assert.deepEqual(back, q);
  const junk = parseQuery('?scenario=<script>&seed=-1&ops=1e9&policy=fast!&step=abc&m=zz.a-1', VOCAB);
  assert.equal(junk.scenario.name, 'random');
  assert.equal(junk.scenario.seed, 1);
  assert.equal(junk.settings.policy, 'first');
  assert.equal(junk.step, 0);
  assert.deepEqual(junk.manual, []);
  assert.equal(formatManual(parseManual('a1.f0.r3:9')), 'a1.f0.r3:9');
  const plain = { scenario: { name: 'git_log' }, settings: normalizeSettings({}, VOCAB), step: 0, manual: [] };
  assert.equal(formatQuery(plain, VOCAB), '?scenario=git_log&step=0');
  assert.equal(formatQuery({ ...plain, settings: { ...plain.settings, policy: 'fast', coalesce: false } }, VOCAB), '?scenario=git_log&policy=fast&coalesce=0&step=0');
  assert.deepEqual(parseQuery('?align=32&order=lifo', VOCAB).settings, DEFAULTS);
});

test('words: each op is described from its events', () => {
  assert.equal(plural(1, 'block'), '1 block');
  assert.equal(plural(3, 'block'), '3 blocks');
  assert.equal(plural(1, 'entry', 'entries'), '1 entry');
  assert.equal(countOf(300000, 'operation'), '300,000 operations');
  assert.equal(countOf(1, 'operation'), '1 operation');
  assert.equal(plural(0, 'entry', 'entries'), '0 entries');
  assert.equal(errorText(new RangeError('bad seed')), 'bad seed');
  assert.equal(errorText('plain'), 'plain');
  assert.equal(errorText(null), 'null');
  assert.match(errorName(-1), /out of memory/);
  const s = describeOp(0, 4, 48, 120, [
    { kind: 'request', a: 48, b: 56 }, { kind: 'scan', a: 3, b: 116 }, { kind: 'split', a: 116, b: 56, c: 64 }, { kind: 'place', a: 116, b: 56, c: 120 },
  ]);
  assert.equal(s, 'malloc(48) for block 4: needs a 56-byte block, scanned 3 free blocks, split 120 into 56 + 64, placed at 116 (payload at 120).');
  assert.equal(describeOp(0, 4, 48, 120, [{ kind: 'request', a: 48, b: 56 }, { kind: 'scan', a: 1, b: 116 }, { kind: 'place', a: 116, b: 64, c: 120 }]),
    'malloc(48) for block 4: needs a 56-byte block, scanned 1 free block, placed at 116, a 64-byte block (payload at 120).', 'a block bigger than asked names its size');
  assert.match(describeOp(1, 2, 0, 40, [{ kind: 'free', a: 36, b: 48, c: 40 }, { kind: 'coalesce', detail: 4, a: 4, b: 128 }]), /coalesced with both neighbours \(case 4\) into 128 bytes/);
  assert.match(describeOp(0, 9, 1e9, 0, [{ kind: 'fail', detail: 0, a: -3, b: 0 }]), /failed: too big for the arena/);
  assert.match(describeOp(2, 1, 100, 8, [{ kind: 'realloc', detail: 4, a: 8, b: 200, c: 112 }]), /moved it \(malloc, copy, free\)/);
});

test('heap layout: rows cover the span, ranges wrap, byteAt inverts rectsOf', () => {
  const L = makeLayout(1000, 400, 1, 8);
  assert.ok(L.rows * L.bytesPerRow >= 1000);
  assert.equal(L.bytesPerRow % 8, 0);
  const z = makeLayout(1000, 400, 4, 8);
  assert.ok(z.rows > L.rows && z.pxPerByte > L.pxPerByte, 'zoom gives more pixels per byte');
  const r = rectsOf(L.bytesPerRow - 10, L.bytesPerRow + 10, L);
  assert.equal(r.length, 2);
  assert.equal(r[1].x, 0);
  const mid = rectsOf(300, 301, L)[0];
  assert.equal(byteAt(mid.x + 0.01, mid.y + 1, L), 300);
  assert.equal(byteAt(5, 1, L), -1, 'the link band above a row is not a byte');
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(65536), '64 KiB');
  assert.equal(formatBytes(1536), '1.5 KiB');
});

test('predictions are stated plainly: a baseline that beats the tree is named', () => {
  const rep = { train: 70, test: 30, tree: { mae: 12, rmse: 20, exact: 0.1, size_class: 0.5 }, last: { mae: 15, rmse: 30, exact: 0.2, size_class: 0.4 }, markov1: { mae: 8, rmse: 10, exact: 0.6, size_class: 0.7 } };
  assert.equal(winner(rep)[0], 'markov1');
  assert.match(verdict(rep, 100), /Markov-1 \(most frequent successor\) beats the regression tree on every measure/);
  assert.match(verdict(rep, 100), /Closest on average \(mean error\): Markov-1 \(most frequent successor\), 8\.0 bytes against the tree's 12\.0 bytes/);
  const rows = metricRows(rep);
  assert.equal(rows.find((r) => r.cells[0].startsWith('Markov-1')).cells[1], '8.0\u00a0★');
  rep.tree.mae = 5;
  assert.match(verdict(rep, 100), /No predictor is best on every measure.*Closest on average \(mean error\): regression tree, 5\.0 bytes\./);
  assert.match(verdict({}, 3), /Not enough allocation requests/);
  const lines = treeLines({ tree: { feature: [0, -1, -1], threshold: [24, -2, -2], left: [1, -1, -1], right: [2, -1, -1], value: [30, 16, 48] }, featureNames: ['prev1'] });
  assert.deepEqual(lines, ['node 0: prev1 ≤ 24?', '  node 1: predict 16 bytes', '  node 2: predict 48 bytes']);
  assert.deepEqual(importances({ importances: [0.25, 0.75], featureNames: ['a', 'b'] }), [['b', 0.75], ['a', 0.25]]);
});

test('compare summary names every policy that ties for the smallest heap', async () => {
  const { summary } = await import('../../web/js/views/compare-view.js');
  assert.equal(summary(['best'], 4, 4096), 'Best fit needs the smallest heap here (4 KiB).');
  assert.equal(summary(['first', 'best'], 4, 512), 'First fit and Best fit need the smallest heap here (512 B).');
  assert.equal(summary(['first', 'next', 'best', 'worst'], 4, 100), 'Every policy needs the same heap here (100 B).');
  assert.equal(summary([], 4, 0), '');
});

test('a short imported run travels in the link as manual ops', async () => {
  const { runAsManual } = await import('../../web/js/model/url-state.js');
  const run = runOf('op,id,size\nalloc,7,10\nalloc,3,20\nrealloc,7,40\nfree,3,0\nfree,7,0\n');
  assert.equal(formatManual(runAsManual(run)), 'a10.a20.r0:40.f1.f0');
  assert.equal(runAsManual(run, 4), null, 'too long');
  const bad = runOf('op,id,size,offset,result\nalloc,0,8,8,8\nfree,-1,0,12,-4\n');
  assert.equal(runAsManual(bad), null, 'a bad free cannot be a manual op');
});

test('pixelKinds: each pixel column takes the kind covering most of its bytes; eachRect matches rectsOf', () => {
  // one row of 100 bytes drawn in 10 columns (10 bytes each)
  const L = { rows: 1, bytesPerRow: 100, pxPerByte: 0.1, span: 100 };
  const table = [
    { kind: 'header', start: 0, end: 4 }, { kind: 'payload', start: 4, end: 28 },  // column 0: 4 header + 6 payload
    { kind: 'free', start: 28, end: 33 }, { kind: 'payload', start: 33, end: 100 }, // column 2: 2 payload, 3 free, 5 payload
  ];
  const kinds = ['header', 'payload', 'free'];
  const px = pixelKinds(table, L, 10, kinds);
  assert.deepEqual([...px].map((k) => kinds[k]), ['payload', 'payload', 'payload', 'payload', 'payload', 'payload', 'payload', 'payload', 'payload', 'payload']);
  const px2 = pixelKinds([{ kind: 'free', start: 0, end: 7 }, { kind: 'payload', start: 7, end: 10 }], L, 10, kinds);
  assert.equal(kinds[px2[0]], 'free');
  assert.equal(px2[5], 255, 'no bytes: nothing drawn');
  const L2 = makeLayout(1000, 300, 1, 8);
  const got = [];
  eachRect(100, 700, L2, (x, y, w, h, row) => got.push({ x, y, w, h, row }));
  assert.deepEqual(got, rectsOf(100, 700, L2));
});
