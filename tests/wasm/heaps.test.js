// heaps.test.js: several heaps in one module do not disturb each other, and
// a 1 GiB arena grows wasm memory while every view (payloads, blocks, log,
// stats) stays right: the API re-reads HEAP* after each call that may grow.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { heaplab, rng, randInt } = require('./helpers.js');

const HeapLab = heaplab();

// Returns everything observable about a heap, for comparing two heaps.
function observe(heap) {
  return { blocks: heap.blocks(), stats: heap.stats(), log: heap.exportLog('rich'), check: heap.check() };
}

test('several heaps at once, interleaved, match the same ops run alone', async () => {
  const lab = await HeapLab.load();
  const configs = [
    { policy: 'first', order: 'lifo' }, { policy: 'next', order: 'fifo', coalesce: false },
    { policy: 'best', order: 'addr', align: 16 }, { policy: 'worst', order: 'lifo', arenaBytes: 1 << 16 },
    { policy: 'fast', order: 'fifo', growBytes: 4096 },
  ].filter((c) => lab.policies.includes(c.policy));
  // Each heap gets its own op stream; all streams advance round-robin.
  const streams = configs.map((c, i) => ({ heap: lab.createHeap(c), r: rng(77 + i), live: [], ops: [] }));
  for (let step = 0; step < 20000; step++) {
    for (const s of streams) {
      let res;
      if (s.live.length && s.r() < 0.45) {
        const k = randInt(s.r, 0, s.live.length - 1);
        const off = s.live.splice(k, 1)[0];
        s.ops.push(['free', k]);
        res = s.heap.free(off);
        assert.equal(res, 0);
      } else {
        const size = randInt(s.r, 1, 700);
        s.ops.push(['malloc', size]);
        res = s.heap.malloc(size);
        if (res > 0) {
          s.live.push(res);
          s.heap.payload(res).fill(s.live.length & 255);
        }
      }
    }
  }
  for (const s of streams) assert.equal(s.heap.check().code, 0);
  // Replaying each stream alone on a fresh heap in a fresh module gives the same heap.
  const alone = await HeapLab.load();
  for (const [i, s] of streams.entries()) {
    const h = alone.createHeap(configs[i]);
    const live = [];
    for (const [op, v] of s.ops) {
      if (op === 'free') h.free(live.splice(v, 1)[0]);
      else {
        const p = h.malloc(v);
        if (p > 0) live.push(p);
      }
    }
    assert.deepEqual(observe(h), observe(s.heap), `heap ${i} (${JSON.stringify(configs[i])})`);
    h.destroy();
  }
  // Destroying one heap leaves the others working.
  const log1 = streams[1].heap.exportLog('rich');
  streams[0].heap.destroy();
  assert.equal(streams[1].heap.exportLog('rich'), log1);
  assert.ok(streams[1].heap.malloc(10) > 0);
  for (const s of streams.slice(1)) s.heap.destroy();
});

test('a 1 GiB arena grows wasm memory and every view follows', async () => {
  const lab = await HeapLab.load();
  const small = lab.createHeap();
  const s = small.malloc(48);
  small.payload(s).fill(0x5a);
  const heap = lab.createHeap({ arenaBytes: 2 ** 30, policy: 'best' });
  const first = heap.malloc(1000);
  heap.payload(first).fill(7);
  const view = heap.payload(first);
  const bufferBefore = view.buffer;
  const sizes = [64 << 20, 256 << 20, 512 << 20];
  const offs = sizes.map((n) => heap.malloc(n));
  for (const [i, p] of offs.entries()) assert.ok(p > 0, `malloc(${sizes[i]}) = ${p}`);
  // Memory grew: the old view is detached; fresh ones see the data.
  assert.notEqual(heap.payload(first).buffer, bufferBefore, 'wasm memory did not grow');
  assert.equal(view.length, 0, 'a view taken before growth is detached');
  assert.ok(heap.payload(first).every((b) => b === 7));
  assert.ok(small.payload(s).every((b) => b === 0x5a), 'another heap kept its bytes across growth');
  const big = heap.payload(offs[2]);
  assert.equal(big.length, 512 << 20);
  big[0] = 1;
  big[big.length - 1] = 2;
  const stats = heap.stats();
  assert.ok(stats.heapSize > (832 << 20) && stats.heapSize <= 2 ** 30, `break ${stats.heapSize}`);
  assert.equal(stats.livePayload, 1000 + (832 << 20));
  const blocks = heap.blocks();
  assert.deepEqual(blocks.map((b) => b.payloadSize), [1000, ...sizes]);
  assert.equal(heap.check().code, 0);
  assert.equal(heap.malloc(256 << 20), HeapLab.ENOMEM, 'the arena is full');
  // Growing the 512 MiB block in place at the break keeps its bytes.
  const grown = heap.realloc(offs[2], (512 << 20) + 4096);
  assert.equal(grown, offs[2]);
  const g = heap.payload(grown);
  assert.deepEqual([g[0], g[(512 << 20) - 1]], [1, 2]);
  const ev = heap.events();
  assert.deepEqual(ev.map((e) => e.op), ['alloc', 'alloc', 'alloc', 'alloc', 'alloc', 'realloc']);
  assert.deepEqual(ev[5].events.map((e) => e.kind).includes('realloc'), true);
  for (const p of [first, ...offs.slice(0, 2), grown]) assert.equal(heap.free(p), 0);
  assert.equal(heap.stats().livePayload, 0);
  assert.equal(heap.check().code, 0);
  heap.destroy();
  small.destroy();
});

// heap.c INITIAL_BACKING: in wasm a new arena takes up to 64 MiB of backing
// at once, so growing the break within it copies nothing (the cold benchmark).
test('an arena does not move while its break grows within the first 64 MiB', async () => {
  const lab = await HeapLab.load();
  const heap = lab.createHeap({ policy: 'fast', log: false });
  const other = lab.createHeap({ policy: 'first', arenaBytes: 1 << 20 }); // something allocated after it
  const at = heap.arena().byteOffset;
  const offs = [];
  for (let i = 0; i < 300; i++) offs.push(heap.malloc(100 << 10)); // 30 MB of break
  assert.ok(offs.every((p) => p > 0));
  assert.ok(heap.stats().heapSize > 30e6);
  assert.ok(other.malloc(1000) > 0);
  assert.equal(heap.arena().byteOffset, at, 'the arena was copied as it grew');
  assert.equal(heap.check().code, 0);
  heap.destroy();
  other.destroy();
});
