// search.js: one operation's search, from its events (DOM-free). The engine
// logs, before a search's `scan` event, an `examine` event per block it
// looked at, in walk order (a = block, b = its size, detail = why: the
// vocabulary's examineReasons, from C), at most a capped number of them
// (the scan event's count says how many in all), and under `fast` a `class`
// event (the request's size class, the class the block came from). A
// realloc that moves searches too. This turns those events into the marks
// the map draws and the sentences beside it.

const WHY_WORDS = {
  too_small: 'too small',
  not_best: 'fits, but a better one was taken',
  chosen: 'chosen',
  next_class: 'chosen: the head of the next non-empty larger class (from the bitmap; every block there fits)',
  top_last: 'fits, but it is the top block (it ends where the heap can grow): fast takes it only when no other block of a larger class is free',
};
const NOT_BEST = {
  best: 'fits, but a smaller one fits too',
  worst: 'fits, but a larger one was taken',
  fast: 'fits, but a closer fit was taken',
};

// Returns the search of an op's events, or null when it searched nothing:
// {need, marks: [{order, block, size, why}], scanned, more, chosen, split: {low, high} | null,
//  extend: bytes | 0, requestClass, fromClass, topClass} (classes -1 unless fast; topClass: the
//  class of the top block fast passed over, -1 for none).
export function searchOf(evs, reasons) {
  let need = 0, scan = null, split = null, extend = 0, requestClass = -1, fromClass = -1, topClass = -1;
  const marks = [];
  for (const e of evs) {
    if (e.kind === 'request') need = e.b;
    else if (e.kind === 'examine') {
      marks.push({ order: marks.length + 1, block: e.a, size: e.b, why: reasons[e.detail] || String(e.detail) });
      if (marks[marks.length - 1].why === 'top_last') topClass = e.c;
    }
    else if (e.kind === 'class') { requestClass = e.a; fromClass = e.b; }
    else if (e.kind === 'scan' && !scan) scan = e;
    else if (e.kind === 'split' && scan && !split) split = { block: e.a, low: e.b, high: e.c, highTaken: e.detail === 1 };
    else if (e.kind === 'extend' && scan) extend = e.b - e.a;
  }
  if (!scan) return null;
  return { need, marks, scanned: scan.a, more: Math.max(0, scan.a - marks.length), chosen: scan.b, split, extend, requestClass, fromClass, topClass };
}

// Returns why a block was passed over or taken, in words, under a policy.
export function whyText(why, policy) {
  if (why === 'not_best' && NOT_BEST[policy]) return NOT_BEST[policy];
  return WHY_WORDS[why] || why;
}

// Returns the search as lines of text: a heading and one line per examined block.
// `recordedSteps`: the longest run whose walks the engine records (vocabulary searchMarkSteps).
export function searchLines(s, policy, recordedSteps = 0) {
  if (!s) return null;
  const head = `Search for a ${s.need}-byte block (${policy} fit${policy === 'fast' ? ': segregated size classes' : ''}): ${s.scanned} free ${s.scanned === 1 ? 'block' : 'blocks'} examined`;
  const lines = s.marks.map((m) => `${m.order}. block @${m.block} (${m.size} bytes): ${whyText(m.why, policy)}`);
  if (s.more && !s.marks.length) lines.push(`(which blocks were examined is recorded for runs of up to ${recordedSteps.toLocaleString('en-US')} steps)`);
  else if (s.more) lines.push(`… and ${s.more} more examined (the log records the first ${s.marks.length} of each search)`);
  if (s.requestClass >= 0) {
    lines.unshift(s.fromClass === s.requestClass ? `its size class is ${s.requestClass}: searched that class's own list`
      : s.chosen && s.topClass >= 0 ? `its size class ${s.requestClass} had no fit: the bitmap named class ${s.topClass}, the first non-empty larger one, whose head is the top block, kept for last; ${s.fromClass === s.topClass ? 'so the next block of that class was taken' : `so the head of class ${s.fromClass}, the next non-empty one, was taken`}`
        : s.chosen ? `its size class ${s.requestClass} had no fit: the bitmap named class ${s.fromClass}, the first non-empty larger one`
          : `its size class ${s.requestClass} had no fit and no larger class has a free block`);
  }
  if (!s.chosen) lines.push(`none fits: the break moves${s.extend ? ` (+${s.extend} bytes)` : ''}`);
  else if (s.split) lines.push(`split ${s.split.low + s.split.high} into ${s.split.low} + ${s.split.high}: the ${s.split.highTaken ? 'high' : 'low'} part is the new block, the rest stays free`);
  return { head, lines };
}
