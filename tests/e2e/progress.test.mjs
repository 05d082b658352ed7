// progress.test.mjs: the two long jobs that used to be one C call each show
// determinate progress with a Cancel that keeps the previous state:
//   - an import's parse (the first 20% of the bar): on a 3,000,000-op trace
//     the bar moves through 0-20% while C reads the text, and Cancel then
//     keeps the previous run;
//   - training the regression tree (Predictions): the section's bar moves
//     from 0 to 100%, the report lands (its chart holding at most 5 points per
//     pixel column, shaped in C), and a Cancel of the next training
//     leaves that report on the page, unchanged, with a note saying so.
// It also prints how long training takes in the page on the real traces
// (gcc 300k ops, python_json 227k; HEAPLAB_TRAIN_BIG=1 adds the generated
// 3.3M-op trace): measured, never asserted.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { launch, openPage, waitStep, shot, ROOT } from './browser.mjs';

const REAL = join(ROOT, '..', 'shared', 'traces', 'real');

let b;
before(async () => { b = await launch(); });
after(async () => { await b.close(); });

// Returns the path of a generated trace (scenario, ops, seed), made once.
function traceFile(scenario, ops, seed = 3) {
  const dir = join(tmpdir(), 'heaplab-e2e-files');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${scenario}-${ops}${seed === 3 ? '' : `-s${seed}`}.csv`);
  if (!existsSync(file)) execFileSync('sh', ['-c', `"${join(ROOT, 'build', 'heaplab')}" gen ${scenario} --seed ${seed} --ops ${ops} > "${file}"`]);
  return file;
}

// Records every value and text the box's bar shows (box, bar, text: element ids or selectors).
const watch = (page, box, bar, text) => page.evaluate(([bx, br, tx]) => {
  const q = (s) => document.querySelector(s);
  const w = { values: [], texts: [] };
  globalThis.__watch = w;
  new MutationObserver(() => {
    if (q(bx).hidden) return;
    w.values.push(q(br).value);
    w.texts.push(q(tx).textContent);
  }).observe(q(bx), { attributes: true, subtree: true, childList: true, characterData: true });
}, [box, bar, text]);

test("an import's parse moves the bar through its first 20%, and Cancel there keeps the previous run", async () => {
  const file = traceFile('phases', 3000000);
  const { page, problems } = await openPage(b.context, '?scenario=random&seed=4&ops=300&step=120');
  await waitStep(page, 120);
  await watch(page, '#progress', '#progress-bar', '#progress-text');
  // Cancel as soon as the parse has visibly begun, while it is still parsing: clicked by the page itself, since
  // a 3M-op file parses in about 200 ms here, too short for a click from the test to land inside it
  await page.evaluate(() => {
    const bar = document.getElementById('progress-bar'), cancel = document.getElementById('progress-cancel');
    globalThis.__cancelled = new Promise((res) => {
      const seen = new MutationObserver(() => {
        if (!(bar.value > 0 && bar.value < 0.2) || cancel.hidden) return;
        seen.disconnect();
        const during = { ...globalThis.__watch, values: [...globalThis.__watch.values], texts: [...globalThis.__watch.texts] };
        cancel.click();
        res(during);
      });
      seen.observe(document.getElementById('progress'), { subtree: true, attributes: true, childList: true, characterData: true });
    });
  });
  await page.getByLabel('Import trace', { exact: true }).setInputFiles(file);
  const during = await page.evaluate(() => globalThis.__cancelled);
  await page.waitForFunction(() => document.getElementById('app').getAttribute('aria-busy') === 'false', null, { timeout: 60000 });
  const parsing = during.values.filter((v) => v > 0 && v < 0.2);
  assert.ok(parsing.length >= 1, `values inside the parse phase: ${during.values.slice(0, 10)}`);
  assert.ok(during.texts.some((t) => /^Reading phases-3000000\.csv… (\d|1\d)%$/.test(t)), `the parse names itself with a percentage: ${during.texts.slice(0, 4)}`);
  const now = await page.evaluate(() => { const a = globalThis.heaplab; return { n: a.run.n, cursor: a.cursor, name: a.scenario.name, k: a.snap.k }; });
  assert.deepEqual(now, { n: 300, cursor: 120, name: 'random', k: 120 });
  assert.match(await page.locator('#status').textContent(), /^Cancelled: .*Still showing/);
  assert.equal(await page.locator('#progress').isHidden(), true);
  assert.deepEqual(problems, []);
  await page.close();
});

// Imports file into page and waits until it is installed; returns its step count.
async function importTrace(page, file) {
  await page.getByLabel('Import trace', { exact: true }).setInputFiles(file);
  await page.waitForFunction(() => globalThis.heaplab.scenario.kind === 'import' && document.getElementById('app').getAttribute('aria-busy') === 'false', null, { timeout: 300000 });
  return page.evaluate(() => globalThis.heaplab.run.n);
}

// Clicks Train and resolves to {ms, values} once the report (or an error) is shown.
async function train(page) {
  await watch(page, '#p-progress', '#p-progress progress', '#p-progress span');
  const t0 = Date.now();
  await page.locator('#p-train').click();
  await page.waitForFunction(() => !document.getElementById('p-train').disabled && document.getElementById('p-progress').hidden, null, { timeout: 600000 });
  return { ms: Date.now() - t0, values: await page.evaluate(() => globalThis.__watch.values) };
}

test('training shows its progress, and Cancel leaves the previous report on the page', async () => {
  const file = traceFile('phases', 400000);
  const { page, problems } = await openPage(b.context, '?scenario=random');
  const n = await importTrace(page, file);
  await page.locator('#predict').scrollIntoViewIfNeeded();
  await page.evaluate(() => globalThis.heaplab.setCursor(300000));
  await waitStep(page, 300000);
  const first = await train(page);
  assert.ok(first.values.some((v) => v > 0 && v < 1), `the training bar moved between 0 and 1: ${first.values.slice(0, 8)}`);
  assert.ok(first.values.every((v, i) => i === 0 || v >= first.values[i - 1]), 'never backwards');
  const report = await page.evaluate(() => ({ verdict: document.getElementById('p-verdict').textContent, metrics: document.getElementById('p-metrics').textContent, tree: document.getElementById('p-tree').textContent }));
  assert.match(report.metrics, /Trained on [\d,]+ requests/);
  // the chart holds what its pixel columns can show (shaped in C: ml/predict/predict_chart.c), not the ~90,000 test requests
  const drawn = await page.evaluate(() => {
    const c = globalThis.heaplab.v.predict.chart;
    return { points: c.chart.data.datasets.reduce((n, d) => n + d.data.length, 0), columns: c.columns(), test: Number(/tested on the next ([\d,]+)/.exec(document.getElementById('p-metrics').textContent)[1].replace(/,/g, '')) };
  });
  assert.ok(drawn.columns > 0 && drawn.points <= 5 * drawn.columns && drawn.points < drawn.test, `chart points ${drawn.points}, columns ${drawn.columns}, test requests ${drawn.test}`);
  // a second training, at the end of the run, cancelled part-way
  await page.evaluate((k) => globalThis.heaplab.setCursor(k), n);
  await waitStep(page, n);
  await watch(page, '#p-progress', '#p-progress progress', '#p-progress span');
  await page.locator('#p-train').click();
  await page.waitForFunction(() => globalThis.__watch.values.some((v) => v > 0.05), null, { timeout: 120000, polling: 'raf' });
  assert.equal(await page.locator('#p-metrics').textContent(), report.metrics, 'the previous report stays while the tree trains');
  // Cancel at once (training ends in a few seconds now that its start and end are slices too):
  // the screenshots of the bar are taken during the next training
  await page.locator('#p-progress button').click();
  await page.waitForFunction(() => document.getElementById('p-progress').hidden && !document.getElementById('p-train').disabled, null, { timeout: 30000 });
  const after = await page.evaluate(() => ({ verdict: document.getElementById('p-verdict').textContent, metrics: document.getElementById('p-metrics').textContent, tree: document.getElementById('p-tree').textContent }));
  assert.deepEqual(after, report, 'Cancel keeps the previous report whole');
  assert.match(await page.locator('#p-note').textContent(), /^Training on the first 400,000 operations was cancelled; the report below is still the one for the first 300,000 operations\.$/);
  await shot(page, '42-training-cancelled', false);
  // the engine still trains afterwards (the bar photographed on the way, at both widths)
  await watch(page, '#p-progress', '#p-progress progress', '#p-progress span');
  const t0 = Date.now();
  await page.locator('#p-train').click();
  await page.waitForFunction(() => globalThis.__watch.values.some((v) => v > 0.05), null, { timeout: 120000, polling: 'raf' });
  await page.screenshot({ path: join(ROOT, 'tests', 'e2e', 'screenshots', '40-training-progress.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('#p-progress').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ROOT, 'tests', 'e2e', 'screenshots', '41-training-progress-390.png') });
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.waitForFunction(() => !document.getElementById('p-train').disabled && document.getElementById('p-progress').hidden, null, { timeout: 600000 });
  const again = { ms: Date.now() - t0 };
  assert.ok(again.ms > 0);
  assert.notEqual(await page.locator('#p-metrics').textContent(), report.metrics, 'a new report for the new step');
  assert.equal(await page.locator('#p-note').isHidden(), true);
  assert.deepEqual(problems, []);
  await page.close();
});

test('training time in the page on the real traces (printed, not asserted)', async (t) => {
  const files = [join(REAL, 'gcc_cc1_pngtest.csv'), join(REAL, 'python_json.csv')].filter((f) => existsSync(f));
  if (process.env.HEAPLAB_TRAIN_BIG) files.push(traceFile('phases', 3300000, 7));
  if (!files.length) { t.skip('no ../shared/traces/real'); return; }
  for (const f of files) {
    const { page, problems } = await openPage(b.context, '?scenario=random');
    const n = await importTrace(page, f);
    await page.locator('#predict').scrollIntoViewIfNeeded();
    await waitStep(page, n);
    await page.waitForFunction(() => !document.getElementById('p-train').disabled, null, { timeout: 600000 }); // an automatic training ended
    // the compare section (just above) replays the run under each policy when it comes into view: let it finish first
    await page.waitForFunction(() => { const c = globalThis.heaplab.v.compare; return !c.visible || c.shows(globalThis.heaplab.cursor); }, null, { timeout: 600000 });
    await page.evaluate(() => {
      globalThis.__long = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) globalThis.__long.push(e.duration); }).observe({ type: 'longtask' });
    });
    const r = await train(page);
    const long = await page.evaluate(() => globalThis.__long);
    console.log(`# training ${f.split('/').pop()} (${n} ops, to its end): ${(r.ms / 1000).toFixed(1)} s, ${r.values.length} progress updates, main-thread tasks over 50 ms during it: ${long.length ? long.map((d) => Math.round(d)).join(', ') + ' ms' : 'none'}`);
    assert.match(await page.locator('#p-metrics').textContent(), /Trained on [\d,]+ requests/);
    assert.deepEqual(problems, []);
    await page.close();
  }
});
