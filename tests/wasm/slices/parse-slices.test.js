// parse-slices.test.js: lab.parseTraceSlices (a trace parsed a slice at a
// time in C: c/wasm/trace_parse_wasm_api.c) gives what lab.loadTrace gives
// for the whole text: the same ops (as text), length, largest id and call
// sites, or the same "name:line: message" error, for slices of any size
// (a line, and a multi-byte character, may span slices). Stopped part-way
// (abort) it keeps nothing; the engine's import reads traces this way and
// reports progress through the parse (tests/e2e checks the page).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { heaplab, rng, randInt, SHARED, ROOT } = require('../helpers.js');

// Returns a comparable summary of a loadTrace / end() result, and destroys the trace.
function outcome(r) {
  if (r.error !== undefined) return { error: r.error, line: r.line };
  const sites = r.sites();
  const o = { length: r.length, maxId: r.maxId, text: r.text('rich'), sites: sites && { names: sites.names, of: Array.from(sites.of) } };
  r.destroy();
  return o;
}

// Parses text with parseTraceSlices in slices of `size` bytes (a function: a size per slice).
function sliced(lab, text, name, size) {
  const p = lab.parseTraceSlices(text, { name });
  let last = -1;
  while (p.done < p.bytes) {
    const d = p.more(size());
    assert.ok(d > last && d <= p.bytes, 'progress moves forward and stays within the text');
    last = d;
  }
  return outcome(p.end());
}

const CASES = {
  'rich.csv': 'op,id,size\nalloc,0,32\nalloc,1,8\nrealloc,0,64\nfree,1,0\nfree,0,0\n',
  'crlf.csv': 'op,id,size\r\nalloc,0,32\r\n\r\nfree,0,0\r\n',
  'sites.csv': 'op,id,size,result,thread,time,site\nalloc,0,16,16,0,5,libé!strdup+0x1a\nalloc,1,24,48,1,9,main+0x10\nfree,0,0,0,0,12,\n',
  'seed.csv': 'ALLOC,32\nALLOC,64\nREALLOC,128\nFREE\nFREE',
  'mini.rep': '1000\n3\n5\n1\na 0 16\na 1 32\nr 0 64\nf 1\nf 0\n',
  'empty.csv': '',
  'bad-op.csv': 'op,id,size\nalloc,0,8\nmalloc,1,8\n',
  'not-live.csv': 'op,id,size\nalloc,0,8\nfree,1,0\n',
  'rep-count.rep': '1000\n3\n4\n1\na 0 16\nf 0\n',
  'last-line.csv': 'op,id,size\nalloc,0,8\nfree,0',
  'échec.csv': 'op,id,size\nalloc,0,8\nalloc,0,ü\n',
};

test('a parse in slices of any size gives what one parse gives', async () => {
  const lab = await heaplab().load();
  for (const [name, text] of Object.entries(CASES)) {
    const want = outcome(lab.loadTrace(text, { name }));
    for (const n of [1, 2, 3, 7, 64, 1 << 20]) assert.deepEqual(sliced(lab, text, name, () => n), want, `${name} in slices of ${n}`);
    const r = rng(name.length);
    assert.deepEqual(sliced(lab, text, name, () => randInt(r, 1, 40)), want, `${name} in random slices`);
  }
});

test('real traces parse the same in slices (when ../shared is present)', async (t) => {
  const lab = await heaplab().load();
  const dir = path.join(SHARED, 'traces', 'real');
  if (!fs.existsSync(dir)) { t.skip('no ../shared/traces/real'); return; }
  for (const f of ['git_log.csv', 'sqlite3.rep']) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    const want = outcome(lab.loadTrace(text, { name: f }));
    assert.ok(want.length > 1000, `${f} parsed`);
    const r = rng(7);
    assert.deepEqual(sliced(lab, text, f, () => randInt(r, 1, 100000)), want, `${f} in random slices`);
  }
});

test('a stopped parse keeps nothing', async () => {
  const lab = await heaplab().load();
  const text = 'op,id,size\n' + Array.from({ length: 20000 }, (_, i) => `alloc,${i},16\n`).join('');
  const p = lab.parseTraceSlices(text, { name: 'stop.csv' });
  p.more(1000);
  assert.ok(p.done === 1000 && p.bytes === text.length);
  p.abort();
  const before = lab.memoryBytes();
  for (let i = 0; i < 30; i++) {
    const q = lab.parseTraceSlices(text, { name: 'again.csv' });
    q.more(text.length - 5);
    q.abort();
  }
  assert.equal(lab.memoryBytes(), before, 'aborted parses release their ops (memory does not grow)');
  const whole = lab.parseTraceSlices(text, { name: 'whole.csv' }).end();
  assert.equal(whole.length, 20000);
  whole.destroy();
  assert.equal(lab.parseTraceSlices(42, { name: 'n' }).end().error, 'n:0: trace text must be a string');
});

test('the engine reads an import in slices: progress moves through the parse, and a stop keeps the previous run', async () => {
  const lab = await heaplab().load();
  const { EngineCore } = await import(path.join(ROOT, 'web/js/engine/engine-core.js'));
  const core = new EngineCore(lab);
  const small = core.runScenario({ scenario: { kind: 'import', name: 'a', fileName: 'a.csv', text: CASES['rich.csv'] }, settings: {} });
  assert.equal(small.run.n, 5);
  const text = 'op,id,size\n' + Array.from({ length: 120000 }, (_, i) => `alloc,${i},16\nfree,${i},0\n`).join('');
  const steps = core.runSteps({ scenario: { kind: 'import', name: 'b', fileName: 'b.csv', text }, settings: {} });
  const reading = [];
  for (let r = steps.next(); !r.done && r.value.phase === 'reading'; r = steps.next()) reading.push(r.value.fraction);
  assert.ok(reading.length >= 5, `several progress reports while parsing (${reading.length})`);
  assert.ok(reading.some((f) => f > 0.05 && f < 0.2), 'fractions strictly inside the parse phase');
  assert.ok(reading.every((f, i) => i === 0 || f >= reading[i - 1]), 'never backwards');
  steps.return();
  assert.equal(core.trace.length, 5, 'stopped: the previous run stays');
  const bad = core.runScenario({ scenario: { kind: 'import', name: 'c', fileName: 'c.csv', text: text + 'free,0,0\n' }, settings: {} });
  assert.equal(bad.error, 'c.csv:240002: free of id 0, which is not live');
  assert.equal(core.trace.length, 5, 'a bad import keeps the previous run');
});
