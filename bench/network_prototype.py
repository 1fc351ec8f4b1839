#!/usr/bin/python3
"""Would a linear path beside each target's tanh block, a penalty that switches whole inputs off, or a bootstrap
over recipes help the networks predict new cells? A PyTorch prototype (issue 12; results in docs/defaults.md,
"Predicting new cells"), run on the folds and descriptors stored by
`elec_hpc compare --out COMPARE_H5` (see bench/compare_sklearn.py for that file's layout).

Per scalar endpoint column (viscosities and the capacity curve left out) and fold: descriptors standardised on the
training rows, the column standardised, an ensemble of bootstrap networks (8 tanh units, full-batch Adam at 1e-2,
L2 on the weights, not the biases), R^2 pooled over every held-out measured value, beside scikit-learn's LassoCV
and RidgeCV on the same folds. Networks see the descriptors only (as `compare`'s baselines do).

Variants are KIND:L2_TANH:L2_LINEAR[:rec] with KIND one of
  plain  8 tanh units
  lin1   the first of the 8 units linear (identity instead of tanh)
  skip   8 tanh units plus a separate linear map of the inputs, with its own penalty L2_LINEAR
  group  8 tanh units, plus a group-lasso penalty L2_LINEAR x sum over inputs of the norm of that input's weights
         (an input the target does not need is switched off whole, as an ARD kernel's long length-scale does)
and the suffix `:rec` drawing each member's bootstrap over recipes (rows with the same descriptors, all replicates of
a drawn recipe together) instead of over rows.
With --average the forecasts of all the variants are also averaged and scored ("average"): an ensemble mixing members
trained under several penalties, instead of the selection's one penalty per target.
With --rbf K the networks (not lasso/ridge) also see K radial-basis features of the standardised descriptors,
exp(-|x - c|^2 / (2 s^2)) for K k-means centres c of the fold's training rows, s = --rbf-width x the median distance
between centres: locality in descriptor space, which a GP's kernel has and penalised tanh units lack.
Usage: bench/network_prototype.py COMPARE_H5 VARIANT... [--only PREFIX] [--members 16] [--epochs 1500] [--average]
                                  [--scaling standard|range|clip3] [--rbf K [--rbf-width 0.5]]
e.g.   bench/network_prototype.py compare.h5 plain:1e-1:0 lin1:1e-1:0 skip:1e-1:1e-2 --only porosity
Needs Debian's /usr/bin/python3 with python3-torch, python3-sklearn and python3-h5py. Minutes per column.
"""
import argparse
import h5py
import numpy as np
import torch
from sklearn.linear_model import LassoCV, RidgeCV
from sklearn.preprocessing import StandardScaler


def r2(y, p):
    return 1 - ((y - p) ** 2).sum() / ((y - y.mean()) ** 2).sum()


def ensemble_forecast(x_train, y_train, x_test, kind, l2_tanh, l2_linear, members, epochs, hidden=8, recipes=False):
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    inputs = x_train.shape[1]
    forecasts = []
    # A recipe is a distinct descriptor row; drawn by recipe, a member misses about a third of them, as it misses a
    # new recipe.
    recipe = np.unique(x_train.round(9), axis=0, return_inverse=True)[1].ravel()
    for _ in range(members):
        if recipes:
            drawn = rng.integers(0, recipe.max() + 1, recipe.max() + 1)
            rows = np.concatenate([np.flatnonzero(recipe == g) for g in drawn])
        else:
            rows = rng.integers(0, len(y_train), len(y_train))
        xb, yb = torch.tensor(x_train[rows]), torch.tensor(y_train[rows])
        W1 = (torch.randn(inputs, hidden, dtype=torch.float64) / np.sqrt(inputs)).requires_grad_()
        b1 = torch.zeros(hidden, dtype=torch.float64, requires_grad=True)
        w2 = (torch.randn(hidden, dtype=torch.float64) / np.sqrt(hidden)).requires_grad_()
        b2 = torch.zeros(1, dtype=torch.float64, requires_grad=True)
        v = torch.zeros(inputs, dtype=torch.float64, requires_grad=True)

        def net(x):
            a = x @ W1 + b1
            h = torch.cat([a[:, :1], torch.tanh(a[:, 1:])], 1) if kind == "lin1" else torch.tanh(a)
            return h @ w2 + b2 + (x @ v if kind == "skip" else 0)

        params = [W1, b1, w2, b2] + ([v] if kind == "skip" else [])
        opt = torch.optim.Adam(params, lr=1e-2)
        for _ in range(epochs):  # full batch
            opt.zero_grad()
            loss = ((net(xb) - yb) ** 2).mean() + l2_tanh * ((W1**2).sum() + (w2**2).sum())
            if kind == "skip":
                loss = loss + l2_linear * (v**2).sum()
            if kind == "group":
                loss = loss + l2_linear * torch.sqrt((W1**2).sum(1) + 1e-12).sum()
            loss.backward()
            opt.step()
        with torch.no_grad():
            forecasts.append(net(torch.tensor(x_test)).numpy())
    return np.mean(forecasts, 0)


