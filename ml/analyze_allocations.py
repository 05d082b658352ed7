#!/usr/bin/python3
"""analyze_allocations.py: the original project's analysis step, kept as the
cross-check of HeapLab's C tree.

Loads an allocation log with pandas (HeapLab's rich CSV or a real-program
capture: a header naming op,...,size; the original seed format: ALLOC,n /
FREE / REALLOC,n lines; or a Malloc Lab .rep), takes the requested sizes
(alloc and realloc rows, like `heaplab predict`), builds the same features and
the same chronological split as ml/predict/size_features.c and ml/predict/predict_report.c,
trains scikit-learn's DecisionTreeRegressor, and prints the same metrics as
`heaplab predict` for the tree and the baselines.

  --compare   also writes the rows as CSV, runs `heaplab tree` with the same
              parameters and reports whether every prediction is bitwise
              identical (exit status 1 if not). With --leaf mode the
              scikit-learn side computes each leaf's most frequent training
              target from tree.apply() (ties: the smaller).

Usage: ml/analyze_allocations.py LOG [--lags K] [--train-frac F]
       [--features none|all|run,delta,next1,next2,next3,mf1,mf2] [--max-depth N]
       [--min-samples-leaf N] [--min-samples-split N] [--random-state N]
       [--leaf mean|mode] [--no-realloc] [--compare] [--heaplab PATH]
"""
import argparse
import io
import os
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd
from sklearn.tree import DecisionTreeRegressor

EXTRAS = ["run", "delta", "next1", "next2", "next3", "mf1", "mf2"]  # order of ml/predict/size_features.c


