// budget.test.mjs: measures the page's budgets and prints them (no timing
// asserts: the machine is shared). Checks only that the work completes and
// is right: file size, first render, a 100,000-op trace imported, replayed
// and charted, stepping with 1,000+ live blocks, and the longest main-thread
// task seen meanwhile.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { launch, openPage, waitStep, shot, ROOT } from './browser.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b.close(); });

// Starts recording long tasks (> 50 ms) on the page; read them with longest().
const watchLongTasks = (page) => page.evaluate(() => {
  globalThis.__long = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) globalThis.__long.push(e.duration); }).observe({ type: 'longtask', buffered: false });
});
const longest = (page) => page.evaluate(() => Math.round(Math.max(0, ...globalThis.__long)));

test('file size and first render', async () => {
  const size = statSync(join(ROOT, 'dist', 'heaplab.html')).size;
  // the budget is web/build.mjs's (it refuses to write a page over it)
  const budgetKB = Number(/const BUDGET = (\d+) \* 1024;/.exec(readFileSync(join(ROOT, 'web', 'build.mjs'), 'utf8'))[1]);
  console.log(`# budget: dist/heaplab.html is ${(size / 1024).toFixed(1)} KB (budget ${budgetKB} KB)`);
  assert.ok(size > 0);
  const times = [];
  for (let i = 0; i < 3; i++) {
    const { page } = await openPage(b.context, '?step=40');
    await waitStep(page, 40);
    times.push(await page.evaluate(() => Math.round(performance.getEntriesByName('heaplab-ready')[0].startTime)));
    await page.close();
  }
  console.log(`# budget: first render (heap map, log and charts drawn) at ${times.join(', ')} ms after navigation start (budget 1000 ms)`);
});

test('a 100,000-op trace: imported, replayed and charted', async (t) => {
  const src = join(ROOT, '..', 'shared', 'traces', 'real', 'gcc_cc1_pngtest.csv');
  if (!existsSync(src)) { t.skip(`${src} not present`); return; }
  const dir = join(tmpdir(), 'heaplab-e2e-files');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'gcc-100k.csv');
  writeFileSync(file, readFileSync(src, 'utf8').split('\n').slice(0, 100001).join('\n') + '\n');
  const { page, problems } = await openPage(b.context, '?scenario=random'); // the dashboard (a first visit opens the lessons)
  await watchLongTasks(page);
  const t0 = Date.now();
  await page.getByLabel('Import trace', { exact: true }).setInputFiles(file);
  await page.getByRole('heading', { name: 'Charts', exact: true }).scrollIntoViewIfNeeded();
  await page.waitForFunction(() => {
    const app = globalThis.heaplab;
    const ch = app.v.charts;
    return app.run.n === 100000 && app.snap && app.snap.k === app.cursor && app.cursor === app.run.n && document.getElementById('app').getAttribute('aria-busy') === 'false'
      && ch.run === app.run && Object.keys(ch.charts).length === 4 && Object.keys(ch.charts).every((n) => ch.shown[n] === app.cursor);
  }, null, { timeout: 60000 });
  const ms = Date.now() - t0;
  console.log(`# budget: 100,000-op trace imported, replayed and charted in ${ms} ms (budget 2000 ms); longest main-thread task ${await longest(page)} ms (budget 100 ms)`);
  await page.locator('#slider').fill('100000');
  await waitStep(page, 100000);
  const last = await page.evaluate(() => globalThis.heaplab.lastStepMs);
  console.log(`# budget: heap at step 100,000 rebuilt and drawn in ${Math.round(last)} ms`);
  await shot(page, '09-100k');
  assert.deepEqual(problems, []);
  await page.close();
});

test('stepping with more than 1,000 live blocks', async () => {
  const { page, problems } = await openPage(b.context, '?scenario=python_json&step=2500');
  await waitStep(page, 2500);
  const live = await page.evaluate(() => globalThis.heaplab.snap.stats.allocBlocks);
  assert.ok(live >= 1000, `live blocks: ${live}`);
  await watchLongTasks(page);
  // Main-thread work of one step: the cursor move, drawing the heap the engine sent back,
  // and the chart updates it causes (the engine itself runs in a worker).
  const r = await page.evaluate(async () => {
    const app = globalThis.heaplab;
    let work = 0;
    const wrap = (obj, name) => { const f = obj[name].bind(obj); obj[name] = (...a) => { const t = performance.now(); const x = f(...a); work += performance.now() - t; return x; }; };
    wrap(app.v.log, 'setCursor'); wrap(app.v.ui, 'setCursor'); wrap(app, 'showSnapshot'); wrap(app.v.charts, 'update'); wrap(app, 'updateUrl');
    const works = [], trips = [];
    for (let i = 0; i < 40; i++) {
      work = 0;
      const t = performance.now();
      await app.setCursor(app.cursor + (i % 2 ? -1 : 1));
      trips.push(performance.now() - t);
      await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
      works.push(work);
    }
    const med = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
    const p95 = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length * 0.95)];
    // Frames while playing at 2,000 ops/s with the heap map on screen.
    document.getElementById('speed').value = '2000';
    app.speed = 2000;
    app.setCursor(0);
    const frames = [];
    let last = performance.now();
    let on = true;
    const tick = (t) => { frames.push(t - last); last = t; if (on) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    app.play();
    await new Promise((res) => setTimeout(res, 1500));
    on = false;
    app.pause();
    const reached = app.cursor;
    return { work: [med(works), p95(works)], trip: [med(trips), p95(trips)], frame: [med(frames), p95(frames)], reached };
  });
  console.log(`# budget: one step with ${live} live blocks: main-thread work median ${r.work[0].toFixed(1)} ms, 95th percentile ${r.work[1].toFixed(1)} ms (budget 16 ms); `
    + `until the new heap is drawn (worker replay included) median ${r.trip[0].toFixed(1)} ms; playing at 2,000 ops/s: frame interval median ${r.frame[0].toFixed(1)} ms, `
    + `95th percentile ${r.frame[1].toFixed(1)} ms, reached step ${r.reached} in 1.5 s; longest task ${await longest(page)} ms`);
  await shot(page, '10-python-json', false);
  assert.ok(r.reached > 100, 'playback advanced');
  assert.deepEqual(problems, []);
  await page.close();
});
