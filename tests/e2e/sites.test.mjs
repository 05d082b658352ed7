// sites.test.mjs: a trace recorded with `heaplab record --sites` (sort on a
// generated file, recorded here by build/heaplab) imported into the page:
// the status line counts its call sites, a block's details name the site that
// asked for it, and the log shows each call's site. The site strings come
// from C (trace.sites()), never from parsing the CSV in JS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, openPage, waitStep, ROOT, SHOTS } from './browser.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b.close(); });

// Records `sort` on a generated file; returns the trace's path.
function recordSort(dir) {
  const input = join(dir, 'numbers.txt');
  writeFileSync(input, Array.from({ length: 3000 }, (_, i) => `${(i * 7919) % 3001}\n`).join(''));
  const out = join(dir, 'sort.csv');
  execFileSync(join(ROOT, 'build', 'heaplab'), ['record', '--quiet', '--sites', '--out', out, '--', 'sort', '-n', input], { stdio: ['ignore', 'ignore', 'inherit'] });
  return out;
}

for (const [label, viewport] of [['desktop', null], ['phone', { width: 390, height: 844 }]]) {
  test(`a recorded trace shows its call sites (${label})`, async () => {
    const dir = join(tmpdir(), 'heaplab-e2e-sites');
    mkdirSync(dir, { recursive: true });
    const file = recordSort(dir);
    const rows = readFileSync(file, 'utf8').trim().split('\n').length - 1;
    const { page, problems } = await openPage(b.context, '', viewport ? { viewport } : {});
    await page.getByLabel('Import trace', { exact: true }).setInputFiles(file);
    await page.waitForFunction((n) => globalThis.heaplab.scenario.kind === 'import' && globalThis.heaplab.run.n === n, rows);
    const sites = await page.evaluate(() => globalThis.heaplab.run.sites.names);
    assert.ok(sites.length > 1 && sites.every((s) => /^[^,]+\+0x[0-9a-f]+$/.test(s)), `site names: ${sites.slice(0, 3)}`);
    assert.match(await page.locator('#status').textContent(), new RegExp(`from ${sites.length} call sites in the recorded program`));
    // the log: every malloc/realloc row in view names its site
    await page.locator('#slider').fill('40');
    await waitStep(page, 40);
    const logSites = await page.locator('.lbody .lrow .site').allTextContents();
    assert.ok(logSites.length > 0 && logSites.every((s) => s.startsWith('at ') && sites.includes(s.slice(3))), `log sites: ${logSites.slice(0, 3)}`);
    // the block details: the first allocated block on the map names its site
    const first = await page.evaluate(() => globalThis.heaplab.snap.blocks.findIndex((x) => !x.free));
    await page.evaluate((i) => globalThis.heaplab.v.heap.select(i), first);
    const detail = await page.locator('#heap-detail').textContent();
    const m = /The program asked for it at (\S+)\.$/.exec(detail);
    assert.ok(m && sites.includes(m[1]), detail);
    await page.locator('#heap-detail').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, `sites-${label}.png`), fullPage: false });
    await page.locator('.lbody .lrow.current').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, `sites-${label}-log.png`), fullPage: false });
    assert.deepEqual(problems, []);
    await page.close();
  });
}
