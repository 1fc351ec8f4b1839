#!/usr/bin/python3
"""Would a neighbour read-out beside the ensemble help it predict new cells? For every target of a study (a scalar
endpoint, or a curve's points pooled), on the folds that `elec_hpc cv` and `elec_hpc compare` share (same seed and
--group): the ensemble's out-of-fold mean from a cv file, distance-weighted kNN (k = 10) on the descriptors of a
compare file (z-scored on the training folds, trained on each endpoint's measured rows), their plain average, and the
three chosen per target and fold by their pooled R^2 on the other folds (a choice that never sees the fold it
predicts); when the compare file holds lasso's out-of-fold means (`--models lasso`), also lasso and the four chosen
alike ("+lasso"). Prints R^2 per target and the medians over the targets with >= 10 held-out values. Results:
docs/defaults.md (session 30).
Usage: /usr/bin/python3 bench/stacked_neighbours.py COMPARE_H5 CV_H5   (e.g. compare --models lasso: seconds)"""
import sys

import h5py
import numpy as np
from sklearn.neighbors import KNeighborsRegressor


def r2(y, p):
    return 1 - ((y - p) ** 2).sum() / ((y - y.mean()) ** 2).sum()


with h5py.File(sys.argv[1], "r") as f:
    X, Y, fold, target = f["cells/descriptors"][:], f["cells/measured"][:], f["cells/fold"][:], f["cells/target"][:]
    names = [n.decode() if isinstance(n, bytes) else n for n in f["cells/endpoint_names"][:]]
    lasso = f["models/lasso/mean"][:] if "models/lasso" in f else None
with h5py.File(sys.argv[2], "r") as f:
    ensemble = f["cells/mean"][:]
    if not (f["cells/fold"][:] == fold).all():
        raise SystemExit("the two files were cut into different folds: same seed and --group expected")

neighbours = np.full(Y.shape, np.nan)
for j in range(Y.shape[1]):
    rows = ~np.isnan(Y[:, j])
    for k in np.unique(fold):
        train, test = rows & (fold != k), rows & (fold == k)
        if train.sum() < 10 or not test.any():
            continue
        mean, std = X[train].mean(0), X[train].std(0) + 1e-9
        knn = KNeighborsRegressor(10, weights="distance").fit((X[train] - mean) / std, Y[train, j])
        neighbours[test, j] = knn.predict((X[test] - mean) / std)

def chosen_per_fold(truth, where, candidates):
    out = np.empty_like(truth)
    for k in np.unique(where):
        others = where != k
        best = int(np.argmax([r2(truth[others], c[others]) for c in candidates]))
        out[~others] = candidates[best][~others]
    return out


header = f"{'target':<26} {'values':>6} {'ensemble':>8} {'kNN10':>8} {'average':>8} {'chosen':>8}"
print(header + (f" {'lasso':>8} {'+lasso':>8}" if lasso is not None else ""))
scores = []
for t in np.unique(target):
    columns = np.flatnonzero(target == t)
    cells = ~np.isnan(Y[:, columns]) & ~np.isnan(neighbours[:, columns])
    truth, where = Y[:, columns][cells], np.broadcast_to(fold[:, None], cells.shape)[cells]
    own, near = ensemble[:, columns][cells], neighbours[:, columns][cells]
    candidates = [own, near, (own + near) / 2]
    row = [r2(truth, c) for c in candidates] + [r2(truth, chosen_per_fold(truth, where, candidates))]
    if lasso is not None:
        linear = lasso[:, columns][cells]
        row += [r2(truth, linear), r2(truth, chosen_per_fold(truth, where, candidates + [linear]))]
    name = names[columns[0]] + (f" (+{len(columns) - 1} points)" if len(columns) > 1 else "")
    print(f"{name:<26} {len(truth):>6} " + " ".join(f"{v:>8.3f}" for v in row))
    if len(truth) >= 10 and np.var(truth) > 0:
        scores.append(row)
columns_named = "ensemble, kNN10, average, chosen" + (", lasso, +lasso" if lasso is not None else "")
print(f"median R^2 ({columns_named}):", " ".join(f"{v:.3f}" for v in np.median(scores, 0)))
