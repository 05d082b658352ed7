// predict-slices.test.js: lab.predictSlices (the prediction report computed
// a slice at a time in C: ml/predict/predict_job.c) returns what lab.predict
// returns, key for key and number for number, for sizes, a Trace and trace
// text, whatever the slice size; its progress moves forward to 1; a stopped
// job keeps nothing (wasm memory stops growing over repeated aborts) and a
// closed one refuses use; the engine trains this way (predictSteps) and a
// stop there leaves nothing behind.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { heaplab, rng, randInt, ROOT } = require('../helpers.js');

// Returns n sizes with some structure (a repeating pattern with noise).
function sizes(n, seed) {
  const r = rng(seed);
  const pat = [16, 32, 16, 64, 24, 24, 128, 40];
  return Array.from({ length: n }, (_, i) => (r() < 0.8 ? pat[i % pat.length] : 8 * randInt(r, 1, 60)));
}

// Runs a sliced report with `work` units per slice; returns {report, fractions}.
function sliced(lab, input, options, work) {
  const job = lab.predictSlices(input, options);
  const fractions = [job.progress];
  for (let f = 0; f < 1;) { f = job.more(work); fractions.push(f); }
  return { report: job.end(), fractions };
}

test('a report in slices is the one-call report, for every slice size', async () => {
  const lab = await heaplab().load();
  const s = sizes(5000, 1);
  for (const options of [{}, { maxDepth: 6, leaf: 'mean', features: 'all', horizon: 5 }]) {
    const want = lab.predict(s, options);
    for (const work of [1, 1000, 1e5, Infinity]) {
      const { report, fractions } = sliced(lab, s, options, work);
      assert.deepEqual(report, want, `options ${JSON.stringify(options)}, work ${work}`);
      assert.ok(fractions.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= fractions[i - 1])), 'progress moves forward within 0..1');
      assert.equal(fractions.at(-1), 1);
      if (work === 1) assert.ok(fractions.filter((f) => f > 0 && f < 1).length > 100, 'small slices: many fractions in between');
    }
  }
});

test('a Trace (its first `limit` ops) and trace text give the same report as lab.predict', async () => {
  const lab = await heaplab().load();
  const text = lab.generate('phases', 5, 6000);
  const t = lab.loadTrace(text, { name: 'p.csv' });
  assert.deepEqual(sliced(lab, t, { limit: 4000 }, 5000).report, lab.predict(t, { limit: 4000 }));
  assert.deepEqual(sliced(lab, text, {}, 5000).report, lab.predict(text, {}));
  t.destroy();
  assert.throws(() => lab.predictSlices('op,id,size\nfree,1,0\n'), /trace:2: free of id 1, which is not live/);
  assert.throws(() => lab.predictSlices([8, 16, 24]), /too few/);
  assert.throws(() => lab.predictSlices([8, -1]), /size 1 is -1/);
  assert.throws(() => lab.predictSlices(sizes(100, 2), { bogus: 1 }), /unknown option bogus/);
});

test('a stopped report keeps nothing, and a closed one refuses use', async () => {
  const lab = await heaplab().load();
  const s = sizes(20000, 3);
  const first = lab.predictSlices(s, {});
  first.more(20000);
  first.abort();
  const before = lab.memoryBytes();
  for (let i = 0; i < 20; i++) {
    const job = lab.predictSlices(s, {});
    for (let k = 0; k < 3 + i; k++) job.more(20000);
    assert.ok(job.progress > 0 && job.progress < 1, `part-way: ${job.progress}`);
    job.abort();
  }
  assert.equal(lab.memoryBytes(), before, 'aborted jobs release their memory');
  const job = lab.predictSlices(s, {});
  job.end();
  assert.throws(() => job.more(), /used after end\(\) or abort\(\)/);
  assert.throws(() => job.end(), /used after end\(\) or abort\(\)/);
  job.abort(); // harmless
});

test('the engine trains in slices: progress, the same report as predict(), and a stop that keeps nothing', async () => {
  const lab = await heaplab().load();
  const { EngineCore } = await import(path.join(ROOT, 'web/js/engine/engine-core.js'));
  const core = new EngineCore(lab);
  core.runScenario({ scenario: { kind: 'gen', name: 'phases', seed: 2, ops: 30000 }, settings: {} });
  const k = 25000;
  const steps = core.predictSteps({ k, options: { horizon: 10 } });
  const fractions = [];
  let r;
  for (r = steps.next(); !r.done; r = steps.next()) fractions.push(r.value.fraction);
  assert.ok(fractions.length > 3 && fractions.some((f) => f > 0 && f < 1), `fractions: ${fractions.slice(0, 5)}`);
  assert.deepEqual(r.value, core.predict(k, { horizon: 10 }));
  const before = lab.memoryBytes();
  for (let i = 0; i < 10; i++) {
    const st = core.predictSteps({ k, options: {} });
    st.next(); st.next();
    st.return();
  }
  assert.equal(lab.memoryBytes(), before, 'stopped trainings release their memory');
  assert.deepEqual(core.predictSteps({ k: 3, options: {} }).next().value.error.match(/too few/) !== null, true);
});

test('starting a training does no work proportional to the trace: its sizes stay in C and the rows come with the slices', async () => {
  const lab = await heaplab().load();
  const t = lab.loadTrace(lab.generate('phases', 9, 1000000), { name: 'p.csv' });
  const m = t.requestSizes().length;
  const rowsBytes = (m - 4) * 9 * 8; // the tuned tree's feature rows (4 lags + 5 extras, float64)
  const before = lab.memoryBytes();
  const job = lab.predictSlices(t, { limit: t.length });
  const grown = lab.memoryBytes() - before;
  // the sizes (8 bytes each) are made in C; the rows' 36 MB wait for the first slice. Memory grows
  // in steps of at least a fifth of its size (Emscripten's geometric growth), so begin may still grow
  // it by one step (19 MB here, deterministic), never by the rows (it grew 80 MB when begin copied
  // the sizes through JS and allocated the rows)
  assert.ok(grown < rowsBytes * 0.75, `begin grew wasm memory by ${grown} bytes (the feature rows are ${rowsBytes})`);
  job.more(1);
  assert.ok(lab.memoryBytes() - before >= rowsBytes, 'the first slice holds the rows');
  job.abort();
  t.destroy();
});
