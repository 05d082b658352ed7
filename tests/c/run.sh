#!/usr/bin/env bash
# tests/c/run.sh: HeapLab's native test suite (run by ./build.sh test).
#
#  1. test_stress at -O2 without sanitizers, in the background: 200,000 ops
#     for every policy x order x coalescing against the shadow model, with
#     heap_check after every op (under ASan that would take too long for CI);
#     then test_cursor at -O2 (seeks on 9,000-op scenarios vs fresh replays);
#  2. the library built with -fsanitize=address,undefined and HEAP_DEBUG=2
#     (c/Makefile's `san` variant, build/san/libheaplab.a), and
#     the unit tests test_heapinfo (the size index), test_edge, test_arena, test_realloc, test_misuse,
#     test_api, test_trace, test_cursor, test_lossless, test_oom (issue 16:
#     the lossless log), test_roundtrip (its property test) plus a short
#     sanitized stress run;
#  3. replays through build/heaplab with --check (heap checker after every
#     op; payload patterns, alignment and bounds verified): the generated
#     scenarios, ../shared/traces/malloclab/**.rep and the real traces under
#     every policy x order, without coalescing on smaller sets (see the job
#     list), the .rep twins of the real traces compared with the .csv, the
#     JSON output's keys, and the CLI's exit 2 + file:line on bad input
#     (and tests/c/cli_strict.sh: issue 16's command-line cases);
#  4. the libFuzzer target: 60 s when $CI is set, else 10 s.
# Exits non-zero when anything failed. Knobs: STRESS_OPS, STRESS_SAN_OPS,
# FUZZ_SECONDS, JOBS, HEAPLAB_FULL=1 (every real trace whole with --check
# under every combo, malloclab without coalescing under every combo: ~30 min).
set -uo pipefail
shopt -s nullglob
cd "$(dirname "$0")/../.." || exit 2
. tests/c/lib.sh

OUT=build/tests
JOBS=${JOBS:-2}
STRESS_OPS=${STRESS_OPS:-200000}
STRESS_SAN_OPS=${STRESS_SAN_OPS:-20000}
FUZZ_SECONDS=${FUZZ_SECONDS:-$([ -n "${CI:-}" ] && echo 60 || echo 10)}
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
HEAPLAB=build/heaplab
MALLOCLAB=../shared/traces/malloclab
REAL=../shared/traces/real
T0=$(date +%s)
failed=()

say() { echo "[c $(( $(date +%s) - T0 ))s] $*"; }
fail() { failed+=("$1"); echo "FAILED: $1" >&2; }

rm -rf "$OUT/traces" "$OUT/replay"
mkdir -p "$OUT/traces" "$OUT/replay"
UNITS="heap/test_heapinfo heap/test_edge heap/test_arena heap/test_realloc heap/test_misuse heap/test_api heap/test_search trace/test_scenarios trace/test_trace trace/test_parse_slices trace/test_cursor heap/test_stress trace/test_lossless heap/test_oom trace/test_roundtrip"

# --- 1. the -O2 stress run, in the background -------------------------------
say "test_stress (-O2, $STRESS_OPS ops per combo) and test_cursor (-O2) in the background"
( build_targets build/rel/tests/c/heap/test_stress build/rel/tests/c/trace/test_cursor &&
  build/rel/tests/c/heap/test_stress "$STRESS_OPS" 1 >"$OUT/stress.log" 2>&1 &&
  build/rel/tests/c/trace/test_cursor >>"$OUT/stress.log" 2>&1; echo $? >"$OUT/stress.rc" ) &
STRESS_PID=$!

