// predict.js: the regression tree and the size predictor on the lab object.
//
//   attachPrediction(lab, mod) adds
//   lab.fitTree(X, y, options)  -> { nodeCount, nFeatures, leaf, feature[], threshold[], left[],
//                                    right[], value[], mode[], impurity[], samples[],
//                                    importances[], predict(rows) }
//       X: array of rows (arrays of numbers), y: numbers. options (scikit-learn's defaults):
//       maxDepth, minSamplesSplit, minSamplesLeaf, minImpurityDecrease, maxFeatures,
//       randomState (0), leaf ('mean' = scikit-learn, or 'mode').
//       The same C code as `heaplab tree`: node arrays identical to scikit-learn 1.2.1.
//   lab.predict(input, options) -> the object `heaplab predict --json --detail` prints
//       input: an array of allocation sizes, trace text (rich CSV, seed CSV or .rep), a
//       Trace (its first `limit` ops, default all), or a heap (its log is used). options: lags (4), trainFrac (0.7), features ('all', 'none'
//       or a list of run/delta/next1/next2/next3/mf1/mf2; default run..next3), ngram (4),
//       horizon (10), withRealloc
//       (true), detail (true: actual/predicted test series and the tree), and the tree
//       options above (predict's defaults: leaf 'mode', minSamplesLeaf 3). columns (a pixel
//       width, or true for C's default): the report also carries chart {columns, n, x0, actual,
//       predicted: [{x, y}]}, the test series shaped in C to that many columns
//       (ml/predict/predict_chart.c), and leaves out the raw actual/predicted series.
//       For the page it also sets featureNames, importances, and tree.nodes (the node arrays;
//       tree.nodes.value is what each node predicts: its mode with mode leaves, mean = sklearn's).
//   lab.predictSlices(input, options) -> {progress, more(work), end(), abort()}: the same report
//       computed a slice at a time (the fits node by node in C), for progress and cancel.
//
// Memory can grow during any call into C, so views are re-read after every call
// (memory.js reads and writes linear memory; pointers from C are made unsigned).
// The option keys, feature and leaf names, node arrays and error texts are C's
// (ml/wasm/ml_wasm_api.c), read once per module instance: nothing is mirrored here.

import { Trace, parseTrace } from './trace.js';
import { addr, readCString, readF64, readFields, readI32, readNames, utf8, writeBytes, writeF64 } from './memory.js';

const cache = new WeakMap();

// Returns what ml/wasm/ml_wasm_api.c names, read once per module instance:
// opt {name: key} of the report options, extras {name: bit}, extrasDefault,
// extrasAll, leaves ['mean', 'mode'], arrays [{name, isFloat}] (the tree's node arrays).
function names(mod) {
  let n = cache.get(mod);
  if (!n) {
    const extras = readNames(mod, mod._hl_ml_extra_name);
    n = {
      opt: Object.fromEntries(readFields(mod, mod._hl_ml_opt_fields).map((k, i) => [k, i])),
      extras: Object.fromEntries(extras.map((f, i) => [f, 2 ** i])),
      extrasDefault: mod._hl_ml_extras_default(),
      extrasAll: 2 ** extras.length - 1,
      leaves: readNames(mod, mod._hl_ml_leaf_name),
      arrays: readFields(mod, mod._hl_ml_tree_array_fields).map((name, i) => ({ name, isFloat: mod._hl_ml_tree_array_float(i) === 1 })),
    };
    cache.set(mod, n);
  }
  return n;
}

// Returns an integer option in [min, 2^31) (C takes an int) or `fallback`; throws RangeError otherwise.
function intOpt(options, name, fallback, min = 0) {
  const v = options[name];
  if (v === undefined || v === null) return fallback;
  if (!Number.isInteger(v) || v < min || v > 0x7fffffff) throw new RangeError(`${name} must be an integer in [${min}, 2^31)`);
  return v;
}

// fitTree's options, in the order _hl_ml_tree_fit takes them.
const TREE_KEYS = ['maxDepth', 'minSamplesSplit', 'minSamplesLeaf', 'minImpurityDecrease', 'maxFeatures', 'randomState', 'leaf'];

// Throws RangeError on an options key not in `known` (a typo must not pass silently), or a non-object.
function checkKeys(what, options, known) {
  if (options === null || typeof options !== 'object') throw new TypeError(`${what} options must be an object`);
  for (const k of Object.keys(options)) {
    if (!known.includes(k)) throw new RangeError(`${what}: unknown option ${k}; known: ${known.join(', ')}`);
  }
}

