#!/usr/bin/env bash
# tests/bench/run.sh: the benchmark's test suite (run by ./build.sh test).
# Checks that the benchmark runs end to end and that what it reports is
# well formed and consistent; it never asserts on timings (shared machine).
#   1. unit tests of the arithmetic (report.test.cjs, node --test);
#   2. run-bench.sh --only on two small traces (one generated, one written
#      here whose HeapLab utilization is known from allocator-semantics.md,
#      plus malloclab's short1 when ../shared/traces/malloclab is present):
#      exit 0, the JSON has every (trace, allocator, env) with the expected
#      keys, the policy list comes from the engine, HeapLab's utilization is
#      the same natively and in wasm, glibc-notrim really ran with trimming
#      and mmap off;
#   3. --instructions: callgrind counts exactly the allocators it should;
#   4. bad input: a malformed trace (error names file:line, exit 2), an
#      unknown option, a missing file, and replay programs that are not
#      programs or name an id beyond their table (the harness refuses them
#      before replaying: exit 2).
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=build/tests/bench
rm -rf "$OUT" && mkdir -p "$OUT"
failed=()
fail() { failed+=("$1"); echo "FAILED: $1" >&2; }

echo "-- report arithmetic"
node --test tests/bench/report.test.cjs > "$OUT/unit.log" 2>&1 || { cat "$OUT/unit.log"; fail "report.test.cjs"; }

echo "-- end to end on small traces"
build/heaplab gen random --seed 7 --ops 400 --format rep > "$OUT/small.rep" || fail "heaplab gen"
# a 0 100 -> block 104, break 8+104 = 112; a 1 200 -> 208, break 320; f 0;
# a 2 96 -> 104, reuses block 0 exactly. Peak payload 300, high-water 320.
printf '1000\n3\n5\n1\na 0 100\na 1 200\nf 0\na 2 96\nf 1\n' > "$OUT/known.rep"
TRACES=("$OUT/small.rep" "$OUT/known.rep")
if [ -f ../shared/traces/malloclab/short1-bal.rep ]; then
    TRACES+=(../shared/traces/malloclab/short1-bal.rep)
else
    echo "   ../shared/traces/malloclab not present: short1-bal skipped"
fi
if tests/bench/run-bench.sh --only --runs 2 --json "$OUT/out.json" "${TRACES[@]}" > "$OUT/table.txt" 2> "$OUT/err.txt"; then
    grep -q "geometric-mean throughput ratios" "$OUT/table.txt" || fail "the table has no ratio section"
    POLICIES=$(build/bench/bench-native policies)
    node - "$OUT/out.json" "$POLICIES" "${#TRACES[@]}" <<'JS' || fail "JSON contents"
const fs = require('fs');
const [file, policiesJson, ntraces] = process.argv.slice(2);
const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
const policies = JSON.parse(policiesJson);
const problems = [];
const check = (ok, what) => { if (!ok) problems.push(what); };
check(Array.isArray(doc.results), 'results is an array');
const expect = {
    native: policies.map((p) => `heaplab-${p}`).concat(['glibc', 'glibc-notrim', 'bump']),
    wasm: policies.map((p) => `heaplab-${p}`).concat(['emmalloc', 'dlmalloc', 'bump']),
};
const traces = [...new Set(doc.results.map((r) => r.trace))];
check(traces.length === Number(ntraces), `one label per trace (${traces})`);
for (const r of doc.results) {
    for (const k of ['trace', 'allocator', 'env', 'ops_per_us', 'utilization'])
        check(k in r, `${JSON.stringify(r)} has ${k}`);
    check(typeof r.ops_per_us === 'number' && r.ops_per_us > 0, `${r.env} ${r.trace} ${r.allocator}: ops_per_us > 0`);
    check(typeof r.utilization === 'number' && r.utilization > 0 && r.utilization <= 1,
          `${r.env} ${r.trace} ${r.allocator}: utilization in (0, 1] (${r.utilization})`);
    check(r.failures === 0, `${r.env} ${r.trace} ${r.allocator}: no refused request`);
    check(r.runs === 2, `${r.env} ${r.trace} ${r.allocator}: 2 runs`);
    const lb = doc.meta.lb[r.trace];
    check(typeof lb === 'number' && lb > 0 && lb <= 1, `${r.trace}: LB in (0, 1] (${lb})`);
    if (r.allocator.startsWith('heaplab-')) {
        check(r.utilization <= lb + 1e-9, `${r.env} ${r.trace} ${r.allocator}: utilization <= LB (${r.utilization} > ${lb})`);
        check(r.utilization_charged < r.utilization, `${r.env} ${r.trace} ${r.allocator}: charging side bytes lowers utilization`);
    } else {
        check(r.utilization_charged === r.utilization, `${r.env} ${r.trace} ${r.allocator}: nothing outside the heap to charge`);
    }
}
for (const env of ['native', 'wasm'])
    for (const t of traces)
        for (const a of expect[env])
            check(doc.results.filter((r) => r.env === env && r.trace === t && r.allocator === a).length === 1,
                  `exactly one result for ${env} ${t} ${a}`);
