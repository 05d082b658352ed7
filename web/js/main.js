// main.js: wiring only. Starts the engine, builds the views, fills the
// selects, reads the URL, binds the controls and loads the first scenario.
import { Engine } from './engine/engine.js';
import { App } from './app.js';
import { Ui } from './views/ui.js';
import { HeapView } from './views/heap-view.js';
import { bindHeapZoom } from './views/heap-zoom.js';
import { LogView } from './views/log-view.js';
import { ChartsView } from './views/charts.js';
import { PredictionChart } from './views/predict/predict-chart.js';
import { CompareView } from './views/compare-view.js';
import { SearchMarks } from './views/search-marks.js';
import { HistoryStrip } from './views/history-strip.js';
import { SizeClasses } from './views/size-classes.js';
import { PredictView } from './views/predict/predict-view.js';
import { Predictions } from './predictions.js';
import { bindControls } from './controls.js';
import { scenarioGroups, scenarioFor } from './model/scenarios.js';
import { parseQuery, DEFAULT_SCENARIO } from './model/url-state.js';
import { ARENAS } from './model/state.js';
import { formatBytes } from './model/heap-layout.js';
import { byId, el } from './views/dom.js';
import { OstepMode } from './ostep-mode.js';
import { LessonMode } from './lesson-mode.js';
import { MmMode } from './mm-mode.js';
import { parseOstepQuery } from './model/modes/ostep-model.js';
import { errorText } from './model/words.js';

// Fills the scenario and arena selects.
function fillSelects(genNames, info) {
  byId('scenario').replaceChildren(...scenarioGroups(genNames).map((g) => el('optgroup', { label: g.label },
    g.items.map((i) => el('option', { value: i.value, text: i.label, disabled: i.disabled || false })))));
  if (info.policies.includes('fast') && !byId('policy').querySelector('option[value=fast]')) {
    byId('policy').append(el('option', { value: 'fast', text: 'Fast (segregated size classes)' }));
  }
  byId('arena').replaceChildren(...ARENAS.map((a) => el('option', { value: String(a), text: formatBytes(a) })));
}

// Shows the URL's state in the form fields.
function showFields(q) {
  byId('policy').value = q.settings.policy;
  byId('order').value = q.settings.order;
  byId('coalesce').checked = q.settings.coalesce;
  byId('align').value = String(q.settings.align);
  byId('arena').value = String(q.settings.arena);
  byId('seed').value = String(q.scenario.seed);
  byId('nops').value = String(q.scenario.ops);
}

// Keeps what a link, the skip link or the keyboard scrolls to clear of the sticky playback bar:
// the page's scroll padding follows the bar's height while the bar sticks.
function clearOfStickyBar() {
  const bar = byId('playback');
  const pad = () => {
    const sticky = getComputedStyle(bar).position === 'sticky' && !bar.closest('[hidden]');
    document.documentElement.style.scrollPaddingTop = sticky ? `${bar.offsetHeight + 8}px` : '';
  };
  if (typeof ResizeObserver === 'function') new ResizeObserver(pad).observe(bar);
  globalThis.addEventListener('resize', pad);
  pad();
}

// Reports an unexpected failure on the page instead of leaving it silent.
function fatal(ui, err) {
  ui.busy('');
  ui.error(`HeapLab could not start: ${errorText(err)}`);
}

