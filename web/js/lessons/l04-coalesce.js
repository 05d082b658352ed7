// l04-coalesce.js: lesson 4, freeing and the four coalescing cases of
// CS:APP, then the same operations with coalescing switched off.
export default {
  title: 'Freeing and coalescing',
  teaches: 'A freed block merges with free neighbours (the four cases); without coalescing, free space stays in small pieces that large requests cannot use.',
  settings: { policy: 'first', order: 'addr', coalesce: true, align: 8, arena: 1024 },
  ops: [
    { op: 'alloc', size: 24 }, { op: 'alloc', size: 24 }, { op: 'alloc', size: 24 }, { op: 'alloc', size: 24 }, { op: 'alloc', size: 24 }, { op: 'alloc', size: 24 },
    { op: 'free', id: 1 }, { op: 'free', id: 0 }, { op: 'free', id: 3 }, { op: 'free', id: 4 }, { op: 'free', id: 2 },
    { op: 'alloc', size: 100 },
  ],
  steps: [
    {
      at: 6,
      text: 'Six 32-byte blocks. When a block is freed, the allocator looks at its two neighbours. Each free block ends with a footer (a copy of its header), so the block after it can find where it starts. There are four cases: 1, both neighbours in use; 2, the next one free; 3, the previous one free; 4, both free. Now: free block 1.',
      ask: { kind: 'coalesce', prompt: 'Which case is free(block 1)?', choices: [1, 2, 3, 4].map((c) => ({ value: c, label: `case ${c}` })) },
      expect: 1,
      reveal: '{answer}: blocks 0 and 2 are both in use, so block 1 just becomes a free block of its own. {words}',
    },
    {
      at: 7,
      text: 'Now free block 0, the first block of the heap.',
      ask: { kind: 'coalesce', prompt: 'Which case is free(block 0)?', choices: [1, 2, 3, 4].map((c) => ({ value: c, label: `case ${c}` })) },
      expect: 2,
      reveal: '{answer}: the next block (the old block 1) is free, so the two merge into one 64-byte free block. {words}',
    },
    {
      at: 9,
      text: 'Block 3 was freed: its neighbours 2 and 4 are in use, so that was case 1 again. Now free block 4.',
      ask: { kind: 'coalesce', prompt: 'Which case is free(block 4)?', choices: [1, 2, 3, 4].map((c) => ({ value: c, label: `case ${c}` })) },
      expect: 3,
      reveal: '{answer}: the previous block (3) is free, found through its footer, and block 4 merges into it. {words}',
    },
    {
      at: 10,
      text: 'Last, free block 2, between two free blocks.',
      ask: { kind: 'coalesce', prompt: 'Which case is free(block 2)?', choices: [1, 2, 3, 4].map((c) => ({ value: c, label: `case ${c}` })) },
      expect: 4,
      reveal: '{answer}: both neighbours are free, and all three become one free block of {largest} bytes. {words}',
    },
    {
      at: 11,
      text: 'Five blocks are free, side by side. The program asks for malloc(100): a 104-byte block.',
      ask: { kind: 'place', prompt: 'Where will malloc(100) land?' },
      expect: 4,
      reveal: 'In {answer}: coalescing made one big block out of five small ones, so the request fits without growing the heap. {words}',
    },
    {
      at: 11,
      settings: { coalesce: false },
      text: 'The same operations, replayed with coalescing switched off. Every freed block stayed a separate 32-byte free block: the map shows five of them in a row, {free} bytes free in all.',
      ask: { kind: 'place', prompt: 'Where will malloc(100) land now?' },
      expect: 'break',
      reveal: 'The heap grows: {free} bytes are free, but no single free block holds 104, so the break moves to {heapSize}. Free space in pieces too small to use is external fragmentation; coalescing is what prevents it.',
    },
  ],
};
