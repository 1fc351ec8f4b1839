#!/usr/bin/python3
"""Calibration remedies for the ensemble's out-of-fold (OOF) uncertainty, compared by cross-fitting.

`elec_hpc cv` writes the OOF ensemble mean and spread of every measured cell. The product calibrates the spread
with one variance scale per target fitted by maximum likelihood (scale = sqrt(mean z^2), z = (y - mean)/std);
this script measures that choice against alternatives. Every remedy is CROSS-FITTED: for each fold k it is fitted
on the OOF predictions of the other folds only and applied to fold k, and the folds are pooled, so no remedy sees
the cells it is scored on (the same protocol as the product's own calibrated scores).

Remedies (per target; the columns of a curve, `name@x`, form one target):
  raw, scale (the product's), scale+noise (var = (a std)^2 + b^2), global scale, isotonic (Kuleshov et al. 2018
  quantile recalibration), robust scale (median |z| / 0.6745), linear mean + scale (y ~ a + b mean, then an ML
  scale), and with /cells/member_intervals: members raw, members x scale (coverage curve only).
Scores per target: coverage of +-1 std and +-2 std (interval remedies: the 68.27% / 95.45% central intervals),
coverage at the 10 levels, calibration error (mean |observed - expected| over them), standardised log loss
(Gaussian NLL minus that of N(training-fold mean, training-fold variance) of the column), sharpness (median std)
and RMSE; averages count every target once.
Usage: bench/calibration_remedies.py CV_H5 [CV_H5 ...] [--markdown out.md]
"""
import argparse
import warnings
from collections import namedtuple

import h5py
import numpy as np
from scipy.optimize import minimize
from scipy.special import erf
from scipy.stats import norm
from sklearn.isotonic import IsotonicRegression

C1, C2 = erf(1 / np.sqrt(2)), erf(2 / np.sqrt(2))  # 0.6827, 0.9545: the mass within +-1 and +-2 std
BAND1, BAND2 = (0.60, 0.76), (0.90, 0.98)              # acceptable coverage of +-1 std and +-2 std
# The cells of one target in one set of rows, flattened: observation, OOF mean and spread, the column's reference
# forecast (training-fold mean and variance), the members' interval offsets (n, 2, L) or None.
Cells = namedtuple("Cells", "y mu sd ref_mean ref_var members")
# A remedy's forecast for test cells: centre, lower/upper offsets (n, L + 2) at the file's levels then C1 and C2,
# and the std for the log loss and sharpness.
Forecast = namedtuple("Forecast", "centre lo hi sd")


def load(path):
    """Reads a cv file; old files (no member_intervals) give members=None."""
    with h5py.File(path, "r") as f:
        names = [n.decode() if isinstance(n, bytes) else str(n) for n in f["cells/endpoint_names"][:]]
        d = {k: f["cells/" + k][:] for k in ("mean", "std", "measured", "fold")}
        d["members"] = f["cells/member_intervals"][:] if "cells/member_intervals" in f else None
        d["levels"] = f["levels"][:] if "levels" in f else np.array([.1, .2, .3, .4, .5, .6, .7, .8, .9, .95])
    d["targets"] = {}
    for j, n in enumerate(names):
        d["targets"].setdefault(n.split("@")[0], []).append(j)
    return d


def reference(y, fold):
    """Per column and fold, the mean and variance (ddof=1) of the other folds: the trivial forecast the log loss
    is standardised against (as the product's reference_forecasts)."""
    m, v = np.full(y.shape, np.nan), np.full(y.shape, np.nan)
    for k in np.unique(fold):
        train = y[fold != k]
        count = np.sum(~np.isnan(train), 0)
        mk = np.nansum(train, 0) / np.where(count > 0, count, np.nan)
        m[fold == k] = mk
        v[fold == k] = np.nansum((train - mk) ** 2, 0) / np.where(count > 1, count - 1, np.nan)
    return m, v


def cells(d, cols, rows, ref):
    """The measured, predicted cells of one target's columns in the given rows."""
    sl = np.ix_(rows, cols)
    ok = ~np.isnan(d["measured"][sl]) & ~np.isnan(d["mean"][sl])
    mem = None if d["members"] is None else d["members"][sl][ok]
    return Cells(d["measured"][sl][ok], d["mean"][sl][ok], d["std"][sl][ok], ref[0][sl][ok], ref[1][sl][ok], mem)


