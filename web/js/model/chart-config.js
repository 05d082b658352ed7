// chart-config.js: Chart.js configurations and series as plain data, DOM-free
// (testable in node without a canvas). Series are pre-shaped {x, y} points
// (parsing: false) built once per run, in C as the worker drains the log; charts.js shows the prefix up to the
// cursor by reassigning dataset.data and calling update('none'). Line charts
// use a linear x axis fixed to the whole run so the decimation plugin (LTTB)
// applies and the picture grows left to right as the cursor moves.

export const PALETTE = Object.freeze({
  blue: '#0072B2', orange: '#E69F00', sky: '#56B4E9', green: '#009E73',
  yellow: '#F0E442', vermillion: '#D55E00', purple: '#CC79A7', grey: '#7f7f7f',
});
const OP_FREE = 1;

// The most points a series keeps: a longer run is kept as the lowest and the highest
// point of each bucket of consecutive steps (folded in C as the log is drained:
// c/log/log_series.h, lab/series.js; so a 3,000,000-op run costs the page a few thousand
// points per series, and every spike still shows); the exact point at the cursor comes
// from the step's statistics (pointOfStats).
export const MAX_POINTS = 4000;

// Returns a run's series (lab/series.js: each a Float64Array of x and y interleaved, as the
// engine sends them) with each series made the {x, y} points the charts draw.
export function seriesPoints(series) {
  const out = { ...series };
  for (const [name, xy] of Object.entries(series)) {
    if (!ArrayBuffer.isView(xy)) continue; // n, bucket
    const pts = new Array(xy.length >> 1);
    for (let i = 0; i < pts.length; i++) pts[i] = { x: xy[2 * i], y: xy[2 * i + 1] };
    out[name] = pts;
  }
  return out;
}

// Returns the point of series `name` at step k read from the heap's statistics after step k
// (heap.stats(): the same numbers the log records after op k-1), or null for a series the
// statistics do not hold (blocks scanned by op k-1) or at step 0.
export function pointOfStats(stats, name, k) {
  if (!stats || k < 1) return null;
  switch (name) {
    case 'live': return { x: k, y: stats.livePayload };
    case 'heap': return { x: k, y: stats.heapSize };
    case 'frag': return { x: k, y: stats.freeBytes > 0 ? 1 - stats.largestFree / stats.freeBytes : 0 };
    case 'freeBlocks': return { x: k, y: stats.freeBlocks };
    default: return null;
  }
}

// Splits series `points` at step k into what a chart draws as its line and what it draws as
// a tail over it (views/chart-tail.js): the line holds the points of the groups of `group`
// steps before k's, the tail goes from the line's last point through the points of k's group
// up to k to the exact point `last` at k (when the series does not hold it). So a step
// changes the line only when it enters a new group, and the chart is redrawn only then; a
// step inside a group redraws the tail. A tail point outside the line's y range would change
// the axes (fitted to the data): the line then runs on to the last such point, and the tail
// holds the points after it (inside the range); the line stays so until the group ends or
// another such point comes. Returns {line, tail (points, or null when none ride)}.
export function splitAt(points, k, group, last = null) {
  const start = k > 0 ? prefixLength(points, Math.floor((k - 1) / group) * group) : 0;
  const line = points.slice(0, start);
  const rest = points.slice(start, prefixLength(points, k));
  if (last && last.x === k && (!rest.length || rest[rest.length - 1].x < k)) rest.push(last); // (the line ends before k)
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < line.length; i++) { const y = line[i].y; if (y < lo) lo = y; if (y > hi) hi = y; }
  let out = rest.length - 1; // the last tail point outside the line's range
  while (out >= 0 && rest[out].y >= lo && rest[out].y <= hi) out--;
  const joined = out >= 0 ? line.concat(rest.slice(0, out + 1)) : line;
  const tail = rest.slice(out + 1);
  return { line: joined, tail: tail.length ? [joined[joined.length - 1], ...tail] : null };
}

// Returns what a drawn line is compared by (looksSame): its point count, its next-to-last
// point (by identity: the prefixes of a series share its point objects), its last point and
// the largest y before that.
export function lineSummary(points) {
  let top = -Infinity;
  for (let i = 0; i < points.length - 1; i++) if (points[i].y > top) top = points[i].y;
  return { n: points.length, pen: points[points.length - 2], end: points[points.length - 1], top };
}

