// contract.test.js: the facts C owns and JS still spells, checked against C.
//
// Most names, codes and layouts are read from C at load() (lab.policies, the
// alignments, the header size, the table fields, the OSTEP and ML faces'
// names); the page's model is handed them as a vocabulary (engine-core.js
// vocabularyOf). A few must be known without the module: HeapLab.ENOMEM...
// exist before load() resolves, and words.js names codes and ops for the
// DOM-free model. Each of those copies is compared here with what the module
// says, and so are the page's own choices (arena sizes) with what C accepts.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { ROOT, heaplab } = require('../helpers.js');

const CORE = path.join(ROOT, 'build', 'wasm', 'heaplab-core.js');
const model = (f) => import(path.join(ROOT, 'web', 'js', 'model', f));

// Returns the NUL-terminated string at p in the raw module's memory (null for 0).
function cstr(mod, p) {
  if (!p) return null;
  const end = mod.HEAPU8.indexOf(0, p);
  return Buffer.from(mod.HEAPU8.subarray(p, end)).toString('utf8');
}
// Returns fn(0), fn(1), ... as strings until fn returns NULL.
function names(mod, fn) {
  const out = [];
  for (let i = 0, s; (s = cstr(mod, fn(i))) !== null; i++) out.push(s);
  return out;
}

let core;
test.before(async () => { core = await require(CORE)(); });

test("HeapLab's error codes are C's enum heap_error, by name", () => {
  const HeapLab = heaplab();
  const list = cstr(core, core._hl_error_fields()).split(',').filter(Boolean);
  assert.deepEqual(list, ['ENOMEM', 'EINVAL', 'ETOOBIG', 'EBADPTR', 'EDOUBLEFREE']);
  list.forEach((name, i) => assert.equal(HeapLab[name], core._hl_error_code(i), name));
});

test("the lab's alignments, header size, min arena and single-list policies are what C accepts and draws", async () => {
  const lab = await heaplab().load();
  assert.deepEqual([...lab.aligns], [8, 16]);
  for (const align of lab.aligns) assert.equal(lab.createHeap({ align }).options.align, align);
  for (const align of [0, 4, 12, 32]) assert.throws(() => lab.createHeap({ align }), RangeError, String(align));
  assert.equal(lab.headerBytes, core._hl_header_size());
  assert.equal(lab.minArena, core._hl_min_arena());
  assert.equal(lab.createHeap({ arenaBytes: lab.minArena }).options.arenaBytes, lab.minArena);
  assert.throws(() => lab.createHeap({ arenaBytes: lab.minArena - 1 }), RangeError);
  assert.deepEqual([...lab.singleListPolicies], ['first', 'next', 'best', 'worst']);
  assert.deepEqual(lab.policies.filter((p) => !lab.singleListPolicies.includes(p)), ['fast']);
  // a block's payload starts one header after the block
  const h = lab.createHeap({ arenaBytes: 4096 });
  h.malloc(24);
  for (const b of h.blocks()) assert.equal(b.payloadOffset - b.offset, lab.headerBytes);
});

test("state.js's arena choices are ones the engine accepts", async () => {
  const s = await model('state.js');
  assert.ok(Math.min(...s.ARENAS) >= core._hl_min_arena());
});

test("words.js names every error code and op C has, in C's op order", async () => {
  const w = await model('words.js');
  const list = cstr(core, core._hl_error_fields()).split(',').filter(Boolean);
  list.forEach((name, i) => {
    const code = core._hl_error_code(i);
    assert.notEqual(w.errorName(code), `error ${code}`, name);
  });
  // words.js says malloc where the log says alloc; the numbers are enum log_op's.
  // hl_op_name gives the CSV spelling, which writes a calloc (op 3) as alloc.
  const ops = names(core, core._hl_op_name);
  assert.deepEqual(ops, ['alloc', 'free', 'realloc', 'alloc']);
  const calls = ['malloc(', 'free(', 'realloc(', 'calloc('];
  ops.forEach((op, i) => assert.ok(w.callText(i, 1, 8, 16).startsWith(calls[i]), `${i} ${op}`));
});

test("lab.ostep's status codes are C's, by name", async () => {
  const lab = await heaplab().load();
  assert.deepEqual({ ...lab.ostep.codes }, { HELP: 1, E_USAGE: -1, E_NOMEM: -11, E_LIMIT: -12, COMPUTE_ON: 1, COMPUTE_OFF: 2 });
  assert.equal(lab.ostep('-n 30', { maxOps: 5 }).status, lab.ostep.codes.E_LIMIT);
  assert.equal(lab.ostep('-h').status, lab.ostep.codes.HELP);
});

test('the ML face names its options, features, leaves and node arrays', () => {
  const fields = (fn) => cstr(core, fn()).split(',').filter(Boolean);
  assert.deepEqual(fields(core._hl_ml_tree_array_fields),
    ['feature', 'left', 'right', 'samples', 'threshold', 'value', 'mode', 'impurity', 'importances']);
  assert.deepEqual(fields(core._hl_ml_tree_array_fields).map((_, i) => core._hl_ml_tree_array_float(i)), [0, 0, 0, 0, 1, 1, 1, 1, 1]);
  assert.equal(fields(core._hl_ml_opt_fields).length, 15);
  assert.equal(fields(core._hl_ml_opt_fields).at(-1), 'columns');
  assert.deepEqual(names(core, core._hl_ml_leaf_name), ['mean', 'mode']);
  assert.deepEqual(names(core, core._hl_ml_extra_name), ['run', 'delta', 'next1', 'next2', 'next3', 'mf1', 'mf2']);
  assert.equal(core._hl_ml_extras_default(), 31);
  assert.equal(cstr(core, core._hl_ml_tree_strerror(-3)), 'input contains NaN, infinity or a value too large for float32');
});
