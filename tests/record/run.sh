#!/usr/bin/env bash
# tests/record/run.sh: `heaplab record` and the LD_PRELOAD recorder (run by
# ./build.sh test). Real programs installed on the machine (sort on a
# generated file, python3 building a dict, gzip) and three test programs
# built here (prog_exact: an exactly known set of calls; prog_threads;
# prog_fork: a fork and an exec) are recorded, and for each:
#   - its stdout and exit status are byte-identical with and without the
#     recorder (stderr too with --quiet);
#   - every trace it wrote parses, and replays under every policy with
#     --check (heap checker after every op) with no error and no failed op
#     (prog_exact: exactly its 3 recorded failing requests fail);
#   - the counts match what the program did where the test knows them.
# Plus the trace reader's optional columns (test_sites, sanitized) and the
# command's usage errors. About 20 s.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
. tests/c/lib.sh

OUT=build/tests/record
HEAPLAB=build/heaplab
POLICIES="first next best worst fast"
T0=$(date +%s)
failed=()
say() { echo "[record $(( $(date +%s) - T0 ))s] $*"; }
fail() { failed+=("$1"); echo "FAILED: $1" >&2; }
check() { local name=$1; shift; if "$@"; then :; else fail "$name"; fi; }

build_targets build/heaplab build/libheaplab-record.so build/san/tests/record/test_sites || { echo "tests/record FAILED: build" >&2; exit 1; }
rm -rf "$OUT" && mkdir -p "$OUT"
for p in exact threads fork; do
    gcc -std=gnu11 -O0 -fno-builtin -g -rdynamic -pthread -Wall "tests/record/prog_$p.c" -o "$OUT/prog_$p" ||
        { echo "tests/record FAILED: building prog_$p" >&2; exit 1; }
done

say "test_sites (sanitized)"
check test_sites build/san/tests/record/test_sites

# record NAME [record flags] -- CMD...: runs CMD bare and under the recorder
# (trace $OUT/NAME.csv); fails unless stdout and the exit status are the same.
# Leaves the status in $rc and the summary in $OUT/NAME.err.
record() {
    local name=$1; shift
    local flags=()
    while [ "$1" != "--" ]; do flags+=("$1"); shift; done
    shift
    ( "$@" >"$OUT/$name.bare.out" 2>/dev/null; exit $? ) 2>/dev/null; local bare=$? # (no "Killed" from the shell)
    "$HEAPLAB" record --out "$OUT/$name.csv" "${flags[@]}" -- "$@" >"$OUT/$name.rec.out" 2>"$OUT/$name.err"; rc=$?
    cmp -s "$OUT/$name.bare.out" "$OUT/$name.rec.out" || fail "$name: stdout differs under the recorder"
    [ "$bare" = "$rc" ] || fail "$name: exit status $rc under the recorder, $bare without"
    grep -q "does not parse" "$OUT/$name.err" && fail "$name: $(grep 'does not parse' "$OUT/$name.err")"
    return 0
}

# replays FILE [FAILED]: every policy, --check, no error, FAILED (default 0) failed ops.
replays() {
    local f=$1 want=${2:-0} p line
    for p in $POLICIES; do
        line=$("$HEAPLAB" replay --policy "$p" --check --json "$f" 2>&1)
        case "$line" in
            *'"ok":true'*"\"failed\":$want,"*|*"\"failed\":$want,"*'"ok":true'*) ;;
            *) fail "$(basename "$f") under $p: $line"; return ;;
        esac
    done
}

# rows FILE AWK-CONDITION: the number of data rows where the condition holds
# (fields: $1 op, $2 id, $3 size, $4 result, $5 thread, $6 time, $7 site).
rows() { awk -F, "NR > 1 && ($2) { n++ } END { print n + 0 }" "$1"; }

# --- real programs -------------------------------------------------------------
say "sort on a generated file"
awk 'BEGIN { srand(7); for (i = 0; i < 40000; i++) printf "%d %s\n", int(rand() * 1e9), (i % 7 ? "x" : "yy") }' >"$OUT/in.txt"
record sort --sites -- sort -k1,1n "$OUT/in.txt"
replays "$OUT/sort.csv"
check "sort: the trace has sites" [ "$(rows "$OUT/sort.csv" '$1 == "alloc" && $7 ~ /^(sort|libc\.so\.6)/')" -gt 0 ]

say "python3 building a dict"
PY=/usr/bin/python3
record python --sites -- "$PY" -c 'd = {str(i): [i] * (i % 5) for i in range(30000)}; print(len(d), sum(map(len, d.values())))'
replays "$OUT/python.csv"
check "python: realloc rows (the dict grows)" [ "$(rows "$OUT/python.csv" '$1 == "realloc"')" -gt 0 ]
check "python: names from dladdr" grep -q 'python3[^,]*!Py' "$OUT/python.csv"

