// predict-chart.test.mjs: the Predictions chart's series are shaped in the
// worker (engine/predict-work.js, model/predict-model.js chartSeries): the
// page receives at most a few points per pixel column of the chart, never the
// whole test part (45,000 requests on gcc, 495,000 on a 3.3M-op trace), and
// each column keeps its extremes, so the picture is the one of every point.
import test from 'node:test';
import assert from 'node:assert/strict';
import { chartSeries, CHART_COLUMNS } from '../../web/js/model/predict-model.js';
import { predictOnce, predictInSlices } from '../../web/js/engine/predict-work.js';

// A report like lab.predict's with n test requests.
function bigReport(n) {
  const actual = Array.from({ length: n }, (_, i) => [16, 24, 4072, 24][i % 4] + (i % 997 === 0 ? 9000 : 0));
  const predicted = Array.from({ length: n }, (_, i) => 20 + (i % 13));
  return { train: 1000, test: n, actual, predicted, tree: { mae: 1 } };
}

// Runs a generator to its return value.
function drain(g) {
  for (;;) { const r = g.next(); if (r.done) return r.value; }
}

test('the report the page receives holds at most 5 chart points per pixel column, none of the raw series', () => {
  const n = 495000;
  const lab = {
    predict: () => bigReport(n),
    predictSlices: () => { let f = 0; return { more: () => (f += 0.5), end: () => bigReport(n), abort() {} }; },
  };
  for (const res of [predictOnce(lab, null, { columns: 800 }), drain(predictInSlices(lab, null, { columns: 800 }))]) {
    const rep = res.report;
    assert.equal(rep.actual, undefined);
    assert.equal(rep.predicted, undefined);
    assert.equal(rep.chart.n, n);
    assert.ok(rep.chart.actual.length <= 3 * 800 && rep.chart.predicted.length <= 2 * 800, `${rep.chart.actual.length} + ${rep.chart.predicted.length} points`);
    assert.equal(rep.tree.mae, 1);
  }
  // no width given (or an absurd one): the bounds of CHART_COLUMNS
  const none = predictOnce(lab, null, {}).report.chart;
  assert.ok(none.actual.length + none.predicted.length <= 5 * CHART_COLUMNS.fallback);
  const huge = predictOnce(lab, null, { columns: 1e9 }).report.chart;
  assert.ok(huge.actual.length + huge.predicted.length <= 5 * CHART_COLUMNS.max);
});

test('each column keeps its extremes (the same picture), with true x values in order', () => {
  const { actual, predicted } = bigReport(100000);
  const s = chartSeries(actual, predicted, 1001, 500);
  const ys = (pts) => pts.map((p) => p.y);
  assert.equal(Math.max(...ys(s.actual)), Math.max(...actual));
  assert.equal(Math.min(...ys(s.actual)), Math.min(...actual));
  assert.equal(s.actual.filter((p) => p.y > 9000).length, actual.filter((v) => v > 9000).length, 'every spike shows');
  for (const pts of [s.actual, s.predicted]) {
    assert.ok(pts.every((p, i) => i === 0 || p.x > pts[i - 1].x), 'x ascending');
    assert.ok(pts.every((p) => p.x >= 1001 && p.x < 101001));
  }
  for (let c = 0; c < 500; c++) { // per column: the predicted line's min and max are kept
    const lo = Math.floor((c * 100000) / 500), hi = Math.floor(((c + 1) * 100000) / 500);
    const inCol = s.predicted.filter((p) => p.x - 1001 >= lo && p.x - 1001 < hi).map((p) => p.y);
    assert.equal(Math.max(...inCol), Math.max(...predicted.slice(lo, hi)));
    assert.equal(Math.min(...inCol), Math.min(...predicted.slice(lo, hi)));
  }
  // short series are kept whole
  const short = chartSeries([1, 2, 3], [3, 2, 1], 5, 500);
  assert.deepEqual(short.actual, [{ x: 5, y: 1 }, { x: 6, y: 2 }, { x: 7, y: 3 }]);
});
