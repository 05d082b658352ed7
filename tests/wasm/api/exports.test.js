// exports.test.js: one export prefix. Every function the core wasm module
// (build/wasm/heaplab-core.js) exports starts with _hl_, except malloc/free
// (exported for JS buffers) and Emscripten's own internals, listed here by name.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { ROOT } = require('../helpers.js');

const CORE = path.join(ROOT, 'build', 'wasm', 'heaplab-core.js');
// The C allocator for JS-owned buffers (EXPORTED_FUNCTIONS in c/Makefile).
const BUFFERS = ['_free', '_malloc'];
// What Emscripten adds itself: static constructors and libc's errno.
const EMSCRIPTEN = ['___errno_location', '___wasm_call_ctors'];

test('every exported function of the core module starts with _hl_', async () => {
  const mod = await require(CORE)();
  const fns = Object.keys(mod).filter((k) => k.startsWith('_') && typeof mod[k] === 'function');
  const others = fns.filter((k) => !k.startsWith('_hl_')).sort();
  assert.deepEqual(others, [...BUFFERS, ...EMSCRIPTEN].sort());
  // the three faces are all there under the one prefix
  for (const k of ['_hl_heap_create', '_hl_ostep_run', '_hl_ml_tree_fit', '_hl_trace_generate']) assert.equal(typeof mod[k], 'function', k);
});
