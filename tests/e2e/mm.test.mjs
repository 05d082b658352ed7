// mm.test.mjs: "your allocator's heap" in headless Chromium, from file://:
// an mm log recorded by `build/heaplab mm --log` (the deliberately broken
// tests/mm/mm_broken.c on tests/mm/traces/overlap.rep, and the reference
// first fit on a generated trace) imported through the page's file input,
// shown at the failing op, stepped by buttons and keys, a malformed log
// refused with its line and nothing changed, and the way back. Screenshots
// at desktop width and at 390 px: tests/e2e/screenshots/mm-*.png.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, openPage, SHOTS, ROOT } from './browser.mjs';

const NATIVE = join(ROOT, 'build', 'heaplab');
let b;
let dir;
before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'heaplab-mm-e2e-'));
  b = await launch();
});
after(async () => { await b.close(); rmSync(dir, { recursive: true, force: true }); });

// Records an mm log with build/heaplab mm; returns its path.
function record(name, src, traceArgs) {
  const log = join(dir, name);
  const r = spawnSync(NATIVE, ['mm', '--runs', '0', '--log', log, ...traceArgs, join(ROOT, 'tests', 'mm', src)], { encoding: 'utf8', cwd: ROOT });
  assert.ok(r.status === 0 || r.status === 1, `heaplab mm failed: ${r.stderr}`);
  return log;
}

const mmState = (page) => page.evaluate(() => ({ on: globalThis.heaplabMm.on, k: globalThis.heaplabMm.k, index: globalThis.heaplabMm.index }));
const waitK = (page, k) => page.waitForFunction((step) => globalThis.heaplabMm && globalThis.heaplabMm.on && globalThis.heaplabMm.k === step
  && document.getElementById('mm-step').textContent.startsWith(`Step ${step} of`), k, { timeout: 20000 });