# --- 2. sanitized engine library and unit tests -------------------------------
say "building the library and the unit tests with ASan+UBSan, HEAP_DEBUG=2"
SAN=build/san/tests/c
# shellcheck disable=SC2046
build_targets $(printf "$SAN/%s " $UNITS) || { fail "sanitized build"; wait; printf 'tests/c FAILED: sanitized build\n' >&2; exit 1; }
for t in heap/test_heapinfo heap/test_edge heap/test_arena heap/test_realloc heap/test_misuse heap/test_api heap/test_search trace/test_scenarios trace/test_lossless heap/test_oom trace/test_roundtrip; do
    say "${t#*/}"
    "$SAN/$t" || fail "${t#*/}"
done
say "test_trace"
"$SAN/trace/test_trace" "$OUT" || fail test_trace
say "test_parse_slices"
"$SAN/trace/test_parse_slices" "$OUT" "$REAL" || fail test_parse_slices
say "test_cursor (sanitized: 2,100 ops per scenario, 4 seeks per combo; -O2: 9,000 and 12, in the background)"
"$SAN/trace/test_cursor" 2100 4 || fail test_cursor
say "test_stress (sanitized, $STRESS_SAN_OPS ops per combo)"
"$SAN/heap/test_stress" "$STRESS_SAN_OPS" 2 >"$OUT/stress-san.log" 2>&1 || fail "test_stress (sanitized)"
grep -v ': ok ' "$OUT/stress-san.log"

# --- 3. replays through the CLI ---------------------------------------------
build_targets "$HEAPLAB" || fail "build heaplab"
POLICIES=""
for p in first next best worst fast; do
    printf 'op,id,size\nalloc,0,8\nfree,0,0\n' >"$OUT/traces/tiny.csv"
    "$HEAPLAB" replay --policy "$p" "$OUT/traces/tiny.csv" >/dev/null 2>&1 && POLICIES="$POLICIES $p"
done
rm -f "$OUT/traces/tiny.csv"
ORDERS="lifo fifo addr"
say "policies:$POLICIES; orders: $ORDERS"

GEN="$OUT/traces/gen"
SMALL="$OUT/traces/small"
CUT="$OUT/traces/real-cut"
mkdir -p "$GEN" "$SMALL" "$CUT"
for s in random stack queue phases fragment realloc best-wins worst-wins next-spreads; do
    # the one-policy-wins constructions keep thousands of holes live (the checker after every
    # op walks them all), and their point is the construction, not the length: 3,000 ops
    case "$s" in *-wins|*-spreads) gen_ops=3000 ;; *) gen_ops=20000 ;; esac
    for seed in 1 2; do
        "$HEAPLAB" gen "$s" --seed "$seed" --ops "$gen_ops" >"$GEN/$s-$seed.csv" || fail "gen $s"
    done
    "$HEAPLAB" gen "$s" --seed 3 --ops 5000 --format rep >"$GEN/$s-3.rep" || fail "gen $s rep"
    "$HEAPLAB" gen "$s" --seed 4 --ops 2000 >"$SMALL/$s-4.csv" || fail "gen $s small"
done
MLAB=""
if [ -d "$MALLOCLAB" ]; then
    MLAB=$(printf '%s ' "$MALLOCLAB"/*.rep "$MALLOCLAB"/*/*.rep)
else
    echo "skipped: $MALLOCLAB not present"
