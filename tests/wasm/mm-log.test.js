// mm-log.test.js: lab.loadMmLog, the node API's reader of the mm log
// (c/mm/mm_log.c through c/wasm/mm_wasm_api.c), on logs the native
// `heaplab mm --log` wrote (the broken and the reference allocator of
// tests/mm) and on malformed text; and lab.mmLog's names, read from C.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');
const { ROOT, NATIVE, heaplab } = require('./helpers.js');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'heaplab-mmlog-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

// Runs heaplab mm with a log; returns the log's text.
function record(src, traces) {
  const log = path.join(tmp, `${src}.log`);
  const args = ['mm', '--runs', '0', '--log', log];
  for (const t of traces) args.push('--trace', t);
  args.push(path.join(ROOT, 'tests', 'mm', src));
  const r = spawnSync(NATIVE, args, { encoding: 'utf8', cwd: ROOT });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return fs.readFileSync(log, 'utf8');
}

test('the broken allocator\'s log: its overlap, op by op', async () => {
  const lab = await heaplab().load();
  assert.equal(lab.mmLog.magic, '# heaplab mm log 1');
  assert.deepEqual(lab.mmLog.statuses, ['ok', 'invalid', 'out-of-memory', 'crash', 'timeout', 'exit', 'error']);
  assert.equal(lab.mmLog.checks.includes('overlap'), true);
  assert.deepEqual(lab.mmLog.decodes, ['none', 'ok', 'stopped']);
  const text = record('mm_broken.c', [path.join(ROOT, 'tests', 'mm', 'traces', 'overlap.rep'), path.join(ROOT, 'tests', 'mm', 'traces', 'realloc.rep')]);
  const r = lab.loadMmLog(text, { name: 'broken.log' });
  assert.equal(r.error, undefined);
  assert.equal(r.traces.length, 2);
  const [a, b] = r.traces;
  assert.deepEqual({ ...a, rows: undefined, decode: undefined }, {
    name: 'overlap.rep', ops: 12, align: 8, status: 'invalid', check: 'overlap', op: 9, failOffset: 8, rows: undefined, decode: undefined,
    message: 'mm_malloc(5000) for id 5 returned heap offset 8 .. 5007, which overlaps the live payload of id 4 (heap offset 4032 .. 7031)',
  });
  assert.deepEqual([a.decode.state, a.decode.op, a.decode.blocks.n], ['none', -1, 0]);
  assert.equal(a.rows.n, 10);
  assert.deepEqual([...a.rows.offset.slice(0, 4)], [8, 1016, 1016, 1016]);
  assert.deepEqual([...a.rows.heapSize.slice(0, 5)], [1008, 2016, 2016, 2016, 4024]);
  assert.deepEqual(String.fromCharCode(...a.rows.kind), 'aafaaafffa');
  assert.deepEqual([b.status, b.check, b.op, b.rows.n], ['invalid', 'realloc', 2, 3]);
});

test('the reference allocator\'s log agrees with its JSON, and a crash leaves its op', async () => {
  const lab = await heaplab().load();
  const gen = path.join(tmp, 'random.csv');
  fs.writeFileSync(gen, execFileSync(NATIVE, ['gen', 'random', '--seed', '5', '--ops', '400']));
  const r = lab.loadMmLog(record('mm_first_fit.c', [gen]), { name: 'ff.log' });
  const t = r.traces[0];
  assert.deepEqual([t.status, t.op, t.rows.n, t.ops], ['ok', -1, 400, 400]);
  const json = JSON.parse(execFileSync(NATIVE, ['mm', '--runs', '0', '--json', '--trace', gen, path.join(ROOT, 'tests', 'mm', 'mm_first_fit.c')], { cwd: ROOT }).toString().split('\n')[0]);
  assert.equal(t.rows.heapSize[t.rows.n - 1], json.heap_bytes);
  // the peak live payload, derived from the rows, is the driver's
  let live = 0, peak = 0;
  const sizes = new Map();
  for (let i = 0; i < t.rows.n; i++) {
    const k = String.fromCharCode(t.rows.kind[i]);
    const id = t.rows.id[i];
    if (k !== 'a') live -= sizes.get(id) || 0;
    if (k !== 'f') { sizes.set(id, t.rows.size[i]); live += t.rows.size[i]; } else sizes.delete(id);
    peak = Math.max(peak, live);
  }
  assert.equal(peak, json.peak_payload);
  const c = lab.loadMmLog(record('mm_hostile.c', [path.join(ROOT, 'tests', 'mm', 'traces', 'crash.rep')]), { name: 'c.log' }).traces[0];
  assert.deepEqual([c.status, c.op, c.rows.n], ['crash', 2, 2]);
  assert.match(c.message, /signal 11/);
});

