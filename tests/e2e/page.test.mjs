// page.test.mjs: dist/heaplab.html in headless Chromium, opened from
// file://, used the way a person would: by role and accessible name.
// Screenshots of each state go to tests/e2e/screenshots/ (git-ignored).
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { launch, openPage, waitStep, shot, SHOTS } from './browser.mjs';

let b;
before(async () => { mkdirSync(SHOTS, { recursive: true }); b = await launch(); });
after(async () => { await b.close(); });

// Returns the heap canvas as a data URL (pixels, to compare states).
const pixels = (page) => page.evaluate(() => document.getElementById('heap-canvas').toDataURL());
const cursor = (page) => page.evaluate(() => globalThis.heaplab.cursor);
const runLength = (page) => page.evaluate(() => globalThis.heaplab.run.n);
const idle = (page) => page.waitForFunction(() => document.getElementById('app').getAttribute('aria-busy') === 'false');

test('loads from file:// with no console error and no network request; names and headings exist', async () => {
  const { page, problems, loadMs } = await openPage(b.context, '?step=40');
  await waitStep(page, 40);
  const firstRender = await page.evaluate(() => performance.now());
  console.log(`# first render: ${Math.round(firstRender)} ms after navigation start (page load ${loadMs} ms)`);
  for (const name of ['Play', 'Step forward', 'Step back', 'Reset', 'Export log', 'Copy link']) {
    assert.equal(await page.getByRole('button', { name, exact: true }).count(), 1, `button ${name}`);
  }
  for (const name of ['Scenario', 'Policy']) assert.equal(await page.getByRole('combobox', { name, exact: true }).count(), 1, `select ${name}`);
  assert.equal(await page.getByLabel('Import trace', { exact: true }).count(), 1);
  for (const name of ['Heap layout', 'Event log', 'Charts', 'Predictions', 'Compare']) {
    assert.equal(await page.getByRole('heading', { name, exact: true }).count(), 1, `heading ${name}`);
  }
  assert.equal(await page.locator('meta[http-equiv="Content-Security-Policy"]').count(), 1);
  assert.match(await page.locator('#now').textContent(), /^Step 40: /);
  // hover and keyboard focus describe blocks
  const canvas = page.locator('#heap-canvas');
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + 30, box.y + 22 + 15);
  await page.waitForFunction(() => /^(Block \d+|Free block) at offset \d+/.test(document.getElementById('heap-detail').textContent));
  await canvas.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.match(await page.locator('#heap-detail').textContent(), /^(Block \d+|Free block) at offset \d+–\d+: \d+ bytes/);
  assert.equal(await cursor(page), 40, 'arrows on the focused map move between blocks, not steps');
  await shot(page, '01-loaded');
  assert.deepEqual(problems, []);
  await page.close();
});

