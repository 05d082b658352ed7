// predict-chart.test.mjs: the Predictions chart's series are shaped in C
// (ml/predict/predict_chart.c), to the chart's pixel columns the engine
// passes on (engine/predict-work.js): the page receives at most 5 points per
// column, never the whole test part (45,000 requests on gcc, 495,000 on a
// 3.3M-op trace), and each column keeps its extremes and its most frequent
// size. The points are checked against chartSeries below, a reference
// written from the specification (it was the page's own shaping before C
// took it over), on the real module's raw series.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { predictOnce, predictInSlices } from '../../web/js/engine/predict-work.js';

const require = createRequire(import.meta.url);
const lab = await require(new URL('../../dist/heaplab.js', import.meta.url).pathname).load();

// The reference: per column the predicted line's lowest and highest point, the actual sizes'
// lowest, highest and most frequent (the index where its running count took the lead; ties:
// the smaller size); x = x0 + index; a series no longer than `cols` is kept whole.
function chartSeries(actual, predicted, x0, cols) {
  const n = Math.min(actual.length, predicted.length);
  const out = { actual: [], predicted: [], columns: cols, n, x0 };
  if (n <= cols) {
    for (let i = 0; i < n; i++) {
      out.actual.push({ x: x0 + i, y: actual[i] });
      out.predicted.push({ x: x0 + i, y: predicted[i] });
    }
    return out;
  }
  const counts = new Map();
  for (let c = 0; c < cols; c++) {
    const lo = Math.floor((c * n) / cols), hi = Math.floor(((c + 1) * n) / cols);
    if (hi <= lo) continue;
    let aMin = lo, aMax = lo, pMin = lo, pMax = lo, best = lo, bestCount = 0;
    counts.clear();
    for (let i = lo; i < hi; i++) {
      const a = actual[i], p = predicted[i];
      if (a < actual[aMin]) aMin = i;
      if (a > actual[aMax]) aMax = i;
      if (p < predicted[pMin]) pMin = i;
      if (p > predicted[pMax]) pMax = i;
      const k = (counts.get(a) || 0) + 1;
      counts.set(a, k);
      if (k > bestCount || (k === bestCount && a < actual[best])) { best = i; bestCount = k; }
    }
    for (const i of [...new Set([aMin, aMax, best])].sort((u, v) => u - v)) out.actual.push({ x: x0 + i, y: actual[i] });
    for (const i of [...new Set([pMin, pMax])].sort((u, v) => u - v)) out.predicted.push({ x: x0 + i, y: predicted[i] });
  }
  return out;
}

// Runs a generator to its return value.
function drain(g) {
  for (;;) { const r = g.next(); if (r.done) return r.value; }
}

const text = lab.generate('phases', 3, 60000);
const trace = lab.loadTrace(text, { name: 'phases.csv' });
const raw = lab.predict(trace, {}); // the raw test series (detail) to check against

test("C's chart is the reference shaping of the raw test series, for every width", () => {
  assert.ok(raw.test > 9000, `${raw.test} test requests`);
  for (const [columns, cols] of [[800, 800], [100, 100], [37, 100], [1e9, 4096], [true, 1200], [20000, 4096]]) {
    const rep = lab.predict(trace, { columns });
    assert.equal(rep.actual, undefined, 'no raw series with a chart');
    assert.equal(rep.predicted, undefined);
    assert.deepEqual(rep.chart, chartSeries(raw.actual, raw.predicted, raw.train + 1, cols), `columns ${columns}`);
    assert.ok(rep.chart.actual.length <= 3 * cols && rep.chart.predicted.length <= 2 * cols);
    const { chart, ...rest } = rep;
    const { actual, predicted, ...rawRest } = raw;
    assert.deepEqual(rest, rawRest, 'the rest of the report is unchanged');
  }
  const few = lab.predict([16, 32, 16, 64, 24, 24, 128, 40, 16, 32, 16, 64, 24, 24, 128, 40, 16, 32, 16, 64], { columns: 500 });
  assert.equal(few.chart.n, few.test);
  assert.equal(few.chart.actual.length, few.test, 'a short test part is kept whole');
});

test('the report the page receives holds at most 5 chart points per pixel column, and its JSON is small', () => {
  const opts = { limit: trace.length, columns: 800, maxDepth: 8 }; // the page's depth: the tree's JSON stays small too
  for (const res of [predictOnce(lab, trace, opts), drain(predictInSlices(lab, trace, opts))]) {
    const rep = res.report;
    assert.equal(rep.actual, undefined);
    assert.equal(rep.predicted, undefined);
    assert.equal(rep.chart.n, raw.test);
    assert.ok(rep.chart.actual.length <= 3 * 800 && rep.chart.predicted.length <= 2 * 800);
    const rawDeep = lab.predict(trace, { maxDepth: 8 });
    assert.deepEqual(rep.chart, chartSeries(rawDeep.actual, rawDeep.predicted, rawDeep.train + 1, 800));
    assert.ok(JSON.stringify(rep).length < 40 * 5 * 800 + 60000, `${JSON.stringify(rep).length} bytes`);
  }
  // no width known: C's default width
  const none = drain(predictInSlices(lab, trace, { limit: trace.length })).report.chart;
  assert.equal(none.columns, 1200);
});
