// l08-fast.js: lesson 8, segregated fits: `fast` keeps one free list per
// size class and carves small blocks from the high end of a free block
// when enough of it stays free (heap.c place), large ones from the low end;
// and it takes the top block (the free block at the break) last
// (freelist.h fast_search), so the block below it can grow in place.
// The map draws whatever it draws for `fast` (its size classes, where the
// heap view shows them); the lesson needs nothing more from it.
import { reallocAsk } from './answers.js';

const alloc = (size) => ({ op: 'alloc', size });
const free = (id) => ({ op: 'free', id });
const realloc = (id, size) => ({ op: 'realloc', id, size });

export default {
  title: 'Segregated fits and size classes',
  teaches: 'fast keeps one free list per size class and a bitmap of the non-empty ones, so it finds a good block without walking one long list.',
  settings: { policy: 'fast', order: 'addr', coalesce: true, align: 8, arena: 1024 },
  ops: [alloc(40), alloc(8), alloc(16), alloc(8), free(0), free(2), alloc(16), alloc(200), alloc(8), free(5), alloc(24), alloc(8), alloc(100),
        alloc(100), alloc(92), free(9), free(11), alloc(40), realloc(10, 180)],
  steps: [
    {
      at: 6,
      text: 'The policy is now fast. Instead of one free list it keeps 116: one per size class (a class for every 8 bytes below 128, then four per power of two), and a bitmap saying which classes are non-empty. Two blocks are free: 48 bytes at 4 (class 48) and 24 bytes at 68 (class 24). malloc(16) needs a 24-byte block.',
      ask: { kind: 'place', prompt: 'Where will malloc(16) land under fast?' },
      expect: 68,
      reveal: 'In {answer}: fast looked in the request\'s own class first, found a block there, and took it: an exact fit, found by looking at {scanned} block.',
    },
    {
      at: 6,
      settings: { policy: 'first' },
      text: 'The same heap under first fit, with one list in address order.',
      ask: { kind: 'place', prompt: 'Where will malloc(16) land under first fit?' },
      expect: 4,
      reveal: 'In {answer}: the first block that fits, split in two. fast found the exact fit at the cost of one look; best fit finds it too, but by walking the list, and when nothing fits exactly it walks all of it.',
    },
    {
      at: 8,
      settings: { policy: 'fast' },
      text: 'Back to fast. malloc(200) grew the heap. Now malloc(8) needs 16 bytes, and the only free block is the 48-byte one at 4. fast carves small blocks (72 bytes or less) from the high end of a free block, but only when at least 128 bytes stay free; otherwise it splits at the low end, as first fit does.',
      ask: { kind: 'end', prompt: 'Which end of the 48-byte block will malloc(8) take?', choices: [{ value: 'low', label: 'the low end (at 4)' }, { value: 'high', label: 'the high end' }, { value: 'whole', label: 'the whole block' }] },
      expect: 'low',
      reveal: 'The low end, at {payload}: only 32 bytes would stay free, fewer than 128, so there is no large free space to keep together. {words}',
    },
    {
      at: 11,
      text: 'The 208-byte block was freed, and malloc(24) took the 32-byte rest of the block at 4: an exact fit in its own class. Now malloc(8) needs 16 bytes again, and the only free block is the 208-byte one.',
      ask: { kind: 'end', prompt: 'Which end of the 208-byte block will malloc(8) take?', choices: [{ value: 'low', label: 'the low end' }, { value: 'high', label: 'the high end' }, { value: 'whole', label: 'the whole block' }] },
      expect: 'high',
      reveal: 'The high end, at {payload}: 192 bytes stay free, so the small block goes to the top and the large free space stays in one piece at the bottom. {words}',
    },
    {
      at: 12,
      text: 'Now malloc(100), a large request, needs 104 bytes; the 192-byte free rest is the only candidate.',
      ask: { kind: 'end', prompt: 'Which end of the 192-byte block will malloc(100) take?', choices: [{ value: 'low', label: 'the low end' }, { value: 'high', label: 'the high end' }, { value: 'whole', label: 'the whole block' }] },
      expect: 'low',
      reveal: 'The low end, at {payload}: large blocks come from the bottom, small ones from the top, so when the large block is freed it can merge with the free space around it. On the 11 Malloc Lab traces this policy reaches a mean utilization of 0.961, against 0.893 for best fit.',
    },
    {
      at: 17,
      text: 'Four more operations: malloc(100) and malloc(92) grew the heap, then the 104-byte block at 108 and the 96-byte block at 420 were freed. The first merged with the free block after it: 192 bytes, class 18. The second is the top block: the free block that ends where the heap ends, at the break (96 bytes, class 12). Now malloc(40) needs 48 bytes. Its own class is empty, and the first non-empty larger class holds only the top block.',
      ask: { kind: 'place', prompt: 'Where will malloc(40) land under fast?' },
      expect: 108,
      reveal: 'In {answer}: fast passed over the top block and took the head of the next non-empty class. It takes the top block last, only when no other block of a larger class is free (dlmalloc keeps its "top chunk" the same way). The top block is the one free block that can grow, by moving the break, and the one the block below it can grow into. {words}',
    },
    {
      at: 18,
      text: 'Block 10 (104 bytes at 316) sits just below the top block. realloc(block 10, 180) asks it to grow: it needs 184 bytes.',
      ask: reallocAsk('What will realloc(block 10, 180) do?'),
      expect: 'grow-next',
      reveal: 'It will {choice}: the top block was kept free, so block 10 grows into it and stays where it is. Had malloc(40) taken the top block, block 10 would have had to move: a new block found, 100 bytes copied, the old one freed. In a long-running program a growing buffer below the top block is common; on Malloc Lab\'s realloc-bal trace replayed twice on the same heap, keeping the top block for last makes the second pass need half the memory and run three times faster.',
    },
  ],
};