def zs(c, centre=None):
    """Standardised errors of the cells with a positive spread (a zero spread has no z)."""
    ok = c.sd > 0
    return (c.y[ok] - (c.mu[ok] if centre is None else centre[ok])) / c.sd[ok]


def gaussian(centre, sd, levels):
    """Central intervals of N(centre, sd^2) at every level, as offsets from the centre."""
    z = np.append(norm.ppf(0.5 + 0.5 * levels), [1.0, 2.0])
    return Forecast(centre, -np.outer(sd, z), np.outer(sd, z), sd)


def ml_scale(z):
    """Maximum-likelihood variance scale of N(0, s^2) for standardised errors: s = sqrt(mean z^2)."""
    return np.sqrt(np.mean(z ** 2)) if len(z) else 1.0


# --- remedies: each is fitted on the training folds' cells `tr` and forecasts the test fold's cells `te` ---

def raw(tr, te, lv, all_tr):
    """No calibration: the ensemble spread as it is."""
    return gaussian(te.mu, te.sd, lv)


def scale(tr, te, lv, all_tr):
    """The product's choice: one ML variance scale per target, fixing over- or under-dispersion uniformly."""
    return gaussian(te.mu, ml_scale(zs(tr)) * te.sd, lv)


def scale_noise(tr, te, lv, all_tr):
    """var = (a std)^2 + b^2 by ML: a floor b for the noise the ensemble cannot see (measurement scatter), so
    cells where the members agree are not overconfident while the scale a handles the rest."""
    ok = tr.sd > 0
    e, s = tr.y[ok] - tr.mu[ok], tr.sd[ok]
    if len(e) < 3:
        return scale(tr, te, lv, all_tr)
    spread = np.log(np.std(e) + 1e-300)

    def nll(p):
        v = np.exp(2 * p[0]) * s ** 2 + np.exp(2 * p[1])
        return np.sum(0.5 * np.log(v) + 0.5 * e ** 2 / v)
    start = [np.log(ml_scale(e / s)), spread - 1.0]
    a, b = np.exp(minimize(nll, start, method="L-BFGS-B", bounds=[(-10, 10), (spread - 20, spread + 5)]).x)
    return gaussian(te.mu, np.sqrt((a * te.sd) ** 2 + b ** 2), lv)


def global_scale(tr, te, lv, all_tr):
    """One ML scale for every target (each target's mean z^2 weighted equally): fewer parameters, less noise
    on small targets, but cannot follow targets whose miscalibration differs."""
    return gaussian(te.mu, np.sqrt(np.mean([np.mean(zs(c) ** 2) for c in all_tr if np.any(c.sd > 0)])) * te.sd, lv)


def isotonic(tr, te, lv, all_tr, points=20001):
    """Quantile recalibration (Kuleshov et al. 2018): a monotone map R of the PITs u = Phi(z) to their empirical
    CDF; the level-c interval is mean + std Phi^-1(R^-1((1 -+ c)/2)). Fixes shape (skew, heavy tails), not only
    width; its log-loss std is the one implied by the 68.27% interval's half-width.
    The isotonic fit only sees the order of the PITs, so it is fitted and inverted on z = Phi^-1(u) itself: the same
    map, but an under-dispersed ensemble has |z| > 8.3, where Phi(z) rounds to 1 and a grid in u loses the tail.
    R^-1 stays within the training z's (no extrapolation beyond the observed PITs)."""
    z = np.sort(zs(tr))
    if len(z) < 2:
        return raw(tr, te, lv, all_tr)
    R = IsotonicRegression(y_min=0, y_max=1, increasing=True, out_of_bounds="clip")
    grid = np.linspace(z[0], z[-1], points)
    Rg = R.fit(z, np.arange(1, len(z) + 1) / len(z)).predict(grid)
    inv = lambda q: grid[np.minimum(np.searchsorted(Rg, q, "left"), points - 1)]  # smallest z with R >= q
    c = np.append(lv, [C1, C2])
    zlo, zhi = inv(0.5 - 0.5 * c), inv(0.5 + 0.5 * c)
    return Forecast(te.mu, np.outer(te.sd, zlo), np.outer(te.sd, zhi), te.sd * (zhi[-2] - zlo[-2]) / 2)


