// lesson-model.js: the lessons' model, DOM-free. A lesson (one file per
// lesson in this folder, listed by index.js) is plain data:
//   {title, teaches, settings: {policy, order, coalesce, align, arena},
//    ops: [{op:'alloc', size} | {op:'free', id} | {op:'realloc', id, size}]
//         (ids number the allocations from 0, in order), or real: 'sqlite3' (a bundled trace),
//    steps: [step]}
// and a step is one screen:
//   {at: k            the heap shown is the one after the first k ops,
//    settings?: {...}  changes to the lesson's settings from this step on (the same ops replayed),
//    real?: name       another bundled trace from this step on,
//    text: '...'       the sentences beside the heap,
//    ask?: {kind, prompt, choices?: [{value, label}]}  a question about op k (answers.js kinds;
//                      'place' questions get their choices from the heap: its free blocks and the break),
//    expect?: value    the answer the lesson's text assumes; tests/web/lessons.test.mjs checks it
//                      against the engine, and the page shows the engine's answer, never this,
//    reveal?: '...'    shown after the answer, with {answer} (the engine's words), {choice} (the right
//                      choice's label), {words} (the log's sentence) and the op's facts filled in
//                      (answers.js factsOf), while the heap moves to step k + 1,
//    show?: 'compare' | 'predict'   a dashboard section shown beside the lesson}
// The URL names a lesson and a step: ?lesson=N&step=k (both from 1), &reveal=1 for the answer,
// &embed=1 for an iframe.

// Returns the settings in force at step s of lesson L (the lesson's, patched by every earlier step).
export function settingsAt(L, s) {
  let out = { ...L.settings };
  for (let j = 0; j <= s && j < L.steps.length; j++) if (L.steps[j].settings) out = { ...out, ...L.steps[j].settings };
  return out;
}

// Returns the bundled trace in force at step s (null: the lesson's own ops).
export function realAt(L, s) {
  let out = L.real || null;
  for (let j = 0; j <= s && j < L.steps.length; j++) if (L.steps[j].real) out = L.steps[j].real;
  return out;
}

// Returns the cursor step s shows: `at` while asking, at + 1 once revealed (the op done).
export function cursorOf(step, revealed) {
  return step.ask && revealed ? step.at + 1 : step.at;
}

// Returns {lesson, step, reveal} (lesson and step 0-based) from a query, or null without `lesson`.
// Out-of-range numbers are clamped, and `bad` says what the link asked for that could not be honoured.
export function parseLessonQuery(search, lessons) {
  const q = new URLSearchParams(search || '');
  if (!q.has('lesson')) return null;
  const int = (name) => (/^\d{1,4}$/.test(q.get(name) || '') ? Number(q.get(name)) : null);
  const n = int('lesson');
  const lesson = n === null ? 0 : Math.min(lessons.length, Math.max(1, n)) - 1;
  const k = int('step');
  const steps = lessons[lesson].steps.length;
  const step = k === null ? 0 : Math.min(steps, Math.max(1, k)) - 1;
  let bad = null;
  if (n === null || n < 1 || n > lessons.length) bad = `there is no lesson '${q.get('lesson')}' (lessons 1–${lessons.length})`;
  else if (q.has('step') && (k === null || k < 1 || k > steps)) bad = `lesson ${n} has no step '${q.get('step')}' (steps 1–${steps})`;
  return { lesson, step, reveal: q.get('reveal') === '1', embed: q.get('embed') === '1', bad };
}

// Returns the query (leading '?') that restores lesson `lesson`, step `step` (0-based).
export function formatLessonQuery(lesson, step, reveal, embed) {
  return `?lesson=${lesson + 1}&step=${step + 1}${reveal ? '&reveal=1' : ''}${embed ? '&embed=1' : ''}`;
}

// Returns true when a pick answers a question whose engine answer is `answer`.
export function isRight(pick, answer) {
  return String(pick) === String(answer.value);
}

// Returns the ops of a lesson as the page's manual ops (ids of frees and reallocs as given).
export function manualOps(L) {
  return (L.ops || []).map((o) => ({ ...o }));
}
