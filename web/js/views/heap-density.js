// heap-density.js: the heap map where a pixel holds more bytes than a block
// has (a 300,000-op trace at ~1,900 bytes per pixel). Each device-pixel
// column of a row becomes a small stacked bar of what its bytes are: payload
// from the bottom, then padding, headers, alignment pads, and free space on
// top, each as tall as its share of the column's bytes. A solid blue stretch
// is fully used heap, a half-yellow one is half free: a utilization band that
// stays honest at any density (heap-layout.js pixelBytes does the counting).
// The bars are written as pixels, a row at a time (a run of equal columns
// is worked out once), so a frame costs the same whatever the number of blocks.
// A map keeps its band (DensityBand): a step redraws only the rows whose bars
// changed (an operation touches a block or two: one row of four) and copies
// the band onto the map in one drawImage.
import { pixelBytes, ROW_H, LINK_H, BAR_H } from '../model/heap-layout.js';

// The stacking order, bottom to top, and which colour each kind takes.
export const STACK = ['payload', 'padding', 'header', 'footer', 'pad', 'epilogue', 'free'];

// How far (CSS px) above a bar a column may reach: its kinds' heights are rounded to half a
// pixel each, so their sum can pass the bar's height by up to a quarter pixel per kind.
const OVER = 2;

// The image one row's bars are written into as pixels, then put into the band, and the
// buffers a frame works in: made again only when the map's width or pixel ratio changes, so
// a step allocates nothing here.
let work = null;

// A map's band as last drawn: a canvas the size of the map holding every row's bars (transparent
// elsewhere), and the byte counts (pixelBytes: per column and kind) each row was drawn from.
// Made again when the map's geometry, window or colours change; rowsDrawn counts the rows the
// last draw wrote (the others were as they were).
export class DensityBand {
  constructor() {
    this.canvas = null;
    this.key = '';
    this.colours = null;
    this.counts = new Float64Array(0);
    this.rowsDrawn = 0;
  }

  // Makes the band ready for layout L (cols device columns, h device rows) in colours C;
  // returns true when it was made again (every row must then be drawn).
  fit(L, C, cols, h) {
    const key = `${cols}x${h} ${L.rows} ${L.bytesPerRow} ${L.lo || 0} ${L.hi}`;
    if (this.canvas && key === this.key && C === this.colours) return false;
    if (!this.canvas) this.canvas = document.createElement('canvas');
    this.canvas.width = cols;
    this.canvas.height = h;
    this.g = this.canvas.getContext('2d');
    this.key = key;
    this.colours = C;
    this.counts = new Float64Array(L.rows * cols * STACK.length).fill(-1);
    return true;
  }

  // Forgets what the band holds: the next draw writes every row again.
  forget() {
    this.key = '';
  }
}

let counts = new Float64Array(0); // pixelBytes' counts, reused from draw to draw

// Returns the image and buffers for rows of cols x hPx device pixels.
function workFor(cols, hPx, K) {
  if (work && work.cols === cols && work.hPx === hPx) return work;
  const img = document.createElement('canvas').getContext('2d').createImageData(cols, hPx);
  const f = () => new Float64Array(hPx);
  work = {
    cols, hPx, img, data: new Uint32Array(img.data.buffer),
    h: new Float64Array(K), prev: new Float64Array(K), col: new Uint32Array(hPx),
    cr: f(), cg: f(), cb: f(), ca: f(), edges: [],
  };
  return work;
}

// Returns the colour of each STACK kind in C, parsed once per colour set: {rgb (0..255, three
// a kind), solid (each kind's opaque pixel as one 32-bit ImageData word)}.
const parsed = new WeakMap();
function stackColours(C) {
  let out = parsed.get(C);
  if (out) return out;
  const c = document.createElement('canvas');
  c.width = c.height = 1;
  const g = c.getContext('2d', { willReadFrequently: true });
  const rgb = new Float64Array(STACK.length * 3);
  const solid = new Uint32Array(STACK.length);
  const px = new Uint8ClampedArray(solid.buffer); // the words' bytes, in the machine's order
  STACK.forEach((kind, k) => {
    g.clearRect(0, 0, 1, 1);
    g.fillStyle = C[kind];
    g.fillRect(0, 0, 1, 1);
    const d = g.getImageData(0, 0, 1, 1).data;
    rgb.set([d[0], d[1], d[2]], k * 3);
    px.set([d[0], d[1], d[2], 255], k * 4);
  });
  out = { rgb, solid };
  parsed.set(C, out);
  return out;
}

