// charts.test.mjs: the chart-config builders and the series' reference (plain data, no canvas;
// the series C folds are checked against that reference in engine/run-steps.test.mjs).
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  prefixLength, histogram, sizeClass, utilizationConfig, fragmentationConfig, scannedConfig, histogramConfig, predictionConfig,
} from '../../web/js/model/chart-config.js';
import { runOf } from './fixtures.mjs';
import { seriesFromRun, emptySeries, extendSeries, pointAt, prefixOf } from './series-oracle.mjs'; // the series' reference (C folds them)

const THEME = { text: '#111', muted: '#555', grid: '#eee' };
const run = runOf(`seq,op,id,size,offset,blockSize,scanned,heapSize,liveBytes,freeBytes,largestFree,freeBlocks,result
0,alloc,0,10,8,16,0,24,10,0,0,0,8
1,alloc,1,100,24,104,0,128,110,0,0,0,24
2,free,0,0,8,16,0,128,100,16,16,1,0
3,alloc,2,30,128,40,1,168,130,16,16,1,128
4,free,2,0,128,40,0,168,100,56,40,2,0
`);

test('series: one point per op at x = step, scanned only for requests, fragmentation from the log', () => {
  const s = seriesFromRun(run);
  assert.deepEqual(s.heap.map((p) => p.y), [24, 128, 128, 168, 168]);
  assert.deepEqual(s.live.map((p) => [p.x, p.y]), [[1, 10], [2, 110], [3, 100], [4, 130], [5, 100]]);
  assert.deepEqual(s.scanned.map((p) => p.x), [1, 2, 4]);
  assert.deepEqual(s.frag.map((p) => +p.y.toFixed(4)), [0, 0, 0, 0, +(1 - 40 / 56).toFixed(4)]);
  assert.deepEqual(s.freeBlocks.map((p) => p.y), [0, 0, 1, 1, 2]);
});

test('prefixLength counts the points at or before step k', () => {
  const s = seriesFromRun(run);
  assert.equal(prefixLength(s.heap, 0), 0);
  assert.equal(prefixLength(s.heap, 3), 3);
  assert.equal(prefixLength(s.scanned, 3), 2);
  assert.equal(prefixLength(s.scanned, 99), 3);
});

test('histogram: power-of-two classes of request sizes up to step k', () => {
  assert.equal(sizeClass(1), 8);
  assert.equal(sizeClass(8), 8);
  assert.equal(sizeClass(9), 16);
  assert.equal(sizeClass(100), 128);
  const h = histogram(run, 5);
  assert.deepEqual(h.classes, [16, 32, 128]);
  assert.deepEqual(h.labels, ['9–16', '17–32', '65–128']);
  assert.deepEqual(h.counts, [1, 1, 1]);
  assert.deepEqual(histogram(run, 1).counts, [1]);
  assert.deepEqual(histogram(run, 0).counts, []);
});

test('line charts: no parsing, no animation, LTTB decimation, x fixed to the whole run', () => {
  for (const cfg of [utilizationConfig(5000, THEME), fragmentationConfig(5000, THEME, true), scannedConfig(5000, THEME)]) {
    assert.equal(cfg.type, 'line');
    assert.equal(cfg.options.parsing, false);
    assert.equal(cfg.options.animation, false);
    assert.equal(cfg.options.plugins.decimation.enabled, true);
    assert.equal(cfg.options.plugins.decimation.algorithm, 'lttb');
    assert.equal(cfg.options.scales.x.type, 'linear');
    assert.equal(cfg.options.scales.x.max, 5000);
    for (const d of cfg.data.datasets) assert.deepEqual(d.data, []);
  }
  assert.equal(fragmentationConfig(10, THEME, true).data.datasets.length, 2);
  assert.equal(fragmentationConfig(10, THEME, false).data.datasets.length, 1);
  assert.equal(fragmentationConfig(10, THEME, true).options.scales.y.max, 1);
  assert.equal(histogramConfig(THEME).type, 'bar');
  assert.equal(predictionConfig(THEME).data.datasets.length, 2);
  // configs are plain data: they survive a JSON round trip unchanged
  const u = utilizationConfig(7, THEME);
  assert.deepEqual(JSON.parse(JSON.stringify(u)), u);
});