// Returns the leaf mode number for 'mean' / 'mode' (names from C); throws on anything else.
function leafOpt(n, options, fallback) {
  const v = options.leaf ?? fallback;
  const i = n.leaves.indexOf(v);
  if (i < 0) throw new RangeError(`leaf must be ${n.leaves.map((l) => `'${l}'`).join(' or ')}`);
  return i;
}

// Returns the extras bit mask for options.features.
function extrasOpt(n, features) {
  if (features === undefined) return n.extrasDefault;
  if (features === 'all') return n.extrasAll;
  if (features === 'none') return 0;
  const list = typeof features === 'string' ? features.split(',') : features;
  if (!Array.isArray(list)) throw new TypeError('features must be "all", "none" or a list');
  let bits = 0;
  for (const f of list) {
    if (!Object.hasOwn(n.extras, f)) throw new RangeError(`unknown feature '${f}'`);
    bits |= n.extras[f];
  }
  return bits;
}

// Copies numbers into a fresh malloc'd float64 buffer; returns its address.
function putF64(mod, values) {
  const p = addr(mod._malloc(Math.max(8, values.length * 8)));
  if (!p) throw new Error('out of wasm memory');
  writeF64(mod, p, values);
  return p;
}

// Returns a JS array copy of `n` int32 or float64 values at address p.
function readArray(mod, p, n, isFloat) {
  return Array.from(isFloat ? readF64(mod, p, n, 1) : readI32(mod, p, n, 1));
}

// Returns the leaf reached by one row (float32 features, go left when x <= threshold).
function leafOf(t, row) {
  let node = 0;
  while (t.left[node] !== -1) {
    node = Math.fround(row[t.feature[node]]) <= t.threshold[node] ? t.left[node] : t.right[node];
  }
  return node;
}

// Validates X (rows of equal length) and y; returns the flat row-major values and shape.
function flatten(X, y) {
  if (!Array.isArray(X) && !ArrayBuffer.isView(X)) throw new TypeError('X must be an array of rows');
  const n = X.length;
  if (n === 0) throw new RangeError('X has no rows');
  const F = X[0] && X[0].length;
  if (!Number.isInteger(F) || F < 1) throw new RangeError('rows of X must be non-empty arrays');
  if (!y || y.length !== n) throw new RangeError('y must have one target per row of X');
  const flat = new Float64Array(n * F);
  for (let i = 0; i < n; i++) {
    if (!X[i] || X[i].length !== F) throw new RangeError(`row ${i} of X has ${X[i] ? X[i].length : 0} values, expected ${F}`);
    for (let f = 0; f < F; f++) flat[i * F + f] = Number(X[i][f]);
  }
  return { flat, n, F, yv: Float64Array.from(y, Number) };
}

// Fits the C tree on X, y; returns its node arrays and a predict(rows) function.
function fitTree(mod, X, y, options = {}) {
  const c = names(mod);
  checkKeys('fitTree', options, TREE_KEYS);
  const { flat, n, F, yv } = flatten(X, y);
  const leaf = leafOpt(c, options, 'mean');
  const rs = options.randomState ?? 0;
  if (!Number.isInteger(rs) || rs < 0 || rs > 0xffffffff) throw new RangeError('randomState must be an integer in [0, 2^32)');
  const mid = options.minImpurityDecrease ?? 0;
  if (!(mid >= 0)) throw new RangeError('minImpurityDecrease must be >= 0');
  const args = [intOpt(options, 'maxDepth', 0, 1), intOpt(options, 'minSamplesSplit', 0, 2),
    intOpt(options, 'minSamplesLeaf', 0, 1), mid, intOpt(options, 'maxFeatures', 0, 1), rs, leaf];
  let px = 0;
  let py = 0;
  let h = 0;
  try {
    px = putF64(mod, flat);
    py = putF64(mod, yv);
    h = addr(mod._hl_ml_tree_fit(px, py, n, F, ...args));
    if (!h) throw new Error(`fitTree: ${readCString(mod, mod._hl_ml_tree_strerror(mod._hl_ml_tree_error()))}`);
    const t = { nodeCount: mod._hl_ml_tree_node_count(h), nFeatures: F, leaf: c.leaves[leaf] };
    c.arrays.forEach(({ name, isFloat }, i) => {
      t[name] = readArray(mod, mod._hl_ml_tree_array(h, i), mod._hl_ml_tree_array_len(h, i), isFloat);
    });
    const out = leaf ? t.mode : t.value;
    t.predict = (rows) => Array.from(rows, (row, i) => {
      if (!row || row.length !== F) throw new RangeError(`row ${i} has ${row ? row.length : 0} values; the tree was fitted on ${F}`);
      return out[leafOf(t, row)];
    });
    return t;
  } finally {
    if (h) mod._hl_ml_tree_free(h);
    if (px) mod._free(px);
    if (py) mod._free(py);
  }
}