def scale_descriptors(x_train, x_test, how):
    """standard: z-scores (a descriptor set on 1 alloy in 1500 reaches 39); range: [0, 1] over the training rows;
    clip3: z-scores clipped to +-3, so a rare descriptor cannot drive a tanh unit far outside its training range."""
    if how == "range":
        low, span = x_train.min(0), np.ptp(x_train, 0)
        span[span == 0] = 1
        return (x_train - low) / span, (x_test - low) / span
    scaler = StandardScaler().fit(x_train)
    xtr, xte = scaler.transform(x_train), scaler.transform(x_test)
    return (np.clip(xtr, -3, 3), np.clip(xte, -3, 3)) if how == "clip3" else (xtr, xte)


def with_rbf_features(x_train, x_test, centres, width):
    """The descriptors followed by one Gaussian bump per k-means centre of the training rows (see --rbf)."""
    if centres == 0:
        return x_train, x_test
    from sklearn.cluster import KMeans

    distinct = np.unique(x_train.round(9), axis=0)
    c = KMeans(min(centres, len(distinct)), n_init=4, random_state=0).fit(distinct).cluster_centers_
    between = np.sqrt(((c[:, None, :] - c[None, :, :]) ** 2).sum(-1))
    s = width * np.median(between[np.triu_indices(len(c), 1)])

    def bumps(x):
        return np.exp(-((x[:, None, :] - c[None, :, :]) ** 2).sum(-1) / (2 * s * s))

    return np.hstack([x_train, bumps(x_train)]), np.hstack([x_test, bumps(x_test)])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("compare_h5")
    ap.add_argument("variants", nargs="+")
    ap.add_argument("--only", default="")
    ap.add_argument("--members", type=int, default=16)
    ap.add_argument("--epochs", type=int, default=1500)
    ap.add_argument("--average", action="store_true")
    ap.add_argument("--scaling", choices=["standard", "range", "clip3"], default="standard")
    ap.add_argument("--rbf", type=int, default=0)
    ap.add_argument("--rbf-width", type=float, default=0.5)
    a = ap.parse_args()
    torch.set_num_threads(1)
    with h5py.File(a.compare_h5, "r") as f:
        X, Y, fold = f["cells/descriptors"][:], f["cells/measured"][:], f["cells/fold"][:]
        target = f["cells/target"][:]
        names = [n.decode() if isinstance(n, bytes) else n for n in f["cells/endpoint_names"][:]]
    counts = np.bincount(target)
    curve = counts.argmax() if counts.max() > 1 else -1  # a curve's points share one target (MPEA has none)
    for j, name in enumerate(names):
        if target[j] == curve or name.startswith("visc") or not name.startswith(a.only):
            continue
        y = Y[:, j]
        measured = ~np.isnan(y)
        forecast = {m: np.full(len(y), np.nan) for m in ["lasso", "ridge"] + a.variants}
        for k in np.unique(fold):
            train, test = measured & (fold != k), measured & (fold == k)
            if not test.any():
                continue
            xtr, xte = scale_descriptors(X[train], X[test], a.scaling)
            mean, sd = y[train].mean(), y[train].std()
            ytr = (y[train] - mean) / sd
            forecast["lasso"][test] = LassoCV(cv=5).fit(xtr, ytr).predict(xte) * sd + mean
            forecast["ridge"][test] = RidgeCV(alphas=np.logspace(-3, 3, 13)).fit(xtr, ytr).predict(xte) * sd + mean
            ntr, nte = with_rbf_features(xtr, xte, a.rbf, a.rbf_width)
            for v in a.variants:
                kind, l2_tanh, l2_linear, *bootstrap = v.split(":")
                if bootstrap not in ([], ["rec"]):
                    raise SystemExit(f"{v}: expected KIND:L2_TANH:L2_LINEAR or KIND:L2_TANH:L2_LINEAR:rec")
                by_recipe = bootstrap == ["rec"]
                forecast[v][test] = ensemble_forecast(ntr, ytr, nte, kind, float(l2_tanh), float(l2_linear),
                                                      a.members, a.epochs, recipes=by_recipe) * sd + mean
        if a.average:
            forecast["average"] = np.mean([forecast[v] for v in a.variants], 0)
        print(name, " ".join(f"{m}={r2(y[measured], p[measured]):.3f}" for m, p in forecast.items()), flush=True)


if __name__ == "__main__":
    main()
