// rehearse.js: makes the first step after a long run lands cost what any step costs.
// Cold, every view's step code runs in V8's interpreter and its first optimized versions
// deoptimize (the map's density band and block table, the log's rows, the step line), so on a
// 300,000-op trace that first step cost 15-20 ms of main-thread CPU against 10-11 ms for the
// steps after it (tests/e2e/large.test.mjs). So once the page is idle after the landing, it
// rehearses a real step: it asks the engine for the heap one step back, then shows that step
// and the step on show again, in one task. The page paints only after a task, so nothing on
// screen changes (the views end where they were: each shows what its inputs say); the
// reader's first step then runs code compiled for it.

const idleTime = () => new Promise((res) => (globalThis.requestIdleCallback ? requestIdleCallback(res, { timeout: 1000 }) : setTimeout(res, 50)));

// Rehearses a step back from the cursor `times` times, each in an idle task of its own; gives
// up as soon as the reader acts (another run, step, playback or picked block).
export async function rehearseStep(app, times = 2) {
  const { run, snap } = app;
  const k = app.cursor;
  const still = () => app.run === run && app.cursor === k && app.snap === snap && !app.playing && !app.v.heap.picked;
  if (k < 1 || !snap || snap.k !== k) return;
  await idleTime();
  if (!still()) return;
  const back = await app.engine.request({ type: 'snapshot', k: k - 1 });
  if (!back || back.error) return;
  for (let i = 0; i < times; i++) {
    await idleTime();
    if (!still()) return;
    // (the log as the reader left it: scrolled away from the cursor, it stays away)
    app.v.log.keepingScroll(() => {
      showStep(app, back);
      showStep(app, snap);
    });
  }
}

// Shows snapshot s as a paused step to it does: the log, strip and step line, then the heap;
// not the search walk, a live region (written twice, its same words could be read out again).
function showStep(app, s) {
  const { search } = app.v;
  app.v.search = null;
  try {
    app.v.log.setCursor(s.k);
    if (app.v.history) app.v.history.setCursor(s.k);
    app.showLine(s.k, false);
    app.showSnapshot(s);
  } finally {
    app.v.search = search;
  }
}