def robust_scale(tr, te, lv, all_tr):
    """Scale = median |z| / 0.6745: immune to a few gross misses that inflate the ML scale for every cell."""
    z = zs(tr)
    return gaussian(te.mu, (np.median(np.abs(z)) / 0.6745 if len(z) else 1.0) * te.sd, lv)


def linear_scale(tr, te, lv, all_tr):
    """y ~ a + b mean by least squares, then an ML scale of the residuals: removes a systematic bias or
    shrinkage of the mean before widening (the only remedy here that moves the mean and so the RMSE)."""
    if len(tr.y) < 3:
        return scale(tr, te, lv, all_tr)
    a, b = np.linalg.lstsq(np.c_[np.ones_like(tr.mu), tr.mu], tr.y, rcond=None)[0]
    return gaussian(a + b * te.mu, ml_scale(zs(tr, a + b * tr.mu)) * te.sd, lv)


def members(stretch):
    """The members' own central intervals (the empirical, possibly skewed ensemble quantiles), raw or stretched
    about the mean by the per-target ML scale. Only the 10 levels exist: no +-1/+-2 std, log loss or sharpness."""
    def remedy(tr, te, lv, all_tr):
        s, gap = (ml_scale(zs(tr)) if stretch else 1.0), np.full((len(te.y), 2), np.nan)
        return Forecast(te.mu, np.c_[s * te.members[:, 0, :], gap], np.c_[s * te.members[:, 1, :], gap],
                        np.full(len(te.y), np.nan))
    return remedy


REMEDIES = {"raw": raw, "scale": scale, "scale+noise": scale_noise, "global scale": global_scale,
            "isotonic": isotonic, "robust scale": robust_scale, "linear mean + scale": linear_scale,
            "members raw": members(False), "members x scale": members(True)}


def score(f, te, lv):
    """Coverage, calibration error, standardised log loss, sharpness and RMSE of pooled test forecasts."""
    e = te.y - f.centre
    inside = np.where(np.isnan(f.lo), np.nan, (e[:, None] >= f.lo) & (e[:, None] <= f.hi)).mean(0)
    ok = te.ref_var > 0  # a column with < 2 training values has no reference forecast
    sd = np.maximum(f.sd[ok], 1e-6 * np.sqrt(te.ref_var[ok]))
    nll = lambda err, v: 0.5 * np.log(2 * np.pi * v) + 0.5 * err ** 2 / v
    loss = nll(e[ok], sd ** 2) - nll(te.y[ok] - te.ref_mean[ok], te.ref_var[ok])
    return dict(n=len(e), w1=inside[-2], w2=inside[-1], curve=inside[:-2], cal=np.mean(np.abs(inside[:-2] - lv)),
                loss=np.mean(loss) if ok.any() else np.nan, sharp=np.median(f.sd), rmse=np.sqrt(np.mean(e ** 2)))


def cross_fit(d):
    """{remedy: {target: score}}, each remedy fitted on the other folds and scored on the pooled held-out folds."""
    ref, lv, out = reference(d["measured"], d["fold"]), d["levels"], {}
    for name, remedy in REMEDIES.items():
        if name.startswith("members") and d["members"] is None:
            continue
        out[name] = {}
        for target, cols in d["targets"].items():
            parts, tests = [], []
            for k in np.unique(d["fold"]):
                te = cells(d, cols, d["fold"] == k, ref)
                if len(te.y) == 0:
                    continue
                all_tr = {t: cells(d, c, d["fold"] != k, ref) for t, c in d["targets"].items()}
                parts.append(remedy(all_tr[target], te, lv, all_tr.values()))
                tests.append(te)
            cat = lambda xs: None if xs[0] is None else np.concatenate(xs)
            out[name][target] = score(Forecast(*map(cat, zip(*parts))), Cells(*map(cat, zip(*tests))), lv)
    return out


def fmt(x):
    """Two decimals for numbers, '-' for a missing one (NaN), text as it is."""
    if isinstance(x, (float, np.floating)):
        return "-" if np.isnan(x) else f"{x:.2f}"
    return str(x)


