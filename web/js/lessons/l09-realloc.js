// l09-realloc.js: lesson 9, realloc in place vs move: shrink, stay,
// grow into a free neighbour, grow at the break, or malloc + copy + free.
import { reallocAsk as how } from './answers.js';

const alloc = (size) => ({ op: 'alloc', size });
const realloc = (id, size) => ({ op: 'realloc', id, size });

export default {
  title: 'realloc: in place or move',
  teaches: 'realloc stays in place whenever it can (shrinking, a free neighbour, the end of the heap) and only otherwise moves the data.',
  settings: { policy: 'first', order: 'addr', coalesce: true, align: 8, arena: 1024 },
  ops: [alloc(24), alloc(24), alloc(24), alloc(8), realloc(0, 8), { op: 'free', id: 1 }, realloc(0, 40), realloc(0, 44), realloc(3, 100), realloc(2, 64)],
  steps: [
    {
      at: 4,
      text: 'Four blocks in use: three of 32 bytes and a small one at the end. realloc(block 0, 8) asks for block 0 to hold only 8 bytes.',
      ask: how('What will realloc(block 0, 8) do?'),
      expect: 'shrink',
      reveal: 'It will {choice}: the block needs only 16 bytes, and the 16 bytes left over are enough for a free block, so the tail is split off. The data never moves. {words}',
    },
    {
      at: 6,
      text: 'Block 1 was freed and merged with the tail split off block 0 (case 3). Now block 0 grows to 40 bytes: it needs 48.',
      ask: how('What will realloc(block 0, 40) do?'),
      expect: 'grow-next',
      reveal: 'It will {choice}: its right-hand neighbour is free and large enough, so block 0 absorbs what it needs and stays at the same address. {words}',
    },
    {
      at: 7,
      text: 'Block 0 is now 48 bytes. realloc(block 0, 44): 4 + 44 = 48.',
      ask: how('What will realloc(block 0, 44) do?'),
      expect: 'same',
      reveal: 'It will {choice}: the block already has room. {words}',
    },
    {
      at: 8,
      text: 'Block 3 is the last block of the heap. realloc(block 3, 100) needs 104 bytes.',
      ask: how('What will realloc(block 3, 100) do?'),
      expect: 'grow-break',
      reveal: 'It will {choice}: nothing lies after the last block, so the break moves up and the block grows in place; the data stays put. {words}',
    },
    {
      at: 9,
      text: 'Block 2 sits between block 0 and block 3, both in use. realloc(block 2, 64) needs 72 bytes.',
      ask: how('What will realloc(block 2, 64) do?'),
      expect: 'move',
      reveal: 'It had to {choice}: no room after it, so the allocator finds a new block, copies the 24 bytes and frees the old one, and the caller gets a new address ({payload}). A program that kept the old pointer now points into freed memory. {words}',
    },
  ],
};
