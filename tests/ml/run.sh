#!/usr/bin/env bash
# tests/ml/run.sh: the ml suite. Assumes ./build.sh has built build/heaplab
# (and dist/heaplab.js for the wasm part, when present).
#   1. unit_ml.c: metrics, baselines, features, tree edge cases, CSV reader,
#      report (hand-computable; built with ASan/UBSan); fit_slices.c: the fit
#      and the report done in slices equal the one-call ones bit for bit
#   2. the CLI: outputs and file:line errors with exit status 2
#   3. parity.py: the C tree against the installed scikit-learn, bitwise
#   4. analyze_allocations.py --compare on generated logs and the traces
#   5. wasm parity (node: wasm-parity.mjs), when dist/heaplab.js has the ml exports
# Without scikit-learn, 3-4 are skipped, and the suite fails when CI is set.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
HEAPLAB="$ROOT/build/heaplab"
PY=/usr/bin/python3
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fails=0

pass() { echo "ok   $1"; }
fail() { echo "FAIL $1"; fails=$((fails + 1)); }

if [ ! -x "$HEAPLAB" ]; then
    echo "FAIL build/heaplab is missing: run ./build.sh first"
    exit 1
fi

# 1. unit tests
if make --no-print-directory -s -f c/Makefile build/san/tests/ml/unit_ml && build/san/tests/ml/unit_ml; then
    pass "unit_ml"
else
    fail "unit_ml"
fi

# 1b. the fit and the report in slices = in one call, bit for bit (the page trains this way)
if make --no-print-directory -s -f c/Makefile build/san/tests/ml/fit_slices && build/san/tests/ml/fit_slices; then
    pass "fit_slices"
else
    fail "fit_slices"
fi

# 2. CLI behaviour
printf 'a,y\n0,8\n0,8\n0,24\n1,5\n1,5\n' > "$TMP/train.csv"
printf 'a,y\n0,0\n1,0\n' > "$TMP/test.csv"
out=$("$HEAPLAB" tree --train "$TMP/train.csv" --predict "$TMP/test.csv" --max-depth 1)
[ "$out" = $'13.333333333333334\n5' ] && pass "tree predicts (%.17g)" || fail "tree predicts: got '$out'"
out=$("$HEAPLAB" tree --train "$TMP/train.csv" --predict "$TMP/test.csv" --max-depth 1 --leaf mode)
[ "$out" = $'8\n5' ] && pass "tree --leaf mode" || fail "tree --leaf mode: got '$out'"

