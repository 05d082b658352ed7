// heap-density.js: the heap map where a pixel holds more bytes than a block
// has (a 300,000-op trace at ~1,900 bytes per pixel). Each device-pixel
// column of a row becomes a small stacked bar of what its bytes are: payload
// from the bottom, then padding, headers, alignment pads, and free space on
// top, each as tall as its share of the column's bytes. A solid blue stretch
// is fully used heap, a half-yellow one is half free: a utilization band that
// stays honest at any density (heap-layout.js pixelBytes does the counting).
// The bars are written as pixels, a row at a time (a run of equal columns
// is worked out once), so a frame costs the same whatever the number of blocks.
import { pixelBytes, ROW_H, LINK_H, BAR_H } from '../model/heap-layout.js';

// The stacking order, bottom to top, and which colour each kind takes.
export const STACK = ['payload', 'padding', 'header', 'footer', 'pad', 'epilogue', 'free'];

// How far (CSS px) above a bar a column may reach: its kinds' heights are rounded to half a
// pixel each, so their sum can pass the bar's height by up to a quarter pixel per kind.
const OVER = 2;

// The strip one row's bars are written into as pixels, then drawn onto the map (made once).
let strip = null;

// Returns the RGB (0..255) of each STACK kind's colour in C, parsed once per colour set.
const parsed = new WeakMap();
function stackRgb(C) {
  let rgb = parsed.get(C);
  if (rgb) return rgb;
  const c = document.createElement('canvas');
  c.width = c.height = 1;
  const g = c.getContext('2d', { willReadFrequently: true });
  rgb = new Float64Array(STACK.length * 3);
  STACK.forEach((kind, k) => {
    g.clearRect(0, 0, 1, 1);
    g.fillStyle = C[kind];
    g.fillRect(0, 0, 1, 1);
    const d = g.getImageData(0, 0, 1, 1).data;
    rgb.set([d[0], d[1], d[2]], k * 3);
  });
  parsed.set(C, rgb);
  return rgb;
}

// Fills the bars of layout L on context g from the derived block table, with colours C,
// at dpr device pixels per CSS pixel. Each row's bars are written as pixels (a column's
// kinds stacked, a kind's edge that ends inside a pixel covering it by its share, painted
// in STACK order as filled rectangles would be) and drawn in one image per row: the
// picture of one rectangle per run of equal columns, without a path of thousands of
// rectangles to fill.
export function fillDensity(g, L, C, dpr, table) {
  const cols = Math.max(1, Math.round(L.width * dpr));
  const K = STACK.length;
  const bytes = pixelBytes(table, L, cols, STACK);
  const rgb = stackRgb(C);
  const hPx = Math.round((BAR_H + OVER) * dpr); // device rows of a strip; its last is the bar's bottom
  if (!strip) strip = document.createElement('canvas');
  if (strip.width !== cols || strip.height !== hPx) { strip.width = cols; strip.height = hPx; }
  const sg = strip.getContext('2d');
  const img = sg.createImageData(cols, hPx);
  const data = img.data;
  const h = new Float64Array(K);
  const prev = new Float64Array(K);
  const cr = new Float64Array(hPx), cg = new Float64Array(hPx), cb = new Float64Array(hPx), ca = new Float64Array(hPx);
  const col = new Uint8ClampedArray(hPx * 4); // the current run's column of pixels
  let lo = hPx, hi = hPx; // the device rows [lo, hi) the column paints
  // Composites kind k over device rows [y0, y1) of the column (source-over, coverage as alpha).
  const paint = (k, y0, y1) => {
    for (let p = Math.max(0, Math.floor(y0)); p < y1 && p < hPx; p++) {
      const cov = Math.min(y1, p + 1) - Math.max(y0, p);
      if (cov <= 0) continue;
      const keep = 1 - cov;
      cr[p] = rgb[k * 3] * cov + cr[p] * keep;
      cg[p] = rgb[k * 3 + 1] * cov + cg[p] * keep;
      cb[p] = rgb[k * 3 + 2] * cov + cb[p] * keep;
      ca[p] = cov + ca[p] * keep;
      if (p < lo) lo = p;
    }
  };
  g.save();
  g.setTransform(1, 0, 0, 1, 0, 0);
  g.imageSmoothingEnabled = false;
  for (let row = 0; row < L.rows; row++) {
    const bottom = row * ROW_H + LINK_H + BAR_H;
    prev.fill(-1);
    data.fill(0);
    let top = hPx; // the highest device row any column of this row paints
    for (let c = 0; c < cols; c++) {
      const at = (row * cols + c) * K;
      let same = true;
      for (let k = 0; k < K; k++) {
        h[k] = Math.round(2 * BAR_H * bytes[at + k]) / 2; // its share of the column (pixelBytes: in columns), to half a pixel
        if (h[k] !== prev[k]) same = false;
      }
      if (!same) {
        prev.set(h);
        cr.fill(0); cg.fill(0); cb.fill(0); ca.fill(0);
        lo = hPx;
        let y = hPx;
        for (let k = 0; k < K; k++) {
          if (h[k] > 0) paint(k, y - h[k] * dpr, y);
          y -= Math.max(0, h[k]) * dpr;
        }
        hi = hPx;
        for (let p = lo; p < hi; p++) {
          const a = ca[p];
          const i = p * 4;
          col[i] = a > 0 ? cr[p] / a : 0;
          col[i + 1] = a > 0 ? cg[p] / a : 0;
          col[i + 2] = a > 0 ? cb[p] / a : 0;
          col[i + 3] = a * 255;
        }
        if (lo < top) top = lo;
      }
      for (let p = lo; p < hi; p++) {
        const i = p * 4, o = (p * cols + c) * 4;
        data[o] = col[i]; data[o + 1] = col[i + 1]; data[o + 2] = col[i + 2]; data[o + 3] = col[i + 3];
      }
    }
    if (top >= hPx) continue; // nothing in this row
    sg.putImageData(img, 0, 0, 0, top, cols, hPx - top);
    g.drawImage(strip, 0, top, cols, hPx - top, 0, Math.round(bottom * dpr) - hPx + top, cols, hPx - top);
  }
  g.restore();
}

// Returns how many free blocks have a link end inside the window of L (the arcs a frame would draw).
export function linksInView(blocks, L) {
  let n = 0;
  for (const b of blocks) if (b.free && b.nextFree && b.offset + b.size > L.lo && b.offset < L.hi) n++;
  return n;
}

// The most free-list arcs drawn per CSS pixel of width: past it they are a blanket, not links.
export const LINKS_PER_PX = 1 / 12;
