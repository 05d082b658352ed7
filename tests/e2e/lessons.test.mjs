// lessons.test.mjs: the guided lessons in headless Chromium, from file://:
// the first visit lands on lesson 1 with a Start button and the dashboard
// one click away (an import leaves the lessons too); every lesson plays to its end, answered by clicking the
// map, by the keyboard and by the choices, with nothing of the answer on
// the page before it is given and the heap moving past the op after it;
// lesson links (?lesson=N&step=k, reveal, embed, out of range); switching
// to the OSTEP mode and back. No console error, no request. Screenshots of
// every lesson at its first question and its reveal, desktop and 390 px:
// tests/e2e/screenshots/lesson-*.png.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { launch, openPage, SHOTS } from './browser.mjs';

let b;
before(async () => { mkdirSync(SHOTS, { recursive: true }); b = await launch(); });
after(async () => { await b.close(); });

const PHONE = { width: 390, height: 844 };

// Waits until lesson n, step s (0-based) is on show and settled.
const waitLesson = (page, n, s) => page.waitForFunction(([ln, ls]) => {
  const m = globalThis.heaplabLessons;
  return m && m.on && !m.busy && m.n === ln && m.s === ls && globalThis.heaplab.snap && globalThis.heaplab.snap.k === globalThis.heaplab.cursor;
}, [n, s], { timeout: 20000 });

// Returns what the page's lesson mode holds: the step's data, its answer and the App's cursor.
const stateOf = (page) => page.evaluate(() => {
  const m = globalThis.heaplabLessons;
  const step = m.currentStep();
  return { n: m.n, s: m.s, revealed: m.revealed, answer: m.answer, cursor: globalThis.heaplab.cursor, at: step.at, kind: step.ask ? step.ask.kind : null, steps: m.stepCount() };
});

// Clicks the heap map at byte `at` (heap-layout.js: rows of bytesPerRow, 52 px each, the bar 22 px down).
async function clickByte(page, at) {
  const xy = await page.evaluate((a) => {
    const L = globalThis.heaplab.v.heap.L;
    const row = Math.floor(a / L.bytesPerRow);
    return { x: (a - row * L.bytesPerRow) * L.pxPerByte + 1, y: row * 52 + 22 + 15 };
  }, at);
  await page.locator('#heap-canvas').click({ position: xy });
}

// Clicks the heap map inside the block that starts at `offset` (a few bytes in).
async function clickBlock(page, offset) {
  const size = await page.evaluate((off) => globalThis.heaplab.v.heap.snap.blocks.find((x) => x.offset === off).size, offset);
  await clickByte(page, offset + Math.min(6, size / 2));
}

