// words.js: what the allocator did, in words, from an op row and its events.
// DOM-free. The vocabulary is the event log's own (request, scan, split,
// place, extend, free, coalesce, realloc, fail), with the CS:APP coalescing
// cases named so a student can match them to the textbook.

const ERRORS = {
  '-1': 'out of memory (the arena is full)',
  '-2': 'invalid request (size 0 or not a number)',
  '-3': 'too big for the arena',
  '-4': 'not a live block (bad pointer)',
  '-5': 'double free (the block is already free)',
};
const COALESCE = {
  2: 'coalesced with the next block (case 2)',
  3: 'coalesced with the previous block (case 3)',
  4: 'coalesced with both neighbours (case 4)',
};
export const REALLOC_WORDS = ['shrank in place', 'kept in place (already big enough)', 'grew in place into the free neighbour', 'grew in place by moving the break', 'moved it (malloc, copy, free)'];
const OPS = ['malloc', 'free', 'realloc', 'calloc'];

// Returns "1 block"/"3 blocks" ("1 entry"/"3 entries" with `many` given).
export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

// Returns a count of things with the number grouped in thousands: "300,000 operations", "1 operation".
export function countOf(n, one, many = `${one}s`) {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

// Returns "a 40-byte" / "an 88-byte" (the article as the number is spoken).
export function sized(n) {
  const t = String(n);
  return `${/^8/.test(t) || (t.length % 3 === 2 && /^1[18]/.test(t)) ? 'an' : 'a'} ${t}-byte`;
}

// Returns the message of a thrown value (an Error's message, else the value as text).
export function errorText(err) {
  return String((err && err.message) || err);
}

// Returns the human name of a negative error code.
export function errorName(code) {
  return ERRORS[String(code)] || `error ${code}`;
}

// Returns the call as a student would write it, e.g. "malloc(48) for block 3".
export function callText(op, id, size, offset) {
  const name = OPS[op] || 'op';
  if (op === 1) return `free(block ${id}${offset ? ` @${offset}` : ''})`;
  if (op === 2) return `realloc(block ${id}, ${size})`;
  return `${name}(${size}) for block ${id}`;
}

// Returns the words of one event (null for events that add nothing to the sentence).
// Blocks are named by where they start; the payload (what the caller's pointer
// points at, the log's "payload at" column) is named as such.
function eventWords(e) {
  switch (e.kind) {
    case 'request': return e.b ? `needs ${sized(e.b)} block` : null;
    case 'scan': return e.b ? `scanned ${plural(e.a, 'free block')}` : `scanned ${plural(e.a, 'free block')}, none fits`;
    case 'split': return `split ${e.b + e.c} into ${e.b} + ${e.c}`;
    case 'extend': return `moved the break ${e.a} → ${e.b} (+${e.b - e.a})`;
    case 'place': return `placed at ${e.a} (payload at ${e.c})`;
    case 'free': return `freed the ${e.b}-byte block at ${e.a} (payload at ${e.c})`;
    case 'coalesce': return `${COALESCE[e.detail] || 'coalesced'} into ${e.b} bytes`;
    case 'fail': return `failed: ${errorName(e.a | 0)}`;
    default: return null;
  }
}

// Returns the words of events, joined by commas; a placed block whose size the request
// did not already name (it kept a remainder too small to split off) is given its size.
function joined(evs) {
  const asked = evs.find((e) => e.kind === 'request');
  return evs.map((e) => (e.kind === 'place' && (!asked || asked.b !== e.b) ? `placed at ${e.a}, ${sized(e.b)} block (payload at ${e.c})` : eventWords(e))).filter(Boolean).join(', ');
}

// Returns a realloc's sentences: how it was done first, then the new block, then the old one.
function reallocWords(call, evs) {
  const how = evs.find((e) => e.kind === 'realloc');
  const fail = evs.find((e) => e.kind === 'fail');
  if (fail || !how) return `${call}: ${joined(evs) || 'reallocated'}.`;
  const at = evs.findIndex((e) => e.kind === 'free' || e.kind === 'coalesce');
  const grow = joined(at < 0 ? evs : evs.slice(0, at));
  const old = at < 0 ? '' : joined(evs.slice(at).filter((e) => e.kind !== 'free'));
  if (how.detail !== 4) return `${call}: ${REALLOC_WORDS[how.detail] || 'reallocated'}${grow ? ` (${grow})` : ''}.`;
  return `${call}: ${REALLOC_WORDS[4]}. New block: ${grow}. Old block freed${old ? `, ${old}` : ''}.`;
}

// Returns a sentence for op i: the call, then what the allocator did, in event order.
export function describeOp(op, id, size, offset, evs) {
  const call = callText(op, id, size, offset);
  if (op === 2) return reallocWords(call, evs);
  const parts = joined(evs);
  return parts ? `${call}: ${parts}.` : `${call}.`;
}