test('a long run keeps a bounded series: each bucket its lowest and highest point, the exact point at the cursor added', async () => {
  const { histogramCounter } = await import('../../web/js/model/chart-config.js');
  const n = 10000;
  const heapSize = new Float64Array(n), liveBytes = new Float64Array(n), size = new Float64Array(n);
  for (let i = 0; i < n; i++) { heapSize[i] = 1000 + (i % 97) * 10; liveBytes[i] = i === 4321 ? 99999 : i; size[i] = 1 + (i % 300); }
  const big = { n, op: new Uint8Array(n), id: new Float64Array(n), cols: { heapSize, liveBytes, size } };
  const s = emptySeries(n, 200);
  for (let from = 0; from < n; from += 777) extendSeries(s, big, from, Math.min(n, from + 777));
  assert.ok(s.live.length <= 200 && s.live.length > 100, `kept ${s.live.length} points`);
  assert.ok(s.live.some((p) => p.x === 4322 && p.y === 99999), 'the spike is kept');
  for (let i = 1; i < s.live.length; i++) assert.ok(s.live[i].x > s.live[i - 1].x, 'in step order');
  const pre = prefixOf(s.live, 5000, pointAt(big, 'live', 5000));
  assert.deepEqual(pre[pre.length - 1], { x: 5000, y: 4999 });
  assert.ok(pre.every((p) => p.x <= 5000));
  // the histogram counter moving back and forth agrees with a fresh count
  const hc = histogramCounter(big);
  for (const k of [10, 9000, 8000, 100, 10000, 0]) assert.deepEqual(hc.at(k), histogramCounter(big).at(k), `at ${k}`);
});

test('the histogram counter jumps far at the cost of a chunk once a pass has gone by, and agrees with a fresh count', async () => {
  const { histogramCounter } = await import('../../web/js/model/chart-config.js');
  const n = 300000;
  const op = new Uint8Array(n), size = new Float64Array(n);
  for (let i = 0; i < n; i++) { op[i] = i % 5 === 4 ? 1 : 0; size[i] = (i * 7919) % 5000; }
  let reads = 0;
  const counted = new Proxy(size, { get: (t, p) => { if (typeof p === 'string' && /^\d+$/.test(p)) reads++; return t[p]; } });
  const run = { n, op, id: new Float64Array(n), cols: { size: counted } };
  const hc = histogramCounter(run);
  const fresh = (k) => histogramCounter({ n, op, id: run.id, cols: { size } }).at(k);
  assert.deepEqual(hc.at(n), fresh(n), 'End');
  for (const k of [0, 65536, 65535, 131073, 299999, 12, 250000]) assert.deepEqual(hc.at(k), fresh(k), `at ${k}`);
  hc.at(0);
  reads = 0;
  assert.deepEqual(hc.at(n), fresh(n));
  assert.ok(reads <= 65536, `step 0 to End read ${reads} sizes (the whole run is ${n})`);
  reads = 0;
  hc.at(150000);
  assert.ok(reads <= 65536, `End to the middle read ${reads} sizes`);
});

