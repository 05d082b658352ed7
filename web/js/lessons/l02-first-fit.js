// l02-first-fit.js: lesson 2, the free list and first fit: freed blocks
// are linked into a list, and first fit takes the first one that fits.
export default {
  title: 'The free list and first fit',
  teaches: 'Freed blocks are linked into a free list; first fit walks it from the head and takes the first block big enough.',
  settings: { policy: 'first', order: 'addr', coalesce: true, align: 8, arena: 1024 },
  ops: [
    { op: 'alloc', size: 8 }, { op: 'alloc', size: 8 }, { op: 'alloc', size: 40 }, { op: 'alloc', size: 8 }, { op: 'alloc', size: 24 }, { op: 'alloc', size: 8 },
    { op: 'free', id: 0 }, { op: 'free', id: 2 }, { op: 'free', id: 4 },
    { op: 'alloc', size: 20 }, { op: 'alloc', size: 12 },
  ],
  steps: [
    {
      at: 6,
      text: 'Six blocks, one after another. Blocks 0, 2 and 4 are about to be freed. A freed block stays where it is; the allocator links it into the free list, stored inside the free blocks themselves.',
    },
    {
      at: 9,
      text: 'Three free blocks (yellow) of 16, 48 and 32 bytes. The green arcs are the free list, in address order here, starting at its head. Now: malloc(20), which needs a 24-byte block (4 + 20). First fit walks the list from the head and takes the first block that is big enough.',
      ask: { kind: 'place', prompt: 'Where will malloc(20) land? Click a block on the map or pick one below.' },
      expect: 36,
      reveal: 'It lands in {answer}: the 16-byte block at the head is too small, the 48-byte one is the first that fits. The log says it in words: {words}',
    },
    {
      at: 9,
      text: 'How long was the walk? A policy\'s cost is how many free blocks it looks at before it decides.',
      ask: { kind: 'scanned', prompt: 'How many free blocks did first fit examine for malloc(20)?', choices: [{ value: 1, label: '1' }, { value: 2, label: '2' }, { value: 3, label: '3' }] },
      expect: 2,
      reveal: 'It examined {answer}: the head (too small) and the one it took. It never looked at the third. On a long list, first fit is fast when a fitting block sits near the head.',
    },
    {
      at: 10,
      text: 'Next, malloc(12): a 16-byte block.',
      ask: { kind: 'place', prompt: 'Where will malloc(12) land?' },
      expect: 4,
      reveal: 'In {answer}: the head of the list is exactly 16 bytes, so first fit stops at once. {words}',
    },
  ],
};
