// slice-times.mjs: how long each slice of the page's training takes in wasm
// (node, the page's options: maxDepth 8, mode leaves, an 800-column chart,
// PREDICT_WORK units a slice), the counterpart of slice_times.c. A
// measurement, not a test:
//   node tests/ml/slice-times.mjs TRACE [WORK=5e5] [TOP=10]
// TRACE is a file (.csv/.rep), or gen:SCENARIO:OPS (lab.generateTrace, seed 1).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const lab = await createRequire(import.meta.url)(join(ROOT, 'dist', 'heaplab.js')).load();
const [arg = join(ROOT, '..', 'shared', 'traces', 'real', 'gcc_cc1_pngtest.rep'), w = '5e5', topArg = '10'] = process.argv.slice(2);
const work = Number(w);
const trace = arg.startsWith('gen:') ? lab.generateTrace(arg.split(':')[1], 1, Number(arg.split(':')[2]))
  : lab.loadTrace(readFileSync(arg, 'utf8'), { name: arg.split('/').pop() });
const job = lab.predictSlices(trace, { horizon: 10, maxDepth: 8, leaf: 'mode', columns: 800 });
const slices = [];
for (let f = job.progress; f < 1;) {
  const t0 = performance.now();
  const next = job.more(work);
  slices.push({ ms: performance.now() - t0, from: f, to: next });
  f = next;
}
job.end();
const total = slices.reduce((a, s) => a + s.ms, 0);
const over = (ms) => slices.filter((s) => s.ms > ms).length;
console.log(`${arg.split('/').pop()}: ${slices.length} slices of ${work} units, ${total.toFixed(0)} ms in all; over 30 ms: ${over(30)}, over 50 ms: ${over(50)}`);
for (const s of slices.sort((a, b) => b.ms - a.ms).slice(0, Number(topArg))) console.log(`  ${s.ms.toFixed(1).padStart(7)} ms  progress ${s.from.toFixed(4)} -> ${s.to.toFixed(4)}`);
