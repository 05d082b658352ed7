// heap-window.test.mjs: the heap map's window into the heap (heap-layout.js)
// and its link parameter (url-state.js view=lo-hi), DOM-free.
import test from 'node:test';
import assert from 'node:assert/strict';
import { makeLayout, clampView, zoomView, rectsOf, byteAt, byteAtX, anchorOf, pixelBytes, MIN_VIEW_BYTES, LINK_H } from '../../web/js/model/heap-layout.js';
import { parseView, parseQuery, formatQuery } from '../../web/js/model/url-state.js';

const VOCAB = { policies: ['first'], orders: ['lifo'], aligns: [8, 16], headerBytes: 4, minArena: 64, defaults: { policy: 'first', order: 'lifo', coalesce: true, align: 8, arena: 1 << 20 } };

test('a window lays out only its bytes, to the byte, across the same rows', () => {
  const L = makeLayout(1 << 20, 800, 1, 8, { lo: 1000, hi: 1400 });
  assert.equal(L.lo, 1000);
  assert.equal(L.hi, 1400);
  assert.equal(L.rows * L.bytesPerRow >= 400, true);
  assert.equal(L.bytesPerRow, 100); // 400 bytes in 4 rows
  assert.equal(L.pxPerByte, 8);
  // a range straddling the window is clipped to it; one outside has no rectangles
  assert.deepEqual(rectsOf(900, 1050, L).map((r) => [r.x, r.w, r.row]), [[0, 400, 0]]);
  assert.deepEqual(rectsOf(0, 999, L), []);
  assert.deepEqual(rectsOf(1390, 2000, L).map((r) => [r.x, r.w, r.row]), [[720, 80, 3]]);
  assert.equal(byteAt(8 * 5 + 1, LINK_H + 1, L), 1005);
  assert.equal(byteAtX(0, 2, L), 1200);
  assert.equal(anchorOf(0, 500, L), null);
  assert.equal(anchorOf(1000, 1100, L).row, 0);
  const bytes = pixelBytes([{ kind: 'free', start: 0, end: 1200 }, { kind: 'payload', start: 1200, end: 5000 }], L, 100, ['payload', 'free']);
  assert.equal(bytes[(0 * 100 + 0) * 2 + 1], 1, 'row 0 is free');
  assert.equal(bytes[(2 * 100 + 0) * 2 + 0], 1, 'row 2 is payload');
  // counted again into the array of an earlier call (a map redrawn per step): the same counts, nothing
  // left over from that call, and no new array when it is large enough
  const into = new Float64Array(bytes.length + 50).fill(7);
  const again = pixelBytes([{ kind: 'free', start: 0, end: 1200 }, { kind: 'payload', start: 1200, end: 5000 }], L, 100, ['payload', 'free'], into);
  assert.deepEqual([...again], [...bytes]);
  assert.equal(again.buffer, into.buffer, 'written into the given array');
  const small = pixelBytes([{ kind: 'free', start: 0, end: 1200 }], L, 100, ['payload', 'free'], new Float64Array(3));
  assert.equal(small.length, bytes.length, 'an array too small is not used');
});

test('windows are clamped, never narrower than MIN_VIEW_BYTES; zoom keeps the byte under the pointer', () => {
  assert.deepEqual(clampView(null, 5000), { lo: 0, hi: 5000, whole: true });
  assert.deepEqual(clampView({ lo: 4990, hi: 4995 }, 5000), { lo: 5000 - MIN_VIEW_BYTES, hi: 5000, whole: false });
  assert.deepEqual(clampView({ lo: -50, hi: 100 }, 5000), { lo: 0, hi: 150, whole: false });
  const v = zoomView(null, 4000, 1000, 0.5);
  assert.deepEqual(v, { lo: 500, hi: 2500 });
  assert.equal(zoomView(v, 4000, 1000, 4), null, 'zooming out past the heap shows it whole');
});

test('the window travels in a link as view=lo-hi; a bad one is named and ignored', () => {
  assert.deepEqual(parseView('64-320'), { lo: 64, hi: 320 });
  for (const bad of ['', '320-64', '5-5', 'a-b', '1-2-3']) assert.equal(parseView(bad), null, bad);
  const q = parseQuery('?scenario=random&step=3&view=64-320', VOCAB);
  assert.deepEqual(q.view, { lo: 64, hi: 320 });
  const back = formatQuery({ scenario: { name: 'random' }, settings: q.settings, step: 3, view: q.view }, VOCAB);
  assert.match(back, /[?&]view=64-320(&|$)/);
  assert.doesNotMatch(formatQuery({ scenario: { name: 'random' }, settings: q.settings, step: 3, view: null }, VOCAB), /view=/);
  const badQ = parseQuery('?view=9-2', VOCAB);
  assert.equal(badQ.view, null);
  assert.ok(badQ.problems.some((p) => /^view="9-2"/.test(p)), badQ.problems.join(' | '));
});
