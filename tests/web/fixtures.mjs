// fixtures.mjs: small runs for the model's unit tests, in the shape the
// engine hands the page (heap.logTable(): typed columns named as C names
// them), written as CSV with those names so a test reads like a log; and
// the vocabulary the engine hands the model (read from dist/heaplab.js).
import { createRequire } from 'node:module';
import { vocabularyOf } from '../../web/js/engine/vocabulary.js';

const require = createRequire(import.meta.url);
// The engine's vocabulary (state.js): names, alignments, defaults and header size from C.
export const VOCAB = vocabularyOf(await require(new URL('../../dist/heaplab.js', import.meta.url).pathname).load());

const OPS = ['alloc', 'free', 'realloc', 'calloc'];

// Returns {n, op, id, cols, maxId, maxHeap} for CSV text whose header names the columns.
export function runOf(csv) {
  const [header, ...rows] = csv.trim().split('\n');
  const names = header.split(',');
  const n = rows.length;
  const run = { n, op: new Uint8Array(n), id: new Float64Array(n), cols: {} };
  for (const c of names) if (!['seq', 'op', 'id'].includes(c)) run.cols[c] = new Float64Array(n);
  rows.forEach((line, i) => {
    line.split(',').forEach((v, j) => {
      const c = names[j];
      if (c === 'op') run.op[i] = OPS.indexOf(v);
      else if (c === 'id') run.id[i] = Number(v);
      else if (c !== 'seq') run.cols[c][i] = Number(v);
    });
  });
  run.maxId = Math.max(-1, ...run.id);
  run.maxHeap = run.cols.heapSize ? Math.max(0, ...run.cols.heapSize) : 0;
  return run;
}
