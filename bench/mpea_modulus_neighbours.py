#!/usr/bin/env python3
"""Is the MPEA measured Young's modulus a local function of composition? Scores, out of fold, k-nearest neighbours,
ridge and an ARD-RBF GP from scikit-learn on the composition fractions and the one-hot processing columns, z-scored
on the training folds. Folds: those of an `elec_hpc cv --group formula` output (`/cells/fold`, the same as
`compare` with the same seed), or without one scikit-learn's GroupKFold by formula.
With a CV.h5 it also sets, for every endpoint, the ensemble's out-of-fold mean stored there beside kNN (k=10) and
their plain average (what a neighbour read-out stacked beside the networks could give), and the three chosen per
endpoint and fold by their R^2 on the other folds (a choice that never sees the fold it predicts), with the median
R^2 over the endpoints with >= 10 measured values.
Results: docs/defaults.md (session 30).
Usage: /usr/bin/python3 bench/mpea_modulus_neighbours.py [alloys.csv] [CV.h5]"""
import sys
import warnings

import numpy as np
import pandas as pd
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel
from sklearn.linear_model import RidgeCV
from sklearn.metrics import r2_score
from sklearn.model_selection import GroupKFold
from sklearn.neighbors import KNeighborsRegressor

warnings.filterwarnings("ignore")
table = pd.read_csv(sys.argv[1] if len(sys.argv) > 1 else "inputs/mpea/alloys.csv")
fractions = [c for c in table.columns if c.startswith("x_")]
categories = pd.get_dummies(table[["processing", "phase_class", "microstructure", "test_type"]].fillna("NA"))
X = pd.concat([table[fractions], categories.astype(float)], axis=1).to_numpy()
y = table["youngs_modulus_exp_GPa"].to_numpy()
measured = ~np.isnan(y)
X_all, Y_all = X, table
X, y, groups = X[measured], y[measured], table["formula"].to_numpy()[measured]
if len(sys.argv) > 2:
    import h5py

    with h5py.File(sys.argv[2], "r") as cv:
        fold = cv["cells/fold"][:][measured]
    splits = [(np.flatnonzero(fold != k), np.flatnonzero(fold == k)) for k in np.unique(fold)]
else:
    splits = list(GroupKFold(5).split(X, y, groups))


def out_of_fold_r2(make):
    predicted = np.zeros_like(y)
    for train, test in splits:
        mean, std = X[train].mean(0), X[train].std(0) + 1e-9
        model = make().fit((X[train] - mean) / std, y[train])
        predicted[test] = model.predict((X[test] - mean) / std)
    return r2_score(y, predicted)


print(f"{len(y)} measured moduli, {X.shape[1]} inputs")
for k in (1, 3, 5, 10, 20):
    print(f"kNN k={k:<2} (distance-weighted)  R^2 {out_of_fold_r2(lambda: KNeighborsRegressor(k, weights='distance')):.3f}")
print(f"ridge (alpha by inner CV)        R^2 {out_of_fold_r2(lambda: RidgeCV(alphas=np.logspace(-3, 3, 13))):.3f}")
ard = lambda: GaussianProcessRegressor(ConstantKernel() * RBF(np.ones(X.shape[1])) + WhiteKernel(), normalize_y=True,
                                       n_restarts_optimizer=2, random_state=0)
print(f"GP, ARD RBF + noise              R^2 {out_of_fold_r2(ard):.3f}")


if len(sys.argv) > 2:
    import h5py

    with h5py.File(sys.argv[2], "r") as cv:
        names = [n.decode() if isinstance(n, bytes) else n for n in cv["cells/endpoint_names"][:]]
        ensemble, fold_all = cv["cells/mean"][:], cv["cells/fold"][:]
    print(f"{'endpoint':<26} {'values':>6} {'ensemble':>9} {'kNN10':>7} {'average':>8} {'chosen':>7}")
    scores = []
    for j, name in enumerate(names):
        target = Y_all[name].to_numpy()
        rows = np.flatnonzero(~np.isnan(target))
        neighbours = np.full(len(rows), np.nan)
        for k in np.unique(fold_all[rows]):
            train, test = fold_all[rows] != k, fold_all[rows] == k
            if train.sum() < 10 or not test.any():
                continue
            mean, std = X_all[rows][train].mean(0), X_all[rows][train].std(0) + 1e-9
            model = KNeighborsRegressor(10, weights="distance").fit((X_all[rows][train] - mean) / std, target[rows][train])
            neighbours[test] = model.predict((X_all[rows][test] - mean) / std)
        ok = ~np.isnan(neighbours)
        if ok.sum() < 10 or np.var(target[rows][ok]) == 0:
            continue
        truth, own, folds_here = target[rows][ok], ensemble[rows, j][ok], fold_all[rows][ok]
        candidates = np.stack([own, neighbours[ok], (own + neighbours[ok]) / 2])
        chosen = np.empty_like(truth)
        for k in np.unique(folds_here):
            others = folds_here != k
            best = np.argmax([r2_score(truth[others], c[others]) for c in candidates])
            chosen[~others] = candidates[best][~others]
        row = [r2_score(truth, c) for c in candidates] + [r2_score(truth, chosen)]
        scores.append(row)
        print(f"{name:<26} {ok.sum():>6} {row[0]:>9.3f} {row[1]:>7.3f} {row[2]:>8.3f} {row[3]:>7.3f}")
    print("median R^2 (ensemble, kNN10, average, chosen):", " ".join(f"{v:.3f}" for v in np.median(scores, 0)))
