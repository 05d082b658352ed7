// heap-density.test.mjs: the heap map's density band (views/heap-density.js),
// written as pixels: each column stacked by what its bytes are, a stretch's
// edge that ends inside a pixel covering it by its share, drawn at its row.
// The canvas is a stand-in that keeps pixels (putImageData, drawImage) and
// parses the palette's hex colours, so the picture itself is checked.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ROW_H, LINK_H, BAR_H } from '../../web/js/model/heap-layout.js';

// A 2D context that keeps RGBA pixels: enough of the API for fillDensity.
function fakeCanvas() {
  const canvas = { width: 0, height: 0, px: null, puts: 0, draws: [] };
  const ensure = () => {
    if (!canvas.px || canvas.px.length !== canvas.width * canvas.height * 4) canvas.px = new Uint8ClampedArray(canvas.width * canvas.height * 4);
  };
  const g = {
    fillStyle: '#000000',
    imageSmoothingEnabled: true,
    save() {}, restore() {}, setTransform() {}, clearRect() { ensure(); canvas.px.fill(0); },
    fillRect() { // only the colour parser's 1x1 canvas fills
      ensure();
      const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(g.fillStyle);
      canvas.px.set([parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16), 255], 0);
    },
    getImageData() { ensure(); return { data: canvas.px.slice(0, 4) }; },
    createImageData(w, h) { return { width: w, height: h, data: new Uint8ClampedArray(w * h * 4) }; },
    putImageData(img, dx, dy, sx = 0, sy = 0, sw = img.width, sh = img.height) {
      ensure();
      canvas.puts++;
      for (let y = sy; y < sy + sh; y++) for (let x = sx; x < sx + sw; x++) {
        for (let q = 0; q < 4; q++) canvas.px[((dy + y) * canvas.width + dx + x) * 4 + q] = img.data[(y * img.width + x) * 4 + q];
      }
    },
    drawImage(src, ...at) {
      ensure();
      const [sx, sy, sw, sh, dx, dy] = at.length === 2 ? [0, 0, src.width, src.height, ...at] : at;
      canvas.draws.push({ sy, sh, dy });
      for (let y = 0; y < sh; y++) for (let x = 0; x < sw; x++) {
        const s = ((sy + y) * src.width + sx + x) * 4;
        if (src.px[s + 3] === 0) continue; // transparent: what is under it stays
        for (let q = 0; q < 4; q++) canvas.px[((dy + y) * canvas.width + dx + x) * 4 + q] = src.px[s + q];
      }
    },
  };
  canvas.getContext = () => g;
  return canvas;
}
globalThis.document = { createElement: () => fakeCanvas() };
const { fillDensity, DensityBand } = await import('../../web/js/views/heap-density.js');

const C = { payload: '#0072b2', padding: '#cc79a7', header: '#2b2b2b', footer: '#2b2b2b', free: '#f0e442', pad: '#a0a0a0', epilogue: '#a0a0a0' };
const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

// Draws the band of `table` in a map of 10 CSS px x `rows` rows of 600 bytes (60 bytes a column at 1x).
// band: the map's DensityBand kept from an earlier draw (default: a new one).
function draw(table, { rows = 1, dpr = 1, band = new DensityBand() } = {}) {
  const L = { span: 600 * rows, lo: 0, hi: 600 * rows, width: 10, rows, bytesPerRow: 600, pxPerByte: 10 / 600, height: rows * ROW_H + 4 };
  const main = fakeCanvas();
  main.width = Math.round(L.width * dpr);
  main.height = Math.round(L.height * dpr);
  main.getContext().clearRect();
  fillDensity(main.getContext(), L, C, dpr, table, band);
  const at = (x, y) => Array.from(main.px.slice((y * main.width + x) * 4, (y * main.width + x) * 4 + 4));
  return { main, at, band };
}

test('each column is stacked from the bottom by its bytes: payload, then free on top', () => {
  const { at } = draw([
    { start: 0, end: 60, kind: 'payload' }, // column 0: all payload
    { start: 60, end: 90, kind: 'payload' }, { start: 90, end: 120, kind: 'free' }, // column 1: half and half
  ]);
  const bottom = LINK_H + BAR_H; // the bar's last pixel row is bottom - 1
  for (let y = LINK_H; y < bottom; y++) assert.deepEqual(at(0, y), [...rgb(C.payload), 255], `column 0, y ${y}`);
  for (let y = bottom - 15; y < bottom; y++) assert.deepEqual(at(1, y), [...rgb(C.payload), 255], `column 1 payload, y ${y}`);
  for (let y = LINK_H; y < bottom - 15; y++) assert.deepEqual(at(1, y), [...rgb(C.free), 255], `column 1 free, y ${y}`);
  // nothing above the bar (the link band) and nothing in columns without bytes
  for (let y = 0; y < LINK_H; y++) assert.equal(at(0, y)[3], 0);
  for (let y = 0; y < ROW_H; y++) assert.equal(at(5, y)[3], 0);
});