test('a broken allocator\'s run opens at its failing op, steps, and reads back', async () => {
  const log = record('overlap.log', 'mm_broken.c', ['--trace', join(ROOT, 'tests', 'mm', 'traces', 'overlap.rep')]);
  const { page, problems } = await openPage(b.context);
  await page.setInputFiles('#import', log);
  await waitK(page, 10);
  assert.equal(await page.locator('#mm').isVisible(), true);
  assert.equal(await page.locator('#heap').isVisible(), false, 'the allocator\'s map is hidden in this mode');
  const verdict = await page.locator('#mm-verdict').textContent();
  assert.match(verdict, /^overlap\.rep: Invalid at op 9: mm_malloc\(5000\) for id 5 returned heap offset 8 \.\. 5007, which overlaps the live payload of id 4/);
  assert.match(await page.locator('#mm-op').textContent(), /^Op 9: mm_malloc\(5000\) for id 5 returned heap offset 8; the heap is 7032 bytes\. This is the op where the run broke/);
  assert.equal(await page.locator('#mm-op').getAttribute('class'), 'mm-op bad');
  const nums = await page.locator('#mm-nums').textContent();
  assert.match(nums, /Live payload8000 bytes in 2 blocks/);
  assert.match(nums, /Heap \(mem_heapsize\)7032 bytes/);
  await page.screenshot({ path: join(SHOTS, 'mm-desktop-fail.png'), fullPage: true });

  await page.keyboard.press('Home');
  await waitK(page, 0);
  assert.match(await page.locator('#mm-op').textContent(), /^Before the first op/);
  await page.keyboard.press('ArrowRight');
  await waitK(page, 1);
  assert.match(await page.locator('#mm-op').textContent(), /^Op 0: mm_malloc\(1000\) for id 0 returned heap offset 8; the heap is 1008 bytes\.$/);
  assert.match(await page.locator('#mm-nums').textContent(), /Held but not given out8 bytes \(0\.8 % of the heap\)/);
  await page.getByRole('button', { name: 'Next ▶' }).click();
  await waitK(page, 2);
  await page.locator('#mm-ops button').first().click(); // the ops list: op 0
  await waitK(page, 1);
  await page.getByRole('button', { name: 'Go to the failing op' }).click();
  await waitK(page, 10);

  // a malformed mm log: the line is named and the run shown stays
  const bad = join(dir, 'bad.log');
  writeFileSync(bad, '# heaplab mm log 1\ntrace,0,3,8,x.rep\n0,a,0,8\n');
  await page.setInputFiles('#import', bad);
  await page.waitForFunction(() => !document.getElementById('error').hidden && /bad\.log:3: an op record has 6 fields/.test(document.getElementById('error').textContent), null, { timeout: 20000 });
  assert.deepEqual(await mmState(page), { on: true, k: 10, index: 0 });

  await page.getByRole('button', { name: 'Back to HeapLab’s allocator' }).click();
  assert.equal((await mmState(page)).on, false);
  assert.equal(await page.locator('#heap').isVisible(), true);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a valid run and the phone width', async () => {
  const gen = join(dir, 'fragment.csv');
  writeFileSync(gen, spawnSync(NATIVE, ['gen', 'fragment', '--seed', '3', '--ops', '300'], { encoding: 'utf8' }).stdout);
  const log = record('ff.log', 'mm_first_fit.c', ['--trace', gen, '--trace', join(ROOT, 'tests', 'mm', 'traces', 'overlap.rep')]);
  const { page, problems } = await openPage(b.context, '', { viewport: { width: 390, height: 844 } });
  await page.setInputFiles('#import', log);
  await waitK(page, 0);
  assert.match(await page.locator('#mm-verdict').textContent(), /^fragment\.csv: Valid on all 300 ops/);
  assert.equal(await page.locator('#mm-fail').isVisible(), false);
  await page.keyboard.press('End');
  await waitK(page, 300);
  await page.keyboard.press('ArrowLeft');
  await waitK(page, 299);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width} px wide at 390 px`);
  await page.screenshot({ path: join(SHOTS, 'mm-phone.png'), fullPage: true });
  await page.selectOption('#mm-trace', '1');
  await waitK(page, 0);
  assert.match(await page.locator('#mm-verdict').textContent(), /^overlap\.rep: Valid on all 12 ops/);
  assert.deepEqual(problems, []);
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.selectOption('#mm-trace', '0');
  await waitK(page, 0);
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await waitK(page, 299);
  await page.screenshot({ path: join(SHOTS, 'mm-desktop-valid.png'), fullPage: false });
  await page.close();
});

test('heaplab mm --page writes one file that opens at the failing op', async () => {
  const html = join(dir, 'run.html');
  const r = spawnSync(NATIVE, ['mm', '--runs', '0', '--log', join(dir, 'run.log'), '--page', html, '--trace', join(ROOT, 'tests', 'mm', 'traces', 'realloc.rep'),
    join(ROOT, 'tests', 'mm', 'mm_broken.c')], { encoding: 'utf8', cwd: ROOT });
  assert.equal(r.status, 1, r.stderr);
  const page = await b.context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.goto(pathToFileURL(html).href);
  await waitK(page, 3);
  assert.match(await page.locator('#mm-verdict').textContent(), /^realloc\.rep: Invalid at op 2: mm_realloc\(id 0, 200\) lost the old contents: byte 8 of the 100 kept/);
  assert.equal(await page.locator('#mm-file').textContent(), 'From run.log');
  assert.deepEqual(problems, []);
  await page.close();
});

test('--decode cs-app: the allocator\'s own blocks, and the fallback with its reason', async () => {
  const gen = join(dir, 'fragment-d.csv');
  writeFileSync(gen, spawnSync(NATIVE, ['gen', 'fragment', '--seed', '3', '--ops', '120'], { encoding: 'utf8' }).stdout);
  const log = join(dir, 'dec.log');
  const r = spawnSync(NATIVE, ['mm', '--runs', '0', '--decode', 'cs-app', '--log', log, '--trace', gen, join(ROOT, 'tests', 'mm', 'mm_first_fit.c')], { encoding: 'utf8', cwd: ROOT });
  assert.equal(r.status, 0, r.stderr);
  const { page, problems } = await openPage(b.context);
  await page.setInputFiles('#import', log);
  await waitK(page, 0);
  await page.keyboard.press('End');
  await waitK(page, 120);
  await page.keyboard.press('ArrowLeft');
  await waitK(page, 119);
  assert.equal(await page.locator('#mm-decode').isVisible(), true);
  assert.equal(await page.locator('#mm-decode').isChecked(), true);
  assert.equal(await page.locator('#mm-decode-note').isVisible(), false);
  assert.equal(await page.getByText('free block', { exact: true }).isVisible(), true);
  assert.equal(await page.getByText('held but not given out: headers, footers, padding, free blocks (overhead)').isVisible(), false);
  await page.locator('#mm-canvas').screenshot({ path: join(SHOTS, 'mm-decoded-map.png') });
  await page.screenshot({ path: join(SHOTS, 'mm-desktop-decoded.png'), fullPage: true });
  // the map's first pixels are the padding word and the prologue: header colour
  await page.locator('#mm-decode').uncheck();
  assert.equal(await page.getByText('held but not given out: headers, footers, padding, free blocks (overhead)').isVisible(), true);

  const log2 = join(dir, 'dec2.log');
  spawnSync(NATIVE, ['mm', '--runs', '0', '--decode', 'cs-app', '--log', log2, '--trace', join(ROOT, 'tests', 'mm', 'traces', 'overlap.rep'), join(ROOT, 'tests', 'mm', 'mm_broken.c')], { cwd: ROOT });
  await page.setInputFiles('#import', log2);
  await waitK(page, 10);
  assert.match(await page.locator('#mm-decode-note').textContent(), /^The headers stopped following the textbook’s block format after op 0: no prologue .* The map shows the outside view\.$/);
  assert.deepEqual(problems, []);
  await page.close();
});