check(doc.results.length === traces.length * (expect.native.length + expect.wasm.length), 'no extra results');
for (const t of traces)
    for (const p of policies) {
        const u = (env) => doc.results.find((r) => r.env === env && r.trace === t && r.allocator === `heaplab-${p}`);
        check(u('native') && u('wasm') && u('native').utilization === u('wasm').utilization,
              `${t} heaplab-${p}: same utilization natively and in wasm`);
    }
const known = traces.find((t) => t.endsWith('/known'));
check(Math.abs(doc.meta.lb[known] - 300 / 320) < 1e-9, `known trace: LB 300/(8 + 312) (${doc.meta.lb[known]})`);
check(doc.meta.mode === 'cold', 'the default mode is cold');
for (const p of ['first', 'next', 'best', 'worst']) {
    const r = doc.results.find((x) => x.env === 'native' && x.trace === known && x.allocator === `heaplab-${p}`);
    check(r && Math.abs(r.utilization - 300 / 320) < 1e-9, `known trace, ${p}: utilization 300/320 (${r && r.utilization})`);
}
const probe = doc.meta && doc.meta.glibc_probe;
check(probe && probe.glibc.trims && probe.glibc.mmapped_1mib, 'glibc (default) trims and mmaps');
check(probe && !probe['glibc-notrim'].trims && !probe['glibc-notrim'].mmapped_1mib, 'glibc-notrim neither trims nor mmaps');
check(doc.summary && doc.summary.ratios.length > 0, 'summary has ratios');
if (problems.length) { console.error(problems.join('\n')); process.exit(1); }
console.log(`   ${doc.results.length} results checked`);
JS
else
    cat "$OUT/err.txt" >&2
    fail "run-bench.sh on small traces"
fi

echo "-- warm mode"
if tests/bench/run-bench.sh --only --runs 1 --warm --json "$OUT/warm.json" "$OUT/small.rep" > "$OUT/warm.txt" 2> "$OUT/warm.err"; then
    grep -q "warm: the second replay on the same heap" "$OUT/warm.txt" || fail "the warm table does not say it is warm"
    node - "$OUT/warm.json" "$OUT/out.json" <<'JS' || fail "warm JSON contents"
const fs = require('fs');
const [warm, cold] = process.argv.slice(2).map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
const bad = warm.results.filter((r) => !(r.ops_per_us > 0) || r.failures !== 0);
const perTrace = cold.results.length / new Set(cold.results.map((r) => r.trace)).size; // one trace here
if (warm.meta.mode !== 'warm' || bad.length || warm.results.length !== perTrace) {
    console.error('warm run wrong:', warm.meta.mode, bad.map((r) => `${r.env} ${r.allocator}`), warm.results.length);
    process.exit(1);
}
// HeapLab's high-water mark spans both replays, the first being the cold one: never better than cold
for (const r of warm.results) {
    const c = cold.results.find((x) => x.env === r.env && x.allocator === r.allocator && x.trace === r.trace);
    if (r.allocator.startsWith('heaplab-') && (!c || r.utilization > c.utilization + 1e-12)) {
        console.error(`${r.env} ${r.allocator}: warm utilization ${r.utilization} != cold ${c && c.utilization}`);
        process.exit(1);
    }
}
JS
else
    cat "$OUT/warm.err" >&2
    fail "run-bench.sh --warm"
