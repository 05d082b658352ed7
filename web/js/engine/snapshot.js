// snapshot.js: a heap snapshot as it crosses from the engine worker to the
// page. The worker sends the block table C filled (a transferable
// Uint32Array: no per-block objects to clone); the page decodes it once
// (lab/blocks.js) and derives the free-list head.

import { decodeBlocks } from '../lab/blocks.js';

// Returns the free-list head: the free block no other free block links to (0 when none).
export function freeHead(blocks) {
  const pointed = new Set();
  let any = 0;
  for (const b of blocks) if (b.free) { any = any || b.offset; if (b.nextFree) pointed.add(b.nextFree); }
  for (const b of blocks) if (b.free && !pointed.has(b.offset)) return b.offset;
  return any;
}

// Returns the buffers of a snapshot or compare answer that can be transferred.
export function snapshotBuffers(result) {
  const snaps = result && result.heaps ? result.heaps : [result];
  return snaps.filter((s) => s && s.blockTable).map((s) => s.blockTable.data.buffer);
}

// The last blocks decoded for the main heap and for each policy of a compare answer: the next
// decode reuses their unchanged block objects (lab/blocks.js).
const lastBlocks = new Map();

// Returns a snapshot (or compare answer) with `blocks` decoded and `freeHead` set, in place.
export function withBlocks(result) {
  const many = !!(result && result.heaps);
  for (const s of many ? result.heaps : [result]) {
    if (!s || !s.blockTable) continue;
    const key = many ? `compare ${s.policy}` : 'heap';
    s.blocks = decodeBlocks(s.blockTable, lastBlocks.get(key));
    lastBlocks.set(key, s.blocks);
    s.freeHead = freeHead(s.blocks);
    delete s.blockTable;
  }
  return result;
}