def table(headers, rows, markdown):
    """A plain, column-aligned table or a Markdown one."""
    cells_ = [[fmt(c) for c in r] for r in rows]
    if markdown:
        return "\n".join(["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)] +
                         ["| " + " | ".join(r) + " |" for r in cells_])
    w = [max(len(h), *(len(r[i]) for r in cells_)) for i, h in enumerate(headers)]
    line = lambda r: "  ".join(c.rjust(w[i]) if i else c.ljust(w[i]) for i, c in enumerate(r))
    return "\n".join([line(headers), line(["-" * x for x in w])] + [line(r) for r in cells_])


def report(path, d, res, markdown):
    """The summary, coverage-curve and per-target tables of one cv file."""
    targets, lv, raw_ = list(d["targets"]), d["levels"], res["raw"]
    mean = lambda name, key: float(np.nanmean([res[name][t][key] for t in targets]))
    ratio = lambda name, key: float(np.nanmean([res[name][t][key] / raw_[t][key] for t in targets]))
    summary = []
    for name, r in res.items():
        worst = max(targets, key=lambda t: r[t]["cal"])
        band = sum(BAND1[0] <= r[t]["w1"] <= BAND1[1] and BAND2[0] <= r[t]["w2"] <= BAND2[1] for t in targets)
        band = "-" if np.isnan(r[targets[0]]["w1"]) else f"{band}/{len(targets)}"  # members: no +-1/+-2 std
        summary.append([name, mean(name, "w1"), mean(name, "w2"), mean(name, "cal"), mean(name, "loss"),
                        ratio(name, "sharp"), ratio(name, "rmse"), band,
                        f"{worst} {r[worst]['cal']:.2f} ({fmt(r[worst]['w1'])}/{fmt(r[worst]['w2'])})",
                        float(np.nanmax([r[t]["loss"] for t in targets]))])
    h = "### " if markdown else "== "
    per = lambda key: table(["target", "n"] + list(res), [[t, raw_[t]["n"]] + [res[n][t][key] for n in res]
                                                          for t in targets], markdown)
    out = [f"{h}{path}: {len(d['fold'])} rows, {len(np.unique(d['fold']))} folds, {len(targets)} targets",
           "Averages over targets (each counts once); in band = targets with +-1 std in 60-76% and +-2 std in "
           "90-98%; sharpness and RMSE as ratios to raw; worst = the target with the largest calibration error "
           "(its +-1/+-2 std coverage).",
           table(["remedy", "+-1 std", "+-2 std", "cal. error", "log loss", "sharpness/raw", "RMSE/raw", "in band",
                  "worst target (cal. error)", "worst log loss"], summary, markdown),
           "Coverage curve (average over targets) at the nominal levels:",
           table(["remedy"] + [f"{x:g}" for x in lv], [[n] + [float(np.nanmean([r[t]["curve"][i] for t in targets]))
                                                           for i in range(len(lv))] for n, r in res.items()], markdown),
           "Calibration error per target:", per("cal"),
           "Coverage of +-1 std / +-2 std per target:",
           table(["target", "n"] + list(res), [[t, raw_[t]["n"]] + [f"{fmt(res[n][t]['w1'])}/{fmt(res[n][t]['w2'])}"
                                                                   for n in res] for t in targets], markdown),
           "Standardised log loss per target:", per("loss"),
           "Sharpness (median std, data units) per target:", per("sharp"),
           "RMSE per target (only linear mean + scale moves the mean):",
           table(["target", "RMSE raw", "RMSE linear mean + scale"],
                 [[t, raw_[t]["rmse"], res["linear mean + scale"][t]["rmse"]] for t in targets], markdown)]
    return "\n\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+", metavar="CV_H5")
    ap.add_argument("--markdown", metavar="FILE", help="also write the tables in Markdown")
    args = ap.parse_args()
    np.seterr(all="ignore")
    warnings.simplefilter("ignore", RuntimeWarning)  # nan-means over the members rows, which have no std
    plain, md = [], []
    for path in args.files:
        d = load(path)
        res = cross_fit(d)
        plain.append(report(path, d, res, False))
        md.append(report(path, d, res, True))
    print("\n\n".join(plain))
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write("\n\n".join(md) + "\n")


if __name__ == "__main__":
    main()
