// options.js: createHeap() options, from JS names to the C enums.
//
// Defaults come from heap_default_options() in C, so the JS API and the
// native tool's flags agree; the names, the alignments heap_create accepts,
// the header size and the smallest arena are read from C too, once. Options are checked here and throw on misuse
// (an unknown key, a bad name or number): creating a heap is set-up code,
// unlike malloc/free, which never throw.

import { readNames } from './memory.js';

const MAX_ARENA = 0xfffff000;   // largest arena heap_create accepts
const KEYS = ['policy', 'order', 'coalesce', 'align', 'arenaBytes', 'growBytes', 'log', 'examineCap'];

// Returns v when it is an integer in [lo, hi], else throws RangeError naming the option.
function intIn(key, v, lo, hi) {
  if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`HeapLab: option ${key} must be an integer in [${lo}, ${hi}], not ${String(v)}`);
  return v;
}

// Returns the index of v in list, else throws RangeError naming the option.
function oneOf(key, v, list) {
  const i = list.indexOf(v);
  if (i < 0) throw new RangeError(`HeapLab: option ${key} must be one of ${list.map(String).join(', ')}, not ${String(v)}`);
  return i;
}

// Returns v when it is a boolean, else throws TypeError naming the option.
function bool(key, v) {
  if (typeof v !== 'boolean') throw new TypeError(`HeapLab: option ${key} must be true or false, not ${String(v)}`);
  return v;
}

// Returns the values fn(0), fn(1), ... until fn returns `end`.
function readUntil(fn, end) {
  const out = [];
  for (let i = 0, v; (v = fn(i)) !== end; i++) out.push(v);
  return out;
}

// Returns {defaults, policies, singleListPolicies, orders, aligns, headerBytes, minArena, toC}:
// toC(options) gives the C values and the normalized JS options.
export function optionsFromJs(mod) {
  const policies = Object.freeze(readNames(mod, mod._hl_policy_name));
  // the policies that search the one free list (all but the segregated fast policy)
  const singleListPolicies = Object.freeze(policies.filter((_, i) => mod._hl_policy_segregated(i) === 0));
  const orders = Object.freeze(readNames(mod, mod._hl_order_name));
  const aligns = Object.freeze(readUntil(mod._hl_align, 0));
  const headerBytes = mod._hl_header_size(); // a payload starts this far into its block
  const minArena = mod._hl_min_arena(); // HEAP_MIN_ARENA
  const d = (i) => mod._hl_default_option(i);
  const defaults = Object.freeze({
    policy: policies[d(0)], order: orders[d(1)], coalesce: d(2) !== 0, align: d(3),
    arenaBytes: d(4), growBytes: d(5), log: d(6) !== 0,
    examineCap: mod._hl_default_examine_cap(), // blocks of each search the log records (examine events)
  });
  // Returns the C arguments for createHeap(options); throws on a bad option.
  function toC(options) {
    if (options === null || typeof options !== 'object') throw new TypeError('HeapLab: createHeap options must be an object');
    for (const k of Object.keys(options)) {
      if (!KEYS.includes(k)) throw new RangeError(`HeapLab: unknown option ${k}; known: ${KEYS.join(', ')}`);
    }
    const js = { ...defaults };
    for (const k of KEYS) if (options[k] !== undefined) js[k] = options[k];
    const arenaBytes = intIn('arenaBytes', js.arenaBytes, minArena, MAX_ARENA);
    return {
      policy: oneOf('policy', js.policy, policies),
      order: oneOf('order', js.order, orders),
      coalesce: bool('coalesce', js.coalesce) ? 1 : 0,
      align: aligns[oneOf('align', js.align, aligns)],
      arenaBytes,
      growBytes: intIn('growBytes', js.growBytes, 0, arenaBytes),
      log: bool('log', js.log) ? 1 : 0,
      examineCap: intIn('examineCap', js.examineCap, 0, 0xffffffff),
      js,
    };
  }
  return { defaults, policies, singleListPolicies, orders, aligns, headerBytes, minArena, toC };
}