test('every scenario plays; keyboard space/arrows drive playback and steps are announced', async () => {
  const { page, problems } = await openPage(b.context, '?scenario=random'); // the dashboard (a first visit opens the lessons)
  const values = await page.locator('#scenario option:not([disabled])').evaluateAll((os) => os.map((o) => o.value));
  assert.ok(values.length >= 10, `scenarios: ${values}`);
  for (const v of values) {
    await page.getByRole('combobox', { name: 'Scenario', exact: true }).selectOption(v);
    await idle(page);
    await page.locator('#speed').selectOption('50'); // 300 ops last 6 s: Pause is clicked before the run ends by itself
    if (v === 'manual') {
      assert.equal(await runLength(page), 0);
      await page.getByRole('button', { name: 'malloc', exact: true }).click();
      await idle(page);
      assert.equal(await runLength(page), 1);
      continue;
    }
    assert.ok(await runLength(page) > 10, `${v} has ops`);
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForFunction(() => globalThis.heaplab.cursor >= 5, null, { timeout: 30000 });
    assert.equal(await page.getByRole('button', { name: 'Pause', exact: true }).count(), 1);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    assert.equal(await page.getByRole('button', { name: 'Play', exact: true }).count(), 1);
    if (v === 'fragment' || v === 'sqlite3') await shot(page, `02-scenario-${v}`, false);
  }
  await page.getByRole('combobox', { name: 'Scenario', exact: true }).selectOption('random');
  await idle(page);
  await page.locator('#slider').fill('10');
  await waitStep(page, 10);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  const k0 = await cursor(page);
  await page.keyboard.press('ArrowRight');
  await waitStep(page, k0 + 1);
  assert.match(await page.locator('#announcer').textContent(), new RegExp(`^Step ${k0 + 1} of \\d+\\. `));
  await page.keyboard.press('ArrowLeft');
  await waitStep(page, k0);
  await page.keyboard.press(' ');
  assert.equal(await page.getByRole('button', { name: 'Pause', exact: true }).count(), 1);
  await page.keyboard.press(' ');
  assert.equal(await page.getByRole('button', { name: 'Play', exact: true }).count(), 1);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the same step gives the same heap map whichever way you got there', async () => {
  const { page, problems } = await openPage(b.context, '?scenario=fragment&seed=2&ops=400&step=0');
  const fwd = page.getByRole('button', { name: 'Step forward', exact: true });
  for (let i = 0; i < 30; i++) await fwd.click();
  await waitStep(page, 30);
  const a = await pixels(page);
  await page.locator('#slider').fill('300');
  await waitStep(page, 300);
  assert.notEqual(await pixels(page), a);
  await page.locator('#slider').fill('31');
  await waitStep(page, 31);
  await page.getByRole('button', { name: 'Step back', exact: true }).click();
  await waitStep(page, 30);
  assert.equal(await pixels(page), a, 'step 30 reached forward == step 30 reached backward');
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await waitStep(page, 0);
  const other = await b.context.newPage();
  await other.goto(page.url().replace(/step=\d+/, 'step=30'));
  await other.waitForFunction(() => globalThis.heaplab && globalThis.heaplab.snap && globalThis.heaplab.snap.k === 30);
  assert.equal(await pixels(other), a, 'the URL restores the same step');
  await other.close();
  assert.deepEqual(problems, []);
  await page.close();
});

test('changing the policy replays the same operations; the URL follows', async () => {
  const { page, problems } = await openPage(b.context, '?scenario=random&seed=1&ops=300&step=300');
  await waitStep(page, 300);
  const before = await page.evaluate(() => JSON.stringify(globalThis.heaplab.snap.blocks));
  await page.getByRole('combobox', { name: 'Policy', exact: true }).selectOption('best');
  await page.waitForFunction(() => globalThis.heaplab.settings.policy === 'best' && globalThis.heaplab.snap.policy === 'best');
  assert.equal(await cursor(page), 300, 'the step is kept');
  assert.notEqual(await page.evaluate(() => JSON.stringify(globalThis.heaplab.snap.blocks)), before, 'best fit places blocks elsewhere');
  assert.equal(await runLength(page), 300);
  await page.waitForFunction(() => location.search.includes('policy=best'));
  await page.getByRole('button', { name: 'Copy link', exact: true }).click();
  await page.waitForFunction(() => document.getElementById('copy-out').textContent.length > 0);
  await shot(page, '03-best-fit');
  assert.deepEqual(problems, []);
  await page.close();
});

