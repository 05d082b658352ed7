// charts.js: the Chart.js view. Charts are created once per run length and
// then updated in place: dataset.data is reassigned to the run's series up to
// the cursor and chart.update('none') redraws without animation. The series
// come bucketed with the run (folded in C as the worker drained the log, made
// points here once a run: seriesPoints), the exact point at the cursor from
// the step's heap statistics; configurations
// come from chart-config.js (plain data). A line's data holds its points up to
// the group of steps the cursor is in (TAIL_PX); the rest, up to the exact
// point, is a tail drawn over the chart (chart-config.js splitAt,
// chart-tail.js), so a step inside a group redraws a strip, not the chart. A
// step that would move no drawn point by half a pixel redraws nothing
// (chart-config.js looksSame, barsLookSame).
import {
  Chart, LineController, BarController, LineElement, PointElement, BarElement,
  LinearScale, CategoryScale, Decimation, Filler, Legend, Title, Tooltip,
} from 'chart.js';
import {
  splitAt, pointOfStats, histogramCounter, lineSummary, looksSame, barsLookSame, utilizationConfig, fragmentationConfig,
  scannedConfig, histogramConfig, seriesPoints,
} from '../model/chart-config.js';
import { whenVisible } from './dom.js';
import { ChartTail } from './chart-tail.js';

const LINES = { util: ['heap', 'live'], frag: ['frag', 'freeBlocks'], scan: ['scanned'] };
// A line's data grows by whole groups of steps, at least its series' buckets and at least TAIL_PX
// pixels of the chart's width; the steps past it ride as the tail. So the chart is redrawn once in
// TAIL_PX pixels of the cursor's travel (a redraw of a 3.3M-op trace's dense lines costs 9-11 ms a
// chart here; a bucket is 1,650 steps there, 8 px about 47,000).
const TAIL_PX = 8;

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
  // Updates are coalesced: at most one per animation frame while the charts are on screen,
  // and one after stepping pauses (300 ms) while they are scrolled away.
  constructor(canvases, section) {
    this.canvases = canvases;
    this.charts = {};
    this.series = null;
    this.run = null;
    this.k = -1;
    this.shown = {};
    this.drawn = {};
    this.want = 0;
    this.visible = true;
    whenVisible(section, (on) => { this.visible = on; if (on) this.schedule(); });
  }

  // Asks for the charts to show step k soon (see the constructor); stats: heap.stats() after step k.
  setCursor(k, stats = null) {
    this.want = k;
    this.stats = stats ? { k, stats } : null;
    this.movedAt = performance.now();
    this.schedule();
  }

  // Plans the next update: one stale chart per animation frame while the charts are on
  // screen, one per task after stepping pauses (300 ms) while they are scrolled away, so
  // no frame or task ever pays for all four.
  schedule() {
    if (!this.series || !Object.keys(this.charts).some((name) => this.shown[name] !== this.want)) return;
    const next = () => {
      this.frame = 0;
      this.timer = 0;
      if (!this.series) return; // no run yet
      const name = Object.keys(this.charts).find((n) => this.shown[n] !== this.want);
      if (name) this.update(name, this.want);
      this.schedule();
    };
    if (this.visible) {
      clearTimeout(this.timer);
      this.timer = 0;
      if (!this.frame) this.frame = requestAnimationFrame(next);
    } else if (!this.frame) {
      clearTimeout(this.timer);
      this.timer = setTimeout(next, this.stepping() ? 300 : 0);
    }
  }

  // Returns true when the cursor moved within the last 300 ms (the user is stepping or playing).
  stepping() {
    const now = performance.now();
    const recent = now - (this.movedAt || 0) < 300;
    return recent;
  }

  // Installs a run and its series (run.series, folded in C as the worker drained the log). The charts are created
  // once and then only updated: a new run changes their x range and data in place.
  setRun(run) {
    const s = seriesPoints(run.series);
    this.run = run;
    this.series = s;
    this.hist = histogramCounter(run);
    if (!this.charts.util) {
      const theme = chartTheme();
      this.tails = this.tails || {};
      // a line chart redrawn for any reason (a resize, a tooltip) draws its tail again
      const line = (name, cfg) => {
        const tail = this.tails[name] || (this.tails[name] = new ChartTail(this.canvases[name]));
        tail.tails = null;
        return new Chart(this.canvases[name], { ...cfg, plugins: [{ id: 'tail', afterDraw: (chart) => tail.draw(chart) }] });
      };
      this.charts.util = line('util', utilizationConfig(run.n, theme));
      this.charts.frag = line('frag', fragmentationConfig(run.n, theme, true));
      this.charts.scan = line('scan', scannedConfig(run.n, theme));
      this.charts.hist = new Chart(this.canvases.hist, histogramConfig(theme));
    } else {
      for (const name of ['util', 'frag', 'scan']) this.charts[name].options.scales.x.max = Math.max(1, run.n);
    }
    this.k = -1;
    this.shown = {};
    this.drawn = {}; // name -> what each chart last drew (lineSummary per dataset, or the histogram)
    this.schedule();
  }

  // Shows every series up to step k now (in place, no animation).
  show(k, stats = null) {
    if (!this.series) return;
    this.want = k;
    this.stats = stats ? { k, stats } : null;
    for (const name of Object.keys(this.charts)) this.update(name, k);
  }

  // Updates one chart to show its series up to step k.
  update(name, k) {
    const s = this.series;
    const c = this.charts[name];
    const st = this.stats && this.stats.k === k ? this.stats.stats : null;
    const px = (axis) => (v) => c.scales[axis].getPixelForValue(v);
    const was = this.drawn[name];
    this.shown[name] = k;
    this.k = k;
    if (name === 'hist') {
      const h = this.hist.at(k);
      if (barsLookSame(was, h, px('y'))) return;
      c.data.labels = h.labels;
      c.data.datasets[0].data = h.counts;
      this.drawn[name] = { labels: h.labels.slice(), counts: h.counts.slice() };
    } else {
      const names = LINES[name].slice(0, c.data.datasets.length);
      // (of the canvas's width: the chart area's changes as the axis labels do, and with it the groups)
      const group = Math.max(s.bucket, c.width > 0 ? Math.ceil((TAIL_PX * this.run.n) / c.width) : 1);
      const split = names.map((series) => splitAt(s[series], k, group, pointOfStats(st, series, k)));
      const lines = split.map((p) => p.line);
      const tail = this.tails[name];
      tail.tails = split.some((p) => p.tail) ? split.map((p) => p.tail) : null;
      if (was && lines.every((pts, i) => looksSame(was[i], pts, px('x'), px(c.data.datasets[i].yAxisID || 'y')))) {
        tail.draw(c);
        return;
      }
      lines.forEach((pts, i) => { c.data.datasets[i].data = pts; });
      this.drawn[name] = lines.map(lineSummary);
    }
    c.update('none'); // draws the tail too (afterDraw)
  }

  // Removes every chart (before a rebuild with new theme colours).
  destroy() {
    for (const c of Object.values(this.charts)) c.destroy();
    this.charts = {};
    this.drawn = {};
  }
}