test('the first visit lands on lesson 1 with a Start button; the dashboard is one click away', async () => {
  for (const [name, viewport] of [['desktop', { width: 1400, height: 900 }], ['phone', PHONE]]) {
    const { page, problems } = await openPage(b.context, '', { viewport });
    await waitLesson(page, 0, 0);
    const start = page.getByRole('button', { name: 'Start ▶', exact: true });
    assert.ok(await start.isVisible(), 'a Start button');
    assert.ok(await start.evaluate((e) => e === document.activeElement), 'Start has the focus');
    assert.ok(await page.locator('#heap-canvas').isVisible(), 'the heap is on the first screen');
    assert.ok(await page.locator('#setup').isHidden() && await page.locator('#charts').isHidden(), 'no dashboard clutter');
    assert.ok(await page.locator('#lesson-ask').isHidden(), 'the welcome first, the question after Start');
    const box = await start.boundingBox();
    assert.ok(box.y + box.height <= viewport.height, `Start is above the fold (${name})`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling (${overflow} px)`);
    await page.screenshot({ path: join(SHOTS, `lesson-00-first-screen-${name}.png`), fullPage: false });
    await start.click();
    await waitLesson(page, 0, 0);
    assert.ok(await page.locator('#lesson-ask').isVisible());
    // the history strip draws every step of the run, answers included: not during a lesson
    assert.ok(await page.locator('#history').isHidden(), 'no history strip in a lesson');
    await page.waitForFunction(() => location.search === '?lesson=1&step=1');
    if (name === 'desktop') {
      await page.getByRole('button', { name: 'Open the full dashboard', exact: true }).click();
      assert.ok(await page.locator('#setup').isVisible() && await page.locator('#log').isVisible() && await page.locator('#charts').isVisible());
      assert.ok(await page.locator('#lesson').isHidden());
      assert.equal(await page.getByRole('button', { name: 'Allocator', exact: true }).getAttribute('aria-pressed'), 'true');
      await page.waitForFunction(() => location.search.startsWith('?scenario=manual'));
      assert.equal(await page.locator('#scenario').inputValue(), 'manual');
      await page.getByRole('button', { name: 'Lessons', exact: true }).click();
      await waitLesson(page, 0, 0);
      assert.ok(await page.locator('#setup').isHidden());
      // importing a trace from a lesson leaves the lessons for the trace
      const file = join(tmpdir(), 'heaplab-lesson-import.csv');
      writeFileSync(file, 'op,id,size\nalloc,0,40\nalloc,1,8\nfree,0,0\n');
      await page.setInputFiles('#import', file);
      await page.waitForFunction(() => globalThis.heaplab.scenario.kind === 'import' && globalThis.heaplab.run.n === 3);
      assert.ok(await page.locator('#lesson').isHidden() && await page.locator('#setup').isVisible());
      assert.equal(await page.evaluate(() => globalThis.heaplab.offstage), false, 'the dashboard writes the URL again');
    }
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test('every lesson plays to its end: answers by the map, the keys and the choices; nothing shown before the answer', async () => {
  const { page, problems } = await openPage(b.context, '?lesson=1&step=1', { viewport: { width: 1400, height: 900 } });
  const lessons = await page.evaluate(() => globalThis.heaplabLessons.lessonCount());
  let asked = 0, byMap = 0, byKey = 0, wrong = 0;
  for (let n = 0; n < lessons; n++) {
    if (n > 0) await page.getByRole('combobox', { name: 'Lesson', exact: true }).selectOption(String(n));
    await waitLesson(page, n, 0);
    let shotTaken = false;
    for (let s = 0; ; s++) {
      await waitLesson(page, n, s);
      const st = await stateOf(page);
      if (st.kind) {
        asked++;
        // before the answer: the heap before the op, no result, no explanation
        assert.equal(st.cursor, st.at, `lesson ${n + 1} step ${s + 1}: the heap before the op`);
        assert.ok(await page.locator('#lesson-result').isHidden() && await page.locator('#lesson-reveal').isHidden(), 'nothing revealed yet');
        assert.equal(await page.locator('#lesson-choices .choice.right').count(), 0);
        if (!shotTaken) await page.screenshot({ path: join(SHOTS, `lesson-${String(n + 1).padStart(2, '0')}-question-desktop.png`), fullPage: true });
        const value = st.answer.value;
        const mode = asked % 4; // 0: the map (place questions), 1: keys on a choice, 2: a wrong choice, 3: a click on the right one
        if (st.kind === 'place' && value !== 'break' && mode !== 2) {
          await clickBlock(page, value);
          byMap++;
        } else if (mode === 1) {
          const i = await page.locator('#lesson-choices .choice').evaluateAll((bs, v) => bs.findIndex((x) => x.dataset.value === String(v)), value);
          await page.locator('#lesson-choices .choice').nth(i).focus();
          await page.keyboard.press('Enter');
          byKey++;
        } else if (mode === 2) {
          await page.locator(`#lesson-choices .choice:not([data-value="${value}"])`).first().click();
          wrong++;
        } else await page.locator(`#lesson-choices .choice[data-value="${value}"]`).click();
        await page.waitForFunction(() => globalThis.heaplabLessons.revealed && !globalThis.heaplabLessons.busy);
        await waitLesson(page, n, s);
        const after = await stateOf(page);
        assert.equal(after.cursor, st.at + 1, 'the heap moves past the op');
        const result = await page.locator('#lesson-result').textContent();
        assert.match(result, mode === 2 ? /^Not quite: you picked / : /^Right: /, `lesson ${n + 1} step ${s + 1}: ${result}`);
        assert.ok((await page.locator('#lesson-reveal').textContent()).length > 20, 'an explanation');
        assert.equal(await page.locator('#lesson-choices .choice.right').count(), 1, 'the right choice is marked');
        if (!shotTaken) {
          await page.screenshot({ path: join(SHOTS, `lesson-${String(n + 1).padStart(2, '0')}-reveal-desktop.png`), fullPage: true });
          shotTaken = true;
        }
        await page.waitForFunction(([ln, ls]) => location.search === `?lesson=${ln + 1}&step=${ls + 1}&reveal=1`, [n, s]);
      }
      if (s === st.steps - 1) break;
      if (s % 2) await page.getByRole('button', { name: 'Next ▶', exact: true }).click();
      else { await page.locator('body').click({ position: { x: 2, y: 2 } }); await page.keyboard.press('ArrowRight'); }
    }
  }
  assert.ok(asked >= 30 && byMap >= 5 && byKey >= 5 && wrong >= 5, `questions ${asked}: ${byMap} by the map, ${byKey} by the keys, ${wrong} wrong`);
  // after the last step of the last lesson, Next opens the dashboard
  await page.getByRole('button', { name: 'Open the dashboard ▶', exact: true }).click();
  assert.ok(await page.locator('#setup').isVisible());
  assert.deepEqual(problems, []);
  await page.close();
});