say "gzip: compress (static buffers: no heap call), then decompress"
record gzip -- gzip -c -6 "$OUT/in.txt"
check "gzip: an empty trace that parses" [ "$(rows "$OUT/gzip.csv" 1)" = 0 ]
replays "$OUT/gzip.csv"
cp "$OUT/gzip.rec.out" "$OUT/in.txt.gz"
record gunzip -- gzip -dc "$OUT/in.txt.gz"
check "gunzip: the original back" cmp -s "$OUT/gunzip.rec.out" "$OUT/in.txt"
check "gunzip: allocs recorded" [ "$(rows "$OUT/gunzip.csv" '$1 == "alloc"')" -gt 0 ]
replays "$OUT/gunzip.csv"

say "--quiet: stderr is the program's own (sort of a missing file)"
sort "$OUT/missing.txt" >/dev/null 2>"$OUT/quiet.bare.err"; bare=$?
"$HEAPLAB" record --quiet --out "$OUT/quiet.csv" -- sort "$OUT/missing.txt" >/dev/null 2>"$OUT/quiet.rec.err"; rc=$?
check "quiet: exit status" [ "$bare" = "$rc" ]
check "quiet: stderr identical" cmp -s "$OUT/quiet.bare.err" "$OUT/quiet.rec.err"

# --- prog_exact: counts -------------------------------------------------------------
say "prog_exact: exact counts"
N=25
record exact --sites -- "$OUT/prog_exact" $N
f=$OUT/exact.csv
check "exact: allocs"   [ "$(rows "$f" '$1 == "alloc"')" = $((8 * N + 4)) ]
check "exact: reallocs" [ "$(rows "$f" '$1 == "realloc"')" = $((2 * N + 1)) ]
check "exact: frees"    [ "$(rows "$f" '$1 == "free"')" = $((8 * N + 1)) ]
check "exact: failed calls and their errno" [ "$(awk -F, 'NR > 1 && $4 < 0 { printf "%s%s:%s", s, $1, $4; s = " " }' "$f")" = "alloc:-12 alloc:-12 alloc:-22 realloc:-12" ]
check "exact: calloc = n*size" [ "$(awk -F, 'NR == 3 { print $1 "," $3 }' "$f")" = "alloc,2" ]
check "exact: calloc overflow saturates" grep -q '^alloc,[0-9]*,18446744073709551615,-12,' "$f"
check "exact: realloc keeps its id" [ "$(awk -F, 'NR == 4 { print $1 "," $2 "," $3 }' "$f")" = "realloc,0,100" ]
check "exact: ids dense in allocation order" [ "$(awk -F, 'NR > 1 && $1 == "alloc" { if ($2 != n) bad = 1; n++ } END { print bad + 0 }' "$f")" = 0 ]
check "exact: one thread" [ "$(rows "$f" '$5 != 0')" = 0 ]
check "exact: every alloc's site is in main" [ "$(rows "$f" '$1 != "free" && $7 !~ /^prog_exact!main\+0x[0-9a-f]+$/')" = 0 ]
check "exact: time never goes back" [ "$(awk -F, 'NR > 2 && $6 < t { bad = 1 } NR > 1 { t = $6 } END { print bad + 0 }' "$f")" = 0 ]
check "exact: free(NULL) counted" grep -q "not recorded: $N free(NULL)" "$OUT/exact.err"
replays "$f" 3   # the too-big malloc, calloc overflow and realloc fail in HeapLab too

say "prog_exact: --site-depth 2 (the caller, then its caller)"
record depth2 --site-depth 2 -- "$OUT/prog_exact" 3
check "site depth 2: main, called from libc's start" [ "$(rows "$OUT/depth2.csv" '$1 != "free" && $7 !~ /^prog_exact!main\+0x[0-9a-f]+<libc\.so\.6[!+]/')" = 0 ]
check "site depth 2: rows" [ "$(rows "$OUT/depth2.csv" 1)" = $((18 * 3 + 6)) ]

say "prog_exact: --max-ops, SIGKILL"
record maxops --max-ops 10 -- "$OUT/prog_exact" $N
check "max-ops: 10 rows" [ "$(rows "$OUT/maxops.csv" 1)" = 10 ]
check "max-ops: the rest counted" grep -q "calls after --max-ops" "$OUT/maxops.err"
replays "$OUT/maxops.csv"
record killed -- "$OUT/prog_exact" $N kill
check "kill: status 137" [ "$rc" = 137 ]
check "kill: every row before the signal" [ "$(rows "$OUT/killed.csv" 1)" = $((18 * N)) ]
replays "$OUT/killed.csv"

