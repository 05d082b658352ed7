// misuse.test.js: every class of bad call through the JS API returns its
// code, logs a `fail` event with that code, counts a failure and leaves the
// heap exactly as it was (check() passes, nothing else moves). Also: double
// free, interior / foreign / odd offsets, realloc of a freed block, arena
// exhaustion, the smallest arena, and bad createHeap/generate arguments.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { heaplab } = require('../helpers.js');

const HeapLab = heaplab();
const { ENOMEM, EINVAL, ETOOBIG, EBADPTR, EDOUBLEFREE } = HeapLab;

// Values that are not a non-negative integer Number, one per class.
const NOT_INTEGERS = [-1, -4096, -0.5, 1.5, 8.000001, NaN, Infinity, -Infinity, '8', '', null, undefined, {}, [], [8], true, 8n, Symbol('x'), () => 8];
// Integers too large for any arena.
const HUGE = [2 ** 32, 2 ** 32 + 8, 2 ** 40, 2 ** 53, 2 ** 53 + 2, 2 ** 64, 1e300, Number.MAX_VALUE];

// Returns a comparable snapshot of everything a bad call must not change.
function state(heap) {
  const s = heap.stats();
  return { blocks: heap.blocks(), live: s.livePayload, heap: s.heapSize, free: s.freeBytes, requests: s.requests, failures: s.failures };
}

// Asserts `call` returns `code`, logs one failing op with a fail event carrying it, and changes nothing else.
function refused(heap, what, call, code) {
  const before = state(heap);
  const nOps = heap.events().length;
  const got = call();
  assert.equal(got, code, `${what} returned ${got}, want ${code}`);
  assert.equal(heap.check().code, 0, `${what}: check() after the bad call`);
  const after = state(heap);
  assert.equal(after.failures, before.failures + 1, `${what}: failure not counted`);
  // ENOMEM comes after a search, which counts as a request (scanned blocks); other codes before it.
  const searched = code === ENOMEM ? 1 : 0;
  assert.equal(after.requests, before.requests + searched, `${what}: requests`);
  assert.deepEqual({ ...after, failures: 0, requests: 0 }, { ...before, failures: 0, requests: 0 }, `${what}: heap changed`);
  const ops = heap.events(nOps);
  assert.equal(ops.length, 1, `${what}: one op record`);
  assert.equal(ops[0].result, code);
  const fails = ops[0].events.filter((e) => e.kind === 'fail');
  assert.equal(fails.length, 1, `${what}: one fail event`);
  assert.equal(fails[0].a, code, `${what}: fail event code`);
}

test('bad sizes and offsets of every class are refused with a code and logged', async () => {
  const lab = await HeapLab.load();
  const heap = lab.createHeap({ arenaBytes: 1 << 20 });
  const live = heap.malloc(100);
  const other = heap.malloc(40);
  assert.ok(live > 0 && other > 0);
  for (const v of NOT_INTEGERS) {
    const d = typeof v === 'symbol' ? 'symbol' : typeof v === 'function' ? 'function' : typeof v === 'bigint' ? `${v}n` : JSON.stringify(v) ?? String(v);
    refused(heap, `malloc(${d})`, () => heap.malloc(v), EINVAL);
    refused(heap, `calloc(${d}, 8)`, () => heap.calloc(v, 8), EINVAL);
    refused(heap, `calloc(8, ${d})`, () => heap.calloc(8, v), EINVAL);
    refused(heap, `realloc(live, ${d})`, () => heap.realloc(live, v), EINVAL);
    refused(heap, `free(${d})`, () => heap.free(v), EBADPTR);
    refused(heap, `realloc(${d}, 8)`, () => heap.realloc(v, 8), EBADPTR);
  }
  for (const v of HUGE) {
    refused(heap, `malloc(${v})`, () => heap.malloc(v), ETOOBIG);
    refused(heap, `calloc(${v}, 1)`, () => heap.calloc(v, 1), ETOOBIG);
    refused(heap, `realloc(live, ${v})`, () => heap.realloc(live, v), ETOOBIG);
    refused(heap, `free(${v})`, () => heap.free(v), EBADPTR);
  }
  refused(heap, 'malloc(0)', () => heap.malloc(0), EINVAL);
  refused(heap, 'calloc(0, 8)', () => heap.calloc(0, 8), EINVAL);
  refused(heap, 'realloc(live, 0)', () => heap.realloc(live, 0), EINVAL);
  refused(heap, 'calloc overflow', () => heap.calloc(2 ** 32, 2 ** 32), ETOOBIG);
  refused(heap, 'malloc(arena)', () => heap.malloc(1 << 20), ETOOBIG);
  refused(heap, 'no arguments', () => heap.malloc(), EINVAL);
  assert.equal(heap.payload(live).length, 100, 'the live block survived');
  heap.destroy();
});

