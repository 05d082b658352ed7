// heap-layout.js: the arena drawn to scale, as geometry (DOM-free).
// Bytes [0, span) are laid out left to right in rows of `bytesPerRow`
// bytes, like lines of text; a byte range that crosses a row end wraps into
// the next row. Each row has a band above it for free-list links. Zoom
// multiplies the number of rows, so each byte gets more pixels.

export const BAR_H = 30;
export const LINK_H = 22;
export const ROW_H = BAR_H + LINK_H;
const BASE_ROWS = 4;

// Returns the layout of `span` bytes at `width` pixels and zoom z (>= 1), showing the
// window view = {lo, hi} of it (all of it when null):
// {span, lo, hi, width, rows, bytesPerRow, pxPerByte, height}. Invariant: lo + rows * bytesPerRow >= hi.
export function makeLayout(span, width, zoom, align = 8, view = null) {
  const w = Math.max(50, Math.floor(width));
  const s = Math.max(align, Math.ceil(span));
  const win = clampView(view, s);
  const bytes = win.hi - win.lo;
  const wanted = Math.max(1, BASE_ROWS * Math.max(1, zoom | 0));
  const step = win.whole ? align : 1; // a part is drawn to the byte, the whole heap in aligned rows
  let bytesPerRow = Math.ceil(bytes / wanted / step) * step;
  bytesPerRow = Math.max(step, bytesPerRow);
  const rows = Math.max(1, Math.ceil(bytes / bytesPerRow));
  return { span: s, lo: win.lo, hi: win.hi, width: w, rows, bytesPerRow, pxPerByte: w / bytesPerRow, height: rows * ROW_H + 4 };
}

// The smallest window: a few bytes (each then many pixels wide).
export const MIN_VIEW_BYTES = 16;

// Returns the window view = {lo, hi} clamped into [0, span) and at least MIN_VIEW_BYTES wide
// (whole: true when it covers all of it, or when view is null).
export function clampView(view, span) {
  if (!view || !(view.hi > view.lo)) return { lo: 0, hi: span, whole: true };
  const width = Math.min(span, Math.max(MIN_VIEW_BYTES, Math.round(view.hi - view.lo)));
  const lo = Math.max(0, Math.min(span - width, Math.round(view.lo)));
  const hi = lo + width;
  return { lo, hi, whole: lo === 0 && hi >= span };
}

// Returns the window around byte `at` scaled by factor f (< 1 zooms in), keeping `at` under the
// same pixel; the whole span is null (nothing to remember).
export function zoomView(view, span, at, f) {
  const v = clampView(view, span);
  const lo = at - (at - v.lo) * f;
  const hi = lo + (v.hi - v.lo) * f;
  const out = clampView({ lo, hi }, span);
  return out.whole || hi - lo >= span ? null : { lo: out.lo, hi: out.hi };
}

// Calls fn(x, y, w, h, row) for each rectangle covering bytes [start, end) inside the window, one
// per row crossed, allocating nothing (the map draws tens of thousands of ranges per frame).
export function eachRect(start, end, L, fn) {
  const lo = L.lo || 0;
  const stop = Math.min(end, L.hi ?? end);
  let s = Math.max(lo, start);
  while (s < stop) {
    const row = Math.floor((s - lo) / L.bytesPerRow);
    const base = lo + row * L.bytesPerRow;
    const e = Math.min(stop, base + L.bytesPerRow);
    const x0 = (s - base) * L.pxPerByte;
    fn(x0, row * ROW_H + LINK_H, (e - base) * L.pxPerByte - x0, BAR_H, row);
    s = e;
  }
}

// Returns the rectangles ({x, y, w, h, row}) covering bytes [start, end) inside the window, one per row crossed.
export function rectsOf(start, end, L) {
  const out = [];
  eachRect(start, end, L, (x, y, w, h, row) => out.push({ x, y, w, h, row }));
  return out;
}

