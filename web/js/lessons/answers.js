// answers.js: a lesson question's answer, computed from what the engine
// says (never from the lesson's text). DOM-free, so the page and the node
// test (tests/web/lessons.test.mjs) compute it the same way. A question is
// about op i of the lesson's run: the page shows the heap after the first
// i ops (the cursor `at`), the student answers, then the op happens.
//
// What a question needs from the engine is named by needsOf(kind) and
// gathered by gather(): the run (typed log columns + events), the snapshot
// before and after op i, the heap under every compared policy after op i,
// or the prediction report of the run. answerOf(kind, ctx) returns
// {value, label}: value is compared with the student's pick, label says it.
import { eventsAt } from '../model/events.js';
import { REALLOC_WORDS } from '../model/words.js';
import { winner } from '../model/predict-model.js';

export const POLICY_NAMES = { first: 'first fit', next: 'next fit', best: 'best fit', worst: 'worst fit', fast: 'fast (segregated fits)' };
export const PREDICTOR_NAMES = { tree: 'the regression tree', last: 'repeat the last size', mode: 'the most frequent size', markov1: 'Markov-1 (most frequent successor)', ngram: 'n-gram with backoff' };
export const REALLOC_HOW = ['shrink', 'same', 'grow-next', 'grow-break', 'move'];

// Returns a 'realloc' question (what will this realloc do?), its choices REALLOC_HOW's, in words.
export function reallocAsk(prompt) {
  return {
    kind: 'realloc',
    prompt,
    choices: [
      { value: 'shrink', label: 'shrink in place (split off the tail)' },
      { value: 'same', label: 'stay as it is (already big enough)' },
      { value: 'grow-next', label: 'grow into the free block after it' },
      { value: 'grow-break', label: 'grow by moving the break' },
      { value: 'move', label: 'move: malloc, copy, free' },
    ],
  };
}

// Returns which engine answers a question kind needs: {compare, predict}.
export function needsOf(kind) {
  return { compare: kind === 'smallestHeap', predict: kind === 'winner' };
}

// Returns the context of a question about op `at` (`at` = -1 for none): the snapshots at `at` and
// at + 1, and the compare or prediction answer when the kind needs one. `request(msg)` asks the engine
// and resolves to its answer with the blocks decoded (Engine.request on the page, EngineCore in node).
export async function gather(run, at, kind, request) {
  const ctx = { run, i: at };
  if (at < 0) return ctx;
  const need = needsOf(kind);
  ctx.before = await request({ type: 'snapshot', k: at });
  ctx.after = await request({ type: 'snapshot', k: Math.min(run.n, at + 1) });
  if (need.compare) ctx.compare = await request({ type: 'compare', k: Math.min(run.n, at + 1) });
  if (need.predict) ctx.predict = await request({ type: 'predict', k: Math.min(run.n, at + 1), options: { horizon: 10, maxDepth: 8, leaf: 'mode' } });
  for (const x of [ctx.before, ctx.after, ctx.compare, ctx.predict]) if (x && x.error) throw new Error(x.error);
  return ctx;
}

// Returns the words for a block of a snapshot ("the free block at 36 (48 bytes)").
export function blockLabel(b) {
  if (!b) return 'new space at the break (the heap grows)';
  return b.free ? `the free block at ${b.offset} (${b.size} bytes)` : `block #${b.id} at ${b.offset} (${b.size} bytes, in use)`;
}

// Returns the answer choices of a 'place' question: every free block before op i, then the break.
export function placeChoices(before) {
  const out = before.blocks.filter((b) => b.free).map((b) => ({ value: b.offset, label: blockLabel(b) }));
  out.push({ value: 'break', label: blockLabel(null) });
  return out;
}

// Returns the first event of op i of a kind, or null.
function eventOf(ctx, kind) {
  return eventsAt(ctx.run.events, ctx.i).find((e) => e.kind === kind) || null;
}

// Returns the block (of the snapshot before op i) where op i's block starts, or null for the break.
function placedIn(ctx, hdr) {
  const start = ctx.run.cols.offset[ctx.i] - hdr;
  return ctx.before.blocks.find((b) => start >= b.offset && start < b.offset + b.size) || null;
}

