// lab.js: HeapLab's JavaScript API over the wasm module (the entry of dist/heaplab.js).
//
//   const lab = await HeapLab.load();          // one module instance
//   const heap = lab.createHeap({ policy: 'best' });
//   const p = heap.malloc(32);                  // payload offset > 0, or HeapLab.ENOMEM ...
//
// load() instantiates the Emscripten factory (build/wasm/heaplab-core.js,
// wasm inlined, built by c/Makefile) and returns a `lab`: heaps,
// the seeded trace generators, names, and the parts other files of this
// folder contribute on the same module instance: the prediction API
// (predict.js: lab.fitTree, lab.predict), the OSTEP simulator (ostep.js:
// lab.ostep) and the mm log's reader (mm-log.js: lab.loadMmLog). Everything
// the page and the tests use goes through here; the C exports themselves
// stay private.

import HeapLabCore from '../../../build/wasm/heaplab-core.js';
import { Heap } from './heap.js';
import { Trace, TraceParse, parseTrace } from './trace.js';
import { RunSeries } from './series.js';
import { readCString, readFields, readNames } from './memory.js';
import { optionsFromJs } from './options.js';
import { attachPrediction } from './predict.js';
import { attachOstep } from './ostep.js';
import { attachMmLog } from './mm-log.js';

// Error codes returned by heap calls (enum heap_error without the HEAP_ prefix).
// They are on the module object before load() resolves, so they are written
// here; load() checks them against C's own table (hl_error_fields/hl_error_code)
// and refuses a module whose codes differ.
export const ENOMEM = -1;
export const EINVAL = -2;
export const ETOOBIG = -3;
export const EBADPTR = -4;
export const EDOUBLEFREE = -5;
const ERRORS = { ENOMEM, EINVAL, ETOOBIG, EBADPTR, EDOUBLEFREE };

// Throws unless the module's error codes are exactly ERRORS (names and values).
function checkErrorCodes(mod) {
  const names = readFields(mod, mod._hl_error_fields);
  const same = names.length === Object.keys(ERRORS).length && names.every((n, i) => ERRORS[n] === mod._hl_error_code(i));
  if (!same) throw new Error(`HeapLab: the wasm module's error codes (${names.join(', ')}) are not this API's`);
}

const TRACE_FORMATS = { rich: 0, rep: 2 };

// Returns a generator seed as [low 32 bits, high 32 bits], or null when invalid.
function seedWords(seed) {
  if (typeof seed === 'bigint') {
    if (seed < 0n || seed >= 1n << 64n) return null;
    return [Number(seed & 0xffffffffn), Number(seed >> 32n)];
  }
  if (!Number.isSafeInteger(seed) || seed < 0) return null;
  return [seed % 4294967296, Math.floor(seed / 4294967296)];
}

// Returns the lab object for an instantiated module.
function createLab(mod) {
  checkErrorCodes(mod);
  const scenarios = Object.freeze(readNames(mod, mod._hl_scenario_name, mod._hl_scenario_count()));
  // what each scenario exists to show, in the order of `scenarios`
  const scenarioAbout = Object.freeze(readNames(mod, mod._hl_scenario_about, scenarios.length));
  const { defaults, policies, singleListPolicies, orders, aligns, headerBytes, minArena, toC } = optionsFromJs(mod);
  // an examine event's detail -> its name (too_small, not_best, chosen, next_class, top_last)
  const examineReasons = Object.freeze(readNames(mod, mod._hl_examine_why_name));
  // the fast policy's size classes: class c holds free blocks of minSize[c] .. minSize[c + 1] - 1 bytes
  const classCount = mod._hl_class_count();
  const sizeClasses = Object.freeze({ count: classCount, minSize: Object.freeze(Array.from({ length: classCount }, (_, c) => mod._hl_class_min_size(c))) });
  const lab = {
    defaults,
    policies,
    singleListPolicies,
    orders,
    aligns,
    headerBytes,
    minArena,
    scenarios,
    scenarioAbout,
    examineReasons,
    sizeClasses,
    // Returns a new Heap; throws RangeError/TypeError on bad options.
    createHeap(options = {}) {
      const o = toC(options);
      const h = mod._hl_heap_create(o.policy, o.order, o.coalesce, o.align, o.arenaBytes, o.growBytes, o.log);
      if (h <= 0) throw new Error(`HeapLab: heap_create failed (${h === ENOMEM ? 'out of memory' : 'bad options'})`);
      if (o.log && o.examineCap !== defaults.examineCap) mod._hl_log_set_examine_cap(h, o.examineCap);
      const heap = new Heap(mod, h, o.js);
      // the arena C uses (heap_create rounds it down to the alignment): C owns that fact
      const arenaBytes = heap.stats().arenaSize;
      if (arenaBytes !== o.js.arenaBytes) heap.options = Object.freeze({ ...o.js, arenaBytes });
      return heap;
    },
    // Returns the generated trace text ('rich' CSV or 'rep'); throws RangeError on bad arguments.
    generate(scenario, seed = 1, ops = 1000, format = 'rich') {
      if (!Object.hasOwn(TRACE_FORMATS, format)) throw new RangeError("HeapLab: format must be 'rich' or 'rep'");
      const t = lab.generateTrace(scenario, seed, ops);
      try {
        return t.text(format);
      } finally {
        t.destroy();
      }
    },
    // Returns a generated scenario as a Trace held in C (the ops of lab.generate); throws RangeError on bad arguments.
    generateTrace(scenario, seed = 1, ops = 1000) {
      const s = typeof scenario === 'number' ? scenario : scenarios.indexOf(scenario);
      if (!Number.isInteger(s) || s < 0 || s >= scenarios.length) throw new RangeError(`HeapLab: unknown scenario ${String(scenario)}; one of ${scenarios.join(', ')}`);
      const w = seedWords(seed);
      if (!w) throw new RangeError('HeapLab: seed must be a non-negative integer below 2^64 (Number or BigInt)');
      if (!Number.isInteger(ops) || ops < 0 || ops > 0xffffffff) throw new RangeError('HeapLab: ops must be an integer in [0, 2^32)');
      const t = mod._hl_trace_generate(s, w[0], w[1], ops);
      if (t <= 0) throw new Error('HeapLab: trace generation failed (out of memory)');
      return new Trace(mod, t);
    },
    // Parses trace text (rich CSV, seed CSV or .rep) into a Trace held in C, or returns {error: 'name:line: message', line}.
    loadTrace(text, { name = 'trace' } = {}) {
      return parseTrace(mod, text, name);
    },
    // The same parse done a slice at a time (a TraceParse: more(maxBytes), end(), abort()), for progress and cancel.
    parseTraceSlices(text, { name = 'trace' } = {}) {
      return new TraceParse(mod, text, name);
    },
    // Returns a RunSeries (series.js): the charts' series of a run of n ops, folded in C
    // from each slice of a heap's log as it is drained, at most maxPoints points a series.
    createSeries(n, maxPoints) {
      return new RunSeries(mod, n, maxPoints);
    },
    // Returns the size of the module's linear memory in bytes (it grows, and never shrinks).
    memoryBytes() {
      return mod.HEAPU8.length;
    },
    // Returns the engine's name for an error or check code.
    strerror(code) {
      return readCString(mod, mod._hl_strerror(Number.isInteger(code) ? code : 0));
    },
  };
  attachPrediction(lab, mod);
  attachOstep(lab, mod);
  attachMmLog(lab, mod);
  return lab;
}

// Resolves to a lab backed by a fresh instance of the wasm module.
export async function load() {
  const mod = await HeapLabCore();
  return createLab(mod);
}