fi
# Real traces. sqlite3 and git_log replay whole with --check everywhere. The
# checker after every op is O(blocks): python_json (52k live blocks) takes
# ~100 s and gcc_cc1_pngtest ~9 s per combo with --check, so by default they
# replay with --check on a prefix (CUT_OPS ops) under every combo, and whole
# (payload patterns, alignment and bounds still verified) under every combo.
# HEAPLAB_FULL=1 replays every real trace whole with --check under every combo.
CHECKED_REAL="" WHOLE_REAL=""
if [ -d "$REAL" ]; then
    for f in "$REAL"/*.csv; do
        b=$(basename "$f" .csv)
        case "$b" in
            sqlite3|git_log) CHECKED_REAL="$CHECKED_REAL $f" ;;
            *) if [ -n "${HEAPLAB_FULL:-}" ]; then
                   CHECKED_REAL="$CHECKED_REAL $f"
               else
                   cut_ops=$([ "$b" = python_json ] && echo 40000 || echo 60000)
                   head -n $((cut_ops + 1)) "$f" >"$CUT/$b-first$cut_ops.csv"
                   CHECKED_REAL="$CHECKED_REAL $CUT/$b-first$cut_ops.csv"
                   WHOLE_REAL="$WHOLE_REAL $f"
               fi ;;
        esac
    done
else
    echo "skipped: $REAL not present"
fi

# Job list: "LABEL<TAB>ARGS" per heaplab run, run JOBS at a time, the
# longest kinds first (add_job RANK LABEL ARGS; lower rank starts earlier).
jobs_file="$OUT/replay/jobs.txt"
: >"$jobs_file.unsorted"
add_job() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$jobs_file.unsorted"; }
for p in $POLICIES; do
    for o in $ORDERS; do
        [ -n "$CHECKED_REAL" ] && add_job 1 "real checked $p $o" "--check --policy $p --order $o $CHECKED_REAL"
        [ -n "$MLAB" ] && add_job 2 "malloclab $p $o" "--check --policy $p --order $o $MLAB"
        # the few combos below: every combo with HEAPLAB_FULL
        few=${HEAPLAB_FULL:-}
        case "$p/$o" in first/addr|best/lifo|fast/fifo) few=1 ;; esac
        # malloclab without coalescing
        if [ -n "$MLAB" ] && [ -n "$few" ]; then
            add_job 3 "malloclab $p $o no-coalesce" "--check --no-coalesce --policy $p --order $o $MLAB"
        fi
        add_job 4 "generated $p $o" "--check --policy $p --order $o $GEN/*"
        add_job 6 "generated-small $p $o no-coalesce" "--check --no-coalesce --policy $p --order $o $SMALL/*"
        [ -n "$WHOLE_REAL" ] && add_job 4 "real whole $p $o" "--policy $p --order $o $WHOLE_REAL"
        # the .rep twins (same ops as the .csv), compared with the .csv below
        if [ -d "$REAL" ] && [ -n "$few" ]; then
            add_job 5 "real rep $p $o" "--policy $p --order $o $(printf '%s ' "$REAL"/*.rep)"
        fi
    done
done
sort -s -n -k1,1 "$jobs_file.unsorted" | cut -f2- >"$jobs_file"
say "$(wc -l <"$jobs_file") heaplab replay runs, $JOBS at a time"
export HEAPLAB OUT
# shellcheck disable=SC2016
tr '\t' '\n' <"$jobs_file" | xargs -d '\n' -n 2 -P "$JOBS" sh -c '
    log="$OUT/replay/$(echo "$1" | tr " /" "__").log"
    start=$(date +%s)
    # shellcheck disable=SC2086
    if "$HEAPLAB" replay --json $2 >"$log" 2>&1; then
        echo "ok      $1 ($(( $(date +%s) - start ))s)"
    else
        echo "FAILED  $1 (see $log)"; tail -n 5 "$log"
    fi
' _ >"$OUT/replay/summary.txt"
cat "$OUT/replay/summary.txt"
grep -q '^FAILED' "$OUT/replay/summary.txt" && fail "replays"

# Every replay line is JSON with the documented keys and "ok"; a real
# program's .rep and .csv (same ops) give the same results under the same
# combo. Utilization per trace for first and best fit goes to utilization.txt.
/usr/bin/python3 - "$OUT/replay/utilization.txt" "$OUT"/replay/*.log <<'PY' || fail "replay --json output"
import json, os, sys
keys = {"trace", "ops", "allocs", "frees", "reallocs", "failed", "skipped", "peak_payload", "heap_bytes", "utilization", "ns_per_op"}
same = ("ops", "allocs", "frees", "reallocs", "failed", "skipped", "peak_payload", "heap_bytes", "free_blocks", "internal_frag")
rows, bad = [], []
for path in sys.argv[2:]:
    for line in open(path):
        if line.startswith("{"):
            r = json.loads(line)
            missing = keys - set(r)
            if missing: bad.append(f"{path}: missing {sorted(missing)}")
            if r.get("ok") is not True: bad.append(f"{path}: not ok: {line.strip()}")
            rows.append(r)
by = {}
for r in rows:
    name, ext = os.path.splitext(os.path.basename(r["trace"]))
    if "/traces/real/" in r["trace"]:
        by.setdefault((name, r["policy"], r["order"], r["coalesce"]), {})[ext] = r
pairs = 0
for k, v in by.items():
    if ".csv" in v and ".rep" in v:
        pairs += 1
        diff = [f for f in same if v[".csv"][f] != v[".rep"][f]]
        if diff: bad.append(f"{k}: .csv and .rep differ in {diff}")
with open(sys.argv[1], "w") as out:
    out.write("trace policy order utilization heap_bytes peak_payload (coalescing on)\n")
    for r in sorted(rows, key=lambda r: (r["trace"], r["policy"], r["order"])):
        if r["coalesce"] and r["policy"] in ("first", "best") and ("/traces/real/" in r["trace"] or "malloclab" in r["trace"]):
            out.write(f'{r["trace"]} {r["policy"]} {r["order"]} {r["utilization"]:.4f} {r["heap_bytes"]} {r["peak_payload"]}\n')
for b in bad[:20]: print(b)
print(f"replay --json: {len(rows)} result lines, {pairs} real .csv/.rep pairs compared, {len(bad)} problems")
sys.exit(1 if bad or not rows else 0)
PY

# No two C files call each other, directly or round a circle (nm over build/rel).
python3 tests/c/file_graph.py rel || fail "file graph"

# The CLI reports bad input as file:line with exit 2 and runs nothing.
printf 'op,id,size\nalloc,0,16\nfree,1,0\n' >"$OUT/traces/bad.csv"
"$HEAPLAB" replay --check "$OUT/traces/bad.csv" >"$OUT/replay/bad.out" 2>"$OUT/replay/bad.err"
rc=$?
if [ $rc = 2 ] && grep -q "bad.csv:3: " "$OUT/replay/bad.err" && [ ! -s "$OUT/replay/bad.out" ]; then
    echo "ok      bad trace: exit 2, $(head -n 1 "$OUT/replay/bad.err")"
else
    fail "bad trace: exit $rc, stderr: $(head -c 300 "$OUT/replay/bad.err")"
fi
"$HEAPLAB" replay --policy nosuch "$GEN/random-1.csv" >/dev/null 2>&1
rc=$?
if [ $rc = 2 ]; then echo "ok      unknown policy: exit 2"; else fail "unknown policy: exit $rc, not 2"; fi
"$HEAPLAB" replay "$OUT/traces/no-such-file.csv" >/dev/null 2>&1
rc=$?
if [ $rc = 2 ]; then echo "ok      missing file: exit 2"; else fail "missing file: exit $rc, not 2"; fi

# Issue 16 at the command line: logs that replay to themselves, out of host
# memory reported, strict flags and file checks (tests/c/cli_strict.sh).
tests/c/cli_strict.sh "$HEAPLAB" "$OUT/cli-strict" || fail "cli_strict"

say "waiting for test_stress (-O2)"
wait "$STRESS_PID"
cat "$OUT/stress.log"
[ "$(cat "$OUT/stress.rc")" = 0 ] || fail "test_stress (-O2)"

# --- 4. fuzzing ---------------------------------------------------------------
say "fuzzing for ${FUZZ_SECONDS}s"
tests/c/fuzz/fuzz.sh "$FUZZ_SECONDS" || fail "fuzz_ops"

say "done"
if [ ${#failed[@]} -ne 0 ]; then
    printf 'tests/c FAILED: %s\n' "${failed[@]}" >&2
    exit 1
fi
echo "tests/c: all passed"
