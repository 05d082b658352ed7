// l06-fragmentation.js: lesson 6, internal vs external fragmentation and
// utilization, on blocks small enough that every lost byte shows.
const alloc = (size) => ({ op: 'alloc', size });
const free = (id) => ({ op: 'free', id });

export default {
  title: 'Fragmentation and utilization',
  teaches: 'Internal fragmentation is waste inside blocks (headers, padding); external fragmentation is free space in pieces too small to use; utilization is peak payload over heap size.',
  settings: { policy: 'first', order: 'addr', coalesce: true, align: 8, arena: 1024 },
  ops: [alloc(13), alloc(13), alloc(13), alloc(13), alloc(13), alloc(13), free(0), free(2), free(4), alloc(40)],
  steps: [
    {
      at: 5,
      text: 'Five malloc(13) calls so far. Each block is 4 (header) + 13, rounded up to 24: 11 bytes per block that the program never asked for. The sixth malloc(13) comes next.',
      ask: { kind: 'internalFrag', prompt: 'After the sixth malloc(13), how many bytes of the heap are internal fragmentation (headers and padding of blocks in use)?', choices: [24, 42, 66, 78].map((v) => ({ value: v, label: `${v} bytes` })) },
      expect: 66,
      reveal: '{answer}: six blocks, 11 bytes each. The heap is {heap} bytes for {live} bytes of payload, a utilization of {util} (peak payload divided by heap size; the heap also holds a 4-byte pad at the start and a 4-byte end marker).',
    },
    {
      at: 8,
      text: 'Blocks 0 and 2 are freed, and now block 4. None of them has a free neighbour, so nothing merges.',
      ask: { kind: 'extFrag', prompt: 'External fragmentation is 1 − (largest free block ÷ all free bytes). What is it after the third free?', choices: [0, 33, 67, 100].map((v) => ({ value: v, label: `${v}%` })) },
      expect: 67,
      reveal: '{answer}: {free} bytes are free, but the largest piece is {largest} bytes. 0% would mean all the free space is in one block.',
    },
    {
      at: 9,
      text: 'The program asks for malloc(40): a 48-byte block. There are {free} free bytes in the heap.',
      ask: { kind: 'place', prompt: 'Where will malloc(40) land?' },
      expect: 'break',
      reveal: 'The heap grows: the free bytes are enough in total, but no piece is, so the heap grows to {heapSize} bytes and utilization falls to {util}. That is what external fragmentation costs. {words}',
    },
  ],
};
