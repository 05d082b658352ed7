// ostep-model.js: the OSTEP mode's model, DOM-free and importable in node.
//
// A *session* is one malloc.py command line run twice by lab.ostep (see
// lab/ostep.js): once with the answers forced off (the questions exactly as
// malloc.py asks them) and once with them forced on (-c: the answers, the
// free list after every step, the address map and the events). Step 0 is
// the start; steps 1..n are the printed operations; the cursor k (0..n)
// names the state after the first k of them. Everything the view draws is
// a function of (session, k): the segments of the address map over
// [base, base + size), the free list in list order, the sentence for the
// step, the text. The URL keeps the flags and the step (?ostep=...&step=k).
import { plural } from '../words.js';

export const MAX_OPS = 2000;
export const DEFAULT_FLAGS = '-S 100 -b 1000 -H 4 -a 4 -l ADDRSORT -p BEST -n 5';
export const EXAMPLES = Object.freeze([
  { label: 'Random ops, best fit (worked example 1)', flags: DEFAULT_FLAGS },
  { label: 'Explicit ops, header and alignment (worked example 2)', flags: '-H 4 -a 4 -p BEST -l ADDRSORT -A +10,+20,-0,+5' },
  { label: 'First fit, size-sorted list, seed 3', flags: '-p FIRST -l SIZESORT+ -n 8 -s 3' },
  { label: 'Worst fit, insert at the front, coalescing', flags: '-p WORST -l INSERT-FRONT -C -n 10 -s 5' },
  { label: 'Coalescing after frees (address order)', flags: '-C -A +10,+20,+30,-1,-0,-2,+55' },
  { label: 'Many small ops: fragmentation', flags: '-S 200 -n 40 -r 20 -s 7' },
]);
const POLICY_WORDS = { BEST: 'best fit looks at every entry', WORST: 'worst fit looks at every entry', FIRST: 'first fit stops at the first that fits' };
const ORDER_WORDS = {
  ADDRSORT: 'the list is kept sorted by address',
  'SIZESORT+': 'the list is kept sorted by size, smallest first',
  'SIZESORT-': 'the list is kept sorted by size, largest first',
  'INSERT-FRONT': 'freed blocks go to the front of the list',
  'INSERT-BACK': 'freed blocks go to the back of the list',
};

// Returns {flags, step, answers} from a query string: flags null when there is no `ostep` parameter;
// answers (c=1) shows each answer as one steps, as malloc.py's -c does.
export function parseOstepQuery(search) {
  const q = new URLSearchParams(search || '');
  const flags = q.has('ostep') ? q.get('ostep').slice(0, 2000) : null;
  const s = q.get('step');
  const step = s !== null && /^\d{1,9}$/.test(s) ? Number(s) : null;
  return { flags, step, answers: q.get('c') === '1' };
}

// Returns the query string (leading '?') that restores flags, step and the answers switch.
export function formatOstepQuery(flags, step, answers = false) {
  const q = new URLSearchParams();
  q.set('ostep', flags.trim());
  q.set('step', String(step));
  if (answers) q.set('c', '1');
  return `?${q.toString().replace(/%2C/gi, ',')}`;
}