test('bad offsets: double free, interior, odd, beyond the break, foreign, realloc of a freed block', async () => {
  const lab = await HeapLab.load();
  const heap = lab.createHeap({ policy: 'best', order: 'addr' });
  const a = heap.malloc(64);
  const b = heap.malloc(64);
  const c = heap.malloc(64);
  assert.equal(heap.free(b), 0);
  refused(heap, 'double free', () => heap.free(b), EDOUBLEFREE);
  refused(heap, 'realloc of a freed block', () => heap.realloc(b, 16), EDOUBLEFREE);
  refused(heap, 'interior offset', () => heap.free(a + 8), EBADPTR);
  refused(heap, 'header offset', () => heap.free(a - 4), EBADPTR);
  for (let k = 1; k < 8; k++) refused(heap, `odd offset a+${k}`, () => heap.free(a + k), EBADPTR);
  refused(heap, 'inside the free block', () => heap.free(b + 16), EBADPTR);
  const brk = heap.stats().heapSize;
  refused(heap, 'at the break', () => heap.free(brk), EBADPTR);
  refused(heap, 'beyond the break', () => heap.free(brk + 64), EBADPTR);
  refused(heap, 'padding', () => heap.free(4), EBADPTR);
  // A payload offset of another heap that is not a payload here.
  const other = lab.createHeap();
  other.malloc(24);
  const foreign = other.malloc(200);
  assert.ok(foreign > 0 && heap.blocks().every((x) => x.payloadOffset !== foreign || x.free));
  refused(heap, 'foreign offset', () => heap.free(foreign), EBADPTR);
  refused(heap, 'interior realloc', () => heap.realloc(c + 8, 8), EBADPTR);
  assert.equal(heap.free(0), 0, 'free(0) is a no-op');
  const d = heap.realloc(0, 10);
  assert.ok(d > 0, 'realloc(0, n) acts as malloc');
  assert.equal(heap.check().code, 0);
  other.destroy();
  heap.destroy();
  assert.equal(heap.malloc(8), EINVAL, 'calls on a destroyed heap return EINVAL');
  assert.equal(heap.free(a), EINVAL);
  assert.throws(() => heap.blocks(), /destroy/);
});

test('arena exhaustion gives ENOMEM, and the heap recovers', async () => {
  const lab = await HeapLab.load();
  const heap = lab.createHeap({ arenaBytes: 4096 });
  const offs = [];
  for (;;) {
    const p = heap.malloc(100);
    if (p < 0) {
      assert.equal(p, ENOMEM);
      break;
    }
    offs.push(p);
    assert.ok(offs.length < 100);
  }
  assert.equal(offs.length, Math.floor((4096 - 8) / 104));
  refused(heap, 'ENOMEM', () => heap.malloc(100), ENOMEM);
  refused(heap, 'ETOOBIG', () => heap.malloc(4096), ETOOBIG);
  refused(heap, 'realloc that cannot move', () => heap.realloc(offs[0], 3000), ENOMEM);
  assert.equal(heap.free(offs[3]), 0);
  assert.equal(heap.malloc(100), offs[3], 'the freed block is reused');
  assert.equal(heap.stats().failures, 4);
  heap.destroy();
});

test('the smallest arena: below 64 bytes is refused, 64 bytes works', async () => {
  const lab = await HeapLab.load();
  for (const bytes of [0, 1, 63, -1, 1.5, 2 ** 32, '64']) {
    assert.throws(() => lab.createHeap({ arenaBytes: bytes }), RangeError, `arenaBytes ${bytes}`);
  }
  const heap = lab.createHeap({ arenaBytes: 64 });
  const p = heap.malloc(1);
  assert.equal(p, 8);
  assert.equal(heap.blocks()[0].size, 16);
  const q = heap.malloc(30);
  assert.ok(q > 0);
  refused(heap, 'full', () => heap.malloc(16), ENOMEM);
  refused(heap, 'bigger than the arena', () => heap.malloc(64), ETOOBIG);
  assert.equal(heap.free(p), 0);
  assert.equal(heap.check().code, 0);
  heap.destroy();
});

test('createHeap and generate refuse bad arguments by throwing', async () => {
  const lab = await HeapLab.load();
  const bad = [{ policy: 'firstest' }, { order: 'stack' }, { coalesce: 1 }, { align: 4 }, { align: 32 },
    { growBytes: -1 }, { growBytes: 1 << 30, arenaBytes: 1 << 20 }, { polcy: 'first' }, { log: 'yes' }];
  for (const o of bad) assert.throws(() => lab.createHeap(o), /HeapLab: /, JSON.stringify(o));
  assert.throws(() => lab.createHeap(null), TypeError);
  assert.throws(() => lab.generate('nope', 1, 10), RangeError);
  assert.throws(() => lab.generate('random', -1, 10), RangeError);
  assert.throws(() => lab.generate('random', 1.5, 10), RangeError);
  assert.throws(() => lab.generate('random', 1, -10), RangeError);
  assert.throws(() => lab.generate('random', 1, 10, 'seed'), RangeError);
  assert.throws(() => lab.createHeap().exportLog('csv'), RangeError);
  assert.equal(lab.generate('random', 2n ** 64n - 1n, 10).split('\n')[0], 'op,id,size');
  assert.throws(() => lab.generate('random', 2n ** 64n, 10), RangeError);
});

test('a bad trace is reported as name:line and applies nothing', async () => {
  const lab = await HeapLab.load();
  const heap = lab.createHeap();
  const p = heap.malloc(50);
  const before = state(heap);
  const nOps = heap.events().length;
  const cases = [
    ['op,id,size\nalloc,0,16\nfree,1,0\n', 3],
    ['op,id,size\nalloc,0,16\nalloc,1,-5\n', 3],
    ['op,id,size\nalloc,0,16\nfrob,0,0\n', 3],
    ['ALLOC,16\nALLOC,x\n', 2],
    ['100\n2\n2\n1\na 0 16\nf 1\n', 6],
  ];
  for (const [text, line] of cases) {
    const r = heap.replay(text, { name: 'bad.csv' });
    assert.equal(typeof r.error, 'string');
    assert.equal(r.line, line, r.error);
    assert.ok(r.error.startsWith(`bad.csv:${line}: `), r.error);
  }
  assert.deepEqual(heap.replay(42), { error: 'trace:0: trace text must be a string', line: 0 });
  const long = heap.replay('op,id,size\nfree,1,0\n', { name: `${'d/'.repeat(150)}x.csv` });
  assert.equal(long.line, 2, long.error);
  assert.deepEqual(state(heap), before);
  assert.equal(heap.events().length, nOps);
  assert.equal(heap.payload(p).length, 50);
  heap.destroy();
});