def load_sizes(path, with_realloc=True):
    """Requested sizes of the log, in order (alloc and, by default, realloc)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if not lines:
        sys.exit(f"{path}:1: empty log")
    first = lines[0].split(",")[0].strip()
    if first.upper() in ("ALLOC", "FREE", "REALLOC"):  # original seed format
        df = pd.read_csv(io.StringIO("\n".join(lines)), header=None, names=["op", "size"],
                         skipinitialspace=True)
        df["op"] = df["op"].str.strip().str.lower()
        ids = pd.Series(0, index=df.index)
    elif first.lstrip("-").isdigit():  # Malloc Lab .rep: 4 header numbers
        rows = [ln.split() for ln in lines[4:]]
        df = pd.DataFrame({"op": [r[0] for r in rows],
                           "size": [int(r[2]) if len(r) > 2 else 0 for r in rows]})
        df["op"] = df["op"].map({"a": "alloc", "f": "free", "r": "realloc"})
        ids = pd.Series(0, index=df.index)
    else:  # rich CSV with a header
        df = pd.read_csv(io.StringIO(text), skipinitialspace=True)
        if "op" not in df.columns or "size" not in df.columns:
            sys.exit(f"{path}:1: header must name op and size columns")
        df["op"] = df["op"].astype(str).str.strip().str.lower()
        ids = df["id"] if "id" in df.columns else pd.Series(0, index=df.index)
    keep = df["op"].isin(["alloc", "calloc"])
    if with_realloc:
        keep |= (df["op"] == "realloc") & (ids != -1)
    return df.loc[keep, "size"].astype(np.float64).to_numpy()


def build_features(s, lags, extras):
    """Rows for targets t = lags..m-1, exactly as ml/predict/size_features.c."""
    succ = [dict(), dict(), dict()]
    counts = [dict(), dict()]   # (context, next) -> times seen
    best = [dict(), dict()]     # context -> (count, most frequent next; ties smaller)
    hist = []
    run = 0
    X, y = [], []

    def recent(i):
        return hist[-i] if i <= len(hist) else -1.0

    for t, v in enumerate(s):
        if t >= lags:
            row = [recent(i) for i in range(1, lags + 1)]
            if "run" in extras:
                row.append(float(run))
            if "delta" in extras:
                row.append(recent(1) - recent(2) if len(hist) >= 2 else 0.0)
            for k in (1, 2, 3):
                if f"next{k}" in extras:
                    row.append(succ[k - 1].get(tuple(hist[-k:]), -1.0) if len(hist) >= k else -1.0)
            for k in (1, 2):
                if f"mf{k}" in extras:
                    row.append(best[k - 1].get(tuple(hist[-k:]), (0, -1.0))[1] if len(hist) >= k else -1.0)
            X.append(row)
            y.append(v)
        for k in (1, 2, 3):
            if f"next{k}" in extras and len(hist) >= k:
                succ[k - 1][tuple(hist[-k:])] = v
        for k in (1, 2):
            if f"mf{k}" in extras and len(hist) >= k:
                ctx = tuple(hist[-k:])
                n = counts[k - 1].get(ctx + (v,), 0) + 1
                counts[k - 1][ctx + (v,)] = n
                bc, bn = best[k - 1].get(ctx, (-1, -1.0))
                if n > bc or (n == bc and v < bn):
                    best[k - 1][ctx] = (n, v)
        run = min(run + 1, 64) if hist and hist[-1] == v else 1
        hist.append(v)
    nf = lags + len(extras)
    return np.array(X, dtype=np.float64).reshape(-1, nf), np.array(y, dtype=np.float64)


def most_frequent(values):
    """Most frequent value; ties go to the smaller (as the C code)."""
    vc = pd.Series(values).value_counts()
    top = vc.max()
    return float(min(vc[vc == top].index))


def ngram_predict(s, t_split, order, m):
    """n-gram with backoff to shorter contexts, then the training mode."""
    mode = most_frequent(s[:t_split])
    tables = []
    for j in range(1, order + 1):
        seen = {}
        for t in range(j, t_split):
            seen.setdefault(tuple(s[t - j:t]), []).append(s[t])
        tables.append({k: most_frequent(v) for k, v in seen.items()})
    out = []
    for t in range(t_split, m):
        p = mode
        for j in range(min(order, t), 0, -1):
            key = tuple(s[t - j:t])
            if key in tables[j - 1]:
                p = tables[j - 1][key]
                break
        out.append(p)
    return np.array(out)


def size_class(v):
    """Smallest k with 2^k >= v (0 for v <= 1)."""
    k, p = 0, 1.0
    while p < v and k < 1100:
        p *= 2.0
        k += 1
    return k


def metrics(pred, truth, train_sizes):
    """mae, rmse, exact (snapped to nearest training size, ties smaller), size_class."""
    u = np.unique(train_sizes)
    idx = np.clip(np.searchsorted(u, pred, side="left"), 1, len(u) - 1) if len(u) > 1 else None
    if idx is None:
        snapped = np.full_like(pred, u[0])
    else:
        below, above = u[idx - 1], u[idx]
        snapped = np.where(pred - below <= above - pred, below, above)
        snapped = np.where(pred <= u[0], u[0], np.where(pred >= u[-1], u[-1], snapped))
    err = pred - truth
    return {"mae": float(np.mean(np.abs(err))), "rmse": float(np.sqrt(np.mean(err * err))),
            "exact": float(np.mean(snapped == truth)),
            "size_class": float(np.mean([size_class(a) == size_class(b) for a, b in zip(pred, truth)]))}


def leaf_modes(model, X, y):
    """Per-leaf most frequent training target (ties: smaller)."""
    leaves = model.apply(X.astype(np.float32))
    return {leaf: most_frequent(y[leaves == leaf]) for leaf in np.unique(leaves)}


def write_csv(path, X, y):
    cols = [f"f{i}" for i in range(X.shape[1])] + ["y"]
    pd.DataFrame(np.column_stack([X, y]), columns=cols).to_csv(path, index=False, float_format="%.17g")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("log")
    ap.add_argument("--lags", type=int, default=4)
    ap.add_argument("--train-frac", type=float, default=0.7)
    ap.add_argument("--features", default="none")
    ap.add_argument("--ngram", type=int, default=4)
    ap.add_argument("--max-depth", type=int, default=None)
    ap.add_argument("--min-samples-leaf", type=int, default=1)
    ap.add_argument("--min-samples-split", type=int, default=2)
    ap.add_argument("--random-state", type=int, default=0)
    ap.add_argument("--leaf", choices=["mean", "mode"], default="mean")
    ap.add_argument("--no-realloc", action="store_true")
    ap.add_argument("--compare", action="store_true")
    ap.add_argument("--heaplab", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                      "..", "build", "heaplab"))
    a = ap.parse_args()
    extras = [] if a.features == "none" else EXTRAS if a.features == "all" else a.features.split(",")
    if any(e not in EXTRAS for e in extras):
        sys.exit(f"--features: unknown feature in {a.features}")
    extras = [e for e in EXTRAS if e in extras]

    s = load_sizes(a.log, not a.no_realloc)
    X, y = build_features(s, a.lags, extras)
    rows = len(y)
    n_train = int(a.train_frac * rows)
    if n_train < 1 or rows - n_train < 1:
        sys.exit(f"{a.log}: {len(s)} allocation sizes: too few for the split")
    t_split = a.lags + n_train
    Xtr, ytr, Xte, yte = X[:n_train], y[:n_train], X[n_train:], y[n_train:]

    model = DecisionTreeRegressor(max_depth=a.max_depth, min_samples_leaf=a.min_samples_leaf,
                                  min_samples_split=a.min_samples_split, random_state=a.random_state)
    model.fit(Xtr, ytr)
    pred = model.predict(Xte)
    if a.leaf == "mode":
        modes = leaf_modes(model, Xtr, ytr)
        pred = np.array([modes[leaf] for leaf in model.apply(Xte.astype(np.float32))])

    train_sizes = s[:t_split]
    truth = s[t_split:]
    results = {
        "tree": metrics(pred, truth, train_sizes),
        "last": metrics(s[t_split - 1:-1], truth, train_sizes),
        "mode": metrics(np.full(len(truth), most_frequent(train_sizes)), truth, train_sizes),
        "markov1": metrics(ngram_predict(s, t_split, 1, len(s)), truth, train_sizes),
        "ngram": metrics(ngram_predict(s, t_split, a.ngram, len(s)), truth, train_sizes),
    }
    names = [f"lag{i}" for i in range(1, a.lags + 1)] + extras
    print(f"allocation sizes: {len(s)}  train rows: {n_train}  test rows: {rows - n_train} (chronological)")
    print("features: " + " ".join(names))
    print(f"scikit-learn tree: {model.tree_.node_count} nodes, depth {model.get_depth()}, "
          f"{a.leaf} leaves, random_state {a.random_state}\n")
    print(f"{'predictor':<13} {'MAE (bytes)':>14} {'RMSE (bytes)':>14} {'exact':>8} {'size-class':>11}")
    for k, m in results.items():
        print(f"{k:<13} {m['mae']:14.2f} {m['rmse']:14.2f} {m['exact']:8.4f} {m['size_class']:11.4f}")

    if not a.compare:
        return 0
    with tempfile.TemporaryDirectory() as d:
        tr, te = os.path.join(d, "train.csv"), os.path.join(d, "test.csv")
        write_csv(tr, Xtr, ytr)
        write_csv(te, Xte, yte)
        cmd = [a.heaplab, "tree", "--train", tr, "--predict", te, "--random-state", str(a.random_state),
               "--min-samples-leaf", str(a.min_samples_leaf), "--min-samples-split",
               str(a.min_samples_split), "--leaf", a.leaf]
        if a.max_depth is not None:
            cmd += ["--max-depth", str(a.max_depth)]
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode != 0:
            print(f"\ncompare: heaplab tree failed: {out.stderr.strip()}")
            return 1
        c_pred = np.array([float(v) for v in out.stdout.split()])
    same = len(c_pred) == len(pred) and np.array_equal(c_pred.view(np.uint64), pred.view(np.uint64))
    diff = int(np.sum(c_pred != pred)) if len(c_pred) == len(pred) else -1
    print(f"\ncompare: {len(pred)} predictions, heaplab tree vs scikit-learn "
          + ("identical (bitwise)" if same else f"DIFFER ({diff} differ)"))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
