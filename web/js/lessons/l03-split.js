// l03-split.js: lesson 3, splitting: a free block bigger than the request
// is cut in two, unless the rest would be smaller than the minimum block.
export default {
  title: 'Splitting',
  teaches: 'A free block larger than needed is split: the front is used, the rest stays free, unless the rest would be smaller than the minimum block.',
  settings: { policy: 'first', order: 'addr', coalesce: true, align: 8, arena: 1024 },
  ops: [
    { op: 'alloc', size: 60 }, { op: 'alloc', size: 8 }, { op: 'alloc', size: 24 }, { op: 'alloc', size: 8 },
    { op: 'free', id: 0 }, { op: 'free', id: 2 },
    { op: 'alloc', size: 20 }, { op: 'alloc', size: 20 }, { op: 'alloc', size: 20 },
  ],
  steps: [
    {
      at: 6,
      text: 'Two free blocks: 64 bytes at the front, 32 bytes further on. The program calls malloc(20), which needs a 24-byte block. First fit takes the 64-byte block, which is far too big.',
      ask: { kind: 'split', prompt: 'What happens to the 40 bytes malloc(20) does not need?', choices: [{ value: 0, label: 'nothing: the whole 64 bytes go to malloc(20)' }, { value: 40, label: 'they become a free block of 40 bytes' }, { value: 36, label: 'they become a free block of 36 bytes' }] },
      expect: 40,
      reveal: 'The block is split: 24 bytes for the request, {answer} left as a new free block with its own header and footer, in the same place in the list. {words}',
    },
    {
      at: 7,
      text: 'Another malloc(20): again 24 bytes, from the 40-byte rest.',
      ask: { kind: 'split', prompt: 'After this one, how big is the free rest?', choices: [{ value: 0, label: 'no rest: it takes the whole block' }, { value: 16, label: '16 bytes' }, { value: 24, label: '24 bytes' }] },
      expect: 16,
      reveal: 'The rest is {answer}: exactly the minimum block, so it can still be split off. {words}',
    },
    {
      at: 8,
      text: 'A third malloc(20). The 16-byte rest is too small, so first fit goes on to the 32-byte block. 32 - 24 leaves 8 bytes: too small to be a block (a free block needs a header, two links and a footer: 16 bytes).',
      ask: { kind: 'split', prompt: 'Will the 32-byte block be split?', choices: [{ value: 0, label: 'no: it takes the whole 32 bytes' }, { value: 8, label: 'yes: an 8-byte free block is left' }] },
      expect: 0,
      reveal: 'It is not split: the whole 32 bytes go to malloc(20), and the 8 spare bytes stay inside the allocated block as padding (pink): internal fragmentation, the price of a minimum block size. {words}',
    },
  ],
};
