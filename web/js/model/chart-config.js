// chart-config.js: Chart.js configurations and series as plain data, DOM-free
// (testable in node without a canvas). Series are pre-shaped {x, y} points
// (parsing: false) built once per run; charts.js shows the prefix up to the
// cursor by reassigning dataset.data and calling update('none'). Line charts
// use a linear x axis fixed to the whole run so the decimation plugin (LTTB)
// applies and the picture grows left to right as the cursor moves.

export const PALETTE = Object.freeze({
  blue: '#0072B2', orange: '#E69F00', sky: '#56B4E9', green: '#009E73',
  yellow: '#F0E442', vermillion: '#D55E00', purple: '#CC79A7', grey: '#7f7f7f',
});
const OP_FREE = 1;

// Returns the series of a run: live payload, heap size, external fragmentation,
// free blocks (when the log has them) and blocks scanned per request, as {x, y} arrays.
export function seriesFromRun(run) {
  return extendSeries(emptySeries(run.n), run, 0, run.n);
}

// Returns empty series for a run of n ops (filled by extendSeries).
export function emptySeries(n) {
  return { live: [], heap: [], frag: [], freeBlocks: [], scanned: [], n };
}

// Appends ops [from, to) of a run to series s and returns s (so long runs can be shaped in chunks).
export function extendSeries(s, run, from, to) {
  const c = run.cols;
  const { live, heap, frag, freeBlocks, scanned } = s;
  for (let i = from; i < to; i++) {
    const x = i + 1;
    if (c.liveBytes) live.push({ x, y: c.liveBytes[i] });
    if (c.heapSize) heap.push({ x, y: c.heapSize[i] });
    if (c.freeBytes && c.largestFree) {
      const f = c.freeBytes[i];
      frag.push({ x, y: f > 0 ? 1 - c.largestFree[i] / f : 0 });
    }
    if (c.freeBlocks) freeBlocks.push({ x, y: c.freeBlocks[i] });
    if (c.scanned && run.op[i] !== OP_FREE) scanned.push({ x, y: c.scanned[i] });
  }
  return s;
}

// Returns how many points of a series (sorted by x) lie at or before step k.
export function prefixLength(points, k) {
  let lo = 0, hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid].x <= k) lo = mid + 1; else hi = mid;
  }
  return lo;
}

// Returns the power-of-two size class label for a request size ("≤16", "17–32", ...).
export function sizeClass(size) {
  let c = 8;
  while (c < size && c < 2 ** 31) c *= 2;
  return c;
}

// Returns the request-size histogram of the first k ops (allocs, callocs, reallocs): {labels, counts, classes}.
export function histogram(run, k) {
  const counts = new Map();
  const size = run.cols.size;
  const end = Math.min(k, run.n);
  for (let i = 0; i < end; i++) {
    if (run.op[i] === OP_FREE || !(size[i] > 0)) continue;
    const c = sizeClass(size[i]);
    counts.set(c, (counts.get(c) || 0) + 1);
  }
  const classes = [...counts.keys()].sort((a, b) => a - b);
  const labels = classes.map((c) => (c === 8 ? '≤8' : `${c / 2 + 1}–${c}`));
  return { labels, counts: classes.map((c) => counts.get(c)), classes };
}

// Returns the shared options of a line chart over steps 1..n (animation off, decimation on).
function lineOptions(n, theme, yTitle, extra = {}) {
  return {
    animation: false,
    parsing: false,
    normalized: true,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    plugins: {
      decimation: { enabled: true, algorithm: 'lttb', samples: 400, threshold: 800 },
      legend: { labels: { color: theme.text, boxWidth: 12 } },
      title: { display: true, text: extra.title || '', color: theme.text },
      tooltip: { enabled: true },
    },
    scales: {
      x: { type: 'linear', min: 0, max: Math.max(1, n), title: { display: true, text: 'step', color: theme.muted }, ticks: { color: theme.muted }, grid: { color: theme.grid } },
      y: { type: 'linear', beginAtZero: true, title: { display: true, text: yTitle, color: theme.muted }, ticks: { color: theme.muted }, grid: { color: theme.grid } },
      ...(extra.scales || {}),
    },
  };
}

// Returns a line dataset of pre-shaped points.
function lineSet(label, color, data, extra = {}) {
  return { label, data, borderColor: color, backgroundColor: color, borderWidth: 1.5, pointRadius: 0, tension: 0, ...extra };
}

// Returns the utilization chart: live payload vs heap size (the break) per step.
export function utilizationConfig(n, theme) {
  return {
    type: 'line',
    data: { datasets: [lineSet('heap size (break)', PALETTE.orange, [], { borderDash: [6, 3] }), lineSet('live payload', PALETTE.blue, [], { fill: 'origin', backgroundColor: 'rgba(0,114,178,0.18)' })] },
    options: lineOptions(n, theme, 'bytes', { title: 'Utilization: live payload vs heap size' }),
  };
}

// Returns the fragmentation chart: external fragmentation (left axis) and free blocks (right axis).
export function fragmentationConfig(n, theme, hasFreeBlocks) {
  const sets = [lineSet('external fragmentation', PALETTE.vermillion, [], { yAxisID: 'y' })];
  if (hasFreeBlocks) sets.push(lineSet('free blocks', PALETTE.green, [], { yAxisID: 'y1', borderDash: [4, 3] }));
  const opts = lineOptions(n, theme, '1 − largest free / free bytes', {
    title: 'Fragmentation',
    scales: hasFreeBlocks ? { y1: { type: 'linear', position: 'right', beginAtZero: true, title: { display: true, text: 'free blocks', color: theme.muted }, ticks: { color: theme.muted, precision: 0 }, grid: { drawOnChartArea: false } } } : {},
  });
  opts.scales.y.max = 1;
  return { type: 'line', data: { datasets: sets }, options: opts };
}

// Returns the search-cost chart: free blocks examined per request.
export function scannedConfig(n, theme) {
  const opts = lineOptions(n, theme, 'blocks scanned', { title: 'Blocks scanned per request' });
  opts.scales.y.ticks.precision = 0;
  return { type: 'line', data: { datasets: [lineSet('blocks scanned', PALETTE.purple, [], { stepped: true })] }, options: opts };
}

// Returns the request-size histogram chart (bars by power-of-two class).
export function histogramConfig(theme) {
  return {
    type: 'bar',
    data: { labels: [], datasets: [{ label: 'requests', data: [], backgroundColor: PALETTE.sky, borderColor: PALETTE.blue, borderWidth: 1 }] },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      plugins: { legend: { display: false }, title: { display: true, text: 'Request sizes (bytes, power-of-two classes)', color: theme.text } },
      scales: {
        x: { ticks: { color: theme.muted }, grid: { display: false } },
        y: { beginAtZero: true, ticks: { color: theme.muted, precision: 0 }, grid: { color: theme.grid }, title: { display: true, text: 'requests', color: theme.muted } },
      },
    },
  };
}

// Returns the predicted-vs-actual chart over the test part of the split.
export function predictionConfig(theme) {
  return {
    type: 'line',
    data: { datasets: [lineSet('actual size', PALETTE.blue, [], { showLine: false, pointRadius: 2 }), lineSet('tree prediction', PALETTE.vermillion, [], { pointRadius: 0, borderWidth: 1.25 })] },
    options: {
      ...lineOptions(1, theme, 'bytes', { title: 'Predicted vs actual request sizes (test part)' }),
    },
  };
}

// Returns {x, y} points for a list of numbers starting at x0.
export function pointsOf(values, x0 = 0) {
  const out = new Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = { x: x0 + i, y: values[i] };
  return out;
}