test('a step that moves no drawn point by half a pixel is seen as drawing the same picture', async () => {
  const { lineSummary, looksSame, barsLookSame } = await import('../../web/js/model/chart-config.js');
  const pts = Array.from({ length: 100 }, (_, i) => ({ x: (i + 1) * 3000, y: 1000 + (i % 7) }));
  const toX = (v) => v * (600 / 300000), toY = (v) => 200 - v * (200 / 2000);
  const at = (k, y) => prefixOf(pts, k, { x: k, y });
  const was = lineSummary(at(150001, 1003));
  assert.equal(looksSame(was, at(150002, 1003), toX, toY), true, 'one step of 300,000 over 600 px, the same y');
  assert.equal(looksSame(was, at(150002, 1004), toX, toY), true, 'y moved 0.1 px');
  assert.equal(looksSame(was, at(150002, 1010), toX, toY), false, 'y moved a pixel');
  assert.equal(looksSame(was, at(150400, 1003), toX, toY), false, 'x moved 0.8 px');
  assert.equal(looksSame(was, at(153001, 1003), toX, toY), false, 'a point of the series joins the prefix');
  assert.equal(looksSame(was, at(150002, 5000), (v) => v / 500, (v) => v / 1e9), false, 'a new largest y rescales the axis');
  assert.equal(looksSame(lineSummary(at(150001, 5000)), at(150002, 4000), (v) => v / 500, (v) => v / 1e9), false, 'and so does losing it');
  assert.equal(looksSame(null, at(150002, 1003), toX, toY), false, 'nothing drawn yet');
  const h = { labels: ['8', '16'], counts: [5000, 7000] };
  const bar = (v) => 260 - v * (260 / 7000);
  assert.equal(barsLookSame(h, { labels: ['8', '16'], counts: [5001, 7000] }, bar), true);
  assert.equal(barsLookSame(h, { labels: ['8', '16'], counts: [5020, 7000] }, bar), false);
  assert.equal(barsLookSame(h, { labels: ['8', '16'], counts: [5000, 7001] }, bar), false, 'a new largest count rescales');
  assert.equal(barsLookSame(h, { labels: ['8', '16', '32'], counts: [5000, 7000, 1] }, bar), false, 'a new class');
});

test('a chart line holds the buckets before the cursor\'s; the rest rides as a tail when it changes no axis', async () => {
  const { splitAt } = await import('../../web/js/model/chart-config.js');
  // buckets of 10 steps, each keeping its lowest and highest point
  const pts = [{ x: 3, y: 5 }, { x: 8, y: 50 }, { x: 12, y: 20 }, { x: 15, y: 30 }, { x: 24, y: 10 }];
  const exact = (k, y) => ({ x: k, y });
  let r = splitAt(pts, 17, 10, exact(17, 25));
  assert.deepEqual(r.line, pts.slice(0, 2), 'the line: the buckets closed before step 17\'s');
  assert.deepEqual(r.tail, [pts[1], pts[2], pts[3], exact(17, 25)], 'the tail: from the line\'s end through 12 and 15 to the exact point');
  assert.equal(r.line[1], pts[1], 'the line shares the series\' point objects (looksSame compares them)');
  r = splitAt(pts, 19, 10, exact(19, 40));
  assert.deepEqual(r.line, pts.slice(0, 2), 'a later step of the same bucket: the same line (no chart redraw)');
  r = splitAt(pts, 17, 10, exact(17, 60));
  assert.deepEqual(r.line, prefixOf(pts, 17, exact(17, 60)), 'a y past the line\'s range would move the axis: all of it joins the line');
  assert.equal(r.tail, null);
  const spike = [{ x: 3, y: 5 }, { x: 8, y: 50 }, { x: 12, y: 90 }, { x: 15, y: 30 }];
  r = splitAt(spike, 17, 10, exact(17, 25));
  assert.deepEqual(r.line, spike.slice(0, 3), 'a new largest y at 12: the line runs on to it');
  assert.deepEqual(r.tail, [spike[2], spike[3], exact(17, 25)], 'and the points after it ride');
  assert.deepEqual(splitAt(spike, 18, 10, exact(18, 40)).line, spike.slice(0, 3), 'the next step: the same line');
  r = splitAt(pts, 15, 10, exact(15, 31));
  assert.deepEqual(r.tail, [pts[1], pts[2], pts[3]], 'the series holds step 15: its own point ends the tail');
  r = splitAt(pts, 21, 10, null);
  assert.deepEqual(r, { line: pts.slice(0, 4), tail: null }, 'nothing of step 21\'s bucket yet, no exact point: no tail');
  r = splitAt(pts, 5, 10, exact(5, 7));
  assert.deepEqual(r.line, prefixOf(pts, 5, exact(5, 7)), 'no line before the first bucket: the points join it');
  assert.deepEqual(splitAt(pts, 0, 10, null), { line: [], tail: null }, 'step 0');
  assert.deepEqual(splitAt(pts, 12, 1, exact(12, 20)).line, pts.slice(0, 2), 'buckets of one step: the line ends before the step');
});