test('a stretch ending inside a pixel covers it by its share (antialiased as a filled rectangle)', () => {
  // 1 byte of 60 is 0.5 px of a 30 px bar: the bottom pixel is payload at half coverage
  const { at } = draw([{ start: 120, end: 121, kind: 'payload' }]);
  const bottom = LINK_H + BAR_H;
  const p = at(2, bottom - 1);
  assert.deepEqual(p.slice(0, 3), rgb(C.payload));
  assert.ok(Math.abs(p[3] - 128) <= 1, `alpha ${p[3]}`);
  assert.equal(at(2, bottom - 2)[3], 0);
  // payload 1.5 px under free 28.5 px: the pixel they share is free over half-covered payload
  const two = draw([{ start: 0, end: 3, kind: 'payload' }, { start: 3, end: 60, kind: 'free' }]).at;
  assert.deepEqual(two(0, bottom - 1), [...rgb(C.payload), 255]);
  const shared = two(0, bottom - 2);
  const a = 0.5 + 0.5 * 0.5; // free at 0.5 over payload at 0.5 (source-over)
  assert.ok(Math.abs(shared[3] - a * 255) <= 1, `alpha ${shared[3]}`);
  rgb(C.free).forEach((f, i) => {
    const want = (f * 0.5 + rgb(C.payload)[i] * 0.5 * 0.5) / a;
    assert.ok(Math.abs(shared[i] - want) <= 1, `channel ${i}: ${shared[i]} vs ${want}`);
  });
  assert.deepEqual(two(0, bottom - 3), [...rgb(C.free), 255]);
});

test('each row is put into the band as one image at its own bar, and at 2x every height doubles', () => {
  const { main, at, band } = draw([{ start: 0, end: 600, kind: 'payload' }, { start: 600 + 60, end: 600 + 120, kind: 'free' }], { rows: 3 });
  assert.equal(band.canvas.puts, 3); // a new band: every row, the empty third one too
  assert.equal(main.draws.length, 1); // the band goes onto the map in one drawImage
  assert.deepEqual(at(9, LINK_H), [...rgb(C.payload), 255]);
  assert.deepEqual(at(1, ROW_H + LINK_H), [...rgb(C.free), 255]);
  assert.equal(at(0, ROW_H + LINK_H)[3], 0);
  assert.equal(at(1, ROW_H + LINK_H - 1)[3], 0);
  const big = draw([{ start: 0, end: 30, kind: 'payload' }, { start: 30, end: 60, kind: 'free' }], { dpr: 2 });
  const bottom = 2 * (LINK_H + BAR_H);
  // 60 bytes are now two device columns of 30: the first all payload, the second all free
  assert.deepEqual(big.at(0, bottom - 1), [...rgb(C.payload), 255]);
  assert.deepEqual(big.at(0, bottom - 2 * BAR_H), [...rgb(C.payload), 255]);
  assert.equal(big.at(0, bottom - 2 * BAR_H - 1)[3], 0);
  assert.deepEqual(big.at(1, bottom - 2 * BAR_H), [...rgb(C.free), 255]);
});

test('a map keeps its band: a draw writes only the rows whose bytes changed, and the picture is as a new band draws it', () => {
  const before = [{ start: 0, end: 600, kind: 'payload' }, { start: 660, end: 720, kind: 'free' }, { start: 1200, end: 1260, kind: 'payload' }];
  const first = draw(before, { rows: 3 });
  assert.equal(first.band.rowsDrawn, 3);
  // an operation in the middle row: the free block there becomes payload, a block is added
  const after = [before[0], { start: 660, end: 720, kind: 'payload' }, { start: 720, end: 750, kind: 'free' }, before[2]];
  const kept = draw(after, { rows: 3, band: first.band });
  assert.equal(kept.band.rowsDrawn, 1);
  assert.equal(kept.band.canvas.puts, 4); // 3 at first, 1 now
  assert.deepEqual(Array.from(kept.main.px), Array.from(draw(after, { rows: 3 }).main.px));
  // the same bytes again: no row is written
  assert.equal(draw(after, { rows: 3, band: kept.band }).band.rowsDrawn, 0);
  // another width, window or colour set draws every row again
  assert.equal(draw(after, { rows: 3, band: kept.band, dpr: 2 }).band.rowsDrawn, 3);
});
