// report.test.cjs: unit tests of the benchmark's arithmetic (report.cjs),
// run with `node --test` by tests/bench/run.sh.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { median, geomean, aggregate, summarize, formatReport, subjects } = require('./report.cjs');

test('median of odd and even counts, input untouched', () => {
    const xs = [5, 1, 3];
    assert.equal(median(xs), 3);
    assert.deepEqual(xs, [5, 1, 3]);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7]), 7);
});

test('geometric mean', () => {
    assert.ok(Math.abs(geomean([2, 8]) - 4) < 1e-12);
    assert.ok(Math.abs(geomean([0.5, 2]) - 1) < 1e-12);
    assert.ok(Number.isNaN(geomean([])));
});

const S = (env, trace, allocator, us, extra) => Object.assign({ env, trace, allocator, us, ops: 1000, failures: 0 }, extra);

test('aggregate: median time, HeapLab utilization from its own counters, peers from util runs', () => {
    const samples = [
        S('native', 't', 'heaplab-fast', 100, { peak_payload: 90, heap_peak: 120 }),
        S('native', 't', 'heaplab-fast', 300, { peak_payload: 90, heap_peak: 120 }),
        S('native', 't', 'heaplab-fast', 200, { peak_payload: 90, heap_peak: 120 }),
        S('native', 't', 'glibc', 50), S('native', 't', 'glibc', 40, { failures: 2 }), S('native', 't', 'glibc', 1000),
    ];
    const res = aggregate(samples, [{ env: 'native', trace: 't', allocator: 'glibc', utilization: 0.5 }]);
    const fast = res.find((r) => r.allocator === 'heaplab-fast');
    assert.equal(fast.ops_per_us, 1000 / 200);
    assert.equal(fast.utilization, 0.75);
    assert.equal(fast.runs, 3);
    const g = res.find((r) => r.allocator === 'glibc');
    assert.equal(g.ops_per_us, 1000 / 50);
    assert.equal(g.utilization, 0.5);
    assert.equal(g.failures, 2);
});

test('summarize: ratios over common traces, malloclab means over the graded set only', () => {
    const r = (env, trace, allocator, ops_per_us, utilization) => ({ env, trace, allocator, ops_per_us, utilization, failures: 0 });
    const results = [
        r('wasm', 'a', 'heaplab-fast', 2, 0.9), r('wasm', 'a', 'dlmalloc', 1, 0.8),
        r('wasm', 'b', 'heaplab-fast', 1, 0.7), r('wasm', 'b', 'dlmalloc', 4, 0.6),
        r('wasm', 'c', 'heaplab-fast', 5, 0.1), // no dlmalloc result for c: not in the ratio
        r('wasm', 'a', 'heaplab-first', 1, 0.5),
    ];
    assert.deepEqual(subjects(results), ['heaplab-fast']);
    const s = summarize(results, ['a', 'b']);
    const d = s.ratios.find((x) => x.peer === 'dlmalloc');
    assert.equal(d.traces_all, 2);
    assert.ok(Math.abs(d.geomean_all - Math.sqrt(2 * 0.25)) < 1e-12);
    const u = s.malloclab_utilization.find((x) => x.allocator === 'heaplab-fast');
    assert.ok(Math.abs(u.mean - 0.8) < 1e-12);
    assert.equal(u.traces, 2);
    const text = formatReport(results, s, { runs: 5, policies: ['first', 'fast'], wasm: 'w', native: 'n' });
    assert.match(text, /heaplab-fast \/ dlmalloc: 0\.707 over 2 traces/);
    assert.match(text, /^a\s+1\.00\s+2\.00\s+1\.00$/m); // columns: first, fast, dlmalloc
});

test('instruction counts: per op, ratio peer / HeapLab, table only for counted allocators', () => {
    const samples = [S('native', 't', 'heaplab-fast', 10), S('native', 't', 'glibc', 5), S('native', 't', 'heaplab-first', 9)];
    const instr = [{ env: 'native', trace: 't', allocator: 'heaplab-fast', instructions: 400000 },
                   { env: 'native', trace: 't', allocator: 'glibc', instructions: 100000 }];
    const res = aggregate(samples, [], instr);
    assert.equal(res.find((r) => r.allocator === 'heaplab-fast').instr_per_op, 400);
    assert.equal(res.find((r) => r.allocator === 'heaplab-first').instr_per_op, undefined);
    const s = summarize(res, []);
    assert.equal(s.instruction_ratios.length, 1);
    assert.equal(s.instruction_ratios[0].geomean_all, 0.25);
    const text = formatReport(res, s, { runs: 1, policies: ['first', 'fast'], native: 'n' });
    assert.match(text, /^trace\s+fast\s+glibc$/m);
    assert.match(text, /glibc \/ heaplab-fast: 0\.250 over 1 traces/);
});

test('without a fast policy every HeapLab policy is compared', () => {
    const results = [{ allocator: 'heaplab-first' }, { allocator: 'heaplab-best' }, { allocator: 'glibc' }];
    assert.deepEqual(subjects(results).sort(), ['heaplab-best', 'heaplab-first']);
});
