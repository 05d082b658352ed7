// report.cjs: the benchmark's arithmetic and presentation, as pure
// functions (no I/O), so they can be tested on their own:
//   aggregate(samples, utils)  raw runs -> one result per (env, trace, allocator)
//   summarize(results, ...)    geometric-mean throughput ratios, mean utilization
//   formatReport(...)          the readable tables
// A result is { trace, allocator, env, ops_per_us, utilization,
// utilization_charged, ops, runs, median_us, median_wall_us, us_runs,
// failures }: ops_per_us = ops / median(us over the runs), where us is the
// CPU time of the replay loop; utilization_charged charges what the
// allocator keeps outside its heap (HeapLab's side_bytes: the live bitmap,
// the live table) as heap: peak payload / (heap peak + side bytes). The
// peers keep all their metadata inside their heaps: for them it equals
// utilization.
'use strict';

// Returns the median of a non-empty array of numbers.
function median(xs) {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// Returns the geometric mean of positive numbers (NaN when empty).
function geomean(xs) {
    if (!xs.length) return NaN;
    return Math.exp(xs.reduce((acc, x) => acc + Math.log(x), 0) / xs.length);
}

// Returns results from timed samples { env, trace, allocator, us, ops,
// failures, peak_payload?, heap_peak? } and untimed utilization runs
// { env, trace, allocator, utilization }. HeapLab samples carry their own
// utilization (peak_payload / heap_peak); others take it from utils.
// Instruction counts { env, trace, allocator, instructions } (optional)
// become instr_per_op.
function aggregate(samples, utils, instr) {
    const groups = new Map();
    for (const s of samples) {
        const key = `${s.env}\u0000${s.trace}\u0000${s.allocator}`;
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key).push(s);
    }
    const utilOf = new Map(utils.map((u) => [`${u.env}\u0000${u.trace}\u0000${u.allocator}`, u.utilization]));
    const results = [];
    for (const [key, runs] of groups) {
        const { env, trace, allocator, ops } = runs[0];
        const med = median(runs.map((r) => r.us));
        const own = runs[0].heap_peak ? runs[0].peak_payload / runs[0].heap_peak : undefined;
        const utilization = own !== undefined ? own : utilOf.get(key);
        const charged = runs[0].heap_peak ? runs[0].peak_payload / (runs[0].heap_peak + (runs[0].side_bytes || 0))
            : utilization;
        results.push({
            trace, allocator, env,
            ops_per_us: med > 0 ? ops / med : 0,
            utilization: utilization === undefined ? null : utilization,
            utilization_charged: charged === undefined ? null : charged,
            ops, runs: runs.length, median_us: med,
            median_wall_us: runs.every((r) => r.wall_us !== undefined) ? median(runs.map((r) => r.wall_us)) : null,
            us_runs: runs.map((r) => r.us).sort((a, b) => a - b),
            failures: Math.max(...runs.map((r) => r.failures)),
        });
    }
    for (const c of instr || []) {
        const res = results.find((x) => x.env === c.env && x.trace === c.trace && x.allocator === c.allocator);
        if (res) res.instr_per_op = c.instructions / res.ops;
    }
    return results;
}

// Returns the HeapLab allocators to compare with the peers: heaplab-fast
// when it was measured, else every heaplab-* allocator.
function subjects(results) {
    const names = [...new Set(results.map((r) => r.allocator).filter((a) => a.startsWith('heaplab-')))];
    return names.includes('heaplab-fast') ? ['heaplab-fast'] : names;
}

// Returns { ratio, n }: the geometric mean over common traces of a's
// `field` (default ops_per_us) divided by b's, in one env (traces limited
// to `only` if given).
function ratio(results, env, a, b, only, field = 'ops_per_us') {
    const of = (name) => new Map(results.filter((r) => r.env === env && r.allocator === name && r[field] > 0)
        .map((r) => [r.trace, r[field]]));
    const A = of(a), B = of(b), xs = [];
    for (const [trace, v] of A) if (B.has(trace) && (!only || only.has(trace))) xs.push(v / B.get(trace));
    return { ratio: geomean(xs), n: xs.length };
}

