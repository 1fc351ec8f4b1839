#!/usr/bin/env python3
"""Is the MPEA measured Young's modulus a local function of composition? Scores, out of fold, k-nearest neighbours,
ridge and an ARD-RBF GP from scikit-learn on the composition fractions and the one-hot processing columns, z-scored
on the training folds. Folds: those of an `elec_hpc cv --group formula` output (`/cells/fold`, the same as
`compare` with the same seed), or without one scikit-learn's GroupKFold by formula.
Every endpoint, with the ensemble beside kNN: bench/stacked_neighbours.py.
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