test('every lesson at 390 px: its first question and its reveal fit the width', async () => {
  const { page, problems } = await openPage(b.context, '?lesson=1&step=1', { viewport: PHONE });
  const first = await page.evaluate(() => globalThis.heaplabLessons.firstQuestions());
  for (const [n, s] of first) {
    await page.getByRole('combobox', { name: 'Lesson', exact: true }).selectOption(String(n));
    await waitLesson(page, n, 0);
    for (let k = 0; k < s; k++) {
      await page.getByRole('button', { name: 'Next ▶', exact: true }).click();
      await waitLesson(page, n, k + 1);
    }
    const tag = String(n + 1).padStart(2, '0');
    await page.screenshot({ path: join(SHOTS, `lesson-${tag}-question-phone.png`), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `lesson ${n + 1}: no horizontal scrolling at 390 px (${overflow} px)`);
    await page.getByRole('button', { name: 'Show me the answer', exact: true }).click();
    await page.waitForFunction(() => globalThis.heaplabLessons.revealed && !globalThis.heaplabLessons.busy);
    assert.match(await page.locator('#lesson-result').textContent(), /^The answer: /);
    await page.screenshot({ path: join(SHOTS, `lesson-${tag}-reveal-phone.png`), fullPage: true });
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('lesson links: a step, its reveal, an iframe, and a link that cannot be honoured; the OSTEP mode and back', async () => {
  const { page, problems } = await openPage(b.context, '?lesson=4&step=6&reveal=1');
  await waitLesson(page, 3, 5);
  assert.equal(await page.locator('#lesson-h').textContent(), 'Freeing and coalescing');
  assert.match(await page.locator('#lesson-result').textContent(), /^The answer: new space at the break/);
  assert.equal(await page.evaluate(() => globalThis.heaplab.settings.coalesce), false, 'the step replays the ops with coalescing off');
  // the OSTEP mode takes the page, and the lessons come back where they were
  await page.getByRole('button', { name: 'OSTEP homework', exact: true }).click();
  await page.waitForFunction(() => globalThis.heaplabOstep.on && globalThis.heaplabOstep.session);
  assert.ok(await page.locator('#lesson').isHidden());
  await page.waitForFunction(() => location.search.startsWith('?ostep='));
  await page.getByRole('button', { name: 'Lessons', exact: true }).click();
  await waitLesson(page, 3, 5);
  assert.ok(await page.locator('#ostep').isHidden() && await page.locator('#lesson').isVisible());
  await page.waitForFunction(() => location.search.startsWith('?lesson=4&step=6'));
  assert.deepEqual(problems, []);
  await page.close();

  // the space beyond the break answers "new space at the break"
  const grow = await openPage(b.context, '?lesson=6&step=3');
  await waitLesson(grow.page, 5, 2);
  const beyond = await grow.page.evaluate(() => globalThis.heaplab.snap.stats.heapSize + 8);
  await clickByte(grow.page, beyond);
  await grow.page.waitForFunction(() => globalThis.heaplabLessons.revealed && !globalThis.heaplabLessons.busy);
  assert.equal(await grow.page.locator('#lesson-result').textContent(), 'Right: new space at the break (the heap grows).');
  assert.deepEqual(grow.problems, []);
  await grow.page.close();

  const bad = await openPage(b.context, '?lesson=99&step=1');
  await waitLesson(bad.page, 9, 0);
  assert.match(await bad.page.getByRole('alert').filter({ hasText: 'no lesson' }).textContent(), /there is no lesson '99' \(lessons 1–10\)/);
  assert.deepEqual(bad.problems, []);
  await bad.page.close();

  const embed = await openPage(b.context, '?lesson=2&step=2&embed=1', { viewport: { width: 760, height: 720 } });
  await waitLesson(embed.page, 1, 1);
  assert.ok(await embed.page.locator('.top').isHidden(), 'no page header in an iframe');
  assert.ok(await embed.page.locator('#lesson-ask').isVisible() && await embed.page.locator('#heap-canvas').isVisible());
  await embed.page.waitForFunction(() => location.search === '?lesson=2&step=2&embed=1');
  await embed.page.screenshot({ path: join(SHOTS, 'lesson-embed.png'), fullPage: false });
  assert.deepEqual(embed.problems, []);
  await embed.page.close();
});