test('--decode cs-app: the decoded blocks tile the heap after every op, and a broken heap stops the walk', async () => {
  const lab = await heaplab().load();
  const gen = path.join(tmp, 'stack.csv');
  fs.writeFileSync(gen, execFileSync(NATIVE, ['gen', 'fragment', '--seed', '2', '--ops', '300']));
  const log = path.join(tmp, 'dec.log');
  execFileSync(NATIVE, ['mm', '--runs', '0', '--decode', 'cs-app', '--log', log, '--trace', gen, path.join(ROOT, 'tests', 'mm', 'mm_first_fit.c')], { cwd: ROOT });
  const t = lab.loadMmLog(fs.readFileSync(log, 'utf8')).traces[0];
  assert.deepEqual([t.decode.state, t.decode.op], ['ok', -1]);
  const b = t.decode.blocks;
  const at = new Map();
  let j = 0;
  for (let r = 0; r < t.rows.n; r++) {
    for (; j < b.n && b.op[j] === t.rows.op[r]; j++) {
      if (b.add[j]) at.set(b.offset[j], b.size[j]); else assert.equal(at.delete(b.offset[j]), true);
    }
    let next = 4; // the padding word, then the prologue and the blocks up to the epilogue's word
    for (const off of [...at.keys()].sort((x, y) => x - y)) { assert.equal(off, next); next += at.get(off); }
    assert.equal(next + 4, t.rows.heapSize[r], `after op ${r}`);
  }
  const log2 = path.join(tmp, 'dec2.log');
  spawnSync(NATIVE, ['mm', '--runs', '0', '--decode', 'cs-app', '--log', log2, '--trace', path.join(ROOT, 'tests', 'mm', 'traces', 'overlap.rep'), path.join(ROOT, 'tests', 'mm', 'mm_broken.c')], { cwd: ROOT });
  const d = lab.loadMmLog(fs.readFileSync(log2, 'utf8')).traces[0].decode;
  assert.deepEqual([d.state, d.op, d.blocks.n], ['stopped', 0, 0]);
  assert.match(d.message, /^after op 0: no prologue/);
});

test('a malformed log is refused with its line, and nothing is kept', async () => {
  const lab = await heaplab().load();
  assert.deepEqual(lab.loadMmLog('op,id,size\n', { name: 'x.csv' }), { error: 'x.csv:1: not an mm log (the first line is not "# heaplab mm log 1")', line: 1 });
  assert.deepEqual(lab.loadMmLog('# heaplab mm log 1\ntrace,0,2,8,a.rep\n0,a,0,8,8,16\n1,a,1,8,x,32\n', { name: 'b.log' }),
    { error: 'b.log:4: an op record\'s fields are numbers (OFFSET may be -)', line: 4 });
  assert.equal(lab.loadMmLog(42).error, 'mm.log:0: the mm log must be a string');
  // the module still reads a good log afterwards
  const ok = lab.loadMmLog('# heaplab mm log 1\ntrace,0,1,16,a.rep\n0,a,0,8,-,0\nend,0,invalid,0,null,-1,mm_malloc(8) for id 0 returned NULL\n');
  assert.deepEqual([ok.traces[0].align, ok.traces[0].rows.offset[0], ok.traces[0].check], [16, -1, 'null']);
});
