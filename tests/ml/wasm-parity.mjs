// wasm-parity.mjs: the tree compiled to wasm against scikit-learn and against
// the native tool. Uses web/js/lab/predict.js on the Emscripten module
// (build/wasm/heaplab-core.js) and, when dist/heaplab.js wires it in, on the
// lab from HeapLab.load() too.
//   node tests/ml/wasm-parity.mjs ROOT CASES.json TRACE...
// CASES.json comes from `parity.py --dump`; every case must give bitwise the
// same node arrays, importances and predictions (mean and mode leaves); each
// TRACE must give the same report as `build/heaplab predict --json --detail`.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const [root, casesPath, ...traces] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const { attachPrediction } = await import(path.join(root, 'web/js/lab/predict.js'));

const failures = [];
let checks = 0;

// Returns true when two JSON-ish values are equal, numbers compared bit for bit.
function same(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) || (a === b && a !== 0);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => same(v, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return same(ka, kb) && ka.every((k) => same(a[k], b[k]));
  }
  return a === b;
}

// Camel-case options of lab.fitTree from scikit-learn's parameter names.
function fitOptions(params, rs, leaf) {
  const o = { randomState: rs, leaf };
  for (const [k, v] of Object.entries(params)) o[k.replace(/_([a-z])/g, (m, c) => c.toUpperCase())] = v;
  return o;
}

// Checks every case with one lab; label names the lab.
function checkTrees(lab, label, cases) {
  for (const c of cases) {
    const name = `${label} ${c.name} ${JSON.stringify(c.params)} rs=${c.random_state}`;
    checks++;
    try {
      const t = lab.fitTree(c.X, c.y, fitOptions(c.params, c.random_state, 'mean'));
      const got = { feature: t.feature, left: t.left, right: t.right, threshold: t.threshold, impurity: t.impurity,
        n_node_samples: t.samples, value: t.value, importances: t.importances, predictions: t.predict(c.Xtest) };
      const bad = Object.keys(got).filter((k) => !same(got[k], c.want[k]));
      const m = lab.fitTree(c.X, c.y, fitOptions(c.params, c.random_state, 'mode'));
      if (!same(m.predict(c.Xtest), c.want.mode_predictions)) bad.push('mode_predictions');
      if (bad.length) failures.push(`${name}: differs in ${bad.join(', ')}`);
    } catch (e) {
      failures.push(`${name}: ${e.message}`);
    }
  }
}

// Checks lab.predict(trace text) against the native report.
function checkReports(lab, label) {
  for (const tr of traces) {
    checks++;
    const native = JSON.parse(execFileSync(path.join(root, 'build/heaplab'), ['predict', tr, '--json', '--detail', '--horizon', '5'], { maxBuffer: 1 << 28 }));
    const rep = lab.predict(readFileSync(tr, 'utf8'), { horizon: 5 });
    delete rep.featureNames;
    delete rep.importances;
    delete rep.tree.nodes;
    if (!same(rep, native)) failures.push(`${label} predict ${path.basename(tr)}: report differs from heaplab predict`);
  }
}

const cases = JSON.parse(readFileSync(casesPath, 'utf8'));
const corePath = path.join(root, 'build/wasm/heaplab-core.js');
if (existsSync(corePath)) {
  const factory = require(corePath);
  const mod = await (factory.default || factory)();
  const lab = attachPrediction({}, mod);
  checkTrees(lab, 'core', cases);
  checkReports(lab, 'core');
  // bad input is refused with an exception, and the module keeps working
  const refuses = (fn) => { try { fn(); return false; } catch { return true; } };
  checks++;
  if (!refuses(() => lab.fitTree([[1, 2], [3]], [1, 2])) || !refuses(() => lab.fitTree([[NaN]], [1])) ||
      !refuses(() => lab.predict('ALLOC,16\nALLOC,x\n')) || !refuses(() => lab.predict([16, 32])) ||
      lab.fitTree([[1], [2]], [3, 4]).nodeCount !== 3) failures.push('core: bad input not refused cleanly');
  // options are validated as createHeap's are (issue 16, item 12): no wrap modulo 2^32, no
  // prototype keys, no unknown keys, rows of the fitted width, sizes that are sizes
  const X4 = [[1], [2], [3], [4]];
  const y4 = [1, 2, 3, 4];
  const cycle = [8, 16, 24, 8, 16, 24, 8, 16, 24, 8, 16, 24];
  const strict = [
    ['maxDepth 2^32 + 1', () => lab.fitTree(X4, y4, { maxDepth: 2 ** 32 + 1 })],
    ['leaf toString', () => lab.fitTree(X4, y4, { leaf: 'toString' })],
    ['features toString', () => lab.predict(cycle, { features: ['toString'] })],
    ['fitTree unknown key', () => lab.fitTree(X4, y4, { maxdepth: 1 })],
    ['predict unknown key', () => lab.predict(cycle, { lag: 2 })],
    ['predict maxDepth 2^32 + 1', () => lab.predict(cycle, { maxDepth: 2 ** 32 + 1 })],
    ['tree.predict on a wrong width', () => lab.fitTree(X4, y4).predict([[1, 2]])],
    ['a negative size', () => lab.predict([8, -16, ...cycle])],
  ];
  for (const [what, fn] of strict) {
    checks++;
    if (!refuses(fn)) failures.push(`core: ${what} accepted`);
  }
  checks++;
  if (lab.fitTree(X4, y4, { maxDepth: 2 }).predict([[4]])[0] !== 4) failures.push('core: a valid maxDepth no longer works');
}
const HeapLab = require(path.join(root, 'dist/heaplab.js'));
const dlab = await (HeapLab.load || HeapLab.default.load)();
if (typeof dlab.fitTree === 'function') {
  checkTrees(dlab, 'dist', cases.filter((_, i) => i % 7 === 0));
  checkReports(dlab, 'dist');
  // a heap's own log: 3 x 40 requests of a 3-size cycle, frees in between
  checks++;
  const heap = dlab.createHeap({ policy: 'best' });
  for (let i = 0; i < 40; i++) {
    const a = heap.malloc(16);
    const b = heap.malloc(32);
    heap.free(a);
    heap.malloc(64);
    heap.free(b);
  }
  const rep = dlab.predict(heap, { horizon: 3 });
  if (rep.train + rep.test !== 120 - 4 || rep.markov1.exact !== 1 || rep.tree.exact !== 1 ||
      !same(rep.forecast, [16, 32, 64]) || rep.tree.nodes.value.length !== rep.tree_info.nodes) {
    failures.push(`dist predict(heap): unexpected report ${JSON.stringify(rep).slice(0, 300)}`);
  }
  heap.destroy();
} else {
  console.log('SKIPPED dist/heaplab.js: lab.fitTree is not attached (web/js/lab/lab.js does not call attachPrediction)');
}
for (const f of failures) console.log('FAIL', f);
console.log(`wasm parity: ${checks - failures.length}/${checks} checks identical`);
process.exit(failures.length ? 1 : 0);
