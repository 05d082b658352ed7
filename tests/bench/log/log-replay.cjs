#!/usr/bin/env node
// log-replay.cjs: ns per op of the page's batch replay with the full event log, in wasm
// and natively, beside the same replay with the log off (issue 13: <= 100 ns/op in wasm).
//
// wasm "on" is what the page's engine does for an import (web/js/engine/engine-core.js
// runSteps): a heap with the log on (examine events only for runs of at most
// SEARCH_MARK_STEPS ops), heap.replaySlices(trace, {verify: false}) in slices
// (run-shape.js sliceOps: REPLAY_SLICE ops; a long run's last ops alone), each slice's log
// drained by a RunShaper (web/js/engine/run-shape.js: the steps' columns of every slice, the
// last slice whole with its events), each slice folded into the run's series in C first
// (lab.createSeries). "drain" is the part of "on" spent in the RunShaper (take() and result(),
// the series' points read out of C included). C logs the events of the last slice only
// (replaySlices' more(count, {events})), as the engine does. wasm "off" is
// heap.replay(trace, {verify: false}) on a heap created with log: false. Native figures come
// from build/rel/tests/bench/log/log_replay (the same slices, log_clear in place of the
// drain; "off" there is the allocator alone).
// Time: process.cpuUsage() around the whole run (drain and table included), median of
// --runs, modes interleaved. Not a test: prints a table.
//
//   node tests/bench/log/log-replay.cjs [--policy P] [--order O] [--runs N] [--no-native]
//        [--dist OTHER/dist/heaplab.js] [--native OTHER/log_replay] TRACE...
// (the "JS ev/op" column: events per op moved into JS columns)
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');

const ROOT = path.join(__dirname, '..', '..', '..');
const NATIVE = path.join(ROOT, 'build', 'rel', 'tests', 'bench', 'log', 'log_replay');

// Read from the page's engine, so this measures what the page does (one owner of each number).
const engineFile = (f) => fs.readFileSync(path.join(ROOT, 'web', 'js', 'engine', f), 'utf8');
const constant = (text, name) => Number(new RegExp(`const ${name} = (\\d+)`).exec(text)[1]);
const REPLAY_SLICE = constant(engineFile('engine-core.js'), 'REPLAY_SLICE');
const SEARCH_MARK_STEPS = constant(engineFile('vocabulary.js'), 'SEARCH_MARK_STEPS');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuUs = () => { const u = process.cpuUsage(); return u.user + u.system; };

// Returns ns per op of one page-style logged replay of trace t (a Trace), the part spent in
// the RunShaper, and its event count.
function replayOn(lab, t, opt, shape) {
  const examineCap = t.length <= SEARCH_MARK_STEPS ? lab.defaults.examineCap : 0;
  const h = lab.createHeap({ policy: opt.policy, order: opt.order, log: true, examineCap });
  const t0 = cpuUs();
  const replay = h.replaySlices(t, { verify: false, rows: false });
  const series = lab.createSeries(replay.length, shape.MAX_POINTS);
  const shaper = new shape.RunShaper(series, h, replay.length);
  let shapeUs = 0;
  for (let done = 0; done < replay.length;) {
    const count = shape.sliceOps(replay.length - done, shaper.n, REPLAY_SLICE); // as the engine slices
    const events = count >= replay.length - done; // C logs the last slice's events only, as the engine has it
    done = replay.more(count, { events });
    const s0 = cpuUs();
    shaper.take(done >= replay.length, events); // as the engine drains: each slice's steps, the last whole
    shapeUs += cpuUs() - s0;
  }
  const s0 = cpuUs();
  shaper.result();
  shapeUs += cpuUs() - s0;
  const drained = shaper.last.part.events; // the events moved into JS columns (the last slice's)
  const r = replay.end();
  const us = cpuUs() - t0;
  series.destroy();
  h.destroy();
  if (r.error) throw new Error(`replay failed: ${lab.strerror(r.error)}`);
  return { ns: (us * 1000) / t.length, shapeNs: (shapeUs * 1000) / t.length, events: drained ? drained.kind.length : 0 };
}

// Returns ns per op of one replay of t with the log off.
function replayOff(lab, t, opt) {
  const h = lab.createHeap({ policy: opt.policy, order: opt.order, log: false });
  const t0 = cpuUs();
  const r = h.replay(t, { verify: false });
  const us = cpuUs() - t0;
  h.destroy();
  if (r.error) throw new Error(`replay failed: ${r.error}`);
  return (us * 1000) / t.length;
}

async function main() {
  const args = process.argv.slice(2);
  const opt = { policy: 'first', order: 'lifo' };
  let runs = 3, native = true, dist = path.join(ROOT, 'dist', 'heaplab.js'), nativeBin = NATIVE;
  const files = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--policy' || args[i] === '--order') opt[args[i].slice(2)] = args[++i];
    else if (args[i] === '--runs') runs = Number(args[++i]);
    else if (args[i] === '--no-native') native = false;
    else if (args[i] === '--dist') dist = path.resolve(args[++i]); // another build's dist/heaplab.js (before/after)
    else if (args[i] === '--native') nativeBin = path.resolve(args[++i]); // another build's log_replay
    else files.push(args[i]);
  }
  if (!files.length || !(runs >= 1)) {
    console.error('usage: node tests/bench/log/log-replay.cjs [--policy P] [--order O] [--runs N] [--no-native] [--dist F] [--native F] TRACE...');
    process.exit(2);
  }
  const HeapLab = require(dist);
  const lab = await HeapLab.load();
  const shape = { ...(await import(path.join(ROOT, 'web', 'js', 'engine', 'run-shape.js'))), ...(await import(path.join(ROOT, 'web', 'js', 'model', 'chart-config.js'))) };
  console.log(`policy ${opt.policy}/${opt.order}; slices of ${REPLAY_SLICE} ops; examine events up to ${SEARCH_MARK_STEPS} ops; median of ${runs}`);
  console.log('trace                        ops   wasm off   wasm on   drain  on/off  JS ev/op | native off  native on  on/off | wasm on/native on');
  for (const file of files) {
    const t = lab.loadTrace(fs.readFileSync(file, 'utf8'), { name: file });
    if (t.error) throw new Error(t.error);
    const on = [], off = [], shaped = [];
    let events = 0;
    for (let r = 0; r < runs; r++) {
      off.push(replayOff(lab, t, opt));
      const o = replayOn(lab, t, opt, shape);
      on.push(o.ns);
      shaped.push(o.shapeNs);
      events = o.events;
    }
    const n = t.length;
    t.destroy();
    const [wOff, wOn] = [median(off), median(on)];
    let nat = null;
    if (native) {
      const out = execFileSync(nativeBin, ['--json', '--runs', String(runs), '--policy', opt.policy, '--order', opt.order, file], { encoding: 'utf8' });
      nat = JSON.parse(out.trim());
    }
    const f = (x, w = 9) => x.toFixed(1).padStart(w);
    console.log(`${path.basename(file).padEnd(24)} ${String(n).padStart(8)} ${f(wOff, 10)} ${f(wOn)} ${f(median(shaped), 7)} ${(wOn / wOff).toFixed(2).padStart(7)} ${(events / n).toFixed(2).padStart(10)} |` +
      (nat ? ` ${f(nat.off_ns, 10)} ${f(nat.on_ns, 10)} ${(nat.on_ns / nat.off_ns).toFixed(2).padStart(7)} | ${(wOn / nat.on_ns).toFixed(2).padStart(17)}` : ''));
  }
}

main().catch((e) => { console.error(e.message); process.exit(1); });
