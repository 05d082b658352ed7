// shadow.js: a seeded random op stream run against a heap and, in parallel,
// against a shadow model that owns nothing but facts JS can check on its own:
//   - which arena bytes belong to a live block (a byte-ownership map, so any
//     overlap or stray block shows up), read from the block header in raw memory;
//   - each payload's contents (a per-block byte pattern written through
//     heap.payload(); realloc must keep min(old, new) bytes, calloc gives zeros);
//   - the expected totals: live payload bytes, live block count, and the free
//     bytes, which must equal break - align - (bytes of live blocks).
// heap.check() runs after every op; bad calls (5% of ops) must return their
// code and change nothing but the failure counter.
'use strict';
const assert = require('node:assert/strict');
const { rng, randInt } = require('../helpers.js');

// Returns a Buffer of `len` bytes all equal to `b` (cached per byte value).
const patterns = new Map();
function patternOf(b, len) {
  let p = patterns.get(b);
  if (!p || p.length < len) {
    p = Buffer.alloc(Math.max(len, 1 << 16), b);
    patterns.set(b, p);
  }
  return p.subarray(0, len);
}

// Returns a Buffer view over a Uint8Array (no copy).
function buf(u8) {
  return Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
}

class Shadow {
  constructor(heap, HeapLab, options) {
    this.heap = heap;
    this.E = HeapLab;
    this.align = options.align;
    this.coalesce = options.coalesce;
    this.owned = new Uint8Array(options.arenaBytes);
    this.live = [];          // {off, size, bsize, pat}
    this.index = new Map();  // off -> position in live
    this.liveBytes = 0;
    this.blockBytes = 0;
    this.failures = 0;
    this.nextPat = 1;
    this.end = 0;            // highest block end claimed since the last verify()
  }

  // Returns the adjusted block size the engine needs for n requested bytes.
  need(n) {
    return Math.max(16, Math.ceil((n + 4) / this.align) * this.align);
  }

  // Records a newly placed payload: checks header, alignment, bounds and ownership; writes its pattern.
  claim(off, size, keep, oldPat, zero) {
    const h = this.heap;
    assert.ok(off > 0 && off % this.align === 0, `payload ${off} misaligned`);
    const p = h.payload(off);
    assert.ok(p && p.length === size, `payload ${off} not live with ${size} bytes`);
    const hdr = new DataView(p.buffer, p.byteOffset - 4, 4).getUint32(0, true);
    const bsize = hdr & ~7;
    const need = this.need(size);
    assert.equal(hdr & 1, 1, `block at ${off - 4} not marked allocated`);
    assert.ok(bsize >= need && bsize < need + 16 && bsize % this.align === 0, `block size ${bsize} for request ${size}`);
    this.end = Math.max(this.end, off - 4 + bsize);
    const span = this.owned.subarray(off - 4, off - 4 + bsize);
    assert.equal(span.indexOf(1), -1, `block at ${off - 4} overlaps a live block`);
    span.fill(1);
    if (zero) assert.ok(buf(p).equals(Buffer.alloc(size)), 'calloc payload not zeroed');
    if (keep > 0) assert.ok(buf(p.subarray(0, keep)).equals(patternOf(oldPat, keep)), `realloc to ${off} lost contents`);
    const pat = (this.nextPat = (this.nextPat % 255) + 1);
    p.fill(pat);
    this.index.set(off, this.live.length);
    this.live.push({ off, size, bsize, pat });
    this.liveBytes += size;
    this.blockBytes += bsize;
  }

  // Asserts live payload e still holds its pattern.
  intact(e, where) {
    const p = this.heap.payload(e.off);
    assert.ok(p && buf(p).equals(patternOf(e.pat, e.size)), `${where}: payload ${e.off} changed behind the user's back`);
  }

  // Forgets a live payload (after checking its contents survived); returns its record.
  release(e) {
    this.intact(e, 'release');
    return this.forget(e);
  }

