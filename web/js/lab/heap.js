// heap.js: one heap of the wasm module, as a JS object.
//
// A Heap holds only an integer handle; all state lives in C. The four
// allocator calls never throw: every argument is passed down as a Number
// (anything else becomes NaN), and C turns what is not a non-negative
// integer into a value the engine refuses with a code and a logged `fail`
// event (sizes -> EINVAL, offsets -> EBADPTR). Snapshots (blocks, stats,
// log) are tables C fills in linear memory; they are copied out at once.

import { addr, readF64, readText, readU32, utf8, view, writeBytes } from './memory.js';
import { readEvents } from './log.js';

const BLOCK_STRIDE = 8;
const STATS_FIELDS = ['livePayload', 'peakPayload', 'heapSize', 'heapPeak', 'arenaSize', 'utilization',
  'internalFrag', 'externalFrag', 'freeBlocks', 'allocBlocks', 'freeBytes', 'largestFree', 'requests',
  'scannedTotal', 'scannedMean', 'failures'];
const REPLAY_FIELDS = ['ops', 'allocs', 'frees', 'reallocs', 'failed', 'skipped', 'peakPayload', 'heapBytes',
  'utilization', 'error', 'errorOp', 'errorOff', 'elapsedMs'];
const LOG_FORMATS = { rich: 0, seed: 1 };
const EINVAL = -2;

// Returns x when it is a Number, else NaN (which C refuses).
function num(x) {
  return typeof x === 'number' ? x : NaN;
}

export class Heap {
  #mod;
  #h;

  // Wraps handle `h` of module `mod`; `options` are the normalized creation options.
  constructor(mod, h, options) {
    this.#mod = mod;
    this.#h = h;
    this.options = Object.freeze({ ...options });
  }

  // Returns the live handle, or throws when the heap was destroyed.
  #handle() {
    if (this.#h <= 0) throw new Error('HeapLab: heap used after destroy()');
    return this.#h;
  }

  // Returns a payload offset (> 0) or a negative error code.
  malloc(size) {
    return this.#h > 0 ? this.#mod._hl_malloc(this.#h, num(size)) : EINVAL;
  }

  // Returns 0 (freed, or offset 0) or a negative error code.
  free(offset) {
    return this.#h > 0 ? this.#mod._hl_free(this.#h, num(offset)) : EINVAL;
  }

  // Returns the new payload offset or a negative code (the old block stays live on failure).
  realloc(offset, size) {
    return this.#h > 0 ? this.#mod._hl_realloc(this.#h, num(offset), num(size)) : EINVAL;
  }

  // Returns a zero-filled payload offset of n * size bytes or a negative code.
  calloc(n, size) {
    return this.#h > 0 ? this.#mod._hl_calloc(this.#h, num(n), num(size)) : EINVAL;
  }

  // Returns the blocks in address order: {offset, size, free, payloadOffset, payloadSize, nextFree, id}.
  blocks() {
    const mod = this.#mod;
    const n = mod._hl_blocks(this.#handle());
    if (n < 0) throw new Error(`HeapLab: block snapshot failed (${n})`);
    const t = readU32(mod, mod._hl_blocks_ptr(), n, BLOCK_STRIDE);
    const out = new Array(n);
    for (let i = 0, r = 0; i < n; i++, r += BLOCK_STRIDE) {
      out[i] = {
        offset: t[r], size: t[r + 1], free: t[r + 5] !== 0, payloadOffset: t[r + 2],
        payloadSize: t[r + 3], nextFree: t[r + 4], id: (t[r + 7] | 0) * 4294967296 + t[r + 6],
      };
    }
    return out;
  }

  // Returns struct heap_stats with camelCase field names.
  stats() {
    const mod = this.#mod;
    const p = mod._hl_stats(this.#handle());
    const v = readF64(mod, p, 1, STATS_FIELDS.length);
    const out = {};
    STATS_FIELDS.forEach((k, i) => { out[k] = v[i]; });
    return out;
  }

  // Returns {code, offset}: code 0 when every invariant holds, else a negative check code.
  check() {
    const code = this.#mod._hl_check(this.#handle());
    return { code, offset: this.#mod._hl_check_offset() };
  }

  // Returns the op records from index `since` on, each with its events (see log.js).
  events(since = 0) {
    return readEvents(this.#mod, this.#handle(), since);
  }

  // Replays a trace (rich CSV, seed CSV or .rep) on this heap. Returns the
  // summary, or {error: 'name:line: message', line} with nothing applied.
  replay(text, { name = 'trace', verify = true, check = false } = {}) {
    const mod = this.#mod;
    const h = this.#handle();
    const label = String(name);
    if (typeof text !== 'string') return { error: `${label}:0: trace text must be a string`, line: 0 };
    const body = utf8(text);
    const tag = utf8(label);
    const p = mod._hl_input(body.length + tag.length);
    if (addr(p) === 0) return { error: `${label}:0: out of memory for the trace text`, line: 0 };
    writeBytes(mod, p, body);
    writeBytes(mod, p, tag, body.length);
    const rc = mod._hl_replay(h, body.length, tag.length, verify ? 1 : 0, check ? 1 : 0);
    if (rc === -1) {
      const len = mod._hl_text_length();
      const msg = len >= 0 ? readText(mod, mod._hl_text_ptr(), len) : `${label}:0: out of memory`;
      // "name:line: message"; C keeps at most 127 bytes of the name, so fall back to the first ":N: ".
      const m = msg.startsWith(`${label}:`) ? /^(\d+): /.exec(msg.slice(label.length + 1)) : /:(\d+): /.exec(msg);
      return { error: msg, line: m ? Number(m[1]) : 0 };
    }
    if (rc !== 0) return { error: `${label}:0: replay failed (${rc})`, line: 0 };
    const v = readF64(mod, mod._hl_replay_ptr(), 1, REPLAY_FIELDS.length);
    const out = {};
    REPLAY_FIELDS.forEach((k, i) => { out[k] = v[i]; });
    return out;
  }

  // Returns the event log as CSV ('rich' or 'seed'), or null when the heap logs nothing.
  exportLog(format = 'rich') {
    const f = LOG_FORMATS[format];
    if (f === undefined || !Object.hasOwn(LOG_FORMATS, format)) throw new RangeError(`HeapLab: exportLog format must be 'rich' or 'seed', not ${String(format)}`);
    const mod = this.#mod;
    const len = mod._hl_export_log(this.#handle(), f);
    return len < 0 ? null : readText(mod, mod._hl_text_ptr(), len);
  }

  // Returns a Uint8Array over the requested bytes of live payload `offset`
  // (valid until the next call into the module), or null.
  payload(offset) {
    const mod = this.#mod;
    const h = this.#handle();
    const size = mod._hl_payload_size(h, num(offset));
    const p = mod._hl_payload(h, num(offset));
    return addr(p) === 0 ? null : view(mod, p, size);
  }

  // Returns a Uint8Array over arena bytes [0, break) (valid until the next call into the module).
  arena() {
    const mod = this.#mod;
    const h = this.#handle();
    const size = this.stats().heapSize;
    return view(mod, mod._hl_arena(h), size);
  }

  // Empties the heap (arena and log), keeping its options.
  reset() {
    this.#mod._hl_heap_reset(this.#handle());
  }

  // Frees the heap; later allocator calls return EINVAL, other methods throw.
  destroy() {
    if (this.#h > 0) this.#mod._hl_heap_destroy(this.#h);
    this.#h = 0;
  }
}
