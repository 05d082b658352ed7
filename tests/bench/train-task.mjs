// train-task.mjs: how long the page's main thread is blocked while a
// training report arrives (a measurement, not a test: run by hand).
//   node tests/bench/train-task.mjs [TRACE] [RUNS]
// Imports TRACE (default: gcc_cc1_pngtest from ../shared/traces/real), moves
// to its end, clicks Train RUNS times (default 3) and prints, per training,
// the longest main-thread task (Chromium's trace: RunTask on the renderer's
// main thread) from the click until the report is shown, the task that
// delivered it, and the time PredictView.show took inside it; and the
// worker's longest tasks (each runs training slices until 50 ms have passed,
// engine-worker.js's PROGRESS_MS, plus the slice under way then).
// HEAPLAB_PAGE picks another build of the page (tests/e2e/browser.mjs).
import { join } from 'node:path';
import { launch, openPage, waitStep, ROOT } from '../e2e/browser.mjs';

const file = process.argv[2] || join(ROOT, '..', 'shared', 'traces', 'real', 'gcc_cc1_pngtest.csv');
const runs = Number(process.argv[3] || 3);
const b = await launch();
const { page } = await openPage(b.context, '?scenario=random');
await page.getByLabel('Import trace', { exact: true }).setInputFiles(file);
await page.waitForFunction(() => globalThis.heaplab.scenario.kind === 'import' && document.getElementById('app').getAttribute('aria-busy') === 'false', null, { timeout: 300000 });
const n = await page.evaluate(() => globalThis.heaplab.run.n);
await page.evaluate((k) => globalThis.heaplab.setCursor(k), n);
await waitStep(page, n);
await page.locator('#predict').scrollIntoViewIfNeeded();
await page.waitForFunction(() => { const c = globalThis.heaplab.v.compare; return !c.visible || c.shows(globalThis.heaplab.cursor); }, null, { timeout: 600000 });
await page.waitForFunction(() => !document.getElementById('p-train').disabled, null, { timeout: 600000 });
await page.waitForTimeout(1000); // Compare draws its five maps one per frame after it shows: not training's work
await page.evaluate(() => { // times PredictView.show (the report's drawing) where it runs
  const v = globalThis.heaplab.v.predict;
  const show = v.show.bind(v);
  globalThis.__shows = [];
  v.show = (...a) => { const t0 = performance.now(); show(...a); globalThis.__shows.push({ at: t0, ms: performance.now() - t0 }); };
  const c = v.chart;
  globalThis.__creates = [];
  if (c.create) { const create = c.create.bind(c); c.create = () => { const had = !!c.chart; const t0 = performance.now(); const r = create(); if (!had) globalThis.__creates.push(performance.now() - t0); return r; }; }
});
const cdp = await page.context().newCDPSession(page);
for (let r = 0; r < runs; r++) {
  const events = [];
  cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
  const done = new Promise((res) => cdp.once('Tracing.tracingComplete', res));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  await page.locator('#p-train').click();
  await page.waitForFunction((k) => globalThis.__shows.length > k && !document.getElementById('p-train').disabled, r, { timeout: 600000 });
  await page.waitForTimeout(300);
  await cdp.send('Tracing.end');
  await done;
  cdp.removeAllListeners('Tracing.dataCollected');
  const main = events.filter((e) => e.name === 'thread_name' && e.args && e.args.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`);
  const onMain = events.filter((e) => e.ph === 'X' && main.includes(`${e.pid}:${e.tid}`));
  const runTasks = onMain.filter((e) => e.name === 'RunTask').sort((x, y) => y.dur - x.dur);
  const tasks = runTasks.map((e) => e.dur / 1000);
  // what the longest tasks ran: their largest nested events (function calls name their function)
  const what = runTasks.slice(0, 3).map((t) => onMain.filter((e) => e !== t && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && e.dur > t.dur / 4)
    .map((e) => `${e.name}${e.args && e.args.data ? `(${e.args.data.functionName || e.args.data.type || ''})` : ''} ${(e.dur / 1000).toFixed(0)}`).slice(0, 5).join(' > '));
  if (process.env.WHAT) console.log(what.join('\n'));
  // the worker's tasks: its training runs slices of C's predict_more until PROGRESS_MS (engine-worker.js) has passed, then yields
  const workers = events.filter((e) => e.name === 'thread_name' && e.args && /Worker/.test(e.args.name)).map((e) => `${e.pid}:${e.tid}`);
  const workerTasks = events.filter((e) => e.ph === 'X' && e.name === 'RunTask' && workers.includes(`${e.pid}:${e.tid}`)).map((e) => e.dur / 1000).sort((x, y) => y - x);
  const show = await page.evaluate((k) => globalThis.__shows[k].ms, r);
  const creates = await page.evaluate(() => globalThis.__creates.splice(0));
  console.log(`training ${r + 1} on ${file.split('/').pop()} (${n} ops): longest main-thread tasks ${tasks.slice(0, 4).map((d) => d.toFixed(1)).join(', ')} ms; PredictView.show ${show.toFixed(1)} ms; the worker's longest tasks ${workerTasks.slice(0, 4).map((d) => d.toFixed(1)).join(', ')} ms (${workerTasks.filter((d) => d > 100).length} over 100)${creates.length ? `; the chart made ahead in ${creates.map((d) => d.toFixed(1)).join(', ')} ms` : ''}`);
}
await b.close();
