// ostep-model.test.mjs: lab.ostep (web/js/lab/ostep.js) against the worked
// examples of ../shared/ostep-compat.md and the native `heaplab ostep`, and
// the OSTEP mode's DOM-free model (web/js/model/modes/ostep-model.js) and engine
// (the 'ostep' request of web/js/engine/engine-core.js, given a lab):
// sessions, sentences, the address map's segments, the URL. Needs
// dist/heaplab.js and build/heaplab.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import {
  makeSession, stepWords, mapSegments, touchedRange, mapTicks, mapDescription, parseOstepQuery, formatOstepQuery,
  linesOf, entryText, summaryText, MAX_OPS, EXAMPLES, DEFAULT_FLAGS,
} from '../../web/js/model/modes/ostep-model.js';
import { EngineCore } from '../../web/js/engine/engine-core.js';

const require = createRequire(import.meta.url);
const ROOT = new URL('../../', import.meta.url).pathname;
const DIST = `${ROOT}dist/heaplab.js`;
const NATIVE = `${ROOT}build/heaplab`;
if (!existsSync(DIST)) throw new Error('dist/heaplab.js is missing: run ./build.sh first');
const lab = await require(DIST).load();

// The two worked examples, as the specification prints them (header included).
const HEADER1 = 'seed 0\nsize 100\nbaseAddr 1000\nheaderSize 4\nalignment 4\npolicy BEST\nlistOrder ADDRSORT\ncoalesce False\nnumOps 5\nrange 10\npercentAlloc 50\nallocList \ncompute True\n\n';
const BODY1 = 'ptr[0] = Alloc(3) returned 1004 (searched 1 elements)\nFree List [ Size 1 ]: [ addr:1008 sz:92 ]\n\n'
  + 'Free(ptr[0])\nreturned 0\nFree List [ Size 2 ]: [ addr:1000 sz:8 ][ addr:1008 sz:92 ]\n\n'
  + 'ptr[1] = Alloc(5) returned 1012 (searched 2 elements)\nFree List [ Size 2 ]: [ addr:1000 sz:8 ][ addr:1020 sz:80 ]\n\n'
  + 'Free(ptr[1])\nreturned 0\nFree List [ Size 3 ]: [ addr:1000 sz:8 ][ addr:1008 sz:12 ][ addr:1020 sz:80 ]\n\n'
  + 'ptr[2] = Alloc(8) returned 1012 (searched 3 elements)\nFree List [ Size 2 ]: [ addr:1000 sz:8 ][ addr:1020 sz:80 ]\n\n';
const EX2 = 'seed 0\nsize 100\nbaseAddr 1000\nheaderSize 4\nalignment 4\npolicy BEST\nlistOrder ADDRSORT\ncoalesce False\nnumOps 10\nrange 10\npercentAlloc 50\nallocList +10,+20,-0,+5\ncompute True\n\n'
  + 'ptr[0] = Alloc(10) returned 1000 (searched 1 elements)\nFree List [ Size 1 ]: [ addr:1016 sz:84 ]\n\n'
  + 'ptr[1] = Alloc(20) returned 1016 (searched 1 elements)\nFree List [ Size 1 ]: [ addr:1040 sz:60 ]\n\n'
  + 'Free(ptr[0])\nreturned 0\nFree List [ Size 2 ]: [ addr:1000 sz:16 ][ addr:1040 sz:60 ]\n\n'
  + 'ptr[2] = Alloc(5) returned 1000 (searched 2 elements)\nFree List [ Size 2 ]: [ addr:1012 sz:4 ][ addr:1040 sz:60 ]\n\n';

// Flag sets covering every policy and order, coalescing, random seeds and -A corner cases.
const FLAG_SETS = [
  '-S 100 -b 1000 -H 4 -a 4 -l ADDRSORT -p BEST -n 5',
  '-H 4 -a 4 -p BEST -l ADDRSORT -A +10,+20,-0,+5',
  '-p FIRST -l SIZESORT+ -n 30 -s 3',
  '-p WORST -l SIZESORT- -C -n 40 -s 11 -r 20',
  '-p FIRST -l INSERT-FRONT -C -n 25 -s 7 -H 8 -a 8 -S 300 -b 0',
  '-l INSERT-BACK -n 50 -s 1 -P 70',
  '-S 32 -A +5,+100,+5,-0,-0,-2',
  '-C -A +10,+20,+30,-1,-0,-2,+55',
];

