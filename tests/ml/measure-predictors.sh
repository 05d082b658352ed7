#!/usr/bin/env bash
# tests/ml/measure-predictors.sh: every predictor of `heaplab predict` on the
# real-program traces and the Malloc Lab traces (read from ../shared, never
# copied), as a markdown table of MAE / exact-match per trace, with the
# winner by MAE and by exact match. Extra arguments go to `heaplab predict`
# (e.g. --random-state 1, --features none). A measurement, not a test.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x build/heaplab ] || { echo "build/heaplab missing: run ./build.sh" >&2; exit 1; }
files=()
for f in ../shared/traces/real/*.csv ../shared/traces/malloclab/*.rep; do
    [ -e "$f" ] || continue
    case "$(basename "$f")" in short*) continue ;; esac  # 6 sizes: nothing to test on
    files+=("$f")
done
[ ${#files[@]} -gt 0 ] || { echo "no traces under ../shared/traces" >&2; exit 1; }
for f in "${files[@]}"; do
    printf '%s\t' "$(basename "${f%.*}")"
    build/heaplab predict "$f" --json --horizon 0 "$@"
done | /usr/bin/python3 -c '
import json, sys
keys = ["tree", "tree_sklearn", "last", "mode", "markov1", "ngram"]
print("| trace | test | " + " | ".join(keys) + " | best MAE | best exact |")
print("|---|--:|" + "--:|" * len(keys) + "---|---|")
for line in sys.stdin:
    name, js = line.split("\t", 1)
    d = json.loads(js)
    cells = ["%.1f / %.3f" % (d[k]["mae"], d[k]["exact"]) for k in keys]
    bm = min(d[k]["mae"] for k in keys)
    be = max(d[k]["exact"] for k in keys)
    wm = ", ".join(k for k in keys if d[k]["mae"] == bm)
    we = ", ".join(k for k in keys if d[k]["exact"] == be)
    print("| %s | %d | %s | %s | %s |" % (name, d["test"], " | ".join(cells), wm, we))
'