// Returns {value, label} of question `kind` in context ctx (see gather); hdr is the header size.
export function answerOf(kind, ctx, hdr) {
  const { run, i } = ctx;
  const bytes = (v) => ({ value: v, label: `${v} bytes` });
  switch (kind) {
    case 'place': {
      const b = placedIn(ctx, hdr);
      return { value: b ? b.offset : 'break', label: blockLabel(b) };
    }
    case 'end': { // which end of its free block a placed block took
      const b = placedIn(ctx, hdr);
      const start = run.cols.offset[i] - hdr;
      const value = !b ? 'break' : run.cols.blockSize[i] >= b.size ? 'whole' : start === b.offset ? 'low' : 'high';
      return { value, label: { break: 'new space at the break', whole: 'the whole block', low: 'the low end', high: 'the high end' }[value] };
    }
    case 'blockSize': return bytes(run.cols.blockSize[i]);
    case 'scanned': return { value: run.cols.scanned[i], label: `${run.cols.scanned[i]} free blocks` };
    case 'split': { const e = eventOf(ctx, 'split'); return e ? bytes(e.c) : { value: 0, label: 'no split: it takes the whole block' }; }
    case 'coalesce': { const e = eventOf(ctx, 'coalesce'); const c = e ? e.detail : 1; return { value: c, label: `case ${c}` }; }
    case 'realloc': { const e = eventOf(ctx, 'realloc'); const d = e ? e.detail : -1; return { value: REALLOC_HOW[d] || 'none', label: REALLOC_WORDS[d] || 'no realloc' }; }
    case 'heapAfter': return bytes(ctx.after.stats.heapSize);
    case 'internalFrag': return bytes(ctx.after.stats.internalFrag);
    case 'freeBytes': return bytes(run.cols.freeBytes[i]);
    case 'extFrag': { const v = Math.round(100 * ctx.after.stats.externalFrag); return { value: v, label: `${v}%` }; }
    case 'util': { const v = Math.round(100 * ctx.after.stats.utilization); return { value: v, label: `${v}%` }; }
    case 'smallestHeap': {
      // among the policies that search the one free list (Compare also shows fast beside them)
      const teaching = ctx.compare.teaching || ctx.compare.heaps.map((h) => h.policy);
      const sizes = ctx.compare.heaps.filter((h) => teaching.includes(h.policy)).map((h) => [h.policy, h.stats.heapSize]);
      const min = Math.min(...sizes.map(([, s]) => s));
      const best = sizes.filter(([, s]) => s === min).map(([p]) => p);
      return { value: best.join('+'), label: `${best.map((p) => POLICY_NAMES[p] || p).join(' and ')} (${min} bytes)`, sizes };
    }
    case 'winner': {
      const best = winner(ctx.predict.report);
      const value = best ? (best[0].startsWith('tree') ? 'tree' : best[0]) : 'none';
      return { value, label: `${PREDICTOR_NAMES[value] || value}${best ? ` (mean error ${best[1].mae.toFixed(1)} bytes)` : ''}` };
    }
    default: throw new Error(`unknown question kind ${kind}`);
  }
}

// Returns the values a template may name, for op i in context ctx: {answer, words, the op's log columns
// (size, offset, blockSize, scanned, heapSize, ...), payload, and the heap's after the op (heap, util,
// extfrag, intfrag, largest, free, live; before it when there is no after), heapBefore}.
// With `asking` (a question's text, shown before its op) only the heap before the op: nothing of the answer.
export function factsOf(ctx, answer, { asking = false } = {}) {
  const { run, i } = ctx;
  const f = asking ? {} : { answer: answer ? answer.label : '' };
  if (asking) ctx = { ...ctx, after: null };
  if (!asking && i >= 0 && i < run.n) {
    for (const [name, col] of Object.entries(run.cols)) f[name] = col[i];
    f.payload = run.cols.offset[i];
  }
  const s = ctx.after ? ctx.after.stats : ctx.before ? ctx.before.stats : null;
  if (s) {
    f.heap = s.heapSize;
    f.util = `${(100 * s.utilization).toFixed(1)}%`;
    f.extfrag = `${(100 * s.externalFrag).toFixed(1)}%`;
    f.intfrag = s.internalFrag;
    f.largest = s.largestFree;
    f.free = s.freeBytes;
    f.live = s.livePayload;
  }
  if (ctx.before && !asking) f.heapBefore = ctx.before.stats.heapSize;
  if (answer && answer.sizes) for (const [p, size] of answer.sizes) f[`heap_${p}`] = size;
  return f;
}

// Returns a template with each {name} replaced by facts[name]; an unknown name throws (a lesson bug).
export function fill(template, facts) {
  return template.replace(/\{(\w+)\}/g, (m, name) => {
    if (!(name in facts)) throw new Error(`lesson text names {${name}}, which the engine did not give`);
    return String(facts[name]);
  });
}
