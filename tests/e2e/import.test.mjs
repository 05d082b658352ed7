// import.test.mjs: importing a large trace in the page: determinate progress
// is shown while the engine works, the import lands at its end with its
// summary (ops, peak live payload, heap size, utilization), and Cancel keeps
// the previous state (run, step, scenario) whole. The traces are generated
// with build/heaplab gen into a temporary folder.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { launch, openPage, waitStep, shot, ROOT } from './browser.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b.close(); });

// Returns the path of a generated trace (scenario, ops), made once.
function traceFile(scenario, ops) {
  const dir = join(tmpdir(), 'heaplab-e2e-files');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${scenario}-${ops}.csv`);
  if (!existsSync(file)) execFileSync('sh', ['-c', `"${join(ROOT, 'build', 'heaplab')}" gen ${scenario} --seed 3 --ops ${ops} > "${file}"`]);
  return file;
}

// Records, on the page, the largest progress value shown and whether the bar was visible.
const watchProgress = (page) => page.evaluate(() => {
  const box = document.getElementById('progress');
  const bar = document.getElementById('progress-bar');
  globalThis.__prog = { seen: false, values: [], texts: [] };
  new MutationObserver(() => {
    if (box.hidden) return;
    globalThis.__prog.seen = true;
    globalThis.__prog.values.push(bar.value);
    globalThis.__prog.texts.push(document.getElementById('progress-text').textContent);
  }).observe(box, { attributes: true, subtree: true, childList: true, characterData: true });
});

test('an import shows its progress and lands at its end with a summary', async () => {
  const file = traceFile('phases', 400000);
  const { page, problems } = await openPage(b.context, '?scenario=random');
  await watchProgress(page);
  await page.getByLabel('Import trace', { exact: true }).setInputFiles(file);
  await page.waitForFunction(() => globalThis.heaplab.scenario.kind === 'import' && document.getElementById('app').getAttribute('aria-busy') === 'false', null, { timeout: 120000 });
  const n = await page.evaluate(() => globalThis.heaplab.run.n);
  assert.ok(n > 300000, `ops: ${n}`);
  await waitStep(page, n);
  const prog = await page.evaluate(() => globalThis.__prog);
  assert.ok(prog.seen, 'the progress bar was shown');
  assert.ok(prog.values.some((v) => v > 0 && v < 1), `a value between 0 and 1 was shown: ${prog.values.slice(0, 8)}`);
  assert.ok(prog.texts.some((t) => /\d+%$/.test(t)), 'the progress names a percentage');
  assert.equal(await page.locator('#progress').isHidden(), true, 'the bar goes away when done');
  const status = await page.locator('#status').textContent();
  assert.match(status, new RegExp(`${n.toLocaleString('en')} operations`));
  assert.match(status, /peak live payload \d/);
  assert.match(status, /heap size \d/);
  assert.match(status, /utilization \d+(\.\d)?%/);
  assert.equal(await page.locator('#stepinfo').textContent(), `step ${n} / ${n}`);
  await shot(page, '20-import-landed', false);
  // Compare replays the run under each policy: its progress shows in the section, then the maps
  await page.evaluate(() => {
    const box = document.querySelector('.compare-progress');
    globalThis.__cmp = [];
    new MutationObserver(() => { if (!box.hidden) globalThis.__cmp.push(box.querySelector('progress').value); }).observe(box, { attributes: true, subtree: true, childList: true, characterData: true });
  });
  await page.locator('#compare').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => globalThis.heaplab.v.compare.shows(globalThis.heaplab.cursor), null, { timeout: 60000 });
  const cmp = await page.evaluate(() => globalThis.__cmp);
  assert.ok(cmp.some((v) => v > 0 && v < 1), `compare progress shown: ${cmp.slice(0, 6)}`);
  assert.equal(await page.locator('.compare-progress').isHidden(), true);
  assert.deepEqual(problems, []);
  await page.close();
});

test('Cancel during an import keeps the previous state', async () => {
  // A 3M-op import takes about half a second here, its progress shown for most of it: too short for a poll
  // from the test to catch, so the page clicks Cancel itself the moment the import's progress shows it. The
  // progress bar is photographed at phone width (where its label once wrapped) as the view shows it.
  const file = traceFile('phases', 3000000);
  const { page, problems } = await openPage(b.context, '?scenario=random&seed=4&ops=300&step=120');
  await waitStep(page, 120);
  const prev = await page.evaluate(() => { const a = globalThis.heaplab; return { n: a.run.n, cursor: a.cursor, name: a.scenario.name, status: document.getElementById('status').textContent }; });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate(() => globalThis.heaplab.v.ui.progress({ label: 'Replaying the operations…', fraction: 0.42 }, () => {}));
  await page.screenshot({ path: join(ROOT, 'tests', 'e2e', 'screenshots', '21-import-progress-390.png') });
  await page.evaluate(() => {
    globalThis.heaplab.v.ui.progress(null);
    const box = document.getElementById('progress'), cancel = document.getElementById('progress-cancel');
    globalThis.__cancelled = new Promise((res) => {
      const watch = new MutationObserver(() => {
        if (box.hidden || cancel.hidden) return;
        watch.disconnect();
        const at = document.getElementById('progress-text').textContent;
        cancel.click();
        res(at);
      });
      watch.observe(box, { subtree: true, attributes: true, childList: true, characterData: true });
    });
  });
  await page.getByLabel('Import trace', { exact: true }).setInputFiles(file);
  const at = await page.evaluate(() => globalThis.__cancelled);
  assert.match(at, /%$/, `Cancel was clicked with the progress at "${at}"`);
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.waitForFunction(() => document.getElementById('app').getAttribute('aria-busy') === 'false', null, { timeout: 60000 });
  const now = await page.evaluate(() => { const a = globalThis.heaplab; return { n: a.run.n, cursor: a.cursor, name: a.scenario.name, snapK: a.snap.k }; });
  assert.deepEqual({ n: now.n, cursor: now.cursor, name: now.name }, { n: prev.n, cursor: prev.cursor, name: prev.name });
  assert.equal(now.snapK, 120);
  assert.equal(await page.locator('#progress').isHidden(), true);
  assert.match(await page.locator('#status').textContent(), /^Cancelled: .*Still showing/);
  assert.equal(await page.locator('#scenario').inputValue(), 'random');
  // the engine still answers for the previous run
  await page.evaluate(() => globalThis.heaplab.setCursor(200));
  await waitStep(page, 200);
  assert.deepEqual(problems, []);
  await page.close();
});

test("an import's text is held once, by the engine's worker: the page keeps none, and reruns use the file last imported", async () => {
  const first = traceFile('phases', 2000), second = traceFile('phases', 3000);
  const { page, problems } = await openPage(b.context, '?scenario=random');
  // Returns {n, longest}: the run's length and the longest string the page's scenario holds.
  const state = () => page.evaluate(() => {
    const a = globalThis.heaplab;
    return { n: a.run.n, kind: a.scenario.kind, longest: Math.max(0, ...Object.values(a.scenario).map((v) => (typeof v === 'string' ? v.length : 0))) };
  });
  const idle = () => page.waitForFunction(() => document.getElementById('app').getAttribute('aria-busy') === 'false' && globalThis.heaplab.scenario.kind === 'import', null, { timeout: 60000 });
  await page.getByLabel('Import trace', { exact: true }).setInputFiles(first);
  await idle();
  const a = await state();
  assert.ok(a.n >= 2000, `ops: ${a.n}`);
  assert.ok(a.longest < 200, `the page's scenario holds a string of ${a.longest} characters`);
  // another policy replays the same file (read again in the worker from what it kept)
  await page.selectOption('#policy', 'best');
  await page.waitForFunction(() => globalThis.heaplab.settings.policy === 'best' && document.getElementById('app').getAttribute('aria-busy') === 'false', null, { timeout: 60000 });
  assert.deepEqual(await state(), a);
  // a second import replaces the first; a rerun then replays the second, not the text kept before
  await page.getByLabel('Import trace', { exact: true }).setInputFiles(second);
  await page.waitForFunction((n) => globalThis.heaplab.run.n !== n && document.getElementById('app').getAttribute('aria-busy') === 'false', a.n, { timeout: 60000 });
  const b2 = await state();
  assert.ok(b2.n >= 3000, `ops: ${b2.n}`);
  await page.selectOption('#policy', 'first');
  await page.waitForFunction(() => globalThis.heaplab.settings.policy === 'first' && document.getElementById('app').getAttribute('aria-busy') === 'false', null, { timeout: 60000 });
  assert.deepEqual(await state(), b2);
  // the engine answers for the second import's steps
  await page.evaluate(() => globalThis.heaplab.setCursor(100));
  await waitStep(page, 100);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a paused step on a long import changes only what the step changed', async () => {
  const file = traceFile('random', 20000);
  const { page, problems } = await openPage(b.context, '?scenario=random', { viewport: { width: 1280, height: 800 } });
  await page.getByLabel('Import trace', { exact: true }).setInputFiles(file);
  await page.waitForFunction(() => globalThis.heaplab.scenario.kind === 'import' && document.getElementById('app').getAttribute('aria-busy') === 'false', null, { timeout: 60000 });
  const n = await page.evaluate(() => globalThis.heaplab.run.n);
  await waitStep(page, n);
  await page.waitForTimeout(400); // the landing's own address-bar write
  // the panels under the map and the log that redraw as the cursor moves are contained
  for (const id of ['history', 'charts']) {
    assert.match(await page.evaluate((i) => getComputedStyle(document.getElementById(i)).contain, id), /layout.*paint|paint.*layout/, `#${id} is contained`);
  }
  await page.evaluate(() => {
    document.activeElement.blur();
    globalThis.__urls = 0;
    const replace = history.replaceState.bind(history);
    history.replaceState = (...a) => { globalThis.__urls++; return replace(...a); };
  });
  const url = await page.evaluate(() => location.search);
  assert.doesNotMatch(url, /step=/, 'a link that cannot restore the trace names no step');
  const seen = [];
  for (let i = 1; i <= 12; i++) {
    await page.keyboard.press('ArrowLeft');
    await waitStep(page, n - i);
    seen.push(await page.evaluate(() => {
      const h = globalThis.heaplab.v.heap;
      return { rows: h.L.rows, dense: h.L.pxPerByte < 1, drawn: h.band.rowsDrawn, walk: document.querySelectorAll('#search-walk .mk-head').length,
        history: Math.round(document.getElementById('history').getBoundingClientRect().top + scrollY) };
    }));
  }
  await page.waitForTimeout(400); // the address bar's 300 ms timer
  assert.ok(seen.every((s) => s.dense && s.rows >= 4), 'the map is a density band');
  // the band: a step writes only the rows whose bars changed (one op: a block or two)
  assert.ok(seen.every((s) => s.drawn <= 2), `rows drawn per step: ${seen.map((s) => s.drawn)}`);
  // steps with a search walk and steps without: the panels under the map never move up (the walk
  // keeps the largest place it took; without it they rise at each free and fall at each malloc)
  assert.ok(seen.some((s) => s.walk) && seen.some((s) => !s.walk), `walks: ${seen.map((s) => s.walk)}`);
  const tops = seen.map((s) => s.history);
  assert.ok(tops.every((t, i) => i === 0 || t >= tops[i - 1]), `the history panel's top: ${tops}`);
  // the address bar is not rewritten on each step (it would say the same thing)
  assert.equal(await page.evaluate(() => globalThis.__urls), 0);
  assert.equal(await page.evaluate(() => location.search), url);
  assert.deepEqual(problems, []);
  await page.close();
});