// Sets the C-side report options from a JS options object.
function setReportOptions(mod, options) {
  const c = names(mod);
  // the report's keys are C's (features sets the extras mask); limit applies to a Trace
  checkKeys('predict', options, [...Object.keys(c.opt).filter((k) => k !== 'extras'), 'features', 'limit']);
  mod._hl_ml_opts_reset();
  const set = (key, v) => {
    if (mod._hl_ml_opts_set(c.opt[key], v) !== 0) throw new RangeError(`bad option ${key}`);
  };
  if (options.lags !== undefined) set('lags', intOpt(options, 'lags', 4, 1));
  if (options.trainFrac !== undefined) {
    if (!(options.trainFrac > 0 && options.trainFrac < 1)) throw new RangeError('trainFrac must be in (0, 1)');
    set('trainFrac', options.trainFrac);
  }
  set('extras', extrasOpt(c, options.features));
  if (options.ngram !== undefined) set('ngram', intOpt(options, 'ngram', 4, 1));
  if (options.horizon !== undefined) set('horizon', intOpt(options, 'horizon', 10, 0));
  if (options.maxDepth !== undefined) set('maxDepth', intOpt(options, 'maxDepth', 0, 1));
  if (options.minSamplesSplit !== undefined) set('minSamplesSplit', intOpt(options, 'minSamplesSplit', 2, 2));
  if (options.minSamplesLeaf !== undefined) set('minSamplesLeaf', intOpt(options, 'minSamplesLeaf', 3, 1));
  if (options.minImpurityDecrease !== undefined) {
    if (!(options.minImpurityDecrease >= 0)) throw new RangeError('minImpurityDecrease must be >= 0');
    set('minImpurityDecrease', options.minImpurityDecrease);
  }
  if (options.maxFeatures !== undefined) set('maxFeatures', intOpt(options, 'maxFeatures', 0, 1));
  if (options.randomState !== undefined) {
    const rs = options.randomState;
    if (!Number.isInteger(rs) || rs < 0 || rs > 0xffffffff) throw new RangeError('randomState must be an integer in [0, 2^32)');
    set('randomState', rs);
  }
  if (options.leaf !== undefined) set('leaf', leafOpt(c, options, 'mode'));
  set('withRealloc', options.withRealloc === false ? 0 : 1);
  set('detail', options.detail === false ? 0 : 1);
  if (options.columns !== undefined) set('columns', options.columns === true ? -1 : intOpt(options, 'columns', 0, 1));
}

// Returns the points of a flat [x0, y0, x1, y1, ...] array as [{x, y}] (Chart.js's pre-parsed data).
function pointsOf(flat) {
  const pts = new Array(flat.length >> 1);
  for (let i = 0; i < pts.length; i++) pts[i] = { x: flat[2 * i], y: flat[2 * i + 1] };
  return pts;
}

// Returns the report object from the JSON C wrote at address js (which the caller frees).
function reportOf(mod, js) {
  const rep = JSON.parse(readCString(mod, js));
  rep.featureNames = rep.features;
  rep.importances = rep.tree_info.importances;
  if (rep.model) {
    // what each node predicts: the mode with mode leaves, else the mean (sklearn's value)
    const shown = rep.model.leaf === 'mode' ? rep.model.mode : rep.model.value;
    rep.tree.nodes = { ...rep.model, samples: rep.model.n_node_samples, mean: rep.model.value, value: shown };
  }
  if (rep.chart) rep.chart = { ...rep.chart, actual: pointsOf(rep.chart.actual), predicted: pointsOf(rep.chart.predicted) };
  return rep;
}

// Returns the sizes of a numeric input as a Float64Array (throws on one that is not a size).
// (a plain loop: Float64Array.from with a map function and findIndex took ~500 ms on 1.65M sizes).
function sizesOf(input) {
  if (!input || typeof input.length !== 'number') throw new TypeError('predict needs sizes, trace text or a heap');
  const n = input.length;
  const sizes = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = Number(input[i]);
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`predict: size ${i} is ${String(input[i])}; sizes are non-negative integers`);
    sizes[i] = v;
  }
  return sizes;
}

