// heap-density.js: the heap map where a pixel holds more bytes than a block
// has (a 300,000-op trace at ~1,900 bytes per pixel). Each device-pixel
// column of a row becomes a small stacked bar of what its bytes are: payload
// from the bottom, then padding, headers, alignment pads, and free space on
// top, each as tall as its share of the column's bytes. A solid blue stretch
// is fully used heap, a half-yellow one is half free: a utilization band that
// stays honest at any density (heap-layout.js pixelBytes does the counting).
// Runs of equal columns are merged, so a frame draws a few thousand
// rectangles whatever the number of blocks.
import { pixelBytes, ROW_H, LINK_H, BAR_H } from '../model/heap-layout.js';

// The stacking order, bottom to top, and which colour each kind takes.
export const STACK = ['payload', 'padding', 'header', 'footer', 'pad', 'epilogue', 'free'];

// Fills the bars of layout L on context g from the derived block table, with colours C,
// at dpr device pixels per CSS pixel.
export function fillDensity(g, L, C, dpr, table) {
  const cols = Math.max(1, Math.round(L.width * dpr));
  const K = STACK.length;
  const bytes = pixelBytes(table, L, cols, STACK);
  const paths = STACK.map(() => new Path2D());
  const h = new Float64Array(K);
  const prev = new Float64Array(K);
  for (let row = 0; row < L.rows; row++) {
    const bottom = row * ROW_H + LINK_H + BAR_H;
    let start = 0;
    prev.fill(-1);
    // Draws columns [start, end) of this row with the heights in prev.
    const flush = (end) => {
      let y = bottom;
      for (let k = 0; k < K; k++) {
        if (prev[k] > 0) paths[k].rect(start / dpr, y - prev[k], (end - start) / dpr, prev[k]);
        y -= Math.max(0, prev[k]);
      }
    };
    for (let c = 0; c < cols; c++) {
      const at = (row * cols + c) * K;
      let same = true;
      for (let k = 0; k < K; k++) {
        h[k] = Math.round(2 * BAR_H * bytes[at + k]) / 2; // its share of the column (pixelBytes: in columns), to half a pixel
        if (h[k] !== prev[k]) same = false;
      }
      if (same) continue;
      if (c > 0) flush(c);
      start = c;
      prev.set(h);
    }
    flush(cols);
  }
  STACK.forEach((kind, k) => {
    g.fillStyle = C[kind];
    g.fill(paths[k]);
  });
}

// Returns how many free blocks have a link end inside the window of L (the arcs a frame would draw).
export function linksInView(blocks, L) {
  let n = 0;
  for (const b of blocks) if (b.free && b.nextFree && b.offset + b.size > L.lo && b.offset < L.hi) n++;
  return n;
}

// The most free-list arcs drawn per CSS pixel of width: past it they are a blanket, not links.
export const LINKS_PER_PX = 1 / 12;