// Fills the bars of layout L on context g from the derived block table, with colours C,
// at dpr device pixels per CSS pixel. Each row's bars are written as pixels and put into the
// band as one image per row: a column's kinds stacked, a pixel inside a kind's stretch in its colour, a
// pixel a stretch's edge crosses blended by each kind's share of it, in STACK order, as
// filled rectangles would be antialiased. A run of equal columns is worked out once.
// band: the map's DensityBand (a new one draws every row); only rows whose byte counts changed
// since its last draw are written again, then the band is drawn onto g in one drawImage.
export function fillDensity(g, L, C, dpr, table, band = new DensityBand()) {
  const cols = Math.max(1, Math.round(L.width * dpr));
  const K = STACK.length;
  const bytes = pixelBytes(table, L, cols, STACK, counts);
  counts = bytes.length > counts.length ? bytes : counts; // kept for the next draw (the largest so far)
  const { rgb, solid } = stackColours(C);
  const hPx = Math.round((BAR_H + OVER) * dpr); // device rows of a strip; its last is the bar's bottom
  const { img, data, h, prev, col, cr, cg, cb, ca, edges } = workFor(cols, hPx, K);
  const fresh = band.fit(L, C, cols, Math.round(L.height * dpr));
  const drawn = band.counts;
  band.rowsDrawn = 0;
  // a pixel an edge crosses keeps its premultiplied colour and alpha so far in cr, cg, cb, ca, listed in edges
  const word = new Uint32Array(1), wordPx = new Uint8ClampedArray(word.buffer);
  // Blends kind k over pixel p with coverage cov (source-over).
  const blend = (k, p, cov) => {
    if (!(cov > 0) || p < 0 || p >= hPx) return;
    if (ca[p] === 0) edges.push(p);
    const keep = 1 - cov;
    cr[p] = rgb[k * 3] * cov + cr[p] * keep;
    cg[p] = rgb[k * 3 + 1] * cov + cg[p] * keep;
    cb[p] = rgb[k * 3 + 2] * cov + cb[p] * keep;
    ca[p] = cov + ca[p] * keep;
  };
  let lo = hPx; // the column paints device rows [lo, hPx)
  for (let row = 0; row < L.rows; row++) {
    const from = row * cols * K, to = from + cols * K;
    if (!fresh && !rowChanged(bytes, drawn, from, to)) continue;
    drawn.set(bytes.subarray(from, to), from);
    band.rowsDrawn++;
    const bottom = row * ROW_H + LINK_H + BAR_H;
    prev.fill(-1);
    data.fill(0);
    for (let c = 0; c < cols; c++) {
      const at = (row * cols + c) * K;
      let same = true;
      for (let k = 0; k < K; k++) {
        h[k] = Math.round(2 * BAR_H * bytes[at + k]) / 2; // its share of the column (pixelBytes: in columns), to half a pixel
        if (h[k] !== prev[k]) same = false;
      }
      if (!same) {
        prev.set(h);
        let y1 = hPx;
        for (let k = 0; k < K; k++) {
          if (!(h[k] > 0)) continue;
          const y0 = y1 - h[k] * dpr;
          const in0 = Math.max(0, Math.ceil(y0)), in1 = Math.floor(y1);
          for (let p = in0; p < in1; p++) col[p] = solid[k];
          const f0 = Math.floor(y0);
          if (f0 < in0) blend(k, f0, Math.min(y1, f0 + 1) - y0); // the pixel its top edge crosses
          if (in1 < y1 && !(f0 < in0 && in1 === f0)) blend(k, in1, y1 - Math.max(y0, in1)); // the pixel its bottom edge crosses
          y1 = y0;
        }
        lo = Math.max(0, Math.min(hPx, Math.floor(y1)));
        for (const p of edges) {
          const a = ca[p];
          wordPx[0] = cr[p] / a; wordPx[1] = cg[p] / a; wordPx[2] = cb[p] / a; wordPx[3] = a * 255;
          col[p] = word[0];
          cr[p] = cg[p] = cb[p] = ca[p] = 0;
        }
        edges.length = 0;
      }
      for (let p = lo; p < hPx; p++) data[p * cols + c] = col[p];
    }
    band.g.putImageData(img, 0, Math.round(bottom * dpr) - hPx); // the whole strip: what the row held before goes
  }
  g.save();
  g.setTransform(1, 0, 0, 1, 0, 0);
  g.drawImage(band.canvas, 0, 0);
  g.restore();
}

// Returns true when counts [from, to) differ from those a row was drawn from. Exact: a row whose
// bytes moved at all is drawn again (a step moves one or two rows; the others compare equal), and
// the loop is cheap enough to run cold (the first step after a long run's landing).
function rowChanged(bytes, drawn, from, to) {
  for (let i = from; i < to; i++) if (bytes[i] !== drawn[i]) return true;
  return false;
}

// Returns how many free blocks have a link end inside the window of L (the arcs a frame would draw).
export function linksInView(blocks, L) {
  let n = 0;
  for (const b of blocks) if (b.free && b.nextFree && b.offset + b.size > L.lo && b.offset < L.hi) n++;
  return n;
}

// The most free-list arcs drawn per CSS pixel of width: past it they are a blanket, not links.
export const LINKS_PER_PX = 1 / 12;