printf 'a,y\n0,8\n0,oops\n' > "$TMP/bad.csv"
err=$("$HEAPLAB" tree --train "$TMP/bad.csv" --predict "$TMP/test.csv" 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && [[ "$err" == *"bad.csv:3:"* ]] && pass "bad train file: file:line, exit 2" \
    || fail "bad train file: rc=$rc err='$err'"
printf 'a\n0\n' > "$TMP/narrow.csv"
err=$("$HEAPLAB" tree --train "$TMP/train.csv" --predict "$TMP/narrow.csv" 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && [[ "$err" == *"narrow.csv:1:"* ]] && pass "test file with other columns: exit 2" \
    || fail "test file columns: rc=$rc err='$err'"
"$HEAPLAB" tree --train "$TMP/train.csv" --predict "$TMP/test.csv" --max-depth 0 >/dev/null 2>&1
[ $? -eq 2 ] && pass "bad flag value: exit 2" || fail "bad flag value accepted"
"$HEAPLAB" tree --train "$TMP/missing.csv" --predict "$TMP/test.csv" >/dev/null 2>&1
[ $? -eq 2 ] && pass "missing file: exit 2" || fail "missing file accepted"

# a seed-format log: a cycle of three sizes with frees in between
{
    for i in $(seq 1 100); do echo "ALLOC,16"; echo "ALLOC,32"; echo "FREE"; echo "ALLOC,64"; echo "FREE"; done
} > "$TMP/cycle.log"
json=$("$HEAPLAB" predict "$TMP/cycle.log" --json --horizon 3)
if [ $? -eq 0 ] && echo "$json" | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
for k in ("tree", "tree_sklearn", "last", "mode", "markov1", "ngram"):
    assert set(d[k]) == {"mae", "rmse", "exact", "size_class"}, k
assert d["train"] + d["test"] == 300 - 4 and d["train"] == int(0.7 * 296)
assert d["tree"]["exact"] == 1.0 and d["markov1"]["exact"] == 1.0 and d["last"]["exact"] == 0.0
assert d["forecast"] == [16, 32, 64], d["forecast"]
'; then pass "predict --json"; else fail "predict --json: $json"; fi
out=$("$HEAPLAB" predict "$TMP/cycle.log" --lags 2 --train-frac 0.5)
[[ "$out" == *"markov1"* && "$out" == *"train rows: 149"* ]] && pass "predict table" || fail "predict table: $out"
printf 'ALLOC,16\nALLOC,x\n' > "$TMP/badtrace.log"
err=$("$HEAPLAB" predict "$TMP/badtrace.log" 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && [[ "$err" == *"badtrace.log:2"* ]] && pass "bad trace: file:line, exit 2" \
    || fail "bad trace: rc=$rc err='$err'"
printf 'ALLOC,16\nALLOC,32\n' > "$TMP/tiny.log"
"$HEAPLAB" predict "$TMP/tiny.log" >/dev/null 2>&1
[ $? -eq 2 ] && pass "too short trace: exit 2" || fail "too short trace accepted"

# 3-4. scikit-learn parity
if ! "$PY" -c 'import sklearn, pandas' 2>/dev/null; then
    echo "SKIPPED scikit-learn parity: /usr/bin/python3 has no sklearn/pandas (apt-get install python3-sklearn python3-pandas)"
    if [ -n "${CI:-}" ]; then fail "scikit-learn missing in CI"; fi
else
    if "$PY" tests/ml/parity.py "$HEAPLAB"; then pass "parity with scikit-learn"; else fail "parity with scikit-learn"; fi
    "$PY" - "$TMP" <<'EOF'
import sys, numpy as np
rng = np.random.RandomState(7)
with open(sys.argv[1] + "/struct.csv", "w") as f:   # rich CSV: op,id,size
    f.write("op,id,size\n")
    live, nid = [], 0
    for t in range(3000):
        if live and rng.rand() < 0.45:
            f.write(f"free,{live.pop(rng.randint(len(live)))},0\n")
        else:
            size = [24, 40, 24, 96, 4072][t % 5] if rng.rand() < 0.8 else int(rng.randint(1, 3000))
            f.write(f"alloc,{nid},{size}\n"); live.append(nid); nid += 1
EOF
    for args in "$TMP/struct.csv" "$TMP/struct.csv --features all --leaf mode --min-samples-leaf 3" \
                "$TMP/cycle.log --max-depth 3 --random-state 42"; do
        # shellcheck disable=SC2086
        if out=$("$PY" ml/analyze_allocations.py $args --compare --heaplab "$HEAPLAB") &&
            [[ "$out" == *"identical (bitwise)"* ]]; then
            pass "analyze_allocations --compare ${args#"$TMP/"}"
        else
            fail "analyze_allocations --compare ${args#"$TMP/"}: $out"
        fi
    done
    # the same metrics as heaplab predict's tree_sklearn and baselines
    a=$("$PY" ml/analyze_allocations.py "$TMP/struct.csv" | awk '$1=="ngram"||$1=="markov1"||$1=="tree"{print $2,$3,$4,$5}')
    b=$("$HEAPLAB" predict "$TMP/struct.csv" | awk '$1=="ngram"||$1=="markov1"||$1=="tree_sklearn"{print $2,$3,$4,$5}' | sort)
    a=$(echo "$a" | sort)
    [ -n "$a" ] && [ "$a" = "$b" ] && pass "python and C metrics agree" || fail "metrics differ: '$a' vs '$b'"
    ML=../shared/traces/malloclab
    if [ -d "$ML" ]; then
        for t in amptjp-bal cccp-bal realloc2-bal; do
            if out=$("$PY" ml/analyze_allocations.py "$ML/$t.rep" --compare --heaplab "$HEAPLAB") &&
                [[ "$out" == *"identical (bitwise)"* ]]; then
                pass "malloclab $t: C tree == scikit-learn"
            else
                fail "malloclab $t: $out"
            fi
        done
    else
        echo "SKIPPED malloclab traces: $ML not present"
    fi
fi

# 5. wasm parity: the same trees and reports from the wasm module
if [ -f dist/heaplab.js ] && grep -q "_ml_tree_fit" dist/heaplab.js && command -v node >/dev/null; then
    if "$PY" -c 'import sklearn' 2>/dev/null; then
        traces=("$TMP/struct.csv" "$TMP/cycle.log")
        [ -d ../shared/traces/malloclab ] && traces+=(../shared/traces/malloclab/amptjp-bal.rep)
        [ -d ../shared/traces/real ] && traces+=(../shared/traces/real/sqlite3.csv)
        if "$PY" tests/ml/parity.py --dump "$TMP/cases.json" &&
            node --no-warnings tests/ml/wasm-parity.mjs "$ROOT" "$TMP/cases.json" "${traces[@]}"; then
            pass "wasm tree == scikit-learn, wasm report == native report"
        else
            fail "wasm parity"
        fi
    fi
else
    echo "SKIPPED wasm parity: dist/heaplab.js without the ml exports (or no node)"
fi

if [ $fails -ne 0 ]; then
    echo "tests/ml: $fails failure(s)"
    exit 1
fi
echo "tests/ml: all passed"