  // Drops e from the model (ownership and totals); returns e.
  forget(e) {
    const span = this.owned.subarray(e.off - 4, e.off - 4 + e.bsize);
    assert.equal(span.indexOf(0), -1, `block ${e.off - 4} ownership lost`);
    span.fill(0);
    const i = this.index.get(e.off);
    const last = this.live.pop();
    if (last !== e) {
      this.live[i] = last;
      this.index.set(last.off, i);
    }
    this.index.delete(e.off);
    this.liveBytes -= e.size;
    this.blockBytes -= e.bsize;
    return e;
  }

  // Asserts the engine's totals and checker agree with the model.
  verify(where) {
    const c = this.heap.check();
    assert.equal(c.code, 0, `${where}: check() = ${c.code} at offset ${c.offset}`);
    const s = this.heap.stats();
    assert.equal(s.livePayload, this.liveBytes, `${where}: live payload`);
    assert.equal(s.allocBlocks, this.live.length, `${where}: live blocks`);
    assert.equal(s.freeBytes, s.heapSize - this.align - this.blockBytes, `${where}: free bytes`);
    assert.equal(s.failures, this.failures, `${where}: failure count`);
    assert.ok(this.end <= s.heapSize - 4, `${where}: a block ends at ${this.end}, past the epilogue`);
    this.end = 0;
    return s;
  }

  // Asserts the block snapshot lists exactly the live payloads, and free bytes are unowned.
  verifyBlocks(where) {
    let free = 0;
    let n = 0;
    for (const b of this.heap.blocks()) {
      if (b.free) {
        free += b.size;
        assert.equal(this.owned.subarray(b.offset, b.offset + b.size).indexOf(1), -1, `${where}: free block ${b.offset} owned`);
        continue;
      }
      n++;
      const e = this.live[this.index.get(b.payloadOffset)];
      assert.ok(e, `${where}: unknown allocated block ${b.offset}`);
      assert.equal(b.size, e.bsize);
      assert.equal(b.payloadSize, e.size);
    }
    assert.equal(n, this.live.length);
    assert.equal(free, this.heap.stats().freeBytes);
  }
}

// Returns a request size: mostly small, some medium, a few large (up to `large`).
function pickSize(r, large) {
  const x = r();
  if (x < 0.7) return randInt(r, 1, 64);
  if (x < 0.95) return randInt(r, 65, 1024);
  return randInt(r, 1025, large);
}

// Performs one bad call of a random class; asserts its code and counts the failure.
function badCall(m, r, E) {
  const h = m.heap;
  const e = m.live.length ? m.live[randInt(r, 0, m.live.length - 1)] : null;
  const k = randInt(r, 0, 11);
  let got;
  let want;
  switch (k) {
    case 0: got = h.malloc(0); want = [E.EINVAL]; break;
    case 1: got = h.malloc([-8, 1.5, NaN, '16', undefined, null, Infinity, 10n][randInt(r, 0, 7)]); want = [E.EINVAL]; break;
    case 2: got = h.malloc([2 ** 32, 2 ** 40, 2 ** 53 + 2, 1e300][randInt(r, 0, 3)]); want = [E.ETOOBIG]; break;
    case 3: got = h.calloc(2 ** 20, 2 ** 20); want = [E.ETOOBIG]; break;
    case 4: got = h.free(e ? e.off + 1 : 3); want = [E.EBADPTR]; break;
    case 5: got = h.free(e ? e.off + (e.bsize > m.align ? m.align : 4) : 12); want = [E.EBADPTR]; break;
    case 6: got = h.free(h.stats().heapSize + 64); want = [E.EBADPTR]; break;
    case 7: got = h.free([-8, 8.5, NaN, 'x', {}][randInt(r, 0, 4)]); want = [E.EBADPTR]; break;
    case 8: got = h.realloc(e ? e.off + 2 : 2, 8); want = [E.EBADPTR]; break;
    case 9: got = h.free(2 ** 40); want = [E.EBADPTR]; break;
    case 10: got = e ? h.realloc(e.off, 0) : h.malloc(0); want = [E.EINVAL]; break;
    default: got = e ? h.realloc(e.off, -1) : h.calloc(0, 8); want = [E.EINVAL]; break;
  }
  assert.ok(want.includes(got), `bad call class ${k} returned ${got}, want ${want}`);
  m.failures++;
}

