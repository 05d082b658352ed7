#!/usr/bin/env bash
# tests/mm/run.sh: `heaplab mm`, the Malloc Lab scorer (run by ./build.sh test).
#  1. the reference first fit (tests/mm/mm_first_fit.c) is valid on HeapLab's
#     own traces and, when ../shared/traces/malloclab is present, on five of
#     the lab's traces, with utilization within 5 points of
#     `heaplab replay --policy first --order addr` on each;
#  2. the broken allocator's first violation is named with its check and op
#     (an overlap at op 9, a realloc that lost data at op 2), exit status 1;
#  3. a crash, a hang (1 s limit), an exit() and the 20 MB limit inside the
#     student's code are reported with their op, and the tool survives;
#  4. the mm log: what --log wrote, read back by c/mm's reader (test_mm_log);
#     the header walk (--decode cs-app) on the reference and the broken one;
#  5. usage: code that does not compile, a missing compiler: exit 2.
# (Measured: within 0.6 points on the lab traces; 3.6 and 4.9 on the generated fragment and
# realloc scenarios, whose small blocks pay for the reference's footers.)
# Timing is off (--runs 0) except one run that checks the perf index's shape.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
make --no-print-directory -s -f c/Makefile -j"${JOBS:-2}" build/heaplab build/san/tests/mm/test_mm_log || exit 2
H=build/heaplab
T=tests/mm/traces
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failed=0
fail() { echo "FAILED: $*" >&2; failed=1; }
field() { /usr/bin/python3 -c "import json,sys; rows=[json.loads(l) for l in open(sys.argv[1])]; v=eval(sys.argv[2]); print(', '.join(map(str, v)) if isinstance(v, tuple) else v)" "$@"; }

# 1. the reference allocator: valid, utilization as the engine's first fit
traces=()
for s in random fragment realloc phases; do $H gen $s --seed 3 --ops 1500 > "$TMP/$s.csv"; traces+=("$TMP/$s.csv"); done
traces+=(web/data/git_log.csv)
LAB=../shared/traces/malloclab
if [ -d "$LAB" ]; then
    for t in short1 amptjp binary2 coalescing realloc2; do traces+=("$LAB/$t-bal.rep"); done
else
    echo "mm: $LAB is not here: the Malloc Lab traces are skipped"
fi
args=(); for t in "${traces[@]}"; do args+=(--trace "$t"); done
$H mm --runs 0 --json "${args[@]}" tests/mm/mm_first_fit.c > "$TMP/ff.json"; rc=$?
[ $rc -eq 0 ] || fail "first fit: exit $rc"
for i in "${!traces[@]}"; do
    t=${traces[$i]}
    mm=$(field "$TMP/ff.json" "rows[$i]['valid'], round(rows[$i]['util'], 4)")
    eng=$($H replay --policy first --order addr --json "$t" | /usr/bin/python3 -c "import json,sys; print(round(json.load(sys.stdin)['utilization'], 4))")
    /usr/bin/python3 -c "import sys; v,u=sys.argv[1].split(', '); e=float(sys.argv[2]); sys.exit(0 if v=='True' and abs(float(u)-e) <= 0.05 else 1)" "$mm" "$eng" \
        || fail "first fit on $(basename "$t"): valid,util $mm vs replay $eng"
    echo "mm first fit $(basename "$t"): $mm (replay first/addr $eng)"
done
[ "$(field "$TMP/ff.json" "rows[-1]['errors'], rows[-1]['perf_thru']")" = "0, 0" ] || fail "first fit: total row"

# timing on, one short trace: the index is util and thru points, each in range
$H mm --runs 1 --json --trace $T/overlap.rep tests/mm/mm_first_fit.c > "$TMP/t.json" || fail "timed run"
[ "$(field "$TMP/t.json" "0 < rows[0]['secs'] and 0 < rows[0]['libc_secs'] and 0 < rows[-1]['perf_thru'] <= 40 and abs(rows[-1]['perf_index'] - rows[-1]['perf_util'] - rows[-1]['perf_thru']) < 1e-9")" = True ] \
    || fail "timed run: $(cat "$TMP/t.json")"
$H mm --runs 1 --trace $T/overlap.rep tests/mm/mm_first_fit.c > "$TMP/t.txt"
grep -q '^Results for libc malloc:' "$TMP/t.txt" && grep -q '^trace  valid  util     ops      secs  Kops$' "$TMP/t.txt" \
    && grep -q '^Perf index = [0-9]* (util) + [0-9]* (thru) = [0-9]*/100$' "$TMP/t.txt" || fail "mdriver's table: $(cat "$TMP/t.txt")"

# 2. the broken allocator, and 3. the hostile one: status, check, op
expect() { # SRC TRACE STATUS CHECK OP [extra args]
    local src=$1 tr=$2 st=$3 ck=$4 op=$5; shift 5
    $H mm --runs 0 --json "$@" --trace "$T/$tr.rep" "tests/mm/$src.c" > "$TMP/x.json" 2>"$TMP/x.err"; local rc=$?
    local got; got=$(field "$TMP/x.json" "rows[0]['status'], rows[0]['check'], rows[0]['op']")
    [ $rc -eq 1 ] && [ "$got" = "$st, $ck, $op" ] || fail "$src on $tr: exit $rc, got '$got', want '$st, $ck, $op'"
    echo "mm $src on $tr: $got: $(field "$TMP/x.json" "rows[0]['message']")"
}
expect mm_broken overlap invalid overlap 9
expect mm_broken realloc invalid realloc 2
expect mm_hostile crash crash none 2
expect mm_hostile hang timeout none 1 --time-limit 1
expect mm_hostile exit exit none 0
expect mm_hostile nomem out-of-memory null 20
grep -q 'overlaps the live payload of id 4' <($H mm --runs 0 --trace $T/overlap.rep tests/mm/mm_broken.c) || fail "the table names the overlap"

