#!/usr/bin/python3
"""parity.py: HeapLab's C tree (`heaplab tree`) against the installed
scikit-learn 1.2.1 DecisionTreeRegressor, bitwise.

For every dataset x parameter set x random_state it fits both, then requires
identical node arrays (feature, threshold, children, value, impurity,
n_node_samples), feature importances and predictions, compared as raw 64-bit
patterns. The C side runs under each sort strategy (auto, exact, presort when
the targets allow it). Mode leaves are checked against per-leaf modes
computed from sklearn's apply().

usage: parity.py HEAPLAB [--quick]     exit status 1 on any mismatch
       parity.py --dump FILE          writes the cases and scikit-learn's answers
                                      as JSON for tests/ml/wasm-parity.mjs
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd
from sklearn.tree import DecisionTreeRegressor

HEAPLAB = sys.argv[1]
QUICK = "--quick" in sys.argv
failures = []
checks = 0


def lag_rows(s, k=4):
    """Lag-k rows of a size sequence: X[t] = s[t-1..t-k], y = s[t]."""
    s = np.asarray(s, dtype=np.float64)
    X = np.stack([s[k - i - 1:len(s) - i - 1] for i in range(k)], axis=1)
    return X, s[k:]


def datasets():
    """(name, Xtrain, ytrain, Xtest) tuples: generated logs and edge cases."""
    rng = np.random.RandomState(12345)
    out = []
    period = np.tile([32, 32, 64, 128, 32, 4072, 16], 90) + 0
    X, y = lag_rows(period)
    out.append(("periodic", X[:450], y[:450], X[450:]))
    # structured: phases with a Markov chain over a few sizes
    sizes = [16, 24, 32, 48, 64, 96, 128, 256, 512, 4072]
    seq, cur = [], 0
    for t in range(900):
        if t % 150 == 0:
            trans = rng.dirichlet(np.ones(len(sizes)) * 0.3, size=len(sizes))
        cur = rng.choice(len(sizes), p=trans[cur])
        seq.append(sizes[cur])
    X, y = lag_rows(seq)
    out.append(("structured", X[:600], y[:600], X[600:]))
    rnd = rng.randint(1, 20000, size=700)
    X, y = lag_rows(rnd)
    out.append(("random-sizes", X[:500], y[:500], X[500:]))
    # non-integer targets: sklearn's own sort order of equal keys matters here
    Xf = np.round(rng.normal(size=(400, 5)) * 4) / 4
    yf = Xf[:, 0] * 1.5 + np.sin(Xf[:, 1]) + rng.normal(size=400) * 0.1
    out.append(("float-target", Xf[:300], yf[:300], Xf[300:]))
    # sizes >= 2^24: float32 rounds the features, y*y sums exceed 2^53
    big = rng.choice([2**24 + 1, 2**24 + 3, 2**25 - 1, 2**26 + 5, 2**30 + 7, 48], size=400)
    X, y = lag_rows(big)
    out.append(("sizes>=2^24", X[:300], y[:300], X[300:]))
    # edge cases of the spec
    out.append(("one-sample", np.array([[3.0, 5.0]]), np.array([7.0]), np.array([[1.0, 2.0], [3.0, 5.0]])))
    Xc = rng.randint(0, 5, size=(60, 3)).astype(float)
    out.append(("constant-target", Xc, np.full(60, 32.0), Xc[:10]))
    Xk = np.column_stack([np.full(80, 7.0), rng.randint(0, 9, 80), np.zeros(80), rng.randint(0, 3, 80)])
    yk = Xk[:, 1] * 16 + rng.randint(0, 3, 80)
    out.append(("constant-columns", Xk.astype(float), yk.astype(float), Xk[:20].astype(float)))
    Xd = np.repeat(rng.randint(0, 4, size=(20, 2)), 3, axis=0).astype(float)
    yd = rng.choice([16.0, 32.0, 48.0], size=len(Xd))
    out.append(("duplicate-rows", Xd, yd, Xd))
    X16 = np.array([[16.0], [16.0], [32.0], [32.0], [16.0], [32.0]])
    y16 = np.array([1.0, 1.0, 9.0, 9.0, 1.0, 9.0])
    out.append(("threshold-16-32", X16, y16, np.array([[24.0], [16.0], [32.0], [23.999], [24.001]])))
    return out


PARAMS = [
    {},
    {"max_depth": 3},
    {"max_depth": 6},
    {"min_samples_leaf": 5},
    {"min_samples_split": 10},
    {"min_impurity_decrease": 50.0},
    {"max_features": 2},
]
SEEDS = [0, 1, 42]
ARRAYS = [("feature", "feature"), ("left", "children_left"), ("right", "children_right"),
          ("threshold", "threshold"), ("impurity", "impurity"), ("n_node_samples", "n_node_samples")]


def write_csv(path, X, y):
    cols = [f"f{i}" for i in range(X.shape[1])] + ["y"]
    pd.DataFrame(np.column_stack([X, y]), columns=cols).to_csv(path, index=False, float_format="%.17g")


def bits(a):
    return np.ascontiguousarray(np.asarray(a, dtype=np.float64)).view(np.uint64)


def same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    if a.dtype.kind == "f" or b.dtype.kind == "f":
        return np.array_equal(bits(a), bits(b))
    return np.array_equal(a, b)


def run_c(d, kw, rs, leaf, strategy):
    cmd = [HEAPLAB, "tree", "--train", os.path.join(d, "train.csv"), "--predict", os.path.join(d, "test.csv"),
           "--random-state", str(rs), "--leaf", leaf, "--strategy", strategy,
           "--export-tree", os.path.join(d, "tree.json")]
    for k, v in kw.items():
        cmd += ["--" + k.replace("_", "-"), str(v)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        return None, None, r.stderr.strip()
    with open(os.path.join(d, "tree.json")) as f:
        tree = json.load(f)
    return tree, np.array([float(v) for v in r.stdout.split()]), ""


def leaf_mode_predictions(model, Xtr, ytr, Xte):
    leaves = model.apply(Xtr.astype(np.float32))
    modes = {}
    for leaf in np.unique(leaves):
        vc = pd.Series(ytr[leaves == leaf]).value_counts()
        modes[leaf] = float(min(vc[vc == vc.max()].index))
    return np.array([modes[leaf] for leaf in model.apply(Xte.astype(np.float32))])


def check(name, Xtr, ytr, Xte, kw, rs, d):
    global checks
    kw = dict(kw)
    if kw.get("max_features", 0) > Xtr.shape[1]:
        kw["max_features"] = Xtr.shape[1]
    model = DecisionTreeRegressor(random_state=rs, **kw).fit(Xtr, ytr)
    t = model.tree_
    want_pred = model.predict(Xte)
    integer_y = np.all(ytr == np.floor(ytr)) and np.max(np.abs(ytr)) ** 2 * len(ytr) <= 2.0**53
    strategies = ["auto", "exact"] + (["presort"] if integer_y else [])
    for strat in strategies:
        tree, pred, err = run_c(d, kw, rs, "mean", strat)
        label = f"{name} {kw} rs={rs} strategy={strat}"
        checks += 1
        if tree is None:
            failures.append(f"{label}: heaplab failed: {err}")
            continue
        bad = [ours for ours, theirs in ARRAYS if not same(tree[ours], getattr(t, theirs))]
        if not same(tree["value"], t.value.ravel()):
            bad.append("value")
        if not same(tree["importances"], model.feature_importances_):
            bad.append("importances")
        if tree["node_count"] != t.node_count:
            bad.append("node_count")
        if not same(pred, want_pred):
            bad.append("predictions")
        if bad:
            failures.append(f"{label}: differs in {', '.join(bad)} (nodes {tree['node_count']} vs {t.node_count})")
    # mode leaves: same tree, each leaf predicts its most frequent training target
    tree, pred, err = run_c(d, kw, rs, "mode", "auto")
    checks += 1
    if tree is None or not same(pred, leaf_mode_predictions(model, Xtr, ytr, Xte)):
        failures.append(f"{name} {kw} rs={rs}: mode-leaf predictions differ {err}")


def dump(path):
    """Every dataset x (a few) parameter sets x seed, with sklearn's arrays."""
    cases = []
    for name, Xtr, ytr, Xte in datasets():
        for kw in PARAMS:
            for rs in SEEDS:
                kw2 = dict(kw)
                if kw2.get("max_features", 0) > Xtr.shape[1]:
                    kw2["max_features"] = Xtr.shape[1]
                m = DecisionTreeRegressor(random_state=rs, **kw2).fit(Xtr, ytr)
                t = m.tree_
                want = {ours: getattr(t, theirs).tolist() for ours, theirs in ARRAYS}
                want["value"] = t.value.ravel().tolist()
                want["importances"] = m.feature_importances_.tolist()
                want["predictions"] = m.predict(Xte).tolist()
                want["mode_predictions"] = leaf_mode_predictions(m, Xtr, ytr, Xte).tolist()
                cases.append({"name": name, "params": kw2, "random_state": rs, "X": Xtr.tolist(),
                              "y": ytr.tolist(), "Xtest": Xte.tolist(), "want": want})
    with open(path, "w") as f:
        json.dump(cases, f)
    return 0


def main():
    if sys.argv[1] == "--dump":
        return dump(sys.argv[2])
    with tempfile.TemporaryDirectory() as d:
        for name, Xtr, ytr, Xte in datasets():
            write_csv(os.path.join(d, "train.csv"), Xtr, ytr)
            write_csv(os.path.join(d, "test.csv"), Xte, np.zeros(len(Xte)))
            params = PARAMS[:3] if QUICK else PARAMS
            for kw in params:
                for rs in SEEDS:
                    check(name, Xtr, ytr, Xte, kw, rs, d)
    for f in failures:
        print("FAIL", f)
    print(f"parity: {checks - len(failures)}/{checks} fits identical to scikit-learn")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
