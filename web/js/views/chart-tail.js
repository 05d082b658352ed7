// chart-tail.js: the last stretch of a line chart, from the line's last point through the
// points of the cursor's bucket to the exact point at the cursor, drawn on a canvas of its own
// laid over the chart. Redrawing a Chart.js chart rasterizes all of it (on a 3.3M-op trace two
// charts cost 25-30 ms of main-thread time a step, most of it painting their dense lines); the
// tail costs a few segments. The charts view hands a tail here only when it changes no axis
// (model/chart-config.js splitAt), so chart and tail together are the picture the chart would
// draw with those points in its data: the same colour, width, dash, steps and fill as the
// dataset, clipped to the chart area.

export class ChartTail {
  // Lays a canvas over `canvas` (the chart's; its parent is positioned), hidden from assistive
  // technology (the chart's label and the statistics say what it shows).
  constructor(canvas) {
    const c = document.createElement('canvas');
    c.className = 'chart-tail';
    c.setAttribute('aria-hidden', 'true');
    canvas.after(c);
    this.canvas = c;
    this.g = c.getContext('2d'); // made now: a first step would pay for it
    this.tails = null;
    this.key = '';
  }

  // Draws this.tails (per dataset: its points, the line's last first, or null; set by the
  // charts view) over chart; null clears. The canvas covers only the tails' columns of the
  // chart area (a few pixels on a long run), so a step repaints and composites a strip, not a
  // chart-sized layer (a full-size one cost 3-4 ms); a tail on the same pixels is not redrawn.
  draw(chart) {
    const tails = this.tails;
    const c = this.canvas;
    const area = chart.chartArea;
    const dpr = chart.currentDevicePixelRatio || 1;
    // each shown tail in chart pixels: [x0, y0, x1, y1, ...]
    const segs = (tails && area ? tails : []).map((t, i) => {
      if (!t || !chart.isDatasetVisible(i)) return null;
      const xs = chart.scales.x, ys = chart.scales[chart.data.datasets[i].yAxisID || 'y'];
      return t.flatMap((p) => [xs.getPixelForValue(p.x), ys.getPixelForValue(p.y)]);
    });
    const key = JSON.stringify([area, dpr, segs.map((s) => s && s.map((v) => Math.round(v * 2)))]); // to half a pixel, as looksSame
    if (key === this.key) return;
    this.key = key;
    let lo = Infinity, hi = -Infinity;
    for (const s of segs) if (s) { lo = Math.min(lo, s[0]); hi = Math.max(hi, s[s.length - 2]); }
    if (!(hi >= lo)) { c.hidden = true; return; }
    const pad = 3; // the widest line's half width and its antialiasing
    const w = Math.ceil((Math.ceil(hi + pad) - Math.floor(lo - pad)) / 16) * 16; // a step keeps the size
    const left = Math.max(0, Math.min(Math.floor(lo - pad), chart.width - w)); // inside the chart's box
    const top = Math.floor(area.top), h = Math.max(1, Math.ceil(area.bottom) - top);
    c.hidden = false;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h * dpr);
      Object.assign(c.style, { width: `${w}px`, height: `${h}px` });
    }
    Object.assign(c.style, { left: `${left}px`, top: `${top}px` });
    const g = this.g;
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.clearRect(0, 0, c.width, c.height);
    g.save();
    g.setTransform(dpr, 0, 0, dpr, -left * dpr, -top * dpr); // chart coordinates
    g.beginPath();
    g.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
    g.clip();
    // Chart.js draws the first dataset on top: the tails likewise, last first
    for (let i = segs.length - 1; i >= 0; i--) if (segs[i]) this.segment(g, chart, chart.data.datasets[i], segs[i]);
    g.restore();
  }

  // Draws one dataset's tail, xy = [x0, y0, x1, y1, ...] in chart pixels, in its style.
  segment(g, chart, ds, xy) {
    const ys = chart.scales[ds.yAxisID || 'y'];
    const stepped = Boolean(ds.stepped); // Chart.js's stepped: true goes across, then up or down
    const path = () => {
      for (let i = 2; i < xy.length; i += 2) {
        if (stepped) g.lineTo(xy[i], xy[i - 1]);
        g.lineTo(xy[i], xy[i + 1]);
      }
    };
    if (ds.fill === 'origin') {
      const base = ys.getBasePixel(); // what Chart.js fills "origin" to
      g.beginPath();
      g.moveTo(xy[0], base);
      g.lineTo(xy[0], xy[1]);
      path();
      g.lineTo(xy[xy.length - 2], base);
      g.closePath();
      g.fillStyle = ds.backgroundColor;
      g.fill();
    }
    g.beginPath();
    g.moveTo(xy[0], xy[1]);
    path();
    g.strokeStyle = ds.borderColor;
    g.lineWidth = ds.borderWidth;
    g.setLineDash(ds.borderDash || []);
    g.stroke();
  }
}
