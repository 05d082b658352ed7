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
export const REALLOC_WORDS = ['shrank in place', 'kept in place (already big enough)', 'grew in place into the free neighbour', 'grew in place by moving the break', 'moved: malloc, copy, free'];
const OPS = ['malloc', 'free', 'realloc', 'calloc'];

// Returns "1 block"/"3 blocks" ("1 entry"/"3 entries" with `many` given).
export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
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

// Returns a sentence for op i: the call, then what the allocator did, in event order.
export function describeOp(op, id, size, offset, evs) {
  const parts = [];
  for (const e of evs) {
    switch (e.kind) {
      case 'request': if (e.b) parts.push(`needs a ${e.b}-byte block`); break;
      case 'scan': parts.push(e.b ? `scanned ${plural(e.a, 'free block')}` : `scanned ${plural(e.a, 'free block')}, none fits`); break;
      case 'split': parts.push(`split ${e.b + e.c} into ${e.b} + ${e.c}`); break;
      case 'extend': parts.push(`moved the break ${e.a} → ${e.b} (+${e.b - e.a})`); break;
      case 'place': parts.push(`placed at ${e.c} (block of ${e.b})`); break;
      case 'free': if (op !== 2) parts.push(`freed the ${e.b}-byte block at ${e.a}`); break;
      case 'coalesce': parts.push(`${COALESCE[e.detail] || 'coalesced'} into ${e.b} bytes`); break;
      case 'realloc': parts.push(REALLOC_WORDS[e.detail] || 'reallocated'); break;
      case 'fail': parts.push(`failed: ${errorName(e.a | 0)}`); break;
      default: break;
    }
  }
  const call = callText(op, id, size, offset);
  return parts.length ? `${call}: ${parts.join(', ')}.` : `${call}.`;
}