// Runs the report on sizes, trace text, a Trace (its first options.limit ops) or a heap's log;
// returns the parsed object.
function predict(mod, input, options = {}) {
  setReportOptions(mod, options);
  let text = null;
  if (typeof input === 'string') text = input;
  else if (input && typeof input.exportLog === 'function') text = input.exportLog('rich');
  else if (input instanceof Trace) input = input.requestSizes(options.limit ?? Infinity, options.withRealloc !== false);
  let p = 0;
  let js = 0;
  try {
    if (text !== null) {
      const bytes = utf8(text);
      p = addr(mod._malloc(bytes.length + 1));
      if (!p) throw new Error('out of wasm memory');
      writeBytes(mod, p, bytes);
      writeBytes(mod, p, [0], bytes.length);
      js = addr(mod._hl_ml_predict_trace(p, bytes.length));
    } else {
      const sizes = sizesOf(input);
      p = putF64(mod, sizes);
      js = addr(mod._hl_ml_predict_sizes(p, sizes.length));
    }
    if (!js) throw new Error(`predict: ${readCString(mod, mod._hl_ml_last_error())}`);
    return reportOf(mod, js);
  } finally {
    if (js) mod._free(js);
    if (p) mod._free(p);
  }
}

// The same report computed in slices (ml_wasm_api.c's hl_ml_predict_begin...), for progress and
// cancel: {progress, more(work), end(), abort()}. more(work) does about `work` units (a tree node
// of n samples is n x features units) and returns the fraction done (0..1, 1 when finished);
// end() finishes what is left and returns predict's report; abort() drops it. Sizes, a Trace
// (its first options.limit ops) or trace text (its request sizes) are taken.
function predictSlices(mod, input, options = {}) {
  setReportOptions(mod, options);
  let job = 0;
  if (typeof input === 'string') {
    const t = parseTrace(mod, input, 'trace');
    if (!(t instanceof Trace)) throw new Error(`predict: ${t.error}`);
    try { job = addr(mod._hl_ml_predict_begin_trace(t.handle, t.length)); } finally { t.destroy(); }
  } else if (input instanceof Trace) { // its sizes are taken in C: nothing is copied through JS
    const limit = options.limit ?? Infinity;
    job = addr(mod._hl_ml_predict_begin_trace(input.handle, Number.isFinite(limit) && limit >= 0 ? Math.trunc(limit) : input.length));
  } else {
    const sizes = sizesOf(input);
    const p = putF64(mod, sizes);
    try {
      job = addr(mod._hl_ml_predict_begin(p, sizes.length)); // C keeps its own copy of the sizes
    } finally {
      mod._free(p);
    }
  }
  if (!job) throw new Error(`predict: ${readCString(mod, mod._hl_ml_last_error())}`);
  let state = 'running'; // 'done' once more() returned 1, 'failed' at -1, 'closed' after end/abort
  const closed = () => { throw new Error('HeapLab: prediction used after end() or abort()'); };
  return {
    get progress() { return state === 'running' ? mod._hl_ml_predict_progress(job) : 1; },
    more(work = 1e6) {
      if (state === 'closed') closed();
      if (state !== 'running') return 1;
      const rc = mod._hl_ml_predict_more(job, Number(work) > 0 ? Number(work) : 1);
      if (rc !== 0) state = rc === 1 ? 'done' : 'failed';
      return rc === 0 ? mod._hl_ml_predict_progress(job) : 1;
    },
    end() {
      if (state === 'closed') closed();
      while (state === 'running') this.more(Infinity);
      state = 'closed';
      const js = addr(mod._hl_ml_predict_end(job));
      if (!js) throw new Error(`predict: ${readCString(mod, mod._hl_ml_last_error())}`);
      try { return reportOf(mod, js); } finally { mod._free(js); }
    },
    abort() {
      if (state !== 'closed') mod._hl_ml_predict_abort(job);
      state = 'closed';
    },
  };
}

// Adds fitTree and predict to the lab (both run in the module `mod`).
export function attachPrediction(lab, mod) {
  lab.fitTree = (X, y, options) => fitTree(mod, X, y, options);
  lab.predict = (input, options) => predict(mod, input, options);
  lab.predictSlices = (input, options) => predictSlices(mod, input, options);
  return lab;
}
