// search.test.js: the search made visible, through the JS API: a search's
// examine events in heap.events() (best fit on a hand-worked free list), the
// reasons and size classes read from C, the examineCap option, the
// scenarios' descriptions and heap.timeline() on a hand-checked trace.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { heaplab } = require('./helpers.js');
const loadLab = () => heaplab().load();

// Frees blocks of 32, 64, 48 and 24 bytes between live 16-byte separators (address order), then asks for 40.
function holes(heap) {
  const p = [28, 60, 44, 20].map((n) => { const q = heap.malloc(n); heap.malloc(12); return q; });
  for (const q of p) heap.free(q);
  heap.malloc(36);
  return heap.events().at(-1).events.filter((e) => e.kind === 'examine');
}

test('best fit: every block of the list examined, in order, with its reason', async () => {
  const lab = await loadLab();
  const why = lab.examineReasons;
  assert.deepEqual([...why], ['too_small', 'not_best', 'chosen', 'next_class', 'top_last']);
  const heap = lab.createHeap({ policy: 'best', order: 'addr' });
  const ex = holes(heap);
  assert.deepEqual(ex.map((e) => [e.a, e.b, why[e.detail]]), [[4, 32, 'too_small'], [52, 64, 'not_best'], [132, 48, 'chosen'], [196, 24, 'too_small']]);
  heap.destroy();
});

test('examineCap: 0 records no walk, the scan count stays', async () => {
  const lab = await loadLab();
  assert.equal(lab.defaults.examineCap, 16);
  const heap = lab.createHeap({ policy: 'worst', order: 'addr', examineCap: 0 });
  assert.deepEqual(holes(heap), []);
  assert.equal(heap.events().at(-1).scanned, 4);
  heap.destroy();
  assert.throws(() => lab.createHeap({ examineCap: -1 }), RangeError);
});

test('size classes come from C; fast logs the class it searched and the class it took from', async () => {
  const lab = await loadLab();
  const { count, minSize } = lab.sizeClasses;
  assert.equal(count, 116);
  assert.deepEqual(minSize.slice(0, 4), [0, 8, 16, 24]);
  assert.deepEqual(minSize.slice(16, 21), [128, 160, 192, 224, 256]);
  const heap = lab.createHeap({ policy: 'fast', order: 'addr' });
  const ex = holes(heap);
  const cls = heap.events().at(-1).events.find((e) => e.kind === 'class');
  assert.deepEqual([cls.a, cls.b], [5, 6]); // 40 bytes: class 5, empty; the bitmap's next set bit is 6 (48 bytes)
  assert.deepEqual(ex.map((e) => [e.a, lab.examineReasons[e.detail]]), [[132, 'next_class']]);
  heap.destroy();
});

test('every scenario says what it shows', async () => {
  const lab = await loadLab();
  assert.equal(lab.scenarioAbout.length, lab.scenarios.length);
  for (const s of lab.scenarioAbout) assert.ok(s.length > 40, s);
  assert.ok(lab.scenarios.includes('best-wins') && lab.scenarios.includes('worst-wins') && lab.scenarios.includes('next-spreads'));
});

test('timeline: the heap after each step as cells', async () => {
  const lab = await loadLab();
  const heap = lab.createHeap({ log: false });
  const t = lab.loadTrace('op,id,size\nalloc,0,12\nalloc,1,12\nfree,0,0\n');
  const h = heap.timeline(t, { rows: 8, cols: 5, span: 40 });
  assert.equal(h.rows, 3);
  assert.deepEqual([...h.steps], [1, 2, 3]);
  // cells of 8 bytes over 0..40: step 3 frees bytes 4..20 (cell 0 half, cell 1 all, cell 2 half)
  assert.deepEqual([...h.cells.slice(10, 15)], [128, 255, 128, 1, 1]);
  assert.throws(() => heap.timeline(t, { rows: 0, cols: 5, span: 40 }), RangeError);
  t.destroy();
  heap.destroy();
});
