// lessons.test.mjs: every lesson (web/js/lessons/) against the real engine
// (dist/heaplab.js through engine-core.js, as the page's worker runs it):
// each question's expected answer, the one its text assumes, is the answer
// the engine computes (answers.js, the page's own code); every choice list
// holds that answer; every text and reveal names only facts the engine
// gives; steps stay inside their run. Also the lesson links (?lesson=N&step=k).
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { EngineCore } from '../../web/js/engine/engine-core.js';
import { withBlocks } from '../../web/js/engine/snapshot.js';
import { LESSONS } from '../../web/js/lessons/index.js';
import { gather, answerOf, placeChoices, factsOf, fill } from '../../web/js/lessons/answers.js';
import { settingsAt, realAt, parseLessonQuery, formatLessonQuery, manualOps, cursorOf } from '../../web/js/lessons/lesson-model.js';
import { describeOp } from '../../web/js/model/words.js';
import { eventsAt } from '../../web/js/model/events.js';

const require = createRequire(import.meta.url);
const lab = await require(new URL('../../dist/heaplab.js', import.meta.url).pathname).load();
const HDR = lab.headerBytes;

// Returns {core, run} for lesson L at step s: its ops (or bundled trace) under the settings of that step.
function runAt(L, s) {
  const core = new EngineCore(lab);
  const real = realAt(L, s);
  const settings = settingsAt(L, s);
  const res = real
    ? core.runScenario({ scenario: { kind: 'real', name: real, text: readFileSync(new URL(`../../web/data/${real}.csv`, import.meta.url), 'utf8') }, settings })
    : core.runScenario({ scenario: { kind: 'manual', name: 'manual', text: 'op,id,size\n' }, settings, cut: 0, manual: manualOps(L) });
  assert.ok(!res.error, res.error);
  return { core, run: res.run };
}

LESSONS.forEach((L, n) => {
  test(`lesson ${n + 1} (${L.title}): expected answers are the engine's`, async () => {
    assert.ok(L.title && L.teaches && L.steps.length >= 2, 'a title, what it teaches, and steps');
    for (let s = 0; s < L.steps.length; s++) {
      const step = L.steps[s];
      const where = `lesson ${n + 1} step ${s + 1}`;
      const { core, run } = runAt(L, s);
      assert.ok(step.at >= 0 && step.at <= run.n && (!step.ask || step.at < run.n), `${where}: at ${step.at} inside the run of ${run.n}`);
      const request = async (msg) => withBlocks(core.handle(msg));
      const ctx = await gather(run, step.ask ? step.at : Math.max(-1, step.at - 1), step.ask ? step.ask.kind : 'none', request);
      const words = step.at > 0 ? describeOp(run.op[ctx.i], run.id[ctx.i], run.cols.size[ctx.i], run.cols.offset[ctx.i], eventsAt(run.events, ctx.i)) : '';
      if (!step.ask) {
        assert.equal(step.expect, undefined, `${where}: an expectation without a question`);
        fill(step.text, { ...factsOf(ctx, null), words });
        continue;
      }
      const answer = answerOf(step.ask.kind, ctx, HDR);
      assert.deepEqual(answer.value, step.expect, `${where}: the text expects ${step.expect}, the engine says ${answer.value} (${answer.label})`);
      const choices = step.ask.kind === 'place' ? placeChoices(ctx.before) : step.ask.choices;
      assert.ok(choices && choices.some((c) => String(c.value) === String(answer.value)), `${where}: the answer is one of the choices`);
      assert.equal(new Set(choices.map((c) => String(c.value))).size, choices.length, `${where}: choices differ`);
      const facts = { ...factsOf(ctx, answer), words, choice: choices.find((c) => String(c.value) === String(answer.value)).label };
      fill(step.text, factsOf(ctx, null, { asking: true })); // a question's text names nothing of its answer
      assert.doesNotMatch(fill(step.reveal, facts), /undefined|NaN/, `${where}: the reveal`);
      assert.equal(cursorOf(step, true), step.at + 1);
    }
  });
});

test('lessons that compare policies differ where they say: lesson 5 puts one request in four places', async () => {
  const L = LESSONS[4];
  const picks = L.steps.slice(1, 5).map((st) => st.expect);
  assert.equal(new Set(picks).size, 4, `first, next, best and worst fit: ${picks}`);
});

test('lesson links: ?lesson=N&step=k, clamped, with what could not be honoured said', () => {
  assert.equal(parseLessonQuery('?scenario=random', LESSONS), null);
  assert.deepEqual(parseLessonQuery('?lesson=2&step=3', LESSONS), { lesson: 1, step: 2, reveal: false, embed: false, bad: null });
  assert.deepEqual(parseLessonQuery('?lesson=4&step=1&reveal=1&embed=1', LESSONS), { lesson: 3, step: 0, reveal: true, embed: true, bad: null });
  const far = parseLessonQuery('?lesson=99&step=2', LESSONS);
  assert.equal(far.lesson, LESSONS.length - 1);
  assert.match(far.bad, /no lesson '99'/);
  const step = parseLessonQuery('?lesson=1&step=40', LESSONS);
  assert.equal(step.step, LESSONS[0].steps.length - 1);
  assert.match(step.bad, /lesson 1 has no step '40'/);
  assert.match(parseLessonQuery('?lesson=x', LESSONS).bad, /no lesson 'x'/);
  assert.equal(formatLessonQuery(1, 2, true, false), '?lesson=2&step=3&reveal=1');
  const back = parseLessonQuery(formatLessonQuery(6, 1, false, true), LESSONS);
  assert.deepEqual([back.lesson, back.step, back.embed], [6, 1, true]);
});
