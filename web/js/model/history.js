// history.js: the history strip's model (DOM-free): which row of the heap
// over time (engine heap.timeline: the heap after evenly spaced steps) shows
// a step (where fragmentation starts is found as the log is drained: c/log/log_series.h).

// Returns the row showing step k: the first row whose step is >= k (the last row when past them).
export function rowOfStep(steps, k) {
  let lo = 0, hi = steps.length - 1;
  if (hi < 0) return -1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid] >= k) hi = mid; else lo = mid + 1;
  }
  return lo;
}

// Returns an RGB triple between a (share 0) and b (share 1).
export function mix(a, b, share) {
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * share));
}

// Returns [r, g, b] of a CSS colour in #rrggbb or #rgb form ([0, 0, 0] otherwise).
export function rgbOf(css) {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(css).trim());
  if (!m) return [0, 0, 0];
  const h = m[1].length === 3 ? m[1].replace(/./g, (c) => c + c) : m[1];
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
}
