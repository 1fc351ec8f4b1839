#!/usr/bin/python3
"""Two ways to model a functional endpoint (capacity vs cycle), measured side by side (issue 5).

  point  the paper's: one training row per measured (cell, cycle) point, the cycle as an extra input and one
         ordinate output; each point weighted 1/(points of its cell) so a cell counts once.
  grid   elec_hpc's: one row per cell, one output (and input) column per cycle of the grid; a cell's points share
         one unit of weight; a measured point can inform the others of its cell.

Both are the same fused masked per-output tanh MLP ensemble (H units per output, bootstrap members, full-batch
Adam, L2, self-exclusion), trained on the same cells and asked for the held-out cells' curves from their
descriptors alone (the paper's test protocol). Held-out cells: whole manufacturing cases (20%), seeds 0-2.
Prints per representation: RMSE over the held-out measured points, RMSE of D30, and training seconds.

  curve_representation.py inputs/graphite [--members 20] [--epochs 500] [--seeds 3] [--threads 2]
Uses Debian's python3-torch and python3-numpy; reads cells.csv, capacity.csv and schema.toml of the study.
"""
import argparse
import csv
import os
import time
import tomllib

import numpy as np
import torch


def load(study):
    with open(os.path.join(study, "schema.toml"), "rb") as f:
        schema = tomllib.load(f)
    columns = schema["column"]
    curve = next(c for c in columns if c.get("type") == "functional")
    with open(os.path.join(study, "cells.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    ids = [r["id"] for r in rows]
    cases = np.array([r.get("case", r["id"]) for r in rows])
    features = []
    for c in columns:
        if c["role"] != "descriptor":
            continue
        values = [r[c["name"]] for r in rows]
        if c.get("type") == "categorical":
            for level in sorted(set(values)):
                features.append([1.0 if v == level else 0.0 for v in values])
        else:
            features.append([float(v) for v in values])
    scalars = [[float(r[c["name"]]) if r[c["name"]].strip() else np.nan for r in rows]
               for c in columns if c["role"] == "endpoint" and c.get("type") != "functional"]
    points = {i: {} for i in ids}
    with open(os.path.join(study, curve["file"]), newline="") as f:
        for r in csv.DictReader(f):
            if r[curve["name"]].strip():
                points[r["id"]][float(r[curve["abscissa"]])] = float(r[curve["name"]])
    grid = sorted({x for p in points.values() for x in p})
    Y = np.array([[points[i].get(x, np.nan) for x in grid] for i in ids])
    return np.array(features).T, np.array(scalars).T, Y, np.array(grid), cases


def standardise(A, ref):
    mu, sd = np.nanmean(ref, 0), np.nanstd(ref, 0)
    sd[~(sd > 0)] = 1.0
    return (A - mu) / sd, mu, sd


class Ensemble:
    """M masked per-output MLPs trained at once: inputs P, outputs K, H units per output."""

    def __init__(self, P, K, H, M, blocked, seed):
        g = torch.Generator().manual_seed(seed)
        self.mask = torch.ones(P, K, H, dtype=torch.float32)
        for k, p in blocked:  # output k never sees input p (itself)
            self.mask[p, k, :] = 0
        self.mask = self.mask.reshape(P, K * H)
        self.W1 = (torch.randn(M, P, K * H, generator=g) / np.sqrt(P) * self.mask).requires_grad_()
        self.b1 = torch.zeros(M, 1, K * H, requires_grad=True)
        self.w2 = (torch.randn(M, K, H, generator=g) / np.sqrt(H)).requires_grad_()
        self.b2 = torch.zeros(M, 1, K, requires_grad=True)
        self.K, self.H = K, H

    def forward(self, X):  # X (N, P) or (M, N, P)
        h = torch.tanh(torch.matmul(X, self.W1 * self.mask) + self.b1)
        return (h.reshape(h.shape[0], h.shape[1], self.K, self.H) * self.w2.unsqueeze(1)).sum(-1) + self.b2

    def train(self, X, T, W, epochs, l2=1e-4, lr=1e-2):
        """W (M, N, K): per-member target weights (bootstrap counts x point weights), normalised per group."""
        opt = torch.optim.Adam([self.W1, self.b1, self.w2, self.b2], lr=lr)
        for _ in range(epochs):
            opt.zero_grad()
            loss = (W * (self.forward(X) - T) ** 2).sum() + l2 * ((self.W1 ** 2).sum() + (self.w2 ** 2).sum())
            loss.backward()
            opt.step()


def normalise_groups(W, groups):
    """Per member, each loss group's weights sum to 1 (a group: one scalar, or all points of the curve)."""
    out = W.clone()
    for g in set(groups):
        cols = [k for k, gk in enumerate(groups) if gk == g]
        total = W[:, :, cols].sum(dim=(1, 2), keepdim=True).clamp_min(1e-12)
        out[:, :, cols] = W[:, :, cols] / total
    return out


def bootstrap(M, n_cells, seed):
    rng = np.random.default_rng(seed)
    return np.stack([np.bincount(rng.integers(0, n_cells, n_cells), minlength=n_cells) for _ in range(M)])


def run_grid(D, S, Y, train, test, a, seed):
    E = np.hstack([S, Y])
    Ds, _, _ = standardise(D, D[train])
    Es, mu, sd = standardise(E, E[train])
    measured = ~np.isnan(Es)
    X = np.hstack([Ds, np.where(measured, Es, 0.0)])
    P, K, nD = X.shape[1], E.shape[1], D.shape[1]
    groups = list(range(S.shape[1])) + [S.shape[1]] * Y.shape[1]
    share = measured[:, S.shape[1]:].sum(1, keepdims=True).clip(min=1)
    point_w = np.hstack([measured[:, :S.shape[1]], measured[:, S.shape[1]:] / share]).astype(np.float32)
    counts = bootstrap(a.members, len(train), seed)
    W = torch.tensor(counts[:, :, None] * point_w[train][None], dtype=torch.float32)
    W = normalise_groups(W, groups)
    net = Ensemble(P, K, a.hidden, a.members, [(k, nD + k) for k in range(K)], seed)
    t0 = time.perf_counter()
    net.train(torch.tensor(X[train], dtype=torch.float32), torch.tensor(np.nan_to_num(Es[train]), dtype=torch.float32),
              W, a.epochs)
    seconds = time.perf_counter() - t0
    Xt = np.hstack([Ds[test], np.zeros((len(test), K))])  # descriptors only
    with torch.no_grad():
        pred = net.forward(torch.tensor(Xt, dtype=torch.float32).expand(a.members, -1, -1)).mean(0).numpy()
    return (pred * sd + mu)[:, S.shape[1]:], seconds


def run_point(D, S, Y, grid, train, test, a, seed):
    Ds, _, _ = standardise(D, D[train])
    Ss, mu_s, sd_s = standardise(S, S[train])
    Ys, mu_y, sd_y = standardise(Y.reshape(-1, 1), Y[train].reshape(-1, 1))
    Ys = Ys.reshape(Y.shape)
    xs = (grid - grid.mean()) / grid.std()
    nD, nS = D.shape[1], S.shape[1]
    # One row per measured point of a training cell (cells without a curve: one row without a curve target).
    rows, cells = [], []
    for c in train:
        pts = [k for k in range(len(grid)) if not np.isnan(Ys[c, k])] or [None]
        for k in pts:
            rows.append((c, k, len(pts)))
            cells.append(c)
    n = len(rows)
    X = np.zeros((n, nD + nS + 1), dtype=np.float32)
    T = np.zeros((n, nS + 1), dtype=np.float32)
    Wp = np.zeros((n, nS + 1), dtype=np.float32)
    for r, (c, k, npts) in enumerate(rows):
        measured = ~np.isnan(Ss[c])
        X[r, :nD], X[r, nD:nD + nS] = Ds[c], np.where(measured, Ss[c], 0.0)
        X[r, -1] = xs[k] if k is not None else 0.0
        T[r, :nS] = np.nan_to_num(Ss[c])
        Wp[r, :nS] = measured / npts  # the cell's scalars, shared by its rows: once per cell
        if k is not None:
            T[r, -1], Wp[r, -1] = Ys[c, k], 1.0 / npts
    position = {c: i for i, c in enumerate(train)}
    counts = bootstrap(a.members, len(train), seed)[:, [position[c] for c in cells]]
    W = normalise_groups(torch.tensor(counts[:, :, None] * Wp[None], dtype=torch.float32), list(range(nS + 1)))
    net = Ensemble(X.shape[1], nS + 1, a.hidden, a.members, [(k, nD + k) for k in range(nS)], seed)
    t0 = time.perf_counter()
    net.train(torch.tensor(X), torch.tensor(T), W, a.epochs)
    seconds = time.perf_counter() - t0
    Xt = np.zeros((len(test) * len(grid), X.shape[1]), dtype=np.float32)
    for i, c in enumerate(test):
        Xt[i * len(grid):(i + 1) * len(grid), :nD] = Ds[c]
        Xt[i * len(grid):(i + 1) * len(grid), -1] = xs
    with torch.no_grad():
        pred = net.forward(torch.tensor(Xt).expand(a.members, -1, -1)).mean(0).numpy()[:, -1]
    return pred.reshape(len(test), len(grid)) * sd_y[0] + mu_y[0], seconds


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("study")
    p.add_argument("--members", type=int, default=20)
    p.add_argument("--hidden", type=int, default=8)
    p.add_argument("--epochs", type=int, default=500)
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--at", type=float, default=30)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    D, S, Y, grid, cases = load(a.study)
    d30 = int(np.argmin(np.abs(grid - a.at)))
    results = {"point": [], "grid": []}
    for seed in range(a.seeds):
        torch.manual_seed(seed)
        rng = np.random.default_rng(seed)
        unique = np.unique(cases)
        held = set(rng.choice(unique, max(1, len(unique) // 5), replace=False))
        test = np.array([i for i, c in enumerate(cases) if c in held])
        train = np.array([i for i, c in enumerate(cases) if c not in held])
        for name in results:
            pred, seconds = (run_point(D, S, Y, grid, train, test, a, seed) if name == "point"
                             else run_grid(D, S, Y, train, test, a, seed))
            truth = Y[test]
            ok = ~np.isnan(truth)
            curve_rmse = float(np.sqrt(np.mean((pred[ok] - truth[ok]) ** 2)))
            ok30 = ~np.isnan(truth[:, d30])
            d30_rmse = float(np.sqrt(np.mean((pred[ok30, d30] - truth[ok30, d30]) ** 2)))
            results[name].append((curve_rmse, d30_rmse, seconds))
            print(f"seed {seed} {name:5s}: curve RMSE {curve_rmse:6.1f}  D30 RMSE {d30_rmse:6.1f}  "
                  f"train {seconds:6.1f} s", flush=True)
    for name, r in results.items():
        r = np.array(r)
        print(f"{name:5s} mean over {a.seeds} seeds: curve RMSE {r[:, 0].mean():.1f}, D30 RMSE {r[:, 1].mean():.1f}, "
              f"train {r[:, 2].mean():.1f} s")


if __name__ == "__main__":
    main()
