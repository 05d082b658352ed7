// series-oracle.mjs: the charts' series computed in JS from a whole log table, as the
// page's worker once made them: the reference the series C folds (c/log/log_series.h,
// lab/series.js) is checked against, and the exact point at a step (pointAt) the page's
// pointOfStats is checked against, and a line's points up to a step with the exact point
// added (prefixOf), what a chart once drew and what its line and tail draw together.
const OP_FREE = 1;
const NAMES = ['live', 'heap', 'frag', 'freeBlocks', 'scanned'];
import { MAX_POINTS, prefixLength } from '../../web/js/model/chart-config.js';

// Returns the series of a run: live payload, heap size, external fragmentation,
// free blocks (when the log has them) and blocks scanned per request, as {x, y} arrays.
export function seriesFromRun(run, maxPoints = MAX_POINTS) {
  const s = endSeries(extendSeries(emptySeries(run.n, maxPoints), run, 0, run.n));
  delete s.open;
  return s;
}

// Returns empty series for a run of n ops (filled by extendSeries); `bucket` steps share
// a bucket (1: every point kept).
export function emptySeries(n, maxPoints = MAX_POINTS) {
  const bucket = Math.max(1, Math.ceil(n / Math.max(2, Math.floor(maxPoints / 2))));
  return { live: [], heap: [], frag: [], freeBlocks: [], scanned: [], n, bucket, open: {} };
}

// Returns the y of series `name` after op i (null when the op has no point in it).
function yAt(run, name, i) {
  const c = run.cols;
  switch (name) {
    case 'live': return c.liveBytes ? c.liveBytes[i] : null;
    case 'heap': return c.heapSize ? c.heapSize[i] : null;
    case 'frag': {
      if (!c.freeBytes || !c.largestFree) return null;
      const f = c.freeBytes[i];
      return f > 0 ? 1 - c.largestFree[i] / f : 0;
    }
    case 'freeBlocks': return c.freeBlocks ? c.freeBlocks[i] : null;
    default: return c.scanned && run.op[i] !== OP_FREE ? c.scanned[i] : null;
  }
}

// Appends the open bucket of series `name` to it (its lowest and highest points, in step order).
function closeBucket(s, name) {
  const o = s.open[name];
  if (!o) return;
  const pts = s[name];
  if (o.lo.x === o.hi.x) pts.push(o.lo);
  else if (o.lo.x < o.hi.x) pts.push(o.lo, o.hi);
  else pts.push(o.hi, o.lo);
  s.open[name] = null;
}

// Appends ops [from, to) of a run to series s and returns s (so long runs can be shaped in
// chunks, in order); the last bucket is closed when `to` reaches the run's end. `base`: the
// run's step of `run`'s op 0 when `run` is a part of the log (the log drained in parts).
// One pass per series over its column, the open bucket's lowest and highest points kept as
// numbers and its end as a step (objects are made only for the points kept): the worker
// shapes a 300,000-op import in this loop, which cost 130-260 ns per op with a point object
// for every new low or high, a switch per value and two divisions per value (node 20).
export function extendSeries(s, run, from, to, base = 0) {
  for (const name of NAMES) {
    const col = seriesColumn(run, name);
    if (col) {
      if (s.bucket === 1) extendEvery(s[name], col, from, to, base);
      else extendBuckets(s, name, col, from, to, base);
    }
    if (base + to >= s.n) closeBucket(s, name);
  }
  return s;
}

// Returns the y of series `name` after op i as {y(i)} over run's columns, or null when the
// run has no such column (then no op has a point in it). A y of null: op i has no point.
function seriesColumn(run, name) {
  const c = run.cols;
  switch (name) {
    case 'live': return c.liveBytes ? { y: c.liveBytes, skip: null } : null;
    case 'heap': return c.heapSize ? { y: c.heapSize, skip: null } : null;
    case 'frag': return c.freeBytes && c.largestFree ? { y: null, free: c.freeBytes, largest: c.largestFree, skip: null } : null;
    case 'freeBlocks': return c.freeBlocks ? { y: c.freeBlocks, skip: null } : null;
    default: return c.scanned ? { y: c.scanned, skip: run.op } : null;
  }
}

// The y of op i in column col (seriesColumn), as yAt gives it.
function yOf(col, i) {
  if (col.y) return col.y[i];
  const f = col.free[i];
  return f > 0 ? 1 - col.largest[i] / f : 0;
}

// Appends every point of ops [from, to) (a series whose buckets are one step).
function extendEvery(pts, col, from, to, base) {
  const skip = col.skip;
  for (let i = from; i < to; i++) {
    if (skip && skip[i] === OP_FREE) continue;
    pts.push({ x: base + i + 1, y: yOf(col, i) });
  }
}

// Folds ops [from, to) into series `name`'s buckets: each bucket keeps its lowest and its
// highest point (the first of equal ones), closed when a step of the next bucket arrives.
function extendBuckets(s, name, col, from, to, base) {
  const bucket = s.bucket, skip = col.skip, ys = col.y;
  const o = s.open[name];
  let open = !!o;
  let loX = 0, loY = 0, hiX = 0, hiY = 0, endX = 0; // endX: the open bucket's last step
  if (open) {
    loX = o.lo.x; loY = o.lo.y; hiX = o.hi.x; hiY = o.hi.y;
    endX = (Math.floor((loX - 1) / bucket) + 1) * bucket;
  }
  for (let i = from; i < to; i++) {
    if (skip && skip[i] === OP_FREE) continue;
    const x = base + i + 1, y = ys ? ys[i] : yOf(col, i);
    if (open && x > endX) {
      s.open[name] = { lo: { x: loX, y: loY }, hi: { x: hiX, y: hiY } };
      closeBucket(s, name);
      open = false;
    }
    if (!open) {
      open = true;
      loX = hiX = x; loY = hiY = y;
      endX = (Math.floor((x - 1) / bucket) + 1) * bucket;
    } else if (y < loY) { loX = x; loY = y; }
    else if (y > hiY) { hiX = x; hiY = y; }
  }
  if (open) s.open[name] = { lo: { x: loX, y: loY }, hi: { x: hiX, y: hiY } };
}

// Closes every open bucket of series s (a run that ended short of the n it was sized for) and returns s.
export function endSeries(s) {
  for (const name of NAMES) closeBucket(s, name);
  return s;
}

// Returns the exact point of series `name` at step k (after op k-1), or null when op k-1 has none.
export function pointAt(run, name, k) {
  if (k < 1 || k > run.n) return null;
  const y = yAt(run, name, k - 1);
  return y === null ? null : { x: k, y };
}


// Returns the first step after which the free space lies in two or more pieces (the log's
// freeBlocks column), or 0 when it never does: where external fragmentation starts.
export function fragmentationStart(run) {
  const fb = run && run.cols && run.cols.freeBlocks;
  if (!fb) return 0;
  for (let i = 0; i < fb.length; i++) if (fb[i] >= 2) return i + 1;
  return 0;
}

// Returns the points of a series up to step k: its points at or before k, ending with the
// exact point `last` at k when given (a bucketed series' last kept point may lie before k).
export function prefixOf(points, k, last = null) {
  const out = points.slice(0, prefixLength(points, k));
  if (last && last.x === k && (!out.length || out[out.length - 1].x < last.x)) out.push(last);
  return out;
}
