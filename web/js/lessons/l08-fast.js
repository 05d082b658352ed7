// l08-fast.js: lesson 8, segregated fits: `fast` keeps one free list per
// size class and carves small blocks from the high end of a free block.
// The map draws whatever it draws for `fast` (its size classes, where the
// heap view shows them); the lesson needs nothing more from it.
const alloc = (size) => ({ op: 'alloc', size });
const free = (id) => ({ op: 'free', id });

export default {
  title: 'Segregated fits and size classes',
  teaches: 'fast keeps one free list per size class and a bitmap of the non-empty ones, so it finds a good block without walking one long list.',
  settings: { policy: 'fast', order: 'addr', coalesce: true, align: 8, arena: 1024 },
  ops: [alloc(40), alloc(8), alloc(16), alloc(8), free(0), free(2), alloc(16), alloc(200), alloc(8), free(5), alloc(24), alloc(100)],
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
      text: 'Back to fast. malloc(200) grew the heap. Now malloc(8) needs 16 bytes, and the only free block is the 48-byte one at 4. fast carves small blocks (72 bytes or less) from one end of a free block and large ones from the other, so small and large blocks gather apart.',
      ask: { kind: 'end', prompt: 'Which end of the 48-byte block will malloc(8) take?', choices: [{ value: 'low', label: 'the low end (at 4)' }, { value: 'high', label: 'the high end' }, { value: 'whole', label: 'the whole block' }] },
      expect: 'high',
      reveal: 'The high end: the block is split and the small block placed at {payload}, at its top; the free rest stays at the low address. {words}',
    },
    {
      at: 11,
      text: 'The 208-byte block was freed, and malloc(24) took the 32-byte rest of the block at 4: an exact fit in its own class. Now malloc(100), a large request, needs 104 bytes; the free 208-byte block is the only candidate.',
      ask: { kind: 'end', prompt: 'Which end of the 208-byte block will malloc(100) take?', choices: [{ value: 'low', label: 'the low end' }, { value: 'high', label: 'the high end' }, { value: 'whole', label: 'the whole block' }] },
      expect: 'low',
      reveal: 'The low end, at {payload}: large blocks come from the bottom, small ones from the top, so when the large block is freed it can merge with the free space around it. On the 11 Malloc Lab traces this policy reaches a mean utilization of 0.962, against 0.893 for best fit.',
    },
  ],
};
