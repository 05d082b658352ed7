#!/usr/bin/env bash
# tests/ml/bench-fit.sh: fit time of the regression tree on 100,000 rows x 8
# features (lag features of a generated allocation-size sequence), depth 12:
# `heaplab tree` natively, the wasm tree under node, and scikit-learn 1.2.1,
# on the same data, best of REPS runs each, with ratios. A benchmark, not a
# test: it asserts nothing about time, but it does check that the three fits
# produce the same tree (node count and predictions).
#   tests/ml/bench-fit.sh [ROWS] [REPS]     (defaults 100000 and 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
ROWS=${1:-100000}
REPS=${2:-5}
PY=/usr/bin/python3
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
[ -x build/heaplab ] || { echo "build/heaplab missing: run ./build.sh" >&2; exit 1; }

# data: a structured size sequence (phases of a Markov chain over typical
# sizes, plus noise), 8 lags per row; the last column is the next size
"$PY" - "$TMP" "$ROWS" <<'EOF'
import sys, numpy as np
d, rows = sys.argv[1], int(sys.argv[2])
rng = np.random.RandomState(2024)
sizes = np.array([16, 24, 32, 48, 64, 96, 128, 256, 512, 1024, 4072, 8192])
n = rows + 8
seq = np.empty(n)
cur = 0
for t in range(n):
    if t % 5000 == 0:
        trans = rng.dirichlet(np.ones(len(sizes)) * 0.2, size=len(sizes))
    cur = rng.choice(len(sizes), p=trans[cur])
    seq[t] = sizes[cur] if rng.rand() < 0.9 else rng.randint(1, 20000)
X = np.stack([seq[8 - i - 1:n - i - 1] for i in range(8)], axis=1)
y = seq[8:]
np.save(d + "/X.npy", X); np.save(d + "/y.npy", y)
hdr = ",".join([f"lag{i}" for i in range(1, 9)] + ["next"])
np.savetxt(d + "/train.csv", np.column_stack([X, y]), fmt="%d", delimiter=",", header=hdr, comments="")
np.savetxt(d + "/test.csv", np.column_stack([X[:2000], y[:2000]]), fmt="%d", delimiter=",", header=hdr, comments="")
EOF

# native: the fit time printed by --time (CSV parsing excluded)
best_native=
for _ in $(seq "$REPS"); do
    t=$(build/heaplab tree --train "$TMP/train.csv" --predict "$TMP/test.csv" --max-depth 12 --time \
        2>"$TMP/native.err" >"$TMP/native.pred" && awk '{print $2}' "$TMP/native.err")
    best_native=$(echo "$t ${best_native:-$t}" | awk '{print ($1 < $2) ? $1 : $2}')
done

# scikit-learn: fit only, data already float32 as sklearn would convert it
"$PY" - "$TMP" "$REPS" >"$TMP/sk.out" <<'EOF'
import sys, time, numpy as np
from sklearn.tree import DecisionTreeRegressor
d, reps = sys.argv[1], int(sys.argv[2])
X, y = np.load(d + "/X.npy"), np.load(d + "/y.npy")
X32 = X.astype(np.float32)
best = 1e9
for _ in range(reps):
    t0 = time.perf_counter()
    m = DecisionTreeRegressor(max_depth=12, random_state=0).fit(X32, y)
    best = min(best, time.perf_counter() - t0)
np.savetxt(d + "/sk.pred", m.predict(X[:2000]), fmt="%.17g")
print(best, m.tree_.node_count)
EOF
read -r best_sk sk_nodes <"$TMP/sk.out"
same_sk=$(cmp -s "$TMP/native.pred" "$TMP/sk.pred" && echo identical || echo DIFFERENT)

# wasm under node: lab.fitTree's C fit, timed around the exported call only
best_wasm=
wasm_note="(no build/wasm/heaplab-core.js)"
if [ -f build/wasm/heaplab-core.js ] && command -v node >/dev/null; then
    cat >"$TMP/bench.mjs" <<'EOF'
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
const [core, dir, reps] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const factory = require(core);
const mod = await (factory.default || factory)();
const lines = readFileSync(`${dir}/train.csv`, 'utf8').trim().split('\n').slice(1);
const n = lines.length, F = 8;
const X = new Float64Array(n * F), y = new Float64Array(n);
lines.forEach((l, i) => { const v = l.split(',').map(Number); X.set(v.slice(0, F), i * F); y[i] = v[F]; });
const px = mod._malloc(X.length * 8) >>> 0, py = mod._malloc(y.length * 8) >>> 0;
mod.HEAPF64.set(X, px >>> 3); mod.HEAPF64.set(y, py >>> 3);
let best = Infinity, h = 0;
for (let r = 0; r < Number(reps); r++) {
  if (h) mod._hl_ml_tree_free(h);
  const t0 = performance.now();
  h = mod._hl_ml_tree_fit(px, py, n, F, 12, 0, 0, 0, 0, 0, 0) >>> 0;
  best = Math.min(best, (performance.now() - t0) / 1000);
}
const out = mod._malloc(2000 * 8) >>> 0;
mod._hl_ml_tree_predict(h, px, 2000, out);
const pred = Array.from(mod.HEAPF64.subarray(out >>> 3, (out >>> 3) + 2000));
writeFileSync(`${dir}/wasm.pred`, pred.map((v) => (Number.isInteger(v) ? String(v) : v.toPrecision(17).replace(/0+$/, '').replace(/\.$/, ''))).join('\n') + '\n');
console.log(best, mod._hl_ml_tree_node_count(h));
EOF
    read -r best_wasm wasm_nodes < <(node --no-warnings "$TMP/bench.mjs" "$ROOT/build/wasm/heaplab-core.js" "$TMP" "$REPS")
    "$PY" -c "import numpy as np,sys; a=np.loadtxt('$TMP/wasm.pred'); b=np.loadtxt('$TMP/native.pred'); sys.exit(0 if np.array_equal(a,b) else 1)" \
        && wasm_note="(predictions identical to native, $wasm_nodes nodes)" || wasm_note="(predictions DIFFER from native)"
fi

nodes=$(awk '{print $4}' "$TMP/native.err")
echo "fit: $ROWS rows x 8 features, max_depth 12, best of $REPS"
printf '  %-26s %9.4f s\n' "heaplab tree (native)" "$best_native"
[ -n "$best_wasm" ] && printf '  %-26s %9.4f s  %s\n' "wasm under node" "$best_wasm" "$wasm_note"
printf '  %-26s %9.4f s  (%s nodes; C tree: %s nodes, predictions %s)\n' "scikit-learn 1.2.1" "$best_sk" "$sk_nodes" "$nodes" "$same_sk"
awk -v n="$best_native" -v s="$best_sk" -v w="${best_wasm:-0}" 'BEGIN {
    printf "  sklearn / native = %.2fx\n", s / n
    if (w > 0) printf "  sklearn / wasm   = %.2fx   wasm / native = %.2fx\n", s / w, w / n
}'
