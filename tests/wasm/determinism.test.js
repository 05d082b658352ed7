// determinism.test.js: the wasm module and the native tool give the same
// bytes. Generated traces (lab.generate == `heaplab gen`) and the real
// traces in ../shared/traces/real, replayed under every policy x order x
// coalescing combination: heap.exportLog('rich') must be byte-identical to
// `build/heaplab replay --policy P --order O [--no-coalesce] --log FILE`
// (and the seed log to --seed-log). Real traces: sqlite3 and git_log run in
// full under the default options (first/lifo/coalesce), the two longer ones
// cut to DEFAULT_CUT ops; every trace runs under every combination cut to
// MATRIX_CUT[name] ops. (Uncoalesced worst fit is quadratic: sqlite3 in
// full under worst/addr/no-coalesce takes ~40 s natively on this machine.)
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { heaplab, native, tmpdir, combos, SHARED, NATIVE } = require('./helpers.js');

const HeapLab = heaplab();
const REAL = path.join(SHARED, 'traces', 'real');
const FULL = ['sqlite3.csv', 'git_log.csv'];
const DEFAULT_CUT = 20000;
const MATRIX_CUT = { 'git_log.csv': 3000 };
const MATRIX_CUT_DEFAULT = 5000;

// Returns the native CLI flags for a combination.
function flags(c) {
  return ['--policy', c.policy, '--order', c.order, ...(c.coalesce ? [] : ['--no-coalesce'])];
}

// Replays `text` both ways under combination c; asserts identical rich (and seed) logs.
function compare(lab, dir, name, text, c, seedToo) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  const rich = path.join(dir, 'native.csv');
  const seed = path.join(dir, 'native-seed.csv');
  native(['replay', ...flags(c), '--log', rich, ...(seedToo ? ['--seed-log', seed] : []), file]);
  const heap = lab.createHeap(c);
  try {
    const r = heap.replay(text, { name: file });
    assert.equal(typeof r.error, 'number', `${name}: ${r.error}`);
    assert.equal(r.error, 0, `${name} ${JSON.stringify(c)}: replay check failed`);
    const mine = Buffer.from(heap.exportLog('rich'), 'utf8');
    const theirs = fs.readFileSync(rich);
    assert.ok(mine.equals(theirs), `${name} ${JSON.stringify(c)}: rich logs differ (${mine.length} vs ${theirs.length} bytes)`);
    if (seedToo) assert.ok(Buffer.from(heap.exportLog('seed')).equals(fs.readFileSync(seed)), `${name}: seed logs differ`);
    return r;
  } finally {
    heap.destroy();
  }
}

// Returns the first n ops of a rich CSV trace (header kept).
function cut(text, n) {
  const lines = text.split('\n');
  return lines.slice(0, n + 1).join('\n') + '\n';
}

test('native tool present', () => {
  assert.ok(fs.existsSync(NATIVE), `${NATIVE} missing: run ./build.sh first`);
});

test('generated traces: same text as heaplab gen, same logs under every combination', async () => {
  const lab = await HeapLab.load();
  const dir = tmpdir('gen');
  for (const [i, scenario] of lab.scenarios.entries()) {
    const seed = 11 + i * 1000003;
    for (const format of ['rich', 'rep']) {
      const mine = lab.generate(scenario, seed, 3000, format);
      const theirs = native(['gen', scenario, '--seed', String(seed), '--ops', '3000', '--format', format === 'rich' ? 'csv' : 'rep']);
      assert.equal(mine, theirs, `${scenario} ${format}`);
    }
    const text = lab.generate(scenario, seed, 3000);
    for (const c of combos(lab)) compare(lab, dir, `${scenario}.csv`, text, c, c.policy === 'first');
    // The .rep text replays to the same log as the CSV text.
    compare(lab, dir, `${scenario}.rep`, lab.generate(scenario, seed, 3000, 'rep'), combos(lab)[0], false);
  }
  const big = 2n ** 63n + 12345n;
  assert.equal(lab.generate('random', big, 500), native(['gen', 'random', '--seed', big.toString(), '--ops', '500']));
  fs.rmSync(dir, { recursive: true });
});

test('real traces: same logs as the native tool', async (t) => {
  if (!fs.existsSync(REAL)) {
    t.skip(`${REAL} not present`);
    return;
  }
  const lab = await HeapLab.load();
  const dir = tmpdir('real');
  const names = fs.readdirSync(REAL).filter((n) => n.endsWith('.csv')).sort();
  assert.ok(names.length > 0);
  for (const name of names) {
    const text = fs.readFileSync(path.join(REAL, name), 'utf8');
    const first = FULL.includes(name) ? text : cut(text, DEFAULT_CUT);
    const r = compare(lab, dir, name, first, { policy: 'first', order: 'lifo', coalesce: true }, true);
    assert.equal(r.ops, first.trimEnd().split('\n').length - 1);
    const n = MATRIX_CUT[name] ?? MATRIX_CUT_DEFAULT;
    for (const c of combos(lab)) compare(lab, dir, name, cut(text, n), c, false);
    t.diagnostic(`${name}: ${r.ops} ops under first/lifo/coalesce; first ${n} ops under ${combos(lab).length} combinations`);
  }
  // The .rep form of a real trace, in full.
  const rep = fs.readFileSync(path.join(REAL, 'sqlite3.rep'), 'utf8');
  compare(lab, dir, 'sqlite3.rep', rep, { policy: 'best', order: 'addr', coalesce: true }, true);
  fs.rmSync(dir, { recursive: true });
});

test('a bad trace gives the native tool\'s message', async () => {
  const lab = await HeapLab.load();
  const dir = tmpdir('bad');
  const file = path.join(dir, 'bad.csv');
  const text = 'op,id,size\nalloc,0,16\nrealloc,3,8\n';
  fs.writeFileSync(file, text);
  let stderr = '';
  let status = 0;
  try {
    native(['replay', file]);
  } catch (e) {
    stderr = e.stderr.toString();
    status = e.status;
  }
  assert.equal(status, 2);
  const r = lab.createHeap().replay(text, { name: file });
  assert.equal(r.error, stderr.trim());
  assert.equal(r.line, 3);
  fs.rmSync(dir, { recursive: true });
});
