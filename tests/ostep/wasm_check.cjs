// wasm_check.cjs: the OSTEP wasm exports (c/wasm/ostep_wasm_api.c) give the same
// text as the native `heaplab ostep`, and their step records agree with it.
// usage: node wasm_check.cjs OSTEP_CORE_CJS HEAPLAB
'use strict';
const { execFileSync } = require('node:child_process');
const assert = require('node:assert/strict');

const [corePath, heaplab] = process.argv.slice(2);
const NATIVE_LINES = [
  '-S 100 -b 1000 -H 4 -a 4 -l ADDRSORT -p BEST -n 5 -c',
  '-H 4 -a 4 -p BEST -l ADDRSORT -A +10,+20,-0,+5 -c',
  '-n 200 -s 17 -C -p FIRST -l SIZESORT+ -c',
  '-n 60 -s 2 -p WORST -l INSERT-FRONT',
  '-S 32 -A +5,+100,+5,-0,-0,-2 -c',
];

function native(line) {
  try {
    return { text: execFileSync(heaplab, ['ostep', ...line.split(' ')]).toString(), code: 0 };
  } catch (e) {
    return { text: e.stdout.toString(), code: e.status };
  }
}

require(corePath)().then((m) => {
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const run = (line, flags = 0, maxOps = 0) => {
    const bytes = enc.encode(line);
    const p = m._hl_input(bytes.length);
    assert.ok(p > 0);
    m.HEAPU8.set(bytes, p);
    const status = m._hl_ostep_run(bytes.length, flags, maxOps);
    const tp = m._hl_ostep_text_ptr();
    const text = tp ? dec.decode(m.HEAPU8.subarray(tp, tp + m._hl_ostep_text_len())) : '';
    const ep = m._hl_ostep_error_ptr();
    const error = dec.decode(m.HEAPU8.subarray(ep, ep + m._hl_ostep_error_len()));
    return { status, text, error };
  };
  // Each row's layout comes from C (hl_ostep_*_fields): a field's index by name.
  const cstr = (ptr) => dec.decode(m.HEAPU8.subarray(ptr, m.HEAPU8.indexOf(0, ptr)));
  const layout = (fn) => Object.fromEntries(cstr(fn()).split(',').filter(Boolean).map((f, i) => [f, i]));
  const F = {
    step: layout(m._hl_ostep_step_fields), entry: layout(m._hl_ostep_entry_fields),
    block: layout(m._hl_ostep_block_fields), event: layout(m._hl_ostep_event_fields),
    option: layout(m._hl_ostep_option_fields),
  };
  // Returns row(field index) as {name: value} for every field of a layout.
  const rowOf = (at, read) => Object.fromEntries(Object.entries(at).map(([f, k]) => [f, read(k)]));
  let checked = 0;

  for (const line of NATIVE_LINES) {
    const w = run(line);
    const n = native(line);
    assert.equal(w.text, n.text, `text of: ${line}`);
    assert.equal(w.status === 0, n.code === 0, `status of: ${line}`);
    // every step's text slice, concatenated, is the whole text
    let joined = '';
    const bytes = enc.encode(w.text);
    for (let i = 0; i < m._hl_ostep_step_count(); i++) {
      const off = m._hl_ostep_step(i, F.step.textOff), len = m._hl_ostep_step(i, F.step.textLen);
      joined += dec.decode(bytes.subarray(off, off + len));
    }
    assert.equal(joined, w.text, `step slices of: ${line}`);
    checked++;
  }

  // worked example 2 through the getters, from a pasted homework line
  let r = run("python3 ./malloc.py -H 4 -a 4 -p BEST -l ADDRSORT -A '+10,+20,-0,+5' -c");
  assert.equal(r.status, 0);
  assert.equal(m._hl_ostep_step_count(), 5);
  const step1 = rowOf(F.step, (k) => m._hl_ostep_step(1, k));
  assert.deepEqual([step1.kind, step1.ptr, step1.request, step1.need, step1.addr, step1.result, step1.searched, step1.chosen],
    [1, 0, 10, 16, 1000, 1000, 1, 0]);
  assert.deepEqual(rowOf(F.entry, (k) => m._hl_ostep_entry(4, 0, k)), { addr: 1012, size: 4 });
  assert.deepEqual(rowOf(F.block, (k) => m._hl_ostep_block(1, 0, k)),
    { addr: 1000, size: 16, payload: 1004, request: 10, ptr: 0, listPos: -1, free: 0 });
  assert.equal(m._hl_ostep_event(1, 0, F.event.kind), 0); // EV_REQUEST
  assert.ok(Number.isNaN(m._hl_ostep_step(99, 0)));
  assert.ok(Number.isNaN(m._hl_ostep_step(1, Object.keys(F.step).length)));
  assert.ok(Number.isNaN(m._hl_ostep_entry(1, 5, 0)));
  const opt = rowOf(F.option, (k) => m._hl_ostep_option(k));
  assert.deepEqual([opt.policy, opt.order, opt.coalesce, opt.explicit], [0, 0, 0, 1]);
  assert.equal(cstr(m._hl_ostep_policy_name(opt.policy)), 'BEST');
  assert.equal(cstr(m._hl_ostep_order_name(opt.order)), 'ADDRSORT');
  assert.equal(cstr(m._hl_ostep_step_kind_name(step1.kind)), 'alloc');
  assert.equal(m._hl_ostep_policy_name(3), 0);
  checked++;

  // questions and answers of the same line: flags 2 (no -c) and 1 (-c)
  const q = run('-n 5 -s 3 -c', 2), a = run('-n 5 -s 3', 1);
  assert.match(q.text, /returned \?/);
  assert.doesNotMatch(a.text, /returned \?/);
  assert.equal(q.text.split('\n').length, a.text.split('\n').length);
  checked++;

  // errors: status and one line, text printed before the crash
  r = run('-S 32 -A +5,+100,+5,-1 -c');
  assert.equal(r.status, -8);
  assert.match(r.error, /ptr\[1\]/);
  assert.ok(r.text.endsWith('Free(ptr[1])\n'));
  r = run("-A 'unclosed");
  assert.equal(r.status, -1);
  assert.match(r.error, /quote/);
  r = run('-p NEXT');
  assert.equal(r.status, -2);
  r = run('-n 1000 -c', 0, 25);
  assert.equal(r.status, -12);
  assert.equal(m._hl_ostep_step_count(), 26);
  r = run('--help');
  assert.equal(r.status, 1);
  assert.match(r.text, /^Usage: heaplab ostep/);
  checked++;

  m._hl_ostep_release();
  assert.equal(m._hl_ostep_step_count(), 0);
  console.log(`wasm: ${checked} checks passed`);
}).catch((e) => {
  console.error(e);
  process.exit(1);
});
