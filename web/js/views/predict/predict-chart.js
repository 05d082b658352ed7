// predict-chart.js: the Predictions section's chart, actual vs predicted
// request sizes over the test part. Its points come shaped by C to the
// chart's pixel columns (ml/predict/predict_chart.c); here they are only
// drawn. Creating a Chart.js chart is the costly part of drawing the first
// report (its canvas, scales and first layout: most of a 53-68 ms task when
// a gcc report arrived), so the empty chart is made ahead, when the page is
// idle (the section came into view, or training began: prepare), and the
// report's arrival only fills it (show: update('none'), no animation).
import { Chart } from 'chart.js';
import { predictionConfig } from '../../model/chart-config.js';
import { chartTheme } from '../charts.js';

// Runs f when the page is idle (within about a second), or at the next turn where idle callbacks are missing.
const whenIdle = (f) => (globalThis.requestIdleCallback ? globalThis.requestIdleCallback(f, { timeout: 1000 }) : setTimeout(f, 0));

export class PredictionChart {
  // One chart of actual vs predicted sizes over the test part of the split, made on first need.
  constructor(canvas) {
    this.canvas = canvas;
    this.chart = null;
    this.waiting = false;
  }

  // Makes the empty chart at the next idle moment (nothing when it exists or is on its way).
  prepare() {
    if (this.chart || this.waiting) return;
    this.waiting = true;
    whenIdle(() => { this.waiting = false; this.create(); });
  }

  // Makes the chart now if it does not exist yet; returns it.
  create() {
    if (!this.chart) this.chart = new Chart(this.canvas, predictionConfig(chartTheme()));
    return this.chart;
  }

  // Empties the chart (a new run).
  clear() {
    if (!this.chart) return;
    for (const d of this.chart.data.datasets) d.data = [];
    this.chart.update('none');
  }

  // The chart's width in device pixels (what C shapes the series to), or undefined.
  columns() {
    const w = this.canvas.clientWidth || (this.canvas.parentElement && this.canvas.parentElement.clientWidth) || 0;
    return w > 0 ? Math.ceil(w * (globalThis.devicePixelRatio || 1)) : undefined;
  }

  // Shows a report's chart ({actual, predicted} points, n requests; x counts allocation requests from x0).
  show(series) {
    const c = this.create();
    c.data.datasets[0].data = series.actual;
    c.data.datasets[1].data = series.predicted;
    c.options.scales.x.min = series.x0;
    c.options.scales.x.max = series.x0 + Math.max(1, series.n - 1);
    c.options.scales.x.title.text = 'allocation request';
    c.update('none');
  }
}
