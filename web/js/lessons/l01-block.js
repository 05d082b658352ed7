// l01-block.js: lesson 1, the heap and a block: header, payload, alignment
// padding, the minimum block, the break. Data only (lesson-model.js).
export default {
  title: 'The heap and a block',
  teaches: 'A block is a header plus the payload you asked for, rounded up to the alignment; the heap grows by moving the break.',
  settings: { policy: 'first', order: 'addr', coalesce: true, align: 8, arena: 1024 },
  ops: [{ op: 'alloc', size: 24 }, { op: 'alloc', size: 5 }, { op: 'alloc', size: 40 }, { op: 'alloc', size: 13 }],
  steps: [
    {
      at: 0,
      text: 'This is a heap of 1 KiB, drawn to scale: every byte is a few pixels wide. Nothing is allocated yet. The heap ends at the break; the hatched space beyond it is arena the heap has not grown into. A program now calls malloc(24).',
      ask: { kind: 'blockSize', prompt: 'malloc(24) asks for 24 bytes. How big is the block the allocator makes for it?', choices: [{ value: 24, label: '24 bytes' }, { value: 28, label: '28 bytes' }, { value: 32, label: '32 bytes' }, { value: 48, label: '48 bytes' }] },
      expect: 32,
      reveal: 'The block is {blockSize} bytes. It starts with a 4-byte header (dark) that records its size and that it is in use; then the 24 bytes of payload (blue) at offset {payload}, the address malloc returns; then 4 bytes of padding (pink), because every block is a multiple of 8 bytes so that the next payload is 8-byte aligned. There was no free block, so the break moved up to {heapSize}.',
    },
    {
      at: 1,
      text: 'Header plus payload, rounded up to 8: that is the rule. Now the program asks for a tiny 5 bytes.',
      ask: { kind: 'blockSize', prompt: 'How big is the block for malloc(5)?', choices: [{ value: 8, label: '8 bytes' }, { value: 9, label: '9 bytes' }, { value: 16, label: '16 bytes' }, { value: 24, label: '24 bytes' }] },
      expect: 16,
      reveal: '{blockSize} bytes: 4 + 5 = 9 rounds up to 16, and 16 is also the smallest block there is, because a block must be able to hold the free list\'s two links and a footer once it is freed. Small requests pay the most for bookkeeping: 11 of these 16 bytes are header and padding.',
    },
    {
      at: 2,
      text: 'The break is at {heap}. Every malloc so far found no free block, so each moved the break up by exactly the size of its block.',
      ask: { kind: 'heapAfter', prompt: 'Where will the break be after malloc(40)?', choices: [{ value: 96, label: '96' }, { value: 104, label: '104' }, { value: 108, label: '108' }, { value: 112, label: '112' }] },
      expect: 104,
      reveal: 'The block is 4 + 40 = 44, rounded up to {blockSize}; the break moves from {heapBefore} to {heapSize}. (The first 4 bytes of the heap are a pad, so that payloads, which come 4 bytes after each header, land on multiples of 8.)',
    },
    {
      at: 4,
      text: 'malloc(13) made a 24-byte block (4 + 13 = 17, rounded up). The heap now holds {heap} bytes for {live} bytes of payload: the rest is headers and padding, the internal fragmentation, {intfrag} bytes. Hover over or Tab to the map and use the arrow keys to read any block.',
    },
  ],
};
