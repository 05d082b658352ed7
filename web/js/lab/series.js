// series.js: the charts' series of a run, folded in C (c/log/log_series.h) from each slice
// of a heap's log before it is drained, so no JS walks a long run's log to draw a chart:
//
//   const series = lab.createSeries(trace.length, 4000);   // at most 4000 points a series
//   ... heap.logDrain().drain({ series }) after each slice ...
//   const { series: s, fragStart, maxHeap, maxId } = series.result();
//   // s: { live, heap, frag, freeBlocks, scanned: Float64Array [x0, y0, x1, y1, ...], n, bucket }
//   series.destroy();
//
// A point's x is the step after its op; a bucket of `bucket` steps keeps its lowest and
// highest point (C says how). fragStart: the first step after which two or more blocks are
// free (0: none); maxHeap, maxId: the largest break and id (-1: none).
// The points come as one Float64Array a series (x and y interleaved), which the worker
// transfers to the page without a copy; the page makes its charts' {x, y} points of them
// (model/chart-config.js seriesPoints). (As arrays of {x, y} made here, 20,000 points cost the
// worker 0.4 ms to make, 4-6 ns per op of git_log's and sqlite3's replay, and the page a
// structured clone of every point.)

import { addr, readNames } from './memory.js';

export class RunSeries {
  #mod;
  #s;

  // A series for a run of n ops, at most maxPoints points a series (at least 2).
  constructor(mod, n, maxPoints) {
    if (!(Number.isInteger(n) && n >= 0) || !(Number.isInteger(maxPoints) && maxPoints >= 2)) throw new RangeError('HeapLab: createSeries(n, maxPoints) takes counts, maxPoints >= 2');
    const s = mod._hl_series_create(n, maxPoints);
    if (s <= 0) throw new Error('HeapLab: series_create failed (out of memory)');
    this.#mod = mod;
    this.#s = s;
    this.n = n;
  }

  #handle() {
    if (this.#s <= 0) throw new Error('HeapLab: series used after destroy()');
    return this.#s;
  }

  // Folds the op records heap handle h's log holds now (log.js LogDrain.drain calls it).
  fold(h) {
    const rc = this.#mod._hl_series_fold(this.#handle(), h);
    if (rc !== 0) throw new Error(`HeapLab: folding the series failed (${rc})`);
  }

  // Closes the last buckets and returns the series and the run's figures (see the top).
  result() {
    const mod = this.#mod, s = this.#handle();
    const rc = mod._hl_series_end(s);
    if (rc !== 0) throw new Error(`HeapLab: the series is incomplete (${rc})`);
    const out = { n: this.n, bucket: mod._hl_series_bucket(s) };
    readNames(mod, mod._hl_series_name).forEach((name, id) => {
      const at = addr(mod._hl_series_points(s, id)) >>> 3;
      out[name] = mod.HEAPF64.slice(at, at + 2 * mod._hl_series_count(s, id));
    });
    return { series: out, fragStart: mod._hl_series_frag_start(s), maxHeap: mod._hl_series_max_heap(s), maxId: mod._hl_series_max_id(s) };
  }

  destroy() {
    if (this.#s > 0) this.#mod._hl_series_destroy(this.#s);
    this.#s = 0;
  }
}