test('import: a good file replays; a malformed one shows its line and keeps the state', async () => {
  const { page, problems } = await openPage(b.context, '?scenario=stack&step=25');
  const dir = join(tmpdir(), 'heaplab-e2e-files');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'good.rep'), '1000\n3\n5\n1\na 0 24\na 1 100\nf 0\na 2 8\nr 1 300\n');
  writeFileSync(join(dir, 'bad.csv'), 'op,id,size\nalloc,0,16\nalloc,1,32\nfree,7,0\n');
  await page.getByLabel('Import trace', { exact: true }).setInputFiles(join(dir, 'good.rep'));
  await page.waitForFunction(() => globalThis.heaplab.scenario.kind === 'import' && globalThis.heaplab.run.n === 5);
  assert.equal(await page.locator('#scenario').inputValue(), 'import');
  await page.locator('#slider').fill('5');
  await waitStep(page, 5);
  await page.waitForFunction(() => location.search.includes('m=a24.a100.f0.a8.r1:300') && location.search.includes('step=5'));
  const imported = await pixels(page);
  const link = await b.context.newPage();
  await link.goto(page.url());
  await link.waitForFunction(() => globalThis.heaplab && globalThis.heaplab.snap && globalThis.heaplab.snap.k === 5);
  assert.equal(await pixels(link), imported, 'a short import travels in the link');
  await link.close();
  const kept = await pixels(page);
  await page.getByLabel('Import trace', { exact: true }).setInputFiles(join(dir, 'bad.csv'));
  await page.waitForFunction(() => !document.getElementById('error').hidden);
  const err = await page.locator('#error').textContent();
  assert.match(err, /bad\.csv:4/);
  assert.match(err, /Nothing was changed/);
  assert.equal(await runLength(page), 5);
  assert.equal(await pixels(page), kept);
  await shot(page, '04-import-error', false);
  // drag and drop goes through the same path
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['ALLOC,64\nALLOC,16\nFREE\nALLOC,8\n'], 'dropped.csv', { type: 'text/csv' }));
    document.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await page.waitForFunction(() => globalThis.heaplab.scenario.fileName === 'dropped.csv' && globalThis.heaplab.run.n === 4);
  assert.ok(await page.locator('#error').isHidden());
  assert.deepEqual(problems, []);
  await page.close();
});

test('manual operations: malloc, free and realloc at the cursor, kept in the URL', async () => {
  const { page, problems } = await openPage(b.context, '?scenario=manual');
  assert.equal(await runLength(page), 0);
  const size = page.getByLabel('Size (bytes)');
  await size.fill('40');
  await page.getByRole('button', { name: 'malloc', exact: true }).click();
  await page.waitForFunction(() => globalThis.heaplab.run.n === 1 && globalThis.heaplab.snap.k === 1);
  await size.fill('100');
  await page.getByRole('button', { name: 'malloc', exact: true }).click();
  await page.waitForFunction(() => globalThis.heaplab.run.n === 2 && globalThis.heaplab.snap.k === 2);
  await page.getByRole('combobox', { name: 'Block', exact: true }).selectOption('0');
  await page.getByRole('button', { name: 'free', exact: true }).click();
  await page.waitForFunction(() => globalThis.heaplab.run.n === 3 && globalThis.heaplab.snap.k === 3);
  await page.getByRole('combobox', { name: 'Block', exact: true }).selectOption('1');
  await size.fill('300');
  await page.getByRole('button', { name: 'realloc to size', exact: true }).click();
  await page.waitForFunction(() => globalThis.heaplab.run.n === 4 && globalThis.heaplab.snap.k === 4);
  assert.match(await page.locator('#now').textContent(), /^Step 4: realloc\(block 1, 300\)/);
  assert.match(await page.locator('#announcer').textContent(), /realloc\(block 1, 300\)/);
  // stepping back and adding an op drops the later ones
  await page.getByRole('button', { name: 'Step back', exact: true }).click();
  await page.getByRole('button', { name: 'Step back', exact: true }).click();
  await waitStep(page, 2);
  await size.fill('8');
  await page.getByRole('button', { name: 'malloc', exact: true }).click();
  await page.waitForFunction(() => globalThis.heaplab.run.n === 3 && globalThis.heaplab.snap.k === 3);
  await page.waitForFunction(() => location.search.includes('m=a40.a100.a8'));
  const pic = await pixels(page);
  const url = page.url();
  await shot(page, '11-manual', false);
  const again = await b.context.newPage();
  await again.goto(url);
  await again.waitForFunction(() => globalThis.heaplab && globalThis.heaplab.snap && globalThis.heaplab.snap.k === 3);
  assert.equal(await pixels(again), pic, 'the link rebuilds the same heap');
  await again.close();
  assert.deepEqual(problems, []);
  await page.close();
});

