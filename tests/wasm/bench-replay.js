#!/usr/bin/env node
// bench-replay.js: ops/us of the batch replay (heap.replay, one call into
// wasm per trace) next to the native tool's figure for the same trace.
// Both sides time replay_run only (trace already parsed), with the event
// log and payload verification off, median of 5 runs, like
// `build/heaplab replay --json` (its ns_per_op). Not a test: prints a table.
//
//   node tests/wasm/bench-replay.js [--policy P] [--order O] TRACE...
'use strict';
const { native, heaplab } = require('./helpers.js');
const fs = require('node:fs');

// Returns the median of numbers.
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main() {
  const args = process.argv.slice(2);
  const opt = { policy: 'first', order: 'lifo' };
  const traces = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--policy' || args[i] === '--order') opt[args[i].slice(2)] = args[++i];
    else traces.push(args[i]);
  }
  const lab = await heaplab().load();
  console.log('trace                      ops  policy/order   native ns/op  native ops/us   wasm ns/op  wasm ops/us  wasm/native');
  for (const file of traces) {
    const json = JSON.parse(native(['replay', '--json', '--policy', opt.policy, '--order', opt.order, file]).trim().split('\n')[0]);
    const text = fs.readFileSync(file, 'utf8');
    const ns = [];
    let ops = 0;
    for (let run = 0; run < 6; run++) {
      const heap = lab.createHeap({ ...opt, log: false });
      const r = heap.replay(text, { verify: false });
      heap.destroy();
      if (typeof r.error === 'string' || r.error) throw new Error(`${file}: ${r.error}`);
      ops = r.ops;
      if (run > 0) ns.push((r.elapsedMs * 1e6) / r.ops); // run 0 warms the JIT up
    }
    const w = median(ns);
    const name = file.split('/').pop();
    console.log(`${name.padEnd(24)} ${String(ops).padStart(7)}  ${(opt.policy + '/' + opt.order).padEnd(12)} ${json.ns_per_op.toFixed(1).padStart(13)} ${(1000 / json.ns_per_op).toFixed(2).padStart(14)} ${w.toFixed(1).padStart(12)} ${(1000 / w).toFixed(2).padStart(12)} ${(w / json.ns_per_op).toFixed(2).padStart(12)}`);
  }
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
