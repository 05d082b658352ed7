// helpers.js: shared by the tests/wasm suites: loading the built module,
// paths, a seeded RNG, and running the native tool for cross-checks.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist', 'heaplab.js');
const NATIVE = path.join(ROOT, 'build', 'heaplab');
const SHARED = path.resolve(ROOT, '..', 'shared');

// Returns the HeapLab module object from dist/heaplab.js (CommonJS).
function heaplab() {
  return require(DIST);
}

// Returns a seeded PRNG (mulberry32): () -> uniform float in [0, 1).
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Returns an integer in [lo, hi] from a PRNG.
function randInt(r, lo, hi) {
  return lo + Math.floor(r() * (hi - lo + 1));
}

// Runs build/heaplab with args; returns stdout (a Buffer when raw).
function native(args, raw = false) {
  const out = execFileSync(NATIVE, args, { maxBuffer: 1 << 30 });
  return raw ? out : out.toString('utf8');
}

// Returns a fresh scratch directory under the OS temp dir.
function tmpdir(tag) {
  return fs.mkdtempSync(path.join(require('node:os').tmpdir(), `heaplab-${tag}-`));
}

// Every policy x order x coalescing combination the engine offers.
function combos(lab) {
  const out = [];
  for (const policy of lab.policies) {
    for (const order of lab.orders) {
      for (const coalesce of [true, false]) out.push({ policy, order, coalesce });
    }
  }
  return out;
}

module.exports = { ROOT, DIST, NATIVE, SHARED, heaplab, rng, randInt, native, tmpdir, combos };