// Returns true when line `points` would be drawn as the line summarised by `was` (lineSummary)
// to within half a pixel: the same points but the last, which moves less than half a pixel
// (toX, toY: value -> px), and the same largest y (an axis fitted to the data keeps its range).
export function looksSame(was, points, toX, toY) {
  const n = points.length;
  if (!was || n !== was.n) return false;
  if (n === 0) return true;
  if (points[n - 2] !== was.pen) return false;
  const a = was.end, b = points[n - 1];
  if (Math.max(was.top, a.y) !== Math.max(was.top, b.y)) return false;
  return Math.abs(toX(a.x) - toX(b.x)) < 0.5 && Math.abs(toY(a.y) - toY(b.y)) < 0.5;
}

// Returns true when histogram h ({labels, counts}) would be drawn as `was` (an earlier h) to
// within half a pixel: the same classes, the same largest count, each bar within half a pixel (toY).
export function barsLookSame(was, h, toY) {
  if (!was || was.labels.length !== h.labels.length || was.labels.some((l, i) => l !== h.labels[i])) return false;
  if (Math.max(...was.counts) !== Math.max(...h.counts)) return false;
  return h.counts.every((v, i) => Math.abs(toY(v) - toY(was.counts[i])) < 0.5);
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

// Returns the power-of-two size class of a request size (8 for "≤8", 32 for "17–32", ...).
export function sizeClass(size) {
  return 2 ** classBit(size);
}

// Returns the request-size histogram of the first k ops (allocs, callocs, reallocs): {labels, counts, classes}.
export function histogram(run, k) {
  return histogramCounter(run).at(k);
}

// Steps between the counter's kept counts (a jump costs at most this many ops once a pass has gone by).
const HIST_CHUNK = 65536;

// Returns the power of two of sizeClass(size) (3 for 8 bytes ... 31 for 2 GiB and above).
function classBit(size) {
  if (size <= 8) return 3;
  return size <= 2 ** 31 ? 32 - Math.clz32(Math.ceil(size) - 1) : 31;
}

// Returns a counter whose at(k) gives histogram(run, k). It moves from the last k asked
// (playback asks for nearby steps every frame) and keeps the counts every HIST_CHUNK steps as it
// passes them, so a far jump (End, a click on the history) starts from the nearest kept counts:
// a 3,300,000-op run is counted once (one typed-array pass), then any jump costs at most a chunk.
export function histogramCounter(run) {
  const size = run.cols.size, op = run.op;
  let counts = new Float64Array(32);
  const kept = [counts.slice()]; // kept[j]: the counts of ops [0, j * HIST_CHUNK)
  let pos = 0;
  // Adds d (+1 or -1) for each request in ops [from, to).
  const add = (from, to, d) => {
    for (let i = from; i < to; i++) if (op[i] !== OP_FREE && size[i] > 0) counts[classBit(size[i])] += d;
  };
  // Moves pos forward to `end`, keeping the counts at each chunk boundary it reaches.
  const forward = (end) => {
    while (pos < end) {
      const next = Math.min(end, (Math.floor(pos / HIST_CHUNK) + 1) * HIST_CHUNK);
      add(pos, next, 1);
      pos = next;
      if (pos % HIST_CHUNK === 0 && kept.length === pos / HIST_CHUNK) kept.push(counts.slice());
    }
  };
  return {
    at(k) {
      const end = Math.max(0, Math.min(k, run.n));
      const j = Math.min(Math.floor(end / HIST_CHUNK), kept.length - 1); // the nearest kept counts at or before end
      const fromKept = end - j * HIST_CHUNK;
      if (end >= pos ? fromKept < end - pos : fromKept < pos - end) { counts = kept[j].slice(); pos = j * HIST_CHUNK; }
      if (end >= pos) forward(end);
      else { add(end, pos, -1); pos = end; }
      const classes = [], labels = [], n = [];
      for (let b = 3; b < 32; b++) {
        if (!(counts[b] > 0)) continue;
        const c = 2 ** b;
        classes.push(c);
        labels.push(c === 8 ? '≤8' : `${c / 2 + 1}–${c}`);
        n.push(counts[b]);
      }
      return { labels, counts: n, classes };
    },
  };
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