// Returns a step's printed lines without the empty line that ends each block.
export function linesOf(text) {
  return text.endsWith('\n\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
}

// Returns the session of two runs of the same flags (questions: compute off, answers: compute on),
// or {error} when they disagree (a bug: the simulation must not depend on -c).
export function makeSession(flags, questions, answers) {
  if (!questions || !answers || questions.status !== 0 || answers.status !== 0) return { error: 'both runs must succeed' };
  if (questions.steps.length !== answers.steps.length) return { error: 'the runs with and without -c differ in length' };
  const steps = answers.steps.map((s, i) => ({ ...s, question: linesOf(questions.steps[i].text), answer: linesOf(s.text) }));
  return {
    flags,
    options: answers.options,
    steps,
    n: steps.length - 1,
    textWith: answers.text,
    textWithout: questions.text,
    truncated: answers.truncated,
    questionCount: answers.questions.length,
  };
}

// Returns the one-line description of the options.
export function summaryText(o, n) {
  const align = o.alignment === -1 ? 'no alignment' : `sizes aligned to ${o.alignment}`;
  const mode = o.explicit ? `the -A list (${plural(n, 'operation')})` : `${plural(n, 'random operation')} (seed ${o.seed}, sizes 1–${o.range}, ${o.percentAlloc}% allocations)`;
  const header = o.headerSize ? `${o.headerSize}-byte header` : 'no header';
  return `Heap of ${o.size} bytes at ${o.baseAddr}–${o.baseAddr + o.size}, ${header}, ${align}; ${o.policy}, ${o.order}, ${o.coalesce ? 'coalescing' : 'no coalescing'}; ${mode}.`;
}

// Returns one free-list entry the way malloc.py prints it.
export function entryText(e) {
  return `[ addr:${e.addr} sz:${e.size} ]`;
}

// Returns the sentence for step k (what malloc.py did, in words).
export function stepWords(session, k) {
  const o = session.options;
  const s = session.steps[k];
  if (!s) return '';
  const list = s.freeList ? ` The free list has ${plural(s.freeList.length, 'entry', 'entries')}.` : '';
  if (s.kind === 'start') return `Start: one free entry covers the whole heap, ${o.size} bytes at ${o.baseAddr}.`;
  if (s.kind === 'skip') return `Invalid Free: Skipping. The -A list frees ptr[${s.ptr}], but only the successful allocations count as indices, and there are not that many (malloc.py skips it).${list}`;
  const ev = (kind) => (s.events || []).find((e) => e.kind === kind);
  if (s.kind === 'alloc') {
    const parts = [];
    const rounded = o.alignment !== -1 && s.need - o.headerSize !== s.request ? `${s.request} rounded up to ${s.need - o.headerSize}` : `${s.request}`;
    const why = rounded !== `${s.request}` || o.headerSize ? ` (${rounded}${o.headerSize ? ` + ${o.headerSize}-byte header` : ''})` : '';
    parts.push(`needs ${s.need} bytes${why}`);
    parts.push(`searched ${plural(s.searched, 'entry', 'entries')} (${POLICY_WORDS[o.policy] || o.policy})`);
    if (s.addr < 0) {
      parts.push(`none is big enough, so it returned ${s.result}${o.headerSize && !o.explicit ? ` (-1 + the ${o.headerSize}-byte header)` : ''}`);
    } else {
      const split = ev('split');
      parts.push(`took entry ${s.chosen} at ${s.addr}${split ? `, whose other ${split.c} bytes stay at ${s.addr + s.need} in the same list position` : ' (an exact fit: the entry leaves the list)'}`);
      parts.push(`returned ${s.result}${o.explicit ? ' (the block address)' : o.headerSize ? ` (block ${s.addr} + ${o.headerSize}-byte header)` : ''}`);
    }
    return `ptr[${s.ptr}] = Alloc(${s.request}) ${parts.join('; ')}.${list}`;
  }
  if (s.result !== 0) return `Free(ptr[${s.ptr}]) returned -1: the block at ${s.addr} is not allocated any more, so nothing changes.${list}`;
  const merged = new Map(); // one coalesce event per merge: the last one per start address is the result
  for (const e of s.events || []) if (e.kind === 'coalesce') merged.set(e.a, e.b);
  const co = merged.size ? `; coalescing merged neighbours in list order into ${[...merged].map(([a, b]) => `${b} bytes at ${a}`).join(', ')}` : '';
  return `Free(ptr[${s.ptr}]) returned 0: the ${s.need}-byte block at ${s.addr} goes back on the list (${ORDER_WORDS[o.order] || o.order})${co}.${list}`;
}

// Returns the address-map segments of step k over [base, base + size): one per byte range,
// {kind: 'free'|'header'|'payload'|'padding', start, end, left, width (fractions of the heap),
// block, touched, last (the block's last segment)}. Live blocks are cut into header, payload and alignment padding.
export function mapSegments(session, k) {
  const o = session.options;
  const s = session.steps[k];
  if (!s || !s.blocks) return [];
  const span = Math.max(1, o.size);
  const out = [];
  const touchedAddr = s.kind === 'alloc' || s.kind === 'free' ? s.addr : null;
  const add = (kind, start, end, block) => {
    if (end < start) return;
    const touched = touchedAddr !== null && touchedAddr >= block.addr && touchedAddr < block.addr + Math.max(1, block.size);
    out.push({ kind, start, end, left: (start - o.baseAddr) / span, width: (end - start) / span, block, touched });
  };
  for (const b of s.blocks) {
    if (b.free) { add('free', b.addr, b.addr + b.size, b); out[out.length - 1].last = true; continue; }
    const h = Math.min(b.size, Math.max(0, o.headerSize));
    const pay = Math.min(b.size - h, Math.max(0, b.request));
    if (h > 0) add('header', b.addr, b.addr + h, b);
    add('payload', b.addr + h, b.addr + h + pay, b);
    if (b.size - h - pay > 0) add('padding', b.addr + h + pay, b.addr + b.size, b);
    out[out.length - 1].last = true;
  }
  return out;
}

// Returns the block step k touched (the one allocated, or the free entry that now holds the
// freed bytes) as {start, end, left, width}, or null.
export function touchedRange(session, k) {
  const o = session.options;
  const s = session.steps[k];
  if (!s || !s.blocks || (s.kind !== 'alloc' && s.kind !== 'free') || s.addr < 0) return null;
  const b = s.blocks.find((x) => s.addr >= x.addr && s.addr < x.addr + Math.max(1, x.size));
  if (!b) return null;
  const span = Math.max(1, o.size);
  return { start: b.addr, end: b.addr + b.size, left: (b.addr - o.baseAddr) / span, width: b.size / span };
}

// Returns the text of one block for hover and screen readers.
export function blockText(b, o) {
  if (b.free) return `free entry ${b.listPos} of the list: ${entryText(b)}, ${b.addr}–${b.addr + b.size}`;
  const pad = b.size - o.headerSize - b.request;
  return `ptr[${b.ptr}]: block ${b.addr}–${b.addr + b.size} (${b.size} bytes: ${o.headerSize ? `${o.headerSize}-byte header, ` : ''}${b.request} requested${pad > 0 ? `, ${pad} alignment padding` : ''})`;
}

// Returns the accessible description of the address map at step k.
export function mapDescription(session, k) {
  const o = session.options;
  const s = session.steps[k];
  if (!s || !s.blocks) return 'The address map is not recorded for this step (the run is too long).';
  const parts = s.blocks.slice(0, 40).map((b) => blockText(b, o));
  const more = s.blocks.length > 40 ? `; and ${s.blocks.length - 40} more blocks` : '';
  return `Heap ${o.baseAddr}–${o.baseAddr + o.size} after step ${k}: ${parts.join('; ')}${more}.`;
}

// Returns the address ticks to print under the map: the base, the end, and block starts
// at least `minGap` (a fraction of the heap) apart.
export function mapTicks(session, k, minGap = 0.08) {
  const o = session.options;
  const span = Math.max(1, o.size);
  const s = session.steps[k];
  const ticks = [{ addr: o.baseAddr, at: 0 }];
  let last = minGap / 2; // the first and last labels hang one way (1.5 gaps needed), the others are centred
  for (const b of (s && s.blocks) || []) {
    const at = (b.addr - o.baseAddr) / span;
    if (at - last >= minGap && 1 - at >= 1.5 * minGap) { ticks.push({ addr: b.addr, at }); last = at; }
  }
  ticks.push({ addr: o.baseAddr + o.size, at: 1 });
  return ticks;
}
