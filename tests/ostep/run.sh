#!/usr/bin/env bash
# tests/ostep/run.sh: `heaplab ostep` must print what OSTEP's malloc.py prints.
#
#   1. library unit tests (C, ASan+UBSan): step records, snapshots, events,
#      limits, streaming, the command-line splitter, every status code,
#      out of memory (ASan refusing allocations above 8 MB)
#   2. the C Mersenne Twister and int() parser against this Python's own
#      `random` module and int() (mt_check.py)
#   3. the two worked examples of ../shared/ostep-compat.md, byte for byte
#   4. hand-derived cases (cases.txt): quirks, corner cases, every error
#   5. every policy x list order x coalescing, explicit lists and random
#      seeds, against spec_oracle.py (an independent model of the spec that
#      uses Python's optparse, int() and random)
#   6. random command lines against the same oracle (differential.py)
#   7. `heaplab ostep --json` against the plain text (json_check.py), and
#      streamed with its snapshot budget in flat memory (stream_check.py)
#   8. the wasm exports (ostep_wasm_api.c) under node, when emcc is present
#   9. the model's dependencies: c/ostep includes nothing of c/heap, c/trace
#      or the event log (log/event_log.h), only log/event_kinds.h and c/util;
#      the unit test and the wasm module link only c/Makefile's OSTEP_SRC
# Needs build/heaplab (./build.sh). Python 3 and gcc; emcc/node optional.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
HEAPLAB=$ROOT/build/heaplab
T=$ROOT/tests/ostep
PY=${PYTHON:-python3}
[ -x "$HEAPLAB" ] || { echo "tests/ostep: build/heaplab missing (run ./build.sh)" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0
step() { echo "-- ostep: $*"; }

step "unit tests (sanitizers)"
make --no-print-directory -s -f c/Makefile build/san/tests/ostep/unit
for m in records split codes; do build/san/tests/ostep/unit "$m" || fail=1; done
ASAN_OPTIONS=allocator_may_return_null=1:max_allocation_size_mb=8 build/san/tests/ostep/unit nomem || fail=1

step "generator and int() against CPython"
"$PY" "$T/mt_check.py" build/san/tests/ostep/unit || fail=1

step "worked examples"
for i in 1 2; do
    # shellcheck disable=SC2046
    "$HEAPLAB" ostep $(cat "$T/expected/example$i.args") > "$TMP/ex$i.out"
    if cmp -s "$TMP/ex$i.out" "$T/expected/example$i.txt"; then
        echo "example $i: identical"
    else
        echo "example $i: DIFFERS"; diff "$T/expected/example$i.txt" "$TMP/ex$i.out" | head -20; fail=1
    fi
done

step "hand-derived cases"
"$PY" "$T/cases.py" "$HEAPLAB" "$T/cases.txt" || fail=1

step "policy x order x coalescing matrix"
(cd "$T" && "$PY" differential.py "$HEAPLAB" matrix) || fail=1

step "random command lines"
(cd "$T" && "$PY" differential.py "$HEAPLAB" 600 "${OSTEP_DIFF_SEED:-2026}") || fail=1

step "--json output"
"$PY" "$T/json_check.py" "$HEAPLAB" || fail=1
"$PY" "$T/stream_check.py" "$HEAPLAB" || fail=1

step "wasm exports"
if command -v emcc >/dev/null && command -v node >/dev/null; then
    export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
    if make --no-print-directory -s -f c/Makefile build/wasm/ostep-core.cjs 2> "$TMP/emcc.log"; then
        node "$T/wasm_check.cjs" "$ROOT/build/wasm/ostep-core.cjs" "$HEAPLAB" || fail=1
    else
        echo "emcc failed:"; tail -20 "$TMP/emcc.log"; fail=1
    fi
else
    echo "skipped: emcc or node not installed"
fi

step "dependencies"
bad=$(grep -Hn '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' c/ostep/*.[ch] |
      grep -v -E '"(ostep/[a-z_]+\.h|log/event_kinds\.h|util/[a-z_]+\.h)"' || true)
if [ -n "$bad" ]; then
    echo "c/ostep includes beyond ostep/, log/event_kinds.h and util/:"; echo "$bad"; fail=1
else
    echo "c/ostep includes only ostep/, log/event_kinds.h, util/; OSTEP_SRC =" \
        "$(make --no-print-directory -s -f c/Makefile print-OSTEP_SRC)"
fi

if [ $fail -ne 0 ]; then
    echo "tests/ostep: FAILED" >&2
    exit 1
fi
echo "tests/ostep: all passed"