fi

echo "-- instruction counts (callgrind)"
if tests/bench/run-bench.sh --only --runs 1 --no-wasm --instructions --json "$OUT/instr.json" "$OUT/small.rep" \
        > "$OUT/instr.txt" 2> "$OUT/instr.err"; then
    node - "$OUT/instr.json" <<'JS' || fail "instruction counts"
const doc = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const policies = doc.meta.policies;
const counted = (policies.includes('fast') ? ['heaplab-fast'] : policies.map((p) => `heaplab-${p}`)).concat(['glibc', 'glibc-notrim']);
const bad = doc.results.filter((r) => counted.includes(r.allocator) !== (typeof r.instr_per_op === 'number' && r.instr_per_op > 0));
if (bad.length || !doc.summary.instruction_ratios.length) { console.error('instr_per_op wrong for', bad.map((r) => r.allocator)); process.exit(1); }
JS
else
    cat "$OUT/instr.err" >&2
    fail "run-bench.sh --instructions"
fi

echo "-- bad input"
printf '10\n2\n3\n1\na 0 10\na 1 x\nf 0\n' > "$OUT/bad.rep"
tests/bench/run-bench.sh --only --runs 1 "$OUT/bad.rep" > /dev/null 2> "$OUT/bad.err"
rc=$?
[ $rc -eq 2 ] || fail "malformed trace: exit $rc, expected 2"
grep -q "bad.rep:6:" "$OUT/bad.err" || { cat "$OUT/bad.err"; fail "malformed trace: error names file:line"; }
tests/bench/run-bench.sh --frobnicate > /dev/null 2> "$OUT/opt.err"
rc=$?
[ $rc -eq 2 ] && grep -q "unknown option --frobnicate" "$OUT/opt.err" || fail "unknown option: exit $rc"
tests/bench/run-bench.sh --only "$OUT/missing.rep" > /dev/null 2>&1
rc=$?
[ $rc -eq 2 ] || fail "missing trace file: exit $rc, expected 2"

# programs: garbage, truncated, and one whose op names id 5 in a 1-id table
head -c 100 /dev/urandom > "$OUT/garbage.prog"
node -e '
const fs = require("fs"), dir = process.argv[1];
const prog = (nIds, ops) => {
    const b = Buffer.alloc(32 + 12 * ops.length);
    [0x50424c48, 1, ops.length, nIds, 8, 0, 0, 0].forEach((v, i) => b.writeUInt32LE(v, 4 * i));
    ops.forEach(([id, size, op], i) => { b.writeUInt32LE(id, 32 + 12 * i); b.writeUInt32LE(size, 36 + 12 * i);
                                         b.writeUInt32LE(op.charCodeAt(0), 40 + 12 * i); });
    return b;
};
fs.writeFileSync(dir + "/good.prog", prog(1, [[0, 8, "a"], [0, 0, "f"]]));
fs.writeFileSync(dir + "/badid.prog", prog(1, [[0, 8, "a"], [5, 0, "f"]]));
fs.writeFileSync(dir + "/short.prog", prog(1, [[0, 8, "a"], [0, 0, "f"]]).subarray(0, 40));
' "$OUT"
for a in glibc heaplab-first; do
    build/bench/bench-native run $a "$OUT/good.prog" > /dev/null 2>&1 || fail "a valid program is refused ($a)"
    for p in garbage badid short; do
        build/bench/bench-native run $a "$OUT/$p.prog" > /dev/null 2> "$OUT/prog.err"
        rc=$?
        [ $rc -eq 2 ] && grep -q "not a benchmark program" "$OUT/prog.err" || fail "$p.prog under $a: exit $rc"
    done
done

if [ ${#failed[@]} -ne 0 ]; then
    echo "bench suite: ${#failed[@]} failure(s): ${failed[*]}" >&2
    exit 1
fi
echo "bench suite passed"