// Returns what each pixel column of each row shows when the map has fewer pixels than bytes:
// the kind of byte range (an index into `kinds`; 255 for none) that covers the most bytes
// of that column, as a Uint8Array of rows x cols. Drawn to scale this is the honest picture
// (a 24-byte free block among 2,000 bytes of payload is payload), and it turns 18,000 ranges
// into at most rows x cols rectangles.
export function pixelKinds(table, L, cols, kinds) {
  const K = kinds.length;
  const bytes = pixelBytes(table, L, cols, kinds);
  const out = new Uint8Array(L.rows * cols).fill(255);
  for (let i = 0; i < out.length; i++) {
    let best = 0;
    for (let k = 0; k < K; k++) if (bytes[i * K + k] > best) { best = bytes[i * K + k]; out[i] = k; }
  }
  return out;
}

// Returns how much of each pixel column of each row each kind covers, as a fraction of the
// column (0..1; bytes / bytes per column): a Float64Array of rows x cols x kinds.length (the
// index of a kind in `kinds` last), inside the window. With `into` (a Float64Array from an
// earlier call) the counts are written there when it is large enough, so a map redrawn every
// step does not make a new array of rows x cols x kinds doubles each time; the result is then
// a view of it.
export function pixelBytes(table, L, cols, kinds, into = null) {
  const K = kinds.length;
  const index = new Map(kinds.map((k, i) => [k, i]));
  const perCol = L.bytesPerRow / cols;
  const lo = L.lo || 0;
  const hi = L.hi ?? Infinity;
  const n = L.rows * cols * K;
  const bytes = into && into.length >= n ? into.subarray(0, n).fill(0) : new Float64Array(n);
  for (const r of table) {
    const k = index.get(r.kind);
    if (k === undefined || r.end <= lo || r.start >= hi) continue;
    let s = Math.max(lo, r.start);
    const stop = Math.min(r.end, hi);
    while (s < stop) {
      const row = Math.floor((s - lo) / L.bytesPerRow);
      const base = lo + row * L.bytesPerRow;
      const e = Math.min(stop, base + L.bytesPerRow);
      let a = (s - base) / perCol;
      const b = (e - base) / perCol;
      for (let c = Math.floor(a); a < b && c < cols; c++) {
        const next = Math.min(b, c + 1);
        bytes[(row * cols + c) * K + k] += next - a;
        a = next;
      }
      s = e;
    }
  }
  return bytes;
}

// Returns the byte under pixel (x, y), or -1 outside the bars.
export function byteAt(x, y, L) {
  const row = Math.floor(y / ROW_H);
  if (row < 0 || row >= L.rows || y - row * ROW_H < LINK_H) return -1;
  return byteAtX(x, row, L);
}

// Returns the byte at x in row `row` (bars or link band), or -1 outside the window.
export function byteAtX(x, row, L) {
  const lo = L.lo || 0;
  const b = lo + row * L.bytesPerRow + Math.floor(x / L.pxPerByte);
  return b >= lo && b < Math.min(L.span, L.hi ?? L.span) && x >= 0 && x <= L.width ? b : -1;
}

// Returns the anchor point (top centre of its first rectangle in the window) for a byte range:
// where links start and end; null when none of it is in the window.
export function anchorOf(start, end, L) {
  const lo = L.lo || 0;
  const s = Math.max(lo, start);
  const stop = Math.min(end, L.hi ?? end);
  if (!(s < stop)) return null;
  const row = Math.floor((s - lo) / L.bytesPerRow);
  const base = lo + row * L.bytesPerRow;
  const e = Math.min(stop, base + L.bytesPerRow);
  return { x: ((s - base) + (e - s) / 2) * L.pxPerByte, y: row * ROW_H + LINK_H, row };
}

// Returns a readable byte count: "512 B", "4 KiB", "1.5 MiB".
export function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${+(n / 1024).toFixed(n % 1024 ? 1 : 0)} KiB`;
  return `${+(n / 1048576).toFixed(n % 1048576 ? 1 : 0)} MiB`;
}