// Starts the page; errors end up on the page, never as uncaught exceptions.
async function main() {
  performance.mark('heaplab-start');
  const ui = new Ui();
  globalThis.addEventListener('unhandledrejection', (e) => { e.preventDefault(); ui.error(errorText(e.reason)); });
  const engine = new Engine();
  let info;
  try {
    info = await engine.init();
  } catch (err) {
    fatal(ui, err);
    return;
  }
  performance.mark('heaplab-engine');
  const genNames = info.scenarios;
  fillSelects(genNames, info);
  const q = parseQuery(location.search, info.vocab);
  if (q.embed) document.body.classList.add('embed');
  showFields(q);

  const views = { ui };
  let app = null;
  let lessons = null;
  // a block picked on the map: a lesson's answer while a lesson asks, else the manual ops' target
  const onSelect = (b, byPointer) => {
    if (lessons && lessons.on) { if (byPointer) lessons.pickBlock(b); return; }
    if (b && !b.free) ui.pickBlock(b.id);
  };
  views.heap = new HeapView(byId('heap-canvas'), byId('heap-scroll'), byId('heap-detail'), {
    vocab: info.vocab,
    onSelect,
    onView: (v) => { byId('heap-whole').hidden = !v; ui.e['heap-scale'].textContent = views.heap.scaleText(); if (app) app.updateUrl(false); },
  });
  bindHeapZoom(views.heap, byId('heap-whole'));
  views.heap.view = q.view; // a link's window into the heap (clamped to the heap when drawn)
  byId('heap-whole').hidden = !q.view;
  views.search = new SearchMarks(views.heap, byId('search-walk'), info.vocab.searchMarkSteps);
  views.classes = new SizeClasses(views.heap, byId('size-classes'), info.vocab.sizeClassMin || []);
  views.history = new HistoryStrip(byId('history-canvas'), byId('history-note'), (k) => app && (app.pause(), app.setCursor(k)));
  views.log = new LogView(byId('log-table'), (k) => app && (app.pause(), app.setCursor(k)), (from, to) => app && app.needRows(from, to));
  views.charts = new ChartsView({ util: byId('chart-util'), frag: byId('chart-frag'), scan: byId('chart-scan'), hist: byId('chart-hist') }, byId('charts'));
  views.compare = new CompareView(byId('compare-maps'), byId('compare-table'), byId('compare'), { vocab: info.vocab, onVisible: () => app && app.refreshCompare() });
  app = new App(engine, views, info);
  app.embed = q.embed;
  let predictions = null;
  views.predict = new PredictView(new PredictionChart(byId('chart-pred')), byId('predict'), {
    onTrain: () => predictions && predictions.train(),
    onWanted: () => predictions && predictions.auto(),
  });
  predictions = new Predictions(app, engine, views.predict, info.canPredict);
  globalThis.heaplab = app; // for the console and the browser tests

  const controls = bindControls(app, genNames);
  clearOfStickyBar();
  const ostep = new OstepMode(app, ui, engine);
  globalThis.heaplabOstep = ostep; // for the console and the browser tests
  app.mm = new MmMode(app, ui, engine, info); // imported mm logs (heaplab mm --log)
  globalThis.heaplabMm = app.mm; // for the console and the browser tests
  lessons = new LessonMode({ app, ui, engine, predictions, ostep, genNames });
  globalThis.heaplabLessons = lessons; // for the console and the browser tests
  const oq = parseOstepQuery(location.search);
  if (oq.flags !== null) ostep.show(true);
  // a first visit (no query, and not a page `heaplab mm --page` wrote) and a lesson link open the lessons
  const lq = oq.flags === null ? LessonMode.parse(location.search) : null;
  const firstVisit = oq.flags === null && !location.search.replace(/^\?/, '') && !document.getElementById('heaplab-mm-log');
  if (lq || firstVisit) {
    await lessons.start(lq);
    finish(views, app);
    return;
  }
  // What the link asked for that cannot be done: shown once the first run is on, and kept.
  const notes = [...q.problems];
  let sc = await scenarioFor(q.scenario.name, genNames, q.scenario.seed, q.scenario.ops);
  if (!sc) {
    const why = q.scenario.name === 'import'
      ? 'It names an imported trace, and a trace file is not part of a link (export the log and import it instead)'
      : `It names the scenario ${JSON.stringify(q.scenario.name)}, which does not exist`;
    sc = await scenarioFor(DEFAULT_SCENARIO.name, genNames, DEFAULT_SCENARIO.seed, DEFAULT_SCENARIO.ops);
    notes.unshift(`${why}: showing ${sc.label} instead`);
  }
  if (q.zoom !== 1 && !byId('zoom').querySelector(`option[value="${q.zoom}"]`)) notes.push(`zoom=${q.zoom} is not one of the map's zoom levels: using 1×`);
  else if (q.zoom !== 1) { byId('zoom').value = String(q.zoom); views.heap.setZoom(q.zoom); }
  byId('scenario').value = sc.name;
  controls.syncGenFields();
  app.settings = q.settings;
  const step = oq.flags !== null ? 0 : q.step ?? 0; // an OSTEP link's step is the OSTEP mode's
  const ok = await app.loadScenario(sc, step, { cut: q.cut, manual: q.manual });
  if (!ok && q.manual.length) {
    notes.push(`Its operations could not be applied (${app.lastError}): showing ${sc.label} without them`);
    await app.loadScenario(sc, step);
  }
  if (app.run && q.step !== null && q.step > app.run.n && oq.flags === null) notes.push(`step=${q.step} is past the end of this run: showing its last step, ${app.run.n}`);
  ui.linkNote(notes);
  if (oq.flags !== null) await ostep.enter(oq.flags, oq.step ?? 0, oq.answers);
  await app.mm.openEmbedded(); // a page written by `heaplab mm --page`
  finish(views, app);
}

// Binds the window's resize and colour-scheme changes, and marks the page ready.
function finish(views, app) {
  let resizeTimer = 0;
  globalThis.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { views.heap.draw(); if (views.history) views.history.draw(); views.ui.e['heap-scale'].textContent = views.heap.scaleText(); }, 100);
  });
  const dark = globalThis.matchMedia && globalThis.matchMedia('(prefers-color-scheme: dark)');
  if (dark && dark.addEventListener) {
    dark.addEventListener('change', () => {
      views.heap.refreshColours();
      views.compare.refreshColours();
      views.charts.destroy();
      if (app.run) views.charts.setRun(app.run);
    });
  }
  performance.mark('heaplab-ready');
  document.documentElement.dataset.ready = '1';
}

main().catch((err) => {
  const p = document.getElementById('loading');
  if (p) p.textContent = `HeapLab could not start: ${errorText(err)}`;
});
