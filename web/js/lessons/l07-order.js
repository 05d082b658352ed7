// l07-order.js: lesson 7, free-list order (LIFO, FIFO, address): with
// the same policy, the order of the list decides which block comes first.
const alloc = (size) => ({ op: 'alloc', size });
const free = (id) => ({ op: 'free', id });
const where = { kind: 'place', prompt: 'Where will malloc(24) land?' };

export default {
  title: 'Free-list order: LIFO, FIFO, address',
  teaches: 'First fit takes the first block in list order, and the list\'s order (newest first, oldest first, or by address) decides which block that is.',
  settings: { policy: 'first', order: 'lifo', coalesce: true, align: 8, arena: 1024 },
  ops: [alloc(24), alloc(8), alloc(24), alloc(8), alloc(24), alloc(8), free(4), free(0), free(2), alloc(24)],
  steps: [
    {
      at: 9,
      text: 'Three equal 32-byte blocks were freed in this order: the last block (at 100), then the first (at 4), then the middle one (at 52). With a LIFO list, a freed block goes to the head: the most recently freed comes first. Follow the arcs from the head.',
      ask: where,
      expect: 52,
      reveal: 'LIFO: {answer}, the block freed last. LIFO is cheap (no search to insert) and reuses memory that is probably still in the cache.',
    },
    {
      at: 9,
      settings: { order: 'fifo' },
      text: 'The same operations with a FIFO list: a freed block goes to the tail, so the block freed first comes first.',
      ask: where,
      expect: 100,
      reveal: 'FIFO: {answer}, the block freed first.',
    },
    {
      at: 9,
      settings: { order: 'addr' },
      text: 'And with the list kept in address order: inserting means finding the block\'s place, but first fit then behaves like a scan of the heap from its start.',
      ask: where,
      expect: 4,
      reveal: 'Address order: {answer}, the lowest address. Address-ordered first fit tends to fragment less than LIFO, because blocks next to each other in memory are also next to each other in the list.',
    },
  ],
};
