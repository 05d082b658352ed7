// search.test.mjs: the search marks, the size classes and the history strip
// in the page (dist/heaplab.html in Chromium). The marks the map draws are
// compared with the engine's record on a hand-worked case for each policy:
// blocks A@4 (32 bytes), C@52 (64), E@132 (48), G@196 (24) freed between
// live separators (address order), then malloc(36), a 40-byte block.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launch, openPage, waitStep, shot, SHOTS } from './browser.mjs';

let b;
before(async () => { mkdirSync(SHOTS, { recursive: true }); b = await launch(); });
after(async () => { await b.close(); });

const HOLES = 'm=a28.a12.a60.a12.a44.a12.a20.a12.f0.f2.f4.f6.a36';
const EXPECTED = {
  first: [[4, 'too_small'], [52, 'chosen']],
  best: [[4, 'too_small'], [52, 'not_best'], [132, 'chosen'], [196, 'too_small']],
  worst: [[4, 'too_small'], [52, 'chosen'], [132, 'not_best'], [196, 'too_small']],
  next: [[4, 'too_small'], [52, 'chosen']], // the rover starts at the head: no search before this one
  fast: [[132, 'next_class']],
};

for (const [policy, want] of Object.entries(EXPECTED)) {
  test(`${policy} fit: the map marks the blocks the engine examined, in order, with their reasons`, async () => {
    const { page, problems } = await openPage(b.context, `?scenario=manual&${HOLES}&policy=${policy}&order=addr&step=13`);
    await waitStep(page, 13);
    const drawn = await page.evaluate(() => globalThis.heaplab.v.search.drawn().map((m) => [m.block, m.why]));
    assert.deepEqual(drawn, want);
    // the engine's record: the run's examine events of step 13
    const record = await page.evaluate(() => {
      const ev = globalThis.heaplab.run.events;
      const out = [];
      const kind = ev.names.indexOf('examine');
      for (let e = ev.start[12]; e < ev.start[13]; e++) if (ev.kind[e] === kind) out.push([ev.a[e], globalThis.heaplab.vocab.examineReasons[ev.detail[e]]]);
      return out;
    });
    assert.deepEqual(drawn, record);
    const items = await page.locator('#search-walk li').evaluateAll((ls) => ls.map((l) => [Number(l.dataset.block), l.dataset.why]));
    assert.deepEqual(items, want);
    if (policy === 'fast') {
      assert.equal(await page.locator('#size-classes').isVisible(), true);
      assert.match(await page.locator('#size-classes').textContent(), /class, 5 \(outlined\), had none that fits: the bitmap's next set bit is class 6/);
      await shot(page, '20-search-fast');
    } else {
      assert.equal(await page.locator('#size-classes').isVisible(), false);
      if (policy === 'best') await shot(page, '20-search-best');
    }
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test('the history strip: a row per step, a click moves the cursor there', async () => {
  const { page, problems } = await openPage(b.context, '?scenario=fragment&seed=3&ops=200&policy=best&step=120');
  await waitStep(page, 120);
  const strip = page.locator('#history-canvas');
  await strip.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => globalThis.heaplab.v.history.h && globalThis.heaplab.v.history.h.rows === 160);
  const box = await strip.boundingBox();
  const { rowH, steps } = await page.evaluate(() => ({ rowH: globalThis.heaplab.v.history.rowH, steps: [...globalThis.heaplab.v.history.h.steps] }));
  assert.equal(steps[0], 2); // 200 steps in 160 rows: the first row shows step 2
  await strip.click({ position: { x: box.width / 2, y: rowH * 40 + 1 } });
  await waitStep(page, steps[40]);
  assert.match(await page.locator('#history-note').textContent(), /Fragmentation starts at step \d+/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('reduced motion: playing shows every mark at once', async () => {
  const { page, problems } = await openPage(b.context, `?scenario=manual&${HOLES}&policy=best&order=addr&step=12`, { reducedMotion: 'reduce' });
  await waitStep(page, 12);
  await page.evaluate(() => { globalThis.heaplab.speed = 2; globalThis.heaplab.play(); });
  await waitStep(page, 13);
  assert.equal(await page.evaluate(() => globalThis.heaplab.v.search.drawn().length), 4);
  assert.deepEqual(problems, []);
  await page.close();
});
