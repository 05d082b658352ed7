// charts.js: the Chart.js view. Charts are created once per run length and
// then updated in place: dataset.data is reassigned to the prefix of the
// run's series up to the cursor and chart.update('none') redraws without
// animation. Configurations come from chart-config.js (plain data).
import {
  Chart, LineController, BarController, LineElement, PointElement, BarElement,
  LinearScale, CategoryScale, Decimation, Filler, Legend, Title, Tooltip,
} from 'chart.js';
import {
  seriesFromRun, prefixLength, histogram, utilizationConfig, fragmentationConfig,
  scannedConfig, histogramConfig, predictionConfig, pointsOf,
} from './chart-config.js';

Chart.register(LineController, BarController, LineElement, PointElement, BarElement,
  LinearScale, CategoryScale, Decimation, Filler, Legend, Title, Tooltip);

// Returns the theme colours for chart text and grid lines from the page's CSS variables.
export function chartTheme() {
  const cs = getComputedStyle(document.documentElement);
  const v = (name, fallback) => (cs.getPropertyValue(name).trim() || fallback);
  return { text: v('--fg', '#222'), muted: v('--muted', '#666'), grid: v('--grid', 'rgba(0,0,0,0.08)') };
}

export class ChartsView {
  // Keeps one Chart per canvas; none exists until the first run.
  constructor(canvases) {
    this.canvases = canvases;
    this.charts = {};
    this.series = null;
    this.run = null;
    this.k = -1;
  }

  // Installs a run's series; charts are (re)built only when the x range or the datasets change.
  setRun(run) {
    this.run = run;
    this.series = seriesFromRun(run);
    const hasFree = this.series.freeBlocks.length > 0;
    const theme = chartTheme();
    const sig = `${run.n}:${hasFree}`;
    if (this.sig !== sig) {
      this.destroy();
      this.charts.util = new Chart(this.canvases.util, utilizationConfig(run.n, theme));
      this.charts.frag = new Chart(this.canvases.frag, fragmentationConfig(run.n, theme, hasFree));
      this.charts.scan = new Chart(this.canvases.scan, scannedConfig(run.n, theme));
      this.charts.hist = new Chart(this.canvases.hist, histogramConfig(theme));
      this.sig = sig;
    }
    this.k = -1;
  }

  // Shows every series up to step k (in place, no animation).
  setCursor(k) {
    if (!this.series || k === this.k) return;
    this.k = k;
    const s = this.series;
    const cut = (pts) => pts.slice(0, prefixLength(pts, k));
    const { util, frag, scan, hist } = this.charts;
    util.data.datasets[0].data = cut(s.heap);
    util.data.datasets[1].data = cut(s.live);
    util.update('none');
    frag.data.datasets[0].data = cut(s.frag);
    if (frag.data.datasets[1]) frag.data.datasets[1].data = cut(s.freeBlocks);
    frag.update('none');
    scan.data.datasets[0].data = cut(s.scanned);
    scan.update('none');
    const h = histogram(this.run, k);
    hist.data.labels = h.labels;
    hist.data.datasets[0].data = h.counts;
    hist.update('none');
  }

  // Removes every chart (before a rebuild).
  destroy() {
    for (const c of Object.values(this.charts)) c.destroy();
    this.charts = {};
    this.sig = '';
  }
}

export class PredictionChart {
  // One chart of actual vs predicted sizes over the test part of the split.
  constructor(canvas) {
    this.canvas = canvas;
    this.chart = null;
  }

  // Shows actual and predicted sizes; x counts allocation requests from x0.
  show(actual, predicted, x0) {
    if (!this.chart) this.chart = new Chart(this.canvas, predictionConfig(chartTheme()));
    const c = this.chart;
    c.data.datasets[0].data = pointsOf(actual, x0);
    c.data.datasets[1].data = pointsOf(predicted, x0);
    c.options.scales.x.min = x0;
    c.options.scales.x.max = x0 + Math.max(1, actual.length - 1);
    c.options.scales.x.title.text = 'allocation request';
    c.update('none');
  }
}
