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
// The C side (c/wasm/ostep_wasm_api.c) keeps one run; everything is copied out here,
// each row by the field names C gives (hl_ostep_*_fields), never by position.

import { MAX_TEXT_BYTES, fromUtf8, readFields, readNames, readText, utf8, writeBytes } from './memory.js';
import { eventKindNames } from './log.js';

const cache = new WeakMap();

// Returns what C names for this module instance, read once: the row layouts
// ({names, at: {name: index}} for option, step, entry, block, event), the step
// kinds, policies and orders, and the status codes and flags ({HELP, E_LIMIT, ...}).
function names(mod) {
  let n = cache.get(mod);
  if (!n) {
    const layout = (fn) => {
      const list = readFields(mod, fn);
      return { names: list, at: Object.fromEntries(list.map((f, i) => [f, i])) };
    };
    const constants = readFields(mod, mod._hl_ostep_constant_fields);
    n = {
      option: layout(mod._hl_ostep_option_fields), step: layout(mod._hl_ostep_step_fields),
      entry: layout(mod._hl_ostep_entry_fields), block: layout(mod._hl_ostep_block_fields),
      event: layout(mod._hl_ostep_event_fields),
      kinds: readNames(mod, mod._hl_ostep_step_kind_name), policies: readNames(mod, mod._hl_ostep_policy_name),
      orders: readNames(mod, mod._hl_ostep_order_name),
      codes: Object.freeze(Object.fromEntries(constants.map((c, i) => [c, mod._hl_ostep_constant(i)]))),
    };
    cache.set(mod, n);
  }
  return n;
}

// Returns the parsed options of the kept run (names as above).
function readOptions(mod, n) {
  const o = {};
  n.option.names.forEach((name, i) => { o[name] = mod._hl_ostep_option(i); });
  o.policy = n.policies[o.policy] || null;
  o.order = n.orders[o.order] || null;
  o.coalesce = o.coalesce === 1;
  o.compute = o.compute === 1;
  o.explicit = o.explicit === 1;
  return o;
}

// Returns the row `read(field index)` as {field name: value} for a layout.
function row(layout, read) {
  const out = {};
  layout.names.forEach((name, k) => { out[name] = read(k); });
  return out;
}

// Returns step i of the kept run, its text cut from `bytes` (the UTF-8 text).
function readStep(mod, n, i, bytes) {
  const r = row(n.step, (k) => mod._hl_ostep_step(i, k));
  // Every state has at least one block (free or live) in the address map, so once the
  // snapshot budget is hit (truncated), a step with no blocks is one that was not recorded.
  const recorded = !mod._hl_ostep_truncated() || r.blockCount > 0;
  const step = {
    kind: n.kinds[r.kind], ptr: r.ptr, request: r.request, need: r.need, addr: r.addr, result: r.result,
    searched: r.searched, chosen: r.chosen, text: fromUtf8(bytes.subarray(r.textOff, r.textOff + r.textLen)),
    freeList: null, blocks: null, events: null,
  };
  if (!recorded) return step;
  step.freeList = [];
  for (let j = 0; j < r.entryCount; j++) step.freeList.push(row(n.entry, (k) => mod._hl_ostep_entry(i, j, k)));
  step.blocks = [];
  for (let j = 0; j < r.blockCount; j++) {
    const b = row(n.block, (k) => mod._hl_ostep_block(i, j, k));
    step.blocks.push({ ...b, free: b.free === 1 });
  }
  step.blocks.sort((x, y) => x.addr - y.addr || x.size - y.size);
  const events = eventKindNames(mod); // the event vocabulary the OSTEP model shares with the log
  step.events = [];
  for (let j = 0; j < r.eventCount; j++) {
    const e = row(n.event, (k) => mod._hl_ostep_event(i, j, k));
    step.events.push({ ...e, kind: events[e.kind] || `event${e.kind}` });
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

// Adds lab.ostep (it calls the same module instance `mod`), with lab.ostep.codes: the
// run's status codes by name, from C ({HELP: 1, E_USAGE, E_NOMEM, E_LIMIT, ...}).
export function attachOstep(lab, mod) {
  if (typeof mod._hl_ostep_run !== 'function') return;
  const n = names(mod);
  const codes = n.codes;
  // Returns the run of malloc.py's flags `args` (see the file comment); throws TypeError on a non-string.
  lab.ostep = function ostep(args, { compute, maxOps = 0 } = {}) {
    if (typeof args !== 'string') throw new TypeError('HeapLab: ostep(args) takes the flags as one string');
    if (!Number.isInteger(maxOps) || maxOps < 0 || maxOps > 0x7fffffff) throw new RangeError('HeapLab: maxOps must be an integer in [0, 2^31)');
    const bytes = utf8(args);
    const p = mod._hl_input(bytes.length);
    if (!p) return { status: codes.E_NOMEM, error: 'out of memory', text: '' };
    writeBytes(mod, p, bytes);
    const flags = compute === true ? codes.COMPUTE_ON : compute === false ? codes.COMPUTE_OFF : 0;
    const status = mod._hl_ostep_run(bytes.length, flags, maxOps);
    try {
      const tp = mod._hl_ostep_text_ptr();
      const len = tp ? mod._hl_ostep_text_len() : 0;
      if (len > MAX_TEXT_BYTES) {
        const why = status < 0 ? readText(mod, mod._hl_ostep_error_ptr(), mod._hl_ostep_error_len()) : '';
        return { status: status < 0 ? status : codes.E_NOMEM, error: `the output is ${len} bytes, more than a JavaScript string can hold: ask for fewer ops (-n) or set maxOps${why ? ` (${why})` : ''}`, text: '' };
      }
      const text = tp ? readText(mod, tp, len) : '';
      if (status === codes.HELP) return { status, help: text };
      if (status < 0) return { status, error: readText(mod, mod._hl_ostep_error_ptr(), mod._hl_ostep_error_len()), text };
      const textBytes = utf8(text);
      const steps = [];
      const count = mod._hl_ostep_step_count();
      for (let i = 0; i < count; i++) steps.push(readStep(mod, n, i, textBytes));
      return { status, text, options: readOptions(mod, n), steps, questions: questionsOf(steps), truncated: mod._hl_ostep_truncated() === 1 };
    } finally {
      mod._hl_ostep_release();
    }
  };
  lab.ostep.codes = codes;
}