# --- threads ---------------------------------------------------------------------
say "prog_threads: --threads all and main"
T=4 M=1500
record threads --sites -- "$OUT/prog_threads" $T $M
f=$OUT/threads.csv
check "threads: worker allocs" [ "$(rows "$f" '$1 == "alloc" && $7 ~ /^prog_threads!worker\+/')" = $((T * M + T)) ]
check "threads: main allocs" [ "$(rows "$f" '$1 == "alloc" && $7 ~ /^prog_threads!main\+/')" = $T ]
check "threads: worker rows on T threads" [ "$(awk -F, 'NR > 1 && $7 ~ /worker/ { s[$5] = 1 } END { print length(s) }' "$f")" = $T ]
check "threads: every block freed" [ "$(awk -F, 'NR > 1 && $1 == "alloc" && $7 ~ /^prog_threads!/ { a[$2] = 1 } NR > 1 && $1 == "free" && ($2 in a) { delete a[$2] } END { print length(a) }' "$f")" = 0 ]
replays "$f"
record threads_main --sites --threads main -- "$OUT/prog_threads" $T $M
f=$OUT/threads_main.csv
check "threads main: no worker allocs" [ "$(rows "$f" '$7 ~ /worker/')" = 0 ]
check "threads main: main's allocs" [ "$(rows "$f" '$1 == "alloc" && $7 ~ /^prog_threads!main\+/')" = $T ]
check "threads main: the workers' frees of main's blocks" [ "$(rows "$f" '$1 == "free" && $5 != 0')" = $T ]
check "threads main: unknown frees counted" grep -Eq "not recorded: [0-9]+ frees/reallocs of pointers it never saw" "$OUT/threads_main.err"
replays "$f"

# --- fork and exec ------------------------------------------------------------------
say "prog_fork: a forked child and an exec each write their own trace"
rm -f "$OUT"/fork*.csv
record fork -- "$OUT/prog_fork" 12 30
check "fork: status 7 passes through" [ "$rc" = 7 ]
f=$OUT/fork.csv
check "fork: the parent's blocks" [ "$(rows "$f" '$1 == "alloc" && $3 >= 1000 && $3 < 2000')" = 12 ]
check "fork: no child rows in the parent's trace" [ "$(rows "$f" '$3 >= 2000 && $3 < 3000')" = 0 ]
kids=("$OUT"/fork-*.csv)
check "fork: two more traces" [ ${#kids[@]} = 2 ]
child=$(grep -l '^alloc,[0-9]*,20[0-9][0-9],' "${kids[@]}" 2>/dev/null)
check "fork: the child's own trace" [ -n "$child" ]
if [ -n "$child" ]; then
    check "fork: child allocs" [ "$(rows "$child" '$1 == "alloc"')" = 30 ]
    check "fork: child ids start at 0" [ "$(awk -F, 'NR == 2 { print $2 }' "$child")" = 0 ]
    check "fork: the parent's blocks are unknown to the child" grep -q "12 frees/reallocs of pointers it never saw" "$OUT/fork.err"
fi
check "fork: the exec'd sh wrote its own" grep -q "/dash\|/sh" "$OUT/fork.err"
for k in "$f" "${kids[@]}"; do replays "$k"; done
check "fork: no leftover directory" [ -z "$(ls -d "$OUT"/fork.csv.rec-* 2>/dev/null)" ]

say "the pointer map never lost a block (no block 'freed behind its back' in any recording)"
check "no implicit frees" [ -z "$(grep -l "behind its back" "$OUT"/*.err)" ]

# --- usage ------------------------------------------------------------------------------
say "usage errors"
"$HEAPLAB" record >/dev/null 2>&1; check "no command: 2" [ $? = 2 ]
"$HEAPLAB" record --threads some -- true >/dev/null 2>&1; check "bad --threads: 2" [ $? = 2 ]
"$HEAPLAB" record --max-ops 0 -- true >/dev/null 2>&1; check "bad --max-ops: 2" [ $? = 2 ]
"$HEAPLAB" record --out "$OUT/none.csv" -- "$OUT/no-such-program" 2>"$OUT/none.err"; check "missing program: 127" [ $? = 127 ]
check "missing program: said so" grep -q "cannot run" "$OUT/none.err"

if [ ${#failed[@]} -ne 0 ]; then
    printf 'tests/record FAILED (%d): %s\n' "${#failed[@]}" "${failed[*]}" >&2
    exit 1
fi
say "all passed"
