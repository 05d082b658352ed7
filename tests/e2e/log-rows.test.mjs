// log-rows.test.mjs: a long run's log is not held by the page (model/run-rows.js):
// the page has the run's steps and asks the engine for the log rows in view, which
// C makes again from the run's cursor (c/wasm/run_rows_api.c). Scrolled far from
// the cursor, the log shows rows equal to the run's exported log, and a step's line
// names what its op did.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { launch, openPage, waitStep, ROOT, SHOTS } from './browser.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b.close(); });

test('a 60,000-op import: the log rows far from the cursor come from the engine and equal the exported log', async () => {
  const dir = join(tmpdir(), 'heaplab-e2e-files');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'random-60k.csv');
  if (!existsSync(file)) execFileSync('sh', ['-c', `"${join(ROOT, 'build', 'heaplab')}" gen random --seed 4 --ops 60000 > "${file}"`]);
  const { page, problems } = await openPage(b.context, '?scenario=random');
  // idle callbacks are held until the log has been scrolled (below), so the idle work after the landing comes after it
  await page.evaluate(() => { globalThis.__idle = []; globalThis.requestIdleCallback = (f) => { globalThis.__idle.push(f); return 0; }; });
  await page.getByLabel('Import trace', { exact: true }).setInputFiles(file);
  await page.waitForFunction(() => { const a = globalThis.heaplab; return a.run && a.scenario.kind === 'import' && a.snap && a.snap.k === a.cursor; }, null, { timeout: 60000 });
  const held = await page.evaluate(() => { const r = globalThis.heaplab.run; return { n: r.n, cols: Object.keys(r.cols), events: !!r.events }; });
  assert.ok(held.n > 50000, `run of ${held.n} steps`);
  assert.deepEqual(held, { n: held.n, cols: ['size'], events: false }, 'the page holds the steps, not the log');
  // scroll the log to row 30,000 (far from the cursor, at the end): its rows arrive from the engine
  const I = 30000;
  await page.locator('#log-table').scrollIntoViewIfNeeded();
  await page.evaluate((i) => { const log = globalThis.heaplab.v.log; log.scrollToRows(i * log.ROW); }, I);
  await page.waitForFunction((i) => { const r = document.getElementById(`log-row-${i}`); return r && !r.classList.contains('pending'); }, I, { timeout: 20000 });
  // and it stays there: the idle work after a long landing (rehearse.js) leaves the log where the reader scrolled it
  const top = await page.evaluate(() => globalThis.heaplab.v.log.viewTop());
  for (let i = 0; i < 20; i++) {
    await page.evaluate(() => { for (const f of globalThis.__idle.splice(0)) f({ timeRemaining: () => 50, didTimeout: false }); });
    await page.waitForTimeout(50);
  }
  assert.equal(await page.evaluate(() => globalThis.heaplab.v.log.viewTop()), top, 'the log stays scrolled where it was put');
  assert.ok(await page.evaluate((i) => !!document.getElementById(`log-row-${i}`), I), 'row 30,000 is still on show');
  const cells = await page.evaluate((i) => Object.fromEntries([...document.getElementById(`log-row-${i}`).querySelectorAll('.c')].map((c) => [c.classList[1], c.textContent])), I);
  const csv = (await page.evaluate(() => globalThis.heaplab.exportLog('rich'))).text.split('\n');
  const head = csv[0].split(',');
  const rec = Object.fromEntries(csv[1 + I].split(',').map((v, j) => [head[j], v]));
  assert.equal(cells.seq, String(I + 1));
  assert.equal(cells.id, rec.id);
  assert.equal(cells.blk, rec.block_size);
  assert.equal(cells.heap, rec.heap_size);
  if (Number(rec.result) >= 0) assert.equal(cells.off, rec.offset);
  assert.ok(cells.what.length > 10, `words: ${cells.what}`);
  await page.screenshot({ path: join(SHOTS, 'log-rows-far.png') });
  // a step far back: the step line names what its op did (its window came with the snapshot)
  await page.evaluate((k) => globalThis.heaplab.setCursor(k), 12345);
  await waitStep(page, 12345);
  await page.waitForFunction(() => /^Step 12345: \S/.test(document.getElementById('now').textContent), null, { timeout: 10000 });
  const row = await page.evaluate(() => { const r = document.querySelector('#log-table .lrow.current'); return r && r.querySelector('.seq').textContent; });
  assert.equal(row, '12345');
  assert.deepEqual(problems, []);
  await page.close();
});