# 4. the log
$H mm --runs 0 --log "$TMP/ov.log" --trace $T/overlap.rep tests/mm/mm_broken.c > /dev/null
build/san/tests/mm/test_mm_log "$TMP/ov.log" || fail "test_mm_log"
$H mm --runs 0 --log "$TMP/crash.log" --trace $T/crash.rep tests/mm/mm_hostile.c > /dev/null 2>&1
[ "$(tail -n 1 "$TMP/crash.log" | cut -d, -f1-5)" = "end,0,crash,2,none" ] && [ "$(grep -c '^[0-9]' "$TMP/crash.log")" = 2 ] \
    || fail "crash log: $(cat "$TMP/crash.log")"

# the header walk (--decode cs-app): the reference follows the textbook's format after every op, and the
# blocks it reads tile the heap from the prologue to the epilogue; the broken allocator does not, and says why
$H mm --runs 0 --json --decode cs-app --log "$TMP/dec.log" --trace "$TMP/fragment.csv" --trace $T/overlap.rep tests/mm/mm_first_fit.c > "$TMP/dec.json" \
    || fail "decode: exit status"
[ "$(field "$TMP/dec.json" "rows[0]['decode'], rows[1]['decode'], rows[0]['decode_op']")" = "ok, ok, -1" ] || fail "decode: $(cat "$TMP/dec.json")"
/usr/bin/python3 - "$TMP/dec.log" <<'PY' || fail "decode: the blocks do not tile the heap"
import sys
blocks, heap, last = {}, 0, {}
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split(",")
    if f[0] == "trace": blocks, heap = {}, 0
    elif f[0] == "b":
        if f[2] == "+": blocks[int(f[3])] = (int(f[4]), int(f[5]))
        else: del blocks[int(f[3])]
    elif f[0] == "end":
        at = 4  # the padding word, then the prologue, the blocks and the epilogue
        for off in sorted(blocks):
            assert off == at, (off, at)
            at += blocks[off][0]
        assert at + 4 == heap, (at, heap)
        print("decode tiles the heap:", len(blocks), "blocks")
    elif f[0][0].isdigit(): heap = int(f[5])
PY
$H mm --runs 0 --json --decode cs-app --log "$TMP/dec2.log" --trace $T/overlap.rep tests/mm/mm_broken.c > "$TMP/dec2.json"
[ "$(field "$TMP/dec2.json" "rows[0]['decode'], rows[0]['decode_op']")" = "stopped, 0" ] && grep -q '^decode,0,cs-app,stopped,0,after op 0: no prologue' "$TMP/dec2.log" \
    || fail "decode of the broken allocator: $(cat "$TMP/dec2.json")"
[ "$($H mm --runs 0 --json --decode cs-app --trace $T/realloc.rep tests/mm/mm_first_fit.c | head -n 1 | grep -o '"decode":"[a-z]*"')" = '"decode":"ok"' ] \
    || fail "--decode without --log still walks the headers"
$H mm --decode other tests/mm/mm_first_fit.c > /dev/null 2>&1; [ $? -eq 2 ] || fail "--decode other"

# 5. usage
printf 'int mm_init(void) { return 0 }\n' > "$TMP/bad.c"
$H mm --trace $T/overlap.rep "$TMP/bad.c" > /dev/null 2>"$TMP/err"; rc=$?
[ $rc -eq 2 ] && grep -q "the compiler 'cc' failed" "$TMP/err" || fail "compile error: exit $rc, $(cat "$TMP/err")"
$H mm --cc /nonexistent/cc --trace $T/overlap.rep tests/mm/mm_first_fit.c > /dev/null 2>"$TMP/err"; rc=$?
[ $rc -eq 2 ] && grep -q "cannot run the compiler" "$TMP/err" || fail "missing compiler: exit $rc"
$H mm --trace /nonexistent.rep tests/mm/mm_first_fit.c > /dev/null 2>"$TMP/err"; rc=$?
[ $rc -eq 2 ] || fail "missing trace: exit $rc"
$H mm --align 4 tests/mm/mm_first_fit.c > /dev/null 2>&1; [ $? -eq 2 ] || fail "--align 4"
HEAPLAB_PAGE=/nonexistent.html $H mm --runs 0 --page "$TMP/p.html" --trace $T/overlap.rep tests/mm/mm_first_fit.c > /dev/null 2>"$TMP/err"; rc=$?
[ $rc -eq 2 ] && grep -q "run ./build.sh, or set HEAPLAB_PAGE" "$TMP/err" || fail "--page without the built page: exit $rc"

[ $failed -eq 0 ] && echo "mm: all passed"
exit $failed
