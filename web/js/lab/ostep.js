// ostep.js: OSTEP's free-space simulator (malloc.py) on the lab object.
//
//   attachOstep(lab, mod) adds
//   lab.ostep(args, { compute, maxOps }) -> a run of `heaplab ostep <args>`:
//     { status: 0, text, options, steps, questions, truncated }
//     { status: 1, help }                         for -h / --help
//     { status: < 0, error, text }                malloc.py's crashes and usage errors
//   args: malloc.py's flags as one string (shell quoting; a leading
//   "python3 malloc.py" or "heaplab ostep" is dropped). compute: undefined
//   follows -c in args; true / false forces the answers on / off. maxOps:
//   stop with an error after that many operations (0 = no limit).
//   text is exactly what `heaplab ostep <args>` prints on stdout.
//   options: { seed, size, baseAddr, headerSize, alignment, numOps, range,
//     percentAlloc, policy: 'BEST'|'WORST'|'FIRST', order, coalesce, compute, explicit }.
//   steps[0] is the start (the header); steps[1..n] are the printed ops:
//     { kind: 'start'|'alloc'|'free'|'skip', ptr, request, need, addr, result,
//       searched, chosen, text, freeList: [{addr, size}] (list order),
//       blocks: [{addr, size, payload, request, ptr, listPos, free}] (address order),
//       events: [{kind: 'request'|'scan'|'split'|'place'|'free'|'coalesce'|'fail', a, b, c}] }
//     (freeList/blocks/events are null past a truncated snapshot budget).
//   questions: one per alloc/free step, in order:
//     { kind: 'alloc'|'free', step, index (N of ptr[N]), size (request, or block size
//       for a free), answer (the printed result), searched (alloc only), freeList }.
//
// The C side (c/ostep_wasm_api.c) keeps one run; everything is copied out here.

import { fromUtf8, readText, utf8, writeBytes } from './memory.js';
import { eventKindNames } from './log.js';

const KINDS = ['start', 'alloc', 'free', 'skip'];
const POLICIES = ['BEST', 'WORST', 'FIRST'];
const ORDERS = ['ADDRSORT', 'SIZESORT+', 'SIZESORT-', 'INSERT-FRONT', 'INSERT-BACK'];
const OPTION_NAMES = ['seed', 'size', 'baseAddr', 'headerSize', 'alignment', 'numOps', 'range', 'percentAlloc'];

// Returns the parsed options of the kept run (names as above).
function readOptions(mod) {
  const o = {};
  OPTION_NAMES.forEach((name, i) => { o[name] = mod._hl_ostep_option(i); });
  o.policy = POLICIES[mod._hl_ostep_option(8)] || null;
  o.order = ORDERS[mod._hl_ostep_option(9)] || null;
  o.coalesce = mod._hl_ostep_option(10) === 1;
  o.compute = mod._hl_ostep_option(11) === 1;
  o.explicit = mod._hl_ostep_option(12) === 1;
  return o;
}

// Returns step i of the kept run, its text cut from `bytes` (the UTF-8 text).
function readStep(mod, i, bytes) {
  const f = (k) => mod._hl_ostep_step(i, k);
  const off = f(8), len = f(9), ne = f(10), nb = f(11), nv = f(12);
  // Every state has at least one block (free or live) in the address map, so once the
  // snapshot budget is hit (truncated), a step with no blocks is one that was not recorded.
  const recorded = !mod._hl_ostep_truncated() || nb > 0;
  const step = {
    kind: KINDS[f(0)], ptr: f(1), request: f(2), need: f(3), addr: f(4), result: f(5),
    searched: f(6), chosen: f(7), text: fromUtf8(bytes.subarray(off, off + len)),
    freeList: null, blocks: null, events: null,
  };
  if (!recorded) return step;
  step.freeList = [];
  for (let j = 0; j < ne; j++) step.freeList.push({ addr: mod._hl_ostep_entry(i, j, 0), size: mod._hl_ostep_entry(i, j, 1) });
  step.blocks = [];
  for (let j = 0; j < nb; j++) {
    const g = (k) => mod._hl_ostep_block(i, j, k);
    step.blocks.push({ addr: g(0), size: g(1), payload: g(2), request: g(3), ptr: g(4), listPos: g(5), free: g(6) === 1 });
  }
  step.blocks.sort((x, y) => x.addr - y.addr || x.size - y.size);
  const events = eventKindNames(mod); // the event vocabulary the OSTEP model shares with the log
  step.events = [];
  for (let j = 0; j < nv; j++) {
    const g = (k) => mod._hl_ostep_event(i, j, k);
    step.events.push({ kind: events[g(0)] || `event${g(0)}`, a: g(1), b: g(2), c: g(3) });
  }
  return step;
}

// Returns the questions (alloc and free steps) of a run's steps.
export function questionsOf(steps) {
  const out = [];
  steps.forEach((s, i) => {
    if (s.kind === 'alloc') out.push({ kind: 'alloc', step: i, index: s.ptr, size: s.request, answer: s.result, searched: s.searched, freeList: s.freeList });
    else if (s.kind === 'free') out.push({ kind: 'free', step: i, index: s.ptr, size: s.need, answer: s.result, freeList: s.freeList });
  });
  return out;
}

// Adds lab.ostep (it calls the same module instance `mod`).
export function attachOstep(lab, mod) {
  if (typeof mod._hl_ostep_run !== 'function') return;
  // Returns the run of malloc.py's flags `args` (see the file comment); throws TypeError on a non-string.
  lab.ostep = function ostep(args, { compute, maxOps = 0 } = {}) {
    if (typeof args !== 'string') throw new TypeError('HeapLab: ostep(args) takes the flags as one string');
    if (!Number.isInteger(maxOps) || maxOps < 0 || maxOps > 0x7fffffff) throw new RangeError('HeapLab: maxOps must be an integer in [0, 2^31)');
    const bytes = utf8(args);
    const p = mod._hl_ostep_input(bytes.length);
    if (!p) return { status: -11, error: 'out of memory', text: '' };
    writeBytes(mod, p, bytes);
    const flags = compute === true ? 1 : compute === false ? 2 : 0;
    const status = mod._hl_ostep_run(bytes.length, flags, maxOps);
    try {
      const tp = mod._hl_ostep_text_ptr();
      const text = tp ? readText(mod, tp, mod._hl_ostep_text_len()) : '';
      if (status === 1) return { status, help: text };
      if (status < 0) return { status, error: readText(mod, mod._hl_ostep_error_ptr(), mod._hl_ostep_error_len()), text };
      const textBytes = utf8(text);
      const steps = [];
      const n = mod._hl_ostep_step_count();
      for (let i = 0; i < n; i++) steps.push(readStep(mod, i, textBytes));
      return { status, text, options: readOptions(mod), steps, questions: questionsOf(steps), truncated: mod._hl_ostep_truncated() === 1 };
    } finally {
      mod._hl_ostep_release();
    }
  };
}
