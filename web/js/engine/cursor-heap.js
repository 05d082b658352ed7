// cursor-heap.js: the heap after the first k ops of a run, kept between
// requests so that stepping forward costs only the new ops.
//
// Definition: the heap at step k is the first k log rows replayed into a
// fresh heap (heap.reset() + heap.replay(prefix)). Moving back, or any
// doubt, takes exactly that path. Moving forward from position p to k
// applies rows p..k-1 with the allocator calls the replay would make
// (malloc / free / realloc at the payload the id holds), which is the same
// computation; it is used only while it provably agrees: every alloc's id
// must be the one the heap assigns itself (max id so far + 1), and, when the
// run was made under these settings, every call must return what the log
// recorded. Any disagreement falls back to the full replay.
import { prefixText } from '../model/state.js';

const OP_ALLOC = 0, OP_FREE = 1, OP_REALLOC = 2, OP_CALLOC = 3;

export class CursorHeap {
  // lab: the module API; options: createHeap options (log off).
  constructor(lab, options) {
    this.h = lab.createHeap(options);
    this.run = null;
    this.pos = 0;
    this.stats = { incremental: 0, replays: 0 };
  }

  // Returns the heap at step k of `run`; `verify`: the run was logged under these settings.
  moveTo(run, k, verify) {
    if (run !== this.run || k < this.pos || !this.forward(run, k, verify)) this.replay(run, k);
    return this.h;
  }

  // Rebuilds from scratch: reset, replay the first k rows, read back who lives where.
  replay(run, k) {
    const h = this.h;
    h.reset();
    const r = h.replay(prefixText(run, k), { name: 'prefix', verify: false });
    if (r.error) throw new Error(`replaying the first ${k} operations failed: ${r.error}`);
    this.run = run;
    this.pos = k;
    this.offsets = new Map();
    for (const b of h.blocks()) if (!b.free) this.offsets.set(b.id, b.payloadOffset);
    let next = 0;
    for (let i = 0; i < k; i++) if (run.id[i] >= next) next = run.id[i] + 1;
    this.nextId = next;
    this.stats.replays++;
  }

  // Applies rows pos..k-1 as allocator calls; returns false (state unknown) when they may disagree with a replay.
  forward(run, k, verify) {
    const h = this.h;
    const res = run.cols.result;
    const size = run.cols.size;
    const off = run.cols.offset;
    for (let i = this.pos; i < k; i++) {
      const op = run.op[i];
      const id = run.id[i];
      let got;
      if (op === OP_ALLOC || op === OP_CALLOC) {
        if (id !== this.nextId) return false;
        got = h.malloc(size[i]);
        this.nextId = id + 1;
        if (got > 0) this.offsets.set(id, got);
      } else if (id < 0) {
        got = op === OP_FREE ? h.free(off[i]) : h.realloc(off[i], size[i]);
      } else if (!this.offsets.has(id)) {
        if (verify) return false;
        continue; // its allocation failed under these settings: the replay skips it too
      } else if (op === OP_FREE) {
        got = h.free(this.offsets.get(id));
        if (got === 0) this.offsets.delete(id);
      } else if (op === OP_REALLOC) {
        got = h.realloc(this.offsets.get(id), size[i]);
        if (got > 0) this.offsets.set(id, got);
      } else return false;
      if (verify && got !== res[i]) return false;
      this.pos = i + 1;
    }
    this.pos = k;
    this.stats.incremental++;
    return true;
  }

  // Frees the heap.
  destroy() {
    this.h.destroy();
  }
}