// Returns {stdout, stderr, status} of build/heaplab ostep with these shell-free words.
function native(flags) {
  const r = spawnSync(NATIVE, ['ostep', ...flags.split(' ').filter(Boolean)], { encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

// The engine as the page's worker runs it: run(flags) answers the 'ostep' request.
function ostepEngine() {
  const core = new EngineCore(lab);
  return { run: async (flags) => core.handle({ type: 'ostep', flags }) };
}

// Returns the session of flags (through the engine, as the page builds it).
async function sessionOf(flags) {
  const res = await ostepEngine().run(flags);
  assert.ok(res.session, `${flags}: ${res.error}`);
  return res.session;
}

test('lab.ostep prints the worked examples exactly and reports their questions', () => {
  const r1 = lab.ostep('-S 100 -b 1000 -H 4 -a 4 -l ADDRSORT -p BEST -n 5 -c');
  assert.equal(r1.status, 0);
  assert.equal(r1.text, HEADER1 + BODY1);
  assert.deepEqual(r1.questions.map((q) => [q.kind, q.index, q.size, q.answer, q.searched ?? null]),
    [['alloc', 0, 3, 1004, 1], ['free', 0, 8, 0, null], ['alloc', 1, 5, 1012, 2], ['free', 1, 12, 0, null], ['alloc', 2, 8, 1012, 3]]);
  assert.deepEqual(r1.questions[3].freeList, [{ addr: 1000, size: 8 }, { addr: 1008, size: 12 }, { addr: 1020, size: 80 }]);
  assert.deepEqual(r1.options, { seed: 0, size: 100, baseAddr: 1000, headerSize: 4, alignment: 4, numOps: 5, range: 10, percentAlloc: 50, policy: 'BEST', order: 'ADDRSORT', coalesce: false, compute: true, explicit: false });
  const r2 = lab.ostep("python3 ./malloc.py -H 4 -a 4 -p BEST -l ADDRSORT -A '+10,+20,-0,+5' -c");
  assert.equal(r2.text, EX2);
  assert.equal(r2.steps[4].result, 1000, 'explicit mode returns the block address');
  assert.deepEqual(r2.steps[4].blocks.map((b) => [b.addr, b.size, b.free]), [[1000, 12, false], [1012, 4, true], [1016, 24, false], [1040, 60, true]]);
  // compute forced off asks the same questions with '?'
  const q = lab.ostep('-S 100 -b 1000 -H 4 -a 4 -l ADDRSORT -p BEST -n 5 -c', { compute: false });
  assert.match(q.text, /^ptr\[0\] = Alloc\(3\) returned \?\nList\? \n\n/m);
  assert.match(q.text, /compute False\n/);
  assert.deepEqual(q.questions.map((x) => x.answer), r1.questions.map((x) => x.answer), 'the answers are known even when not printed');
});

test('lab.ostep text is byte-identical to build/heaplab ostep, with and without -c', (t) => {
  if (!existsSync(NATIVE)) { t.skip('build/heaplab is missing'); return; }
  for (const flags of FLAG_SETS) {
    for (const c of [' -c', '']) {
      const n = native(flags + c);
      assert.equal(n.status, 0, `${flags}${c}: ${n.stderr}`);
      assert.equal(lab.ostep(flags + c).text, n.stdout, `${flags}${c}`);
    }
    const s = lab.ostep(flags, { compute: true });
    assert.equal(s.text, native(`${flags} -c`).stdout, `${flags} forced -c`);
    assert.equal(s.steps.map((x) => x.text).join(''), s.text, 'the steps cut the text into pieces, in order');
  }
});

test('errors: one line, the status, and what malloc.py printed before crashing', (t) => {
  const cases = [['-p FOO', -2, /unknown policy 'FOO'/], ['-l UPSIDEDOWN', -3, /UPSIDEDOWN/], ['-P 0', -5, /-P/], ['-A +5,x3', -6, /x3/],
    ['-S 32 -A +5,+100,+5,-1 -c', -8, /ptr\[1\]/], ['-x', -1, /no such option/], ["-A '+5", -1, /quote/]];
  for (const [flags, status, re] of cases) {
    const r = lab.ostep(flags);
    assert.equal(r.status, status, flags);
    assert.match(r.error, re, flags);
    assert.doesNotMatch(r.error, /\n/);
    if (existsSync(NATIVE) && !flags.includes("'")) {
      const n = native(flags);
      assert.equal(n.status, 2, flags);
      assert.equal(n.stderr, `heaplab ostep: error: ${r.error}\n`, flags);
      assert.equal(r.text, n.stdout, flags);
    }
  }
  const h = lab.ostep('--help');
  assert.equal(h.status, 1);
  assert.match(h.help, /-A OPSLIST/);
  assert.throws(() => lab.ostep(5), TypeError);
  assert.throws(() => lab.ostep('-n 5', { maxOps: -1 }), RangeError);
});

test('the engine: a session of two runs; errors and the op cap keep nothing', async () => {
  const s = await sessionOf(DEFAULT_FLAGS);
  assert.equal(s.n, 5);
  assert.equal(s.questionCount, 5);
  assert.equal(s.textWith, HEADER1 + BODY1);
  assert.equal(s.textWithout.replace(/compute False/, 'compute True').split('\n').length, (HEADER1 + BODY1).split('\n').length);
  assert.equal(s.steps[1].question, 'ptr[0] = Alloc(3) returned ?\nList? ');
  assert.equal(s.steps[1].answer, 'ptr[0] = Alloc(3) returned 1004 (searched 1 elements)\nFree List [ Size 1 ]: [ addr:1008 sz:92 ]');
  assert.equal(s.steps[2].question, 'Free(ptr[0])\nreturned ?\nList? ');
  const e = ostepEngine();
  assert.deepEqual(await e.run('-p NEXT'), { error: "unknown policy 'NEXT' for -p (use BEST, WORST or FIRST)", status: -2 });
  const big = await e.run(`-n ${MAX_OPS + 1}`);
  assert.equal(big.status, -12);
  assert.match(big.error, new RegExp(`at most ${MAX_OPS}`));
  assert.ok((await e.run(`-n ${MAX_OPS}`)).session);
  assert.match((await e.run('-h')).help, /^Usage: /);
  const skip = await sessionOf('-S 32 -A +5,+100,+5,-0,-0,-2');
  assert.equal(skip.steps[6].kind, 'skip');
  assert.equal(skip.steps[6].question, 'Invalid Free: Skipping');
  assert.equal(skip.steps[6].answer, 'Invalid Free: Skipping');
  assert.equal(skip.questionCount, 5, 'a skipped free asks nothing');
  assert.deepEqual(makeSession('x', { status: 0, steps: [1] }, { status: 0, steps: [1, 2] }), { error: 'the runs with and without -c differ in length' });
  for (const x of EXAMPLES) assert.ok((await e.run(x.flags)).session, x.flags);
});

test('sentences name what malloc.py did, with its numbers', async () => {
  const s = await sessionOf(DEFAULT_FLAGS);
  assert.match(stepWords(s, 0), /100 bytes at 1000/);
  assert.equal(stepWords(s, 1), 'ptr[0] = Alloc(3) needs 8 bytes (3 rounded up to 4 + 4-byte header); searched 1 entry (best fit looks at every entry); took entry 0 at 1000, whose other 92 bytes stay at 1008 in the same list position; returned 1004 (block 1000 + 4-byte header). The free list has 1 entry.');
  assert.match(stepWords(s, 2), /^Free\(ptr\[0\]\) returned 0: the 8-byte block at 1000 goes back on the list \(the list is kept sorted by address\)\. The free list has 2 entries\.$/);
  assert.match(stepWords(s, 5), /took entry 1 at 1008 \(an exact fit: the entry leaves the list\); returned 1012/);
  const c = await sessionOf('-C -A +10,+20,+30,-1,-0,-2,+55');
  assert.match(stepWords(c, 5), /coalescing merged neighbours in list order into 30 bytes at 1000/);
  assert.match(stepWords(c, 6), /coalescing merged neighbours in list order into 100 bytes at 1000/);
  assert.match(stepWords(c, 7), /Alloc\(55\).*took entry 0 at 1000.*returned 1000 \(the block address\)/);
  const fail = await sessionOf('-S 10 -H 4 -n 6 -s 2 -r 10');
  const k = fail.steps.findIndex((x) => x.kind === 'alloc' && x.addr < 0);
  assert.ok(k > 0, 'a failed allocation in this run');
  assert.match(stepWords(fail, k), /none is big enough, so it returned 3 \(-1 \+ the 4-byte header\)/);
  const twice = await sessionOf('-A +5,-0,-0');
  assert.match(stepWords(twice, 3), /^Free\(ptr\[0\]\) returned -1: the block at 1000 is not allocated any more/);
  assert.match(summaryText(s.options, s.n), /^Heap of 100 bytes at 1000–1100, 4-byte header, sizes aligned to 4; BEST, ADDRSORT, no coalescing; 5 random operations \(seed 0/);
});

test('the address map tiles [base, base + size) at every step, cut into header, payload and padding', async () => {
  for (const flags of FLAG_SETS) {
    const s = await sessionOf(flags);
    const o = s.options;
    for (let k = 0; k <= s.n; k++) {
      const segs = mapSegments(s, k);
      let at = o.baseAddr;
      for (const g of segs) {
        assert.equal(g.start, at, `${flags} step ${k}: segments are contiguous`);
        assert.ok(g.end >= g.start);
        assert.ok(Math.abs(g.left - (g.start - o.baseAddr) / o.size) < 1e-12);
        at = g.end;
      }
      assert.equal(at, o.baseAddr + o.size, `${flags} step ${k}: segments end at the heap's end`);
      const free = segs.filter((g) => g.kind === 'free').map((g) => ({ addr: g.start, size: g.end - g.start }));
      assert.deepEqual(free, [...s.steps[k].freeList].sort((a, b) => a.addr - b.addr), `${flags} step ${k}: free segments are the free list`);
      for (const g of segs.filter((x) => x.kind === 'header')) assert.equal(g.end - g.start, o.headerSize);
      for (const g of segs.filter((x) => x.kind === 'payload')) assert.equal(g.end - g.start, g.block.request);
      const t = touchedRange(s, k);
      const st = s.steps[k];
      if (t) assert.ok(st.addr >= t.start && st.addr < t.end, 'the touched block holds the step address');
      else assert.ok(st.kind === 'start' || st.kind === 'skip' || st.addr < 0);
      const ticks = mapTicks(s, k);
      assert.deepEqual([ticks[0].addr, ticks[ticks.length - 1].addr], [o.baseAddr, o.baseAddr + o.size]);
    }
  }
  const s = await sessionOf(DEFAULT_FLAGS);
  assert.deepEqual(mapSegments(s, 3).map((g) => [g.kind, g.start, g.end]),
    [['free', 1000, 1008], ['header', 1008, 1012], ['payload', 1012, 1017], ['padding', 1017, 1020], ['free', 1020, 1100]]);
  assert.match(mapDescription(s, 3), /ptr\[1\]: block 1008–1020 \(12 bytes: 4-byte header, 5 requested, 3 alignment padding\)/);
});

test('a long run past the snapshot budget still steps: later steps say they are not recorded', async () => {
  const s = await sessionOf('-S 100000 -r 100 -n 2000 -s 1');
  assert.equal(s.truncated, true);
  const k = s.steps.findIndex((x) => !x.freeList);
  assert.ok(k > 1 && k <= s.n, 'snapshots stop somewhere inside the run');
  assert.ok(mapSegments(s, k - 1).length > 0);
  assert.deepEqual(mapSegments(s, s.n), []);
  assert.equal(touchedRange(s, s.n), null);
  assert.match(mapDescription(s, s.n), /not recorded/);
  assert.match(stepWords(s, s.n), /^(ptr\[\d+\] = Alloc|Free\(ptr)/);
  assert.equal(s.steps.map((x) => x.answer).join('\n\n').length > 0, true);
});

test('the URL keeps the flags (with + and commas), the step and the answers switch (c=1)', () => {
  const flags = '-S 100 -p BEST -A +10,+20,-0 -c';
  const q = formatOstepQuery(flags, 3);
  assert.equal(q, '?ostep=-S+100+-p+BEST+-A+%2B10,%2B20,-0+-c&step=3');
  assert.deepEqual(parseOstepQuery(q), { flags, step: 3, answers: false });
  assert.deepEqual(parseOstepQuery('?ostep=-S+100+-p+BEST&step=2'), { flags: '-S 100 -p BEST', step: 2, answers: false });
  assert.deepEqual(parseOstepQuery('?ostep=&step=x'), { flags: '', step: null, answers: false });
  assert.deepEqual(parseOstepQuery('?scenario=random&step=4'), { flags: null, step: 4, answers: false });
  assert.equal(formatOstepQuery('-n 3', 2, true), '?ostep=-n+3&step=2&c=1');
  assert.deepEqual(parseOstepQuery('?ostep=-n+3&step=2&c=1'), { flags: '-n 3', step: 2, answers: true });
  assert.equal(linesOf('a\nb\n\n'), 'a\nb');
  assert.equal(linesOf('Invalid Free: Skipping\n'), 'Invalid Free: Skipping');
  assert.equal(entryText({ addr: 1008, size: 92 }), '[ addr:1008 sz:92 ]');
});