// Runs `nOps` seeded random ops on a fresh heap with `options` (requests up
// to `large` bytes); returns counts. Every `episode` ops the heap is reset
// (and must come back empty): without coalescing a free list only ever
// shatters, and episodes keep check() after every op affordable.
function runStream(lab, HeapLab, options, nOps, seed, { large = 16384, episode = Infinity } = {}) {
  const heap = lab.createHeap(options);
  let m = new Shadow(heap, HeapLab, heap.options);
  const r = rng(seed);
  const counts = { malloc: 0, free: 0, realloc: 0, calloc: 0, bad: 0, enomem: 0, doubleFree: 0, resets: 0 };
  try {
    for (let i = 0; i < nOps; i++) {
      if (i > 0 && i % episode === 0) {
        m.verifyBlocks(`op ${i}`);
        heap.reset();
        counts.resets++;
        m = new Shadow(heap, HeapLab, heap.options);
        const s = m.verify(`reset at op ${i}`);
        assert.deepEqual([s.heapSize, s.freeBlocks, s.peakPayload, s.requests], [options.align, 0, 0, 0]);
        assert.equal(heap.events().length, 0);
      }
      const x = r();
      const full = m.live.length >= 256;
      if (m.live.length === 0 || (x < 0.45 && !full)) {
        const size = pickSize(r, large);
        const off = heap.malloc(size);
        counts.malloc++;
        if (off === HeapLab.ENOMEM) { counts.enomem++; m.failures++; } else m.claim(off, size, 0, 0, false);
      } else if (x < 0.8) {
        const e = m.release(m.live[randInt(r, 0, m.live.length - 1)]);
        assert.equal(heap.free(e.off), 0);
        counts.free++;
        if (r() < 0.02) {
          // Freeing it again: its payload is a free block's (EDOUBLEFREE), or inside a merged one.
          const again = heap.free(e.off);
          const headed = heap.blocks().some((b) => b.free && b.payloadOffset === e.off);
          assert.equal(again, headed ? HeapLab.EDOUBLEFREE : HeapLab.EBADPTR, 'second free');
          if (!m.coalesce) assert.equal(again, HeapLab.EDOUBLEFREE);
          m.failures++;
          counts.doubleFree++;
        }
      } else if (x < 0.9) {
        const e = m.live[randInt(r, 0, m.live.length - 1)];
        const size = pickSize(r, large);
        m.intact(e, 'before realloc');
        const off = heap.realloc(e.off, size);
        counts.realloc++;
        if (off === HeapLab.ENOMEM) {
          counts.enomem++;
          m.failures++;
          m.intact(e, 'failed realloc');
        } else {
          m.forget(e);
          m.claim(off, size, Math.min(e.size, size), e.pat, false);
        }
      } else if (x < 0.95 && !full) {
        const n = randInt(r, 1, 16);
        const size = randInt(r, 1, 64);
        const off = heap.calloc(n, size);
        counts.calloc++;
        if (off === HeapLab.ENOMEM) { counts.enomem++; m.failures++; } else m.claim(off, n * size, 0, 0, true);
      } else {
        badCall(m, r, HeapLab);
        counts.bad++;
      }
      m.verify(`op ${i}`);
      if (i % 5000 === 0) m.verifyBlocks(`op ${i}`);
    }
    m.verifyBlocks('end');
    // Free everything: with coalescing on the heap must collapse to free space only.
    for (const e of m.live.slice()) assert.equal(heap.free(m.release(e).off), 0);
    const s = m.verify('drained');
    assert.equal(s.livePayload, 0);
    if (m.coalesce) assert.ok(s.freeBlocks <= 1, `${s.freeBlocks} free blocks after draining with coalescing`);
  } finally {
    heap.destroy();
  }
  return counts;
}

module.exports = { runStream };
