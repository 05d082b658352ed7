// l05-fits.js: lesson 5, first vs next vs best vs worst fit: the same
// request on the same heap lands in four different blocks.
const alloc = (size) => ({ op: 'alloc', size });
const free = (id) => ({ op: 'free', id });
const where = { kind: 'place', prompt: 'Where will malloc(16) land? Click a block on the map or pick one below.' };

export default {
  title: 'First, next, best and worst fit',
  teaches: 'Four placement policies answer the same request differently: the first block that fits, the next one after the last search, the tightest, the largest.',
  settings: { policy: 'first', order: 'addr', coalesce: true, align: 8, arena: 1024 },
  ops: [
    alloc(40), alloc(8), alloc(16), alloc(8), alloc(64), alloc(8), alloc(24), alloc(8), alloc(48), alloc(8),
    free(0), free(2), free(4), free(6), free(8),
    alloc(60), alloc(16), alloc(40), alloc(24), alloc(44), alloc(16),
  ],
  steps: [
    {
      at: 15,
      text: 'Five free blocks, in address order: 48, 24, 72, 32 and 56 bytes, kept apart by small blocks in use. First, malloc(60) needs 64 bytes: only the 72-byte block is big enough, so every policy takes it (the 8 bytes left over are too few to split off).',
      ask: { kind: 'place', prompt: 'Where will malloc(60) land?' },
      expect: 108,
      reveal: 'In {answer}, whatever the policy. {words}',
    },
    {
      at: 16,
      text: 'Now malloc(16), a 24-byte block. Four blocks fit it: 48, 24, 32 and 56 bytes. First fit takes the first one that fits, walking from the head of the list.',
      ask: where,
      expect: 4,
      reveal: 'First fit: {answer}, the first on the list. {words}',
    },
    {
      at: 16,
      settings: { policy: 'next' },
      text: 'The same operations under next fit. Next fit starts each search where the last one stopped (a rover), not at the head. The last search ended at the 72-byte block.',
      ask: where,
      expect: 196,
      reveal: 'Next fit: {answer}, the first fit after the rover. Next fit spreads allocations around the heap instead of piling small blocks at its start.',
    },
    {
      at: 16,
      settings: { policy: 'best' },
      text: 'Best fit looks at every free block (unless one fits exactly) and takes the smallest that fits.',
      ask: where,
      expect: 68,
      reveal: 'Best fit: {answer}, an exact fit, so it stopped looking. {words}',
    },
    {
      at: 16,
      settings: { policy: 'worst' },
      text: 'Worst fit takes the largest free block, so that what is left after the split is still big enough to be useful.',
      ask: where,
      expect: 244,
      reveal: 'Worst fit: {answer}, the largest, leaving a 32-byte rest. {words}',
    },
    {
      at: 20,
      settings: { policy: 'first' },
      show: 'compare',
      text: 'Four more requests follow: malloc(40), malloc(24), malloc(44) and malloc(16). Each policy leaves different holes for them. The Compare panel below plays the same operations under every policy.',
      ask: { kind: 'smallestHeap', prompt: 'After all of them, which policy has the smallest heap?', choices: ['first', 'next', 'best', 'worst'].map((p) => ({ value: p, label: `${p} fit` })) },
      expect: 'best',
      reveal: 'The answer: {answer}. First fit ends at {heap_first} bytes, next fit at {heap_next}, best fit at {heap_best}, worst fit at {heap_worst}. Best fit kept the 48- and 56-byte blocks whole for the larger requests that came later. On another workload another policy wins: none is best everywhere.',
    },
  ],
};
