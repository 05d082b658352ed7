// heap-layout.js: the arena drawn to scale, as geometry (DOM-free).
// Bytes [0, span) are laid out left to right in rows of `bytesPerRow`
// bytes, like lines of text; a byte range that crosses a row end wraps into
// the next row. Each row has a band above it for free-list links. Zoom
// multiplies the number of rows, so each byte gets more pixels.

export const BAR_H = 30;
export const LINK_H = 22;
export const ROW_H = BAR_H + LINK_H;
const BASE_ROWS = 4;

// Returns the layout of `span` bytes at `width` pixels and zoom z (>= 1):
// {span, width, rows, bytesPerRow, pxPerByte, height}. Invariant: rows * bytesPerRow >= span.
export function makeLayout(span, width, zoom, align = 8) {
  const w = Math.max(50, Math.floor(width));
  const s = Math.max(align, Math.ceil(span));
  const wanted = Math.max(1, BASE_ROWS * Math.max(1, zoom | 0));
  let bytesPerRow = Math.ceil(s / wanted / align) * align;
  bytesPerRow = Math.max(align, bytesPerRow);
  const rows = Math.max(1, Math.ceil(s / bytesPerRow));
  return { span: s, width: w, rows, bytesPerRow, pxPerByte: w / bytesPerRow, height: rows * ROW_H + 4 };
}

// Calls fn(x, y, w, h, row) for each rectangle covering bytes [start, end), one per row
// crossed, allocating nothing (the map draws tens of thousands of ranges per frame).
export function eachRect(start, end, L, fn) {
  let s = Math.max(0, start);
  while (s < end) {
    const row = Math.floor(s / L.bytesPerRow);
    const base = row * L.bytesPerRow;
    const e = Math.min(end, base + L.bytesPerRow);
    const x0 = (s - base) * L.pxPerByte;
    fn(x0, row * ROW_H + LINK_H, (e - base) * L.pxPerByte - x0, BAR_H, row);
    s = e;
  }
}

// Returns the rectangles ({x, y, w, h, row}) covering bytes [start, end), one per row crossed.
export function rectsOf(start, end, L) {
  const out = [];
  let s = Math.max(0, start);
  while (s < end) {
    const row = Math.floor(s / L.bytesPerRow);
    const rowEnd = (row + 1) * L.bytesPerRow;
    const e = Math.min(end, rowEnd);
    const x0 = (s - row * L.bytesPerRow) * L.pxPerByte;
    const x1 = (e - row * L.bytesPerRow) * L.pxPerByte;
    out.push({ x: x0, y: row * ROW_H + LINK_H, w: x1 - x0, h: BAR_H, row });
    s = e;
  }
  return out;
}

// Returns what each pixel column of each row shows when the map has fewer pixels than bytes:
// the kind of byte range (an index into `kinds`; 255 for none) that covers the most bytes
// of that column, as a Uint8Array of rows x cols. Drawn to scale this is the honest picture
// (a 24-byte free block among 2,000 bytes of payload is payload), and it turns 18,000 ranges
// into at most rows x cols rectangles.
export function pixelKinds(table, L, cols, kinds) {
  const K = kinds.length;
  const index = new Map(kinds.map((k, i) => [k, i]));
  const perCol = L.bytesPerRow / cols;
  const bytes = new Float64Array(L.rows * cols * K);
  for (const r of table) {
    const k = index.get(r.kind);
    if (k === undefined) continue;
    let s = Math.max(0, r.start);
    while (s < r.end) {
      const row = Math.floor(s / L.bytesPerRow);
      const base = row * L.bytesPerRow;
      const e = Math.min(r.end, base + L.bytesPerRow);
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
  const out = new Uint8Array(L.rows * cols).fill(255);
  for (let i = 0; i < out.length; i++) {
    let best = 0;
    for (let k = 0; k < K; k++) if (bytes[i * K + k] > best) { best = bytes[i * K + k]; out[i] = k; }
  }
  return out;
}

// Returns the byte under pixel (x, y), or -1 outside the bars.
export function byteAt(x, y, L) {
  const row = Math.floor(y / ROW_H);
  if (row < 0 || row >= L.rows || y - row * ROW_H < LINK_H) return -1;
  const b = row * L.bytesPerRow + Math.floor(x / L.pxPerByte);
  return b >= 0 && b < L.span && x >= 0 && x <= L.width ? b : -1;
}

// Returns the anchor point (top centre of its first rectangle) for a byte range: where links start and end.
export function anchorOf(start, end, L) {
  const s = Math.max(0, start);
  if (!(s < end)) return null;
  const row = Math.floor(s / L.bytesPerRow);
  const base = row * L.bytesPerRow;
  const e = Math.min(end, base + L.bytesPerRow);
  return { x: ((s - base) + (e - s) / 2) * L.pxPerByte, y: row * ROW_H + LINK_H, row };
}

// Returns a readable byte count: "512 B", "4 KiB", "1.5 MiB".
export function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${+(n / 1024).toFixed(n % 1024 ? 1 : 0)} KiB`;
  return `${+(n / 1048576).toFixed(n % 1048576 ? 1 : 0)} MiB`;
}