// Returns the mean of `field` per (env, allocator) over the traces of `set`.
function means(results, set, field) {
    const out = [];
    for (const env of ['native', 'wasm']) {
        const allocs = [...new Set(results.filter((r) => r.env === env).map((r) => r.allocator))];
        for (const allocator of allocs) {
            const us = results.filter((r) => r.env === env && r.allocator === allocator && set.has(r.trace) &&
                                              r[field] !== null && r[field] !== undefined).map((r) => r[field]);
            if (us.length) out.push({ env, allocator, mean: us.reduce((a, b) => a + b, 0) / us.length, traces: us.length });
        }
    }
    return out;
}

// Returns the summary: throughput ratios of each subject against the peers
// (and against the bump allocator, the limit), mean utilization per (env,
// allocator) over the graded traces, and both utilizations over the real
// traces (`real`, optional).
function summarize(results, graded, real) {
    const gradedSet = new Set(graded), realSet = new Set(real || []);
    const peers = { native: ['glibc', 'glibc-notrim', 'bump'], wasm: ['dlmalloc', 'emmalloc', 'bump'] };
    const ratios = [];
    for (const subject of subjects(results))
        for (const env of Object.keys(peers))
            for (const peer of peers[env]) {
                const all = ratio(results, env, subject, peer);
                if (!all.n) continue;
                const ml = ratio(results, env, subject, peer, gradedSet);
                ratios.push({ env, allocator: subject, peer, geomean_all: all.ratio, traces_all: all.n,
                              geomean_malloclab: ml.n ? ml.ratio : null, traces_malloclab: ml.n });
            }
    const utilization = means(results, gradedSet, 'utilization');
    const charged = means(results, gradedSet, 'utilization_charged');
    const realUtil = means(results, realSet, 'utilization'), realCharged = means(results, realSet, 'utilization_charged');
    const instructions = []; // peer instructions / HeapLab's: > 1 when HeapLab executes fewer
    for (const subject of subjects(results))
        for (const peer of peers.native.filter((p) => p !== 'bump')) {
            const all = ratio(results, 'native', peer, subject, null, 'instr_per_op');
            if (!all.n) continue;
            const ml = ratio(results, 'native', peer, subject, gradedSet, 'instr_per_op');
            instructions.push({ env: 'native', allocator: subject, peer, geomean_all: all.ratio, traces_all: all.n,
                                geomean_malloclab: ml.n ? ml.ratio : null, traces_malloclab: ml.n });
        }
    return { ratios, instruction_ratios: instructions, malloclab_utilization: utilization,
             malloclab_utilization_charged: charged, real_utilization: realUtil, real_utilization_charged: realCharged,
             graded_traces: graded, real_traces: real || [] };
}

// Returns the allocator column order for an env: HeapLab policies in engine
// order, then the peers.
function columns(results, env, policies) {
    const present = new Set(results.filter((r) => r.env === env).map((r) => r.allocator));
    const order = policies.map((p) => `heaplab-${p}`).concat(['glibc', 'glibc-notrim', 'emmalloc', 'dlmalloc', 'bump']);
    return order.filter((a) => present.has(a));
}

// Returns one table (lines) of a numeric field: rows are traces, columns
// allocators, then (if given) the column extra = { name, of: trace -> value }.
function table(results, env, field, cols, digits, extra) {
    const traces = [...new Set(results.filter((r) => r.env === env).map((r) => r.trace))];
    const short = (a) => a.replace(/^heaplab-/, '');
    const w0 = Math.max(5, ...traces.map((t) => t.length));
    const widths = cols.map((c) => Math.max(7, short(c).length));
    const pad = (s, w) => String(s).padStart(w);
    const head = ['trace'.padEnd(w0) + cols.map((c, i) => ' ' + pad(short(c), widths[i])).join('')];
    if (extra) head[0] += ' ' + pad(extra.name, 7);
    const lines = head;
    for (const t of traces) {
        const cells = cols.map((c, i) => {
            const r = results.find((x) => x.env === env && x.trace === t && x.allocator === c);
            const v = r ? r[field] : null;
            const mark = r && r.failures ? '!' : '';
            return ' ' + pad(v === null || v === undefined ? '-' : v.toFixed(digits) + mark, widths[i]);
        });
        if (extra) {
            const v = extra.of[t];
            cells.push(' ' + pad(typeof v === 'number' ? v.toFixed(digits) : '-', 7));
        }
        lines.push(t.padEnd(w0) + cells.join(''));
    }
    return lines;
}

