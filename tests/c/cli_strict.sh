#!/usr/bin/env bash
# tests/c/cli_strict.sh HEAPLAB DIR: the command line's side of issue 16.
#   - a replay's --log replays to the same log (a failed alloc whose id is
#     reused; a refused free at an offset >= 2^32), and --log implies --once;
#   - out of host memory (ulimit -v) while logging: exit 2 and a message
#     saying so, no log file;
#   - flags: numbers are digits below 2^64 (no ' -1', no 2^64), `--` ends
#     the options, --json is never mixed with --show text, JSON names are
#     valid UTF-8; a directory or an oversized file is named as such.
# Prints "ok ..." lines; exits 1 when anything failed.
set -uo pipefail
H=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
D=$2
mkdir -p "$D"
bad=0
ok() { echo "ok      $*"; }
no() { echo "FAILED: $*" >&2; bad=1; }
# expect2 WHAT GREP ARGS...: exit 2 with GREP in stderr
expect2() {
    local what=$1 want=$2; shift 2
    "$H" "$@" >"$D/out" 2>"$D/err"
    local rc=$?
    if [ $rc = 2 ] && grep -q -- "$want" "$D/err"; then ok "$what: exit 2"; else no "$what: exit $rc, stderr $(head -c 200 "$D/err")"; fi
}

printf 'op,id,size\nalloc,1,0\nfree,1,0\nalloc,1,8\n' >"$D/reuse.csv"
"$H" replay --log "$D/reuse-log.csv" "$D/reuse.csv" >/dev/null &&
    "$H" replay --log "$D/reuse-log2.csv" "$D/reuse-log.csv" >/dev/null &&
    cmp -s "$D/reuse-log.csv" "$D/reuse-log2.csv" && ok "failed alloc + id reuse: the log replays to itself" ||
    no "failed alloc + id reuse: the log does not replay to itself"
printf 'op,id,size,offset,result\nalloc,0,32,0,0\nfree,-1,0,4294967304,-4\n' >"$D/high.csv"
"$H" replay --log "$D/high-log.csv" "$D/high.csv" >/dev/null &&
    "$H" replay --log "$D/high-log2.csv" "$D/high-log.csv" >/dev/null &&
    cmp -s "$D/high-log.csv" "$D/high-log2.csv" && grep -q ',4294967304,' "$D/high-log.csv" &&
    ok "offset 2^32 + 8: logged whole, replays to itself" || no "offset 2^32 + 8 lost in the log"
printf 'op,id,size,offset,result\nalloc,0,32,0,0\nalloc,1,32,0,0\nfree,-1,0,8,-4\nfree,0,0,0,0\n' >"$D/crafted.csv"
"$H" replay "$D/crafted.csv" >"$D/out" 2>&1
[ $? = 1 ] && grep -q "names a live block" "$D/out" && ok "a recorded bad call on a live block: refused" ||
    no "a recorded bad call on a live block: $(cat "$D/out")"

"$H" gen random --ops 1000000 --seed 5 >"$D/big.csv"
( ulimit -v 120000; exec "$H" replay --log "$D/big-log.csv" "$D/big.csv" ) >/dev/null 2>"$D/err"
rc=$?
if [ $rc = 2 ] && grep -q "out of host memory" "$D/err" && [ ! -e "$D/big-log.csv" ]; then
    ok "out of host memory while logging: exit 2, $(head -n 1 "$D/err")"
else
    no "out of host memory while logging: exit $rc, stderr $(head -c 200 "$D/err")"
fi
rm -f "$D/big.csv" "$D/big-log.csv"

expect2 "--show-every ' -1'" "positive count" replay --show-every ' -1' "$D/reuse.csv"
expect2 "--arena 2^64" "byte count" replay --arena 18446744073709551616 "$D/reuse.csv"
expect2 "--ops 2^64 + 1" "--ops" gen random --ops 18446744073709551617
expect2 "--lags ' 3'" "bad value" predict "$D/reuse.csv" --lags ' 3'
expect2 "--json with --show" "not with --json" replay --json --show "$D/reuse.csv"
expect2 "a directory" "is a directory" replay "$D"
truncate -s 1100M "$D/sparse.csv"
expect2 "a file beyond the size limit" "larger than the 1 GiB" replay "$D/sparse.csv"
rm -f "$D/sparse.csv"
printf '\0\0\0\0' >"$D/nul.csv"
expect2 "a binary file" "nul.csv:1: a NUL byte" replay "$D/nul.csv"
cp "$D/reuse.csv" "$D/-dash.csv"
(cd "$D" && "$H" replay --once -- -dash.csv >/dev/null) && ok "-- ends the options, --once replays" || no "-- or --once refused"
name=$(printf '%s/caf\xe9.csv' "$D")
cp "$D/reuse.csv" "$name"
"$H" replay --json "$name" | python3 -c 'import json,sys; [json.loads(l) for l in sys.stdin.buffer]' &&
    ok "--json with a Latin-1 file name: valid JSON" || no "--json with a Latin-1 file name: invalid JSON"
exit $bad
