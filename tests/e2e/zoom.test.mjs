// zoom.test.mjs: the heap map of a large trace stays readable. Zoomed out,
// blocks below a pixel become a stacked utilization band and the free-list
// arcs are left out (the scale line says so); a drag across the map shows
// only that region, Ctrl + wheel zooms down to bytes, 0 and "Show the whole
// heap" go back; the window travels in the link (?view=lo-hi). Uses the real
// gcc trace when present, else a generated one. Screenshots: desktop and 390 px.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { launch, openPage, waitStep, ROOT, SHOTS } from './browser.mjs';

const GCC = join(ROOT, '..', 'shared', 'traces', 'real', 'gcc_cc1_pngtest.csv');
let b;
before(async () => { b = await launch(); });
after(async () => { await b.close(); });

// Returns a large trace: gcc when present, else a generated random one.
function bigTrace() {
  if (existsSync(GCC)) return GCC;
  const dir = join(tmpdir(), 'heaplab-e2e-files');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'random-150000.csv');
  if (!existsSync(file)) execFileSync('sh', ['-c', `"${join(ROOT, 'build', 'heaplab')}" gen random --seed 2 --ops 150000 > "${file}"`]);
  return file;
}

const heapState = (page) => page.evaluate(() => {
  const h = globalThis.heaplab.v.heap;
  return { view: h.view, lo: h.L.lo, hi: h.L.hi, pxPerByte: h.L.pxPerByte, linksHidden: h.linksHidden, scale: document.getElementById('heap-scale').textContent, whole: document.getElementById('heap-whole').hidden };
});

test('a large heap zoomed out, into a region by drag, down to bytes by wheel, and back', async () => {
  for (const width of [1400, 390]) {
    const { page, problems } = await openPage(b.context, '?scenario=random', { viewport: { width, height: width === 390 ? 844 : 1000 } });
    await page.getByLabel('Import trace', { exact: true }).setInputFiles(bigTrace());
    await page.waitForFunction(() => globalThis.heaplab.scenario.kind === 'import' && document.getElementById('app').getAttribute('aria-busy') === 'false', null, { timeout: 120000 });
    const n = await page.evaluate(() => globalThis.heaplab.run.n);
    await waitStep(page, n);
    const canvas = page.locator('#heap-canvas');
    await canvas.scrollIntoViewIfNeeded();
    let s = await heapState(page);
    assert.equal(s.view, null);
    assert.ok(s.pxPerByte < 1, `zoomed out: ${1 / s.pxPerByte} bytes per pixel`);
    assert.ok(s.linksHidden, 'the free-list arcs are left out when dense');
    assert.match(s.scale, /bytes per pixel/);
    assert.match(s.scale, /Free-list links hidden \([\d,]+ in view\): zoom in/);
    assert.match(s.scale, /stacked by what its bytes are/);
    await canvas.screenshot({ path: join(SHOTS, `22-map-zoomed-out-${width}.png`) });
    // drag across the first row: only that region is shown
    const box = await canvas.boundingBox();
    const y = box.y + 22 + 15; // the first row's bar
    const x0 = box.x + box.width * 0.2, x1 = box.x + box.width * 0.3;
    const before = s;
    await page.mouse.move(x0, y);
    await page.mouse.down();
    await page.mouse.move((x0 + x1) / 2, y + 2, { steps: 3 });
    await page.mouse.move(x1, y, { steps: 3 });
    await page.mouse.up();
    s = await heapState(page);
    assert.ok(s.view, 'a window is shown');
    const bpr = (before.hi - before.lo) / before.pxPerByte / (box.width / before.pxPerByte); // bytes per CSS px
    const want = [Math.floor((x0 - box.x) / before.pxPerByte), Math.floor((x1 - box.x) / before.pxPerByte)];
    assert.ok(Math.abs(s.view.lo - want[0]) <= 2 / before.pxPerByte && Math.abs(s.view.hi - want[1]) <= 2 / before.pxPerByte + 1, `window ${JSON.stringify(s.view)} vs dragged ${want} (${bpr})`);
    assert.equal(s.whole, false, 'the whole-heap button is offered');
    await canvas.screenshot({ path: join(SHOTS, `25-map-region-${width}.png`) });
    assert.match(s.scale, new RegExp(`bytes ${s.view.lo.toLocaleString('en')}–${s.view.hi.toLocaleString('en')} of`));
    const q = await page.evaluate(() => globalThis.heaplab.query());
    assert.match(q, new RegExp(`[?&]view=${s.view.lo}-${s.view.hi}(&|$)`));
    // Ctrl + wheel zooms in around the pointer, down to bytes
    await page.mouse.move(box.x + box.width / 2, y);
    await page.keyboard.down('Control');
    for (let i = 0; i < 40 && (await heapState(page)).pxPerByte < 4; i++) await page.mouse.wheel(0, -400);
    await page.keyboard.up('Control');
    s = await heapState(page);
    assert.ok(s.pxPerByte >= 4, `zoomed to ${s.pxPerByte} px per byte`);
    assert.match(s.scale, /px per byte/);
    // hovering now names a single block
    await page.mouse.move(box.x + box.width / 2, y);
    const detail = await page.locator('#heap-detail').textContent();
    assert.match(detail, /(Block \d+|Free block) at offset \d+/);
    await canvas.screenshot({ path: join(SHOTS, `23-map-zoomed-in-${width}.png`) });
    await page.screenshot({ path: join(SHOTS, `24-page-zoomed-in-${width}.png`) });
    // 0 on the focused map, and the button, show the whole heap again
    await canvas.focus();
    await page.keyboard.press('0');
    s = await heapState(page);
    assert.equal(s.view, null);
    assert.equal(s.whole, true);
    await page.keyboard.press('+');
    assert.ok((await heapState(page)).view, '+ zooms in');
    await page.locator('#heap-whole').click();
    assert.equal((await heapState(page)).view, null);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test('a link keeps the window into the heap', async () => {
  const { page, problems } = await openPage(b.context, '?scenario=random&seed=1&ops=300&step=200&view=64-320');
  await waitStep(page, 200);
  const s = await heapState(page);
  assert.deepEqual(s.view, { lo: 64, hi: 320 });
  assert.equal(s.lo, 64);
  assert.equal(s.hi, 320);
  assert.equal(s.whole, false);
  assert.match(await page.evaluate(() => globalThis.heaplab.query()), /[?&]view=64-320/);
  assert.deepEqual(problems, []);
  await page.close();
});