// Returns the whole readable report as one string.
function formatReport(results, summary, meta) {
    const out = [];
    const warm = meta.mode === 'warm';
    out.push(`HeapLab allocator benchmark (${warm ? 'warm: the second replay on the same heap' : 'cold: a fresh heap per run'}): ` +
             `median of ${meta.runs} runs per measurement; ops/us = trace ops / median`);
    out.push('CPU time of the replay loop (user + system: page faults count, preemption by other load does not).');
    out.push('Columns without a prefix are HeapLab policies (heaplab-<name>). "!" = the allocator refused a request.');
    out.push('bump = a bump allocator (free does nothing): the limit of the harness.');
    for (const env of ['native', 'wasm']) {
        const cols = columns(results, env, meta.policies);
        if (!cols.length) continue;
        out.push('');
        out.push(env === 'native' ? `== native (${meta.native})` : `== wasm (${meta.wasm})`);
        if (env === 'native') out.push(`   glibc = default settings; glibc-notrim = ${meta.glibc_notrim}`);
        out.push('-- throughput, ops per microsecond (higher is better)');
        out.push(...table(results, env, 'ops_per_us', cols, 2));
        const lb = meta.lb ? { name: 'LB', of: meta.lb } : null;
        out.push('-- utilization, peak live payload / heap high-water mark (higher is better);');
        out.push('   LB = peak live payload / (8 + peak live block bytes), the bound for HeapLab\'s block format');
        out.push(...table(results, env, 'utilization', cols, 3, lb));
        out.push('-- utilization charging metadata kept outside the heap as heap (HeapLab: live bitmap and table)');
        out.push(...table(results, env, 'utilization_charged', cols, 3, lb));
        const counted = cols.filter((c) => results.some((r) => r.env === env && r.allocator === c && r.instr_per_op));
        if (counted.length) {
            out.push('-- instructions per op of the replay loop, callgrind (exact; lower is better)');
            out.push(...table(results, env, 'instr_per_op', counted, 0));
        }
    }
    out.push('');
    out.push('== geometric-mean throughput ratios (>1: HeapLab faster)');
    for (const r of summary.ratios) {
        const ml = r.geomean_malloclab === null ? '' : `; ${r.geomean_malloclab.toFixed(3)} over ${r.traces_malloclab} malloclab`;
        out.push(`   ${r.env.padEnd(6)} ${r.allocator} / ${r.peer}: ${r.geomean_all.toFixed(3)} over ${r.traces_all} traces${ml}`);
    }
    if (summary.instruction_ratios.length) out.push('== geometric-mean instruction-count ratios, peer / HeapLab (>1: HeapLab executes fewer)');
    for (const r of summary.instruction_ratios) {
        const ml = r.geomean_malloclab === null ? '' : `; ${r.geomean_malloclab.toFixed(3)} over ${r.traces_malloclab} malloclab`;
        out.push(`   ${r.env.padEnd(6)} ${r.peer} / ${r.allocator}: ${r.geomean_all.toFixed(3)} over ${r.traces_all} traces${ml}`);
    }
    const lbMean = (set) => {
        const xs = set.map((t) => meta.lb && meta.lb[t]).filter((v) => typeof v === 'number');
        return xs.length ? ` (LB ${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3)})` : '';
    };
    const meanBlock = (title, set, plain, chargedList) => {
        if (!plain || !plain.length) return;
        out.push(`== mean utilization over the ${set.length} ${title}${lbMean(set)}: plain, charged`);
        for (const u of plain) {
            const c = (chargedList || []).find((x) => x.env === u.env && x.allocator === u.allocator);
            out.push(`   ${u.env.padEnd(6)} ${u.allocator.padEnd(16)} ${u.mean.toFixed(3)}` +
                     (c ? `  ${c.mean.toFixed(3)}` : '') + (u.traces !== set.length ? ` (${u.traces} traces)` : ''));
        }
    };
    meanBlock('graded malloclab traces', summary.graded_traces, summary.malloclab_utilization,
              summary.malloclab_utilization_charged);
    meanBlock('real traces', summary.real_traces || [], summary.real_utilization, summary.real_utilization_charged);
    return out.join('\n') + '\n';
}

module.exports = { median, geomean, aggregate, summarize, formatReport, subjects };