test('export writes the rich and the original CSV', async () => {
  const { page, problems } = await openPage(b.context, '?scenario=random&ops=50&step=50');
  for (const [format, re] of [['rich', /^seq,op,id,size,offset,block_size,scanned,heap_size,live_bytes,free_bytes,largest_free,result\n/], ['seed', /^(ALLOC|FREE|REALLOC)/]]) {
    await page.locator('#log-format').selectOption(format);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export log', exact: true }).click()]);
    const path = await dl.path();
    const text = (await import('node:fs')).readFileSync(path, 'utf8');
    assert.match(text, re);
    assert.equal(text.trim().split('\n').length, format === 'rich' ? 51 : text.trim().split('\n').length);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('compare shows five policies with maps, a summary table and where they part ways', async () => {
  const { page, problems } = await openPage(b.context, '?scenario=fragment&ops=400&step=400');
  await page.getByRole('heading', { name: 'Compare', exact: true }).scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelectorAll('#compare-table tbody tr').length === 5);
  const rows = await page.locator('#compare-table tbody th').allTextContents();
  assert.deepEqual(rows.map((r) => r.replace(/ ★.*/, '')), ['First fit', 'Next fit', 'Best fit', 'Worst fit', 'Fast (size classes)']);
  assert.match(await page.locator('#compare-table .diverge').textContent(), /first place a block differently .* at step \d+/);
  const hints = await page.locator('#compare-table .hint').allTextContents();
  assert.equal(hints.filter((h) => /(needs? the smallest heap|Every policy needs the same heap)/.test(h)).length, 1, `the summary is said once: ${JSON.stringify(hints)}`);
  // every policy's map is drawn (they are drawn one per frame): each canvas has coloured pixels
  await page.waitForFunction(() => [...document.querySelectorAll('#compare-maps canvas')].every((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4 * 97) if (d[i]) return true;
    return false;
  }), null, { timeout: 5000 });
  await shot(page, '05-compare');
  assert.deepEqual(problems, []);
  await page.close();
});

test('predictions: trained up to the cursor and shown next to the baselines', async () => {
  const { page, problems } = await openPage(b.context, '?scenario=sqlite3&step=2000');
  const can = await page.evaluate(() => globalThis.heaplab.info.canPredict);
  await page.getByRole('heading', { name: 'Predictions', exact: true }).scrollIntoViewIfNeeded();
  if (!can) {
    assert.match(await page.locator('#p-verdict').textContent(), /no prediction API/);
    console.log('# predictions: this build has no lab.predict; checked that the page says so');
  } else {
    await page.getByRole('button', { name: 'Train on the log up to this step' }).click();
    await page.waitForFunction(() => document.querySelectorAll('#p-metrics tbody tr').length >= 3, null, { timeout: 60000 });
    const names = await page.locator('#p-metrics tbody th').allTextContents();
    assert.ok(names.some((n) => /regression tree/.test(n)), names.join());
    assert.ok(names.some((n) => /repeat last size/.test(n)), names.join());
    assert.match(await page.locator('#p-verdict').textContent(), /(predicts best on every measure|beats the regression tree on every measure|No predictor is best on every measure|Too few test requests)/);
  }
  await shot(page, '06-predictions');
  assert.deepEqual(problems, []);
  await page.close();
});

test('embed=1 is compact; dark mode and reduced motion render', async () => {
  const { page, problems } = await openPage(b.context, '?scenario=queue&step=80&embed=1', { viewport: { width: 760, height: 700 } });
  assert.ok(await page.locator('#charts').isHidden());
  assert.ok(await page.locator('#heap-canvas').isVisible());
  assert.ok(await page.getByRole('button', { name: 'Play', exact: true }).isVisible());
  await page.waitForFunction(() => /step=80/.test(document.getElementById('open-full').getAttribute('href')));
  assert.doesNotMatch(await page.getByRole('link', { name: 'Open the full page' }).getAttribute('href'), /embed/);
  await shot(page, '07-embed');
  await page.close();
  const dark = await openPage(b.context, '?scenario=phases&step=150', { colorScheme: 'dark', reducedMotion: 'reduce' });
  const bg = await dark.page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  assert.notEqual(bg, 'rgb(244, 245, 247)');
  await shot(dark.page, '08-dark');
  assert.deepEqual([...problems, ...dark.problems], []);
  await dark.page.close();
});
