#!/usr/bin/python3
"""The baselines of `elec_hpc compare` against scikit-learn's own models, on the same folds and the same inputs.

`elec_hpc compare ... --out COMPARE_H5` stores, beside each model's out-of-fold forecasts, what the baselines saw:
/cells/descriptors (the encoded descriptors: one-hot categoricals, numeric columns in data units), /cells/measured
(rows x endpoint columns, NaN = not measured), /cells/fold and /cells/target (the target of each endpoint column; a
curve's points share one). This script refits every baseline with scikit-learn exactly as compare does (see
src/eval/comparison.cpp, fit_item): per endpoint column and fold, on the descriptors of the other folds' rows where
the column was measured, predicting the fold's rows; then it scores each target as score_accuracy in
src/eval/cross_validation.cpp does: R^2 = 1 - SS_res / SS_tot pooled over every measured held-out value of the
target's columns. The peers:
  lasso          make_pipeline(StandardScaler(), LassoCV(cv=5))                 (KFold without shuffling, as ours)
  random_forest  RandomForestRegressor(random_state=fold- and column-specific)  (100 trees, max_features=1.0)
  gpr            make_pipeline(StandardScaler(), GaussianProcessRegressor(
                     ConstantKernel() * RBF(np.ones(d), (1e-5, 1e5)) + WhiteKernel(),
                     normalize_y=True, n_restarts_optimizer=5, random_state=...))
Constant descriptor columns are kept: StandardScaler turns them into zeros (scale 1), as ours does, so they change
neither lasso nor the GP on the training rows. The edge cases follow ours: no training value -> no forecast (NaN);
lasso with fewer rows than 5 uses leave-one-out; lasso and GP with one row or a constant y predict the mean.

The issue's tolerance: |R^2 ours - R^2 scikit-learn| <= 0.05 for lasso and GPR, <= 0.1 for the random forest.
Targets with fewer than --min-values held-out values, or whose values come from fewer than --min-values distinct
descriptor rows ("cases": replicates of one formulation share their descriptors, so a curve or a slurry property
measured on 8 slurries is 8 independent forecasts however many cells carry it), are listed but flagged (R^2 on a
handful of independent values is noise) and left out of the summary's verdict.

A forest and a GP depend on their random numbers (bootstraps and split orders; the GP's restart points, which
decide the local optimum of the likelihood it ends in), so no two implementations share bits; with --repeats K the
forest and the GP are refitted with K seeds and a second table shows how far scikit-learn's own R^2 moves from seed
to seed, the yardstick for the differences of the first (lasso has no randomness and is fitted once).

Usage: bench/compare_sklearn.py COMPARE_H5 [--models lasso,random_forest,gpr] [--markdown FILE] [--repeats K]
                                [--save PRED.npz] [--load PRED.npz] [--min-values 10] [--seed 0]
                                [--gpr-max-rows N] [--gpr-restarts R]
  --markdown FILE  also write the tables (Markdown) to FILE
  --min-values N   flag targets with fewer than N values or cases (10)
  --gpr-max-rows N skip the GP on targets with a column measured on more than N rows (too slow in scikit-learn)
  --gpr-restarts R scikit-learn's n_restarts_optimizer (5, as ours; more shows where the likelihood's best optimum
                   leads)
  --repeats K      fit the forest and the GP with K seeds (seed, seed + 1, ...); the main table uses the first
  --save/--load    keep scikit-learn's out-of-fold forecasts (a GP on the MPEA table takes a while), e.g. to redo
                   the tables or study the cells where the two disagree
Needs Debian's /usr/bin/python3 with python3-sklearn (1.2) and python3-h5py.
"""
import argparse, hashlib, sys, time, warnings
import h5py
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.ensemble import RandomForestRegressor
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel
from sklearn.linear_model import LassoCV
from sklearn.model_selection import KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

MODELS = ("lasso", "random_forest", "gpr")
LABEL = {"lasso": "lasso", "random_forest": "random forest", "gpr": "GPR"}
TOLERANCE = {"lasso": 0.05, "random_forest": 0.1, "gpr": 0.05}


def strings(dataset):
    return [s.decode() if isinstance(s, bytes) else str(s) for s in dataset[()]]


def load(path):
    with h5py.File(path, "r") as f:
        if "cells/descriptors" not in f:
            sys.exit(f"{path}: no /cells/descriptors (written by an elec_hpc compare older than this script)")
        d = {"fold": f["cells/fold"][()].astype(int), "measured": f["cells/measured"][()],
             "x": f["cells/descriptors"][()], "descriptor_names": strings(f["cells/descriptor_names"]),
             "endpoint_names": strings(f["cells/endpoint_names"]), "target": f["cells/target"][()].astype(int),
             "target_names": strings(f["targets/names"]), "folds": int(f.attrs.get("folds", 0)),
             "seed": int(f.attrs.get("seed", 0)), "ours": {}}
        for name in strings(f["model_names"]):
            g = f["models"][name]
            d["ours"][name] = {"mean": g["mean"][()], "r2": g["r2"][()], "values": g["values"][()]}
    if d["folds"] <= 0:
        d["folds"] = int(d["fold"].max()) + 1
    return d


def fingerprint(data):
    """What scikit-learn's forecasts depend on: descriptors, measured values and folds."""
    h = hashlib.sha256()
    for a in (data["x"], data["measured"], data["fold"]):
        h.update(np.ascontiguousarray(a, dtype=float).tobytes())
    return h.hexdigest() + ("" if GPR_RESTARTS == 5 else f"/gpr_restarts={GPR_RESTARTS}")


GPR_RESTARTS = 5  # n_restarts_optimizer, as ours (--gpr-restarts changes it to study the likelihood's optima)


def make_peer(model, n, d, seed):
    """scikit-learn's model for n training rows with d descriptor columns."""
    if model == "lasso":
        # LassoCV's cv=5 is KFold(5) without shuffling; ours falls back to leave-one-out below 5 rows.
        return make_pipeline(StandardScaler(), LassoCV(cv=KFold(min(5, n))))
    if model == "random_forest":
        return RandomForestRegressor(random_state=seed)
    if model == "gpr":
        kernel = ConstantKernel() * RBF(np.ones(d), (1e-5, 1e5)) + WhiteKernel()
        return make_pipeline(StandardScaler(), GaussianProcessRegressor(
            kernel=kernel, normalize_y=True, n_restarts_optimizer=GPR_RESTARTS, random_state=seed))
    raise ValueError(model)


def fit_predict(model, x, y, x_held, seed):
    if model != "random_forest" and (len(y) == 1 or np.all(y == y[0])):
        return np.full(len(x_held), y.mean())  # ours: nothing to learn, the mean
    peer = make_peer(model, len(y), x.shape[1], seed)
    peer.fit(x, y)
    return peer.predict(x_held)


def skipped_targets(data, max_rows):
    """Targets with a column measured on more than max_rows rows (scikit-learn's GP holds an n x n x (d + 2)
    gradient array and evaluates it ~100 times per start: hours per fit on a thousand rows of 80 descriptors)."""
    if max_rows is None:
        return set()
    counts = np.sum(~np.isnan(data["measured"]), axis=0)
    return {int(data["target"][j]) for j in range(len(counts)) if counts[j] > max_rows}


def peer_forecasts(data, model, base_seed, skip=frozenset()):
    """Out-of-fold forecasts of every measured cell (NaN elsewhere), fitted as compare's fit_item does."""
    measured, x, fold = data["measured"], data["x"], data["fold"]
    out = np.full(measured.shape, np.nan)
    for f in range(data["folds"]):
        held_rows = fold == f
        for j in range(measured.shape[1]):
            if int(data["target"][j]) in skip:
                continue
            train = (~held_rows) & ~np.isnan(measured[:, j])
            held = held_rows & ~np.isnan(measured[:, j])  # ours predicts every held row; only these are scored
            if not train.any() or not held.any():
                continue
            seed = (base_seed * 1_000_003 + 7919 * f + j) % 2**31
            out[held, j] = fit_predict(model, x[train], measured[train, j], x[held], seed)
    return out


def score(data, mean):
    """Per target: (values, R^2) as score_accuracy computes them."""
    rows = []
    for t in range(len(data["target_names"])):
        y = data["measured"][:, data["target"] == t]
        p = mean[:, data["target"] == t]
        ok = ~np.isnan(y) & ~np.isnan(p)
        y, p = y[ok], p[ok]
        total = float(np.sum((y - y.mean()) ** 2)) if len(y) else 0.0
        r2 = 1.0 - float(np.sum((p - y) ** 2)) / total if len(y) >= 2 and total > 0 else np.nan
        rows.append((int(ok.sum()), r2))
    return rows


def distinct_cases(data):
    """Per target: how many distinct descriptor rows its measured values come from."""
    out = []
    for t in range(len(data["target_names"])):
        rows = ~np.all(np.isnan(data["measured"][:, data["target"] == t]), axis=1)
        out.append(len({tuple(r) for r in data["x"][rows].tolist()}))
    return out


def forecast_gap(data, ours, peer):
    """Per target: RMS difference of the two forecasts over the scored cells, in held-out standard deviations."""
    gaps = []
    for t in range(len(data["target_names"])):
        cols = data["target"] == t
        y = data["measured"][:, cols]
        ok = ~np.isnan(y) & ~np.isnan(ours[:, cols]) & ~np.isnan(peer[:, cols])
        sd = float(np.std(y[ok])) if ok.sum() >= 2 else 0.0
        gaps.append(float(np.sqrt(np.mean((ours[:, cols][ok] - peer[:, cols][ok]) ** 2))) / sd if sd > 0 else np.nan)
    return gaps


def fmt(v, digits=3, signed=False):
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "n/a"
    return f"{v:+.{digits}f}" if signed else f"{v:.{digits}f}"


def held_out_values(data, models, t):
    """The values a target is scored on (ours' count; the mismatch check below compares scikit-learn's)."""
    return max(int(data["ours"][m]["values"][t]) for m in models)


def report(path, data, models, peers, seconds, min_values, skipped):
    lines = [f"`{path}`: {data['measured'].shape[0]} rows, {data['x'].shape[1]} encoded descriptors, "
             f"{data['measured'].shape[1]} endpoint columns in {len(data['target_names'])} targets, "
             f"{data['folds']} folds. scikit-learn time: "
             + ", ".join(f"{LABEL[m]} {seconds[m]:.1f} s" for m in models) + ".", ""]
    cases = distinct_cases(data)
    header = "| target | values | cases |" + "".join(f" {LABEL[m]} ours | sklearn | diff | |" for m in models)
    lines += [header, "|---|---:|---:|" + "---:|---:|---:|:-:|" * len(models)]
    summary = {m: {"diffs": [], "all_diffs": [], "within": 0, "counted": 0, "all_within": 0, "all": 0, "gaps": []}
               for m in models}
    mismatched = []
    for t, name in enumerate(data["target_names"]):
        values = held_out_values(data, models, t)
        cells = []
        for m in models:
            ours_r2 = float(data["ours"][m]["r2"][t])
            n_peer, peer_r2 = peers[m]["scores"][t]
            if int(data["ours"][m]["values"][t]) != n_peer and t not in skipped.get(m, ()):
                mismatched.append(f"{m}/{name}: ours scored {int(data['ours'][m]['values'][t])} values, "
                                  f"scikit-learn {n_peer}")
            if t in skipped.get(m, ()):
                cells.append(f" {fmt(ours_r2)} | skipped | | |")
                continue
            both_nan = np.isnan(ours_r2) and np.isnan(peer_r2)
            diff = peer_r2 - ours_r2
            flagged = values < min_values or cases[t] < min_values
            within = both_nan or (not np.isnan(diff) and abs(diff) <= TOLERANCE[m])
            mark = ("ok" if within else "**no**") + ("*" if flagged else "")
            if not both_nan:
                summary[m]["all_diffs"].append(abs(diff))
                summary[m]["all"] += 1
                summary[m]["all_within"] += within
            if not flagged and not both_nan:
                summary[m]["diffs"].append(abs(diff))
                summary[m]["counted"] += 1
                summary[m]["within"] += within
                summary[m]["gaps"].append(peers[m]["gaps"][t])
            cells.append(f" {fmt(ours_r2)} | {fmt(peer_r2)} | {fmt(diff, signed=True)} | {mark} |")
        label = f"{name}*" if values < min_values or cases[t] < min_values else name
        lines.append(f"| {label} | {values} | {cases[t]} |" + "".join(cells))
    lines += ["", f"\\* fewer than {min_values} held-out values or distinct descriptor rows (cases): listed, not "
              "counted in the summary. diff = "
              "scikit-learn - ours; tolerance |diff| <= " + ", ".join(f"{TOLERANCE[m]} ({LABEL[m]})" for m in models)
              + ".", ""]
    lines += ["| model | within tolerance (counted) | max \\|diff\\| (counted) | median \\|diff\\| (counted) | "
              "within tolerance (all targets) | max \\|diff\\| (all) | median forecast gap (held-out SDs) |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for m in models:
        s = summary[m]
        lines.append(f"| {LABEL[m]} | {s['within']} / {s['counted']} | "
                     f"{fmt(max(s['diffs']) if s['diffs'] else np.nan)} | "
                     f"{fmt(float(np.median(s['diffs'])) if s['diffs'] else np.nan)} | "
                     f"{s['all_within']} / {s['all']} | "
                     f"{fmt(max(s['all_diffs']) if s['all_diffs'] else np.nan)} | "
                     f"{fmt(float(np.nanmedian(s['gaps'])) if s['gaps'] else np.nan, 2)} |")
    lines += ["", "Forecast gap: the RMS difference between our forecast and scikit-learn's over a target's scored "
              "cells, divided by the standard deviation of its held-out values (0 = the same forecasts)."]
    repeated = [m for m in models if len(peers[m].get("repeats", [])) > 1]
    if repeated:
        k = len(peers[repeated[0]]["repeats"])
        lines += ["", f"scikit-learn against itself: R^2 over {k} seeds (min .. max, and the range), and whether ours "
                  "lies within the seeds' range widened by the tolerance.", "",
                  "| target | values | cases |" + "".join(f" {LABEL[m]} ours | sklearn seeds | range | |"
                                                     for m in repeated),
                  "|---|---:|---:|" + "---:|:-:|---:|:-:|" * len(repeated)]
        ranges = {m: [] for m in repeated}
        inside = {m: [0, 0] for m in repeated}
        for t, name in enumerate(data["target_names"]):
            values = held_out_values(data, models, t)
            flagged = values < min_values or cases[t] < min_values
            cells = []
            for m in repeated:
                if t in skipped.get(m, ()):
                    cells.append(f" {fmt(float(data['ours'][m]['r2'][t]))} | skipped | | |")
                    continue
                r2s = np.array([sc[t][1] for sc in peers[m]["repeats"]], float)
                ours_r2 = float(data["ours"][m]["r2"][t])
                if np.all(np.isnan(r2s)):
                    cells.append(f" {fmt(ours_r2)} | n/a | n/a | |")
                    continue
                lo, hi = float(np.nanmin(r2s)), float(np.nanmax(r2s))
                ok = lo - TOLERANCE[m] <= ours_r2 <= hi + TOLERANCE[m]
                if not flagged:
                    ranges[m].append(hi - lo)
                    inside[m][0] += ok
                    inside[m][1] += 1
                cells.append(f" {fmt(ours_r2)} | {fmt(lo)} .. {fmt(hi)} | {fmt(hi - lo)} | "
                             f"{('ok' if ok else '**no**') + ('*' if flagged else '')} |")
            lines.append(f"| {name + '*' if flagged else name} | {values} | {cases[t]} |" + "".join(cells))
        lines += ["", "| model | seeds | largest seed-to-seed range (counted targets) | median range | ours within "
                  "range +- tolerance |", "|---|---:|---:|---:|---:|"]
        for m in repeated:
            lines.append(f"| {LABEL[m]} | {k} | {fmt(max(ranges[m]) if ranges[m] else np.nan)} | "
                         f"{fmt(float(np.median(ranges[m])) if ranges[m] else np.nan)} | "
                         f"{inside[m][0]} / {inside[m][1]} |")
    for m in models:
        if skipped.get(m):
            lines += ["", f"{LABEL[m]}: skipped (--gpr-max-rows) "
                      + ", ".join(data["target_names"][t] for t in sorted(skipped[m])) + "."]
    if mismatched:
        lines += ["", "Scored cells differ (should not happen): " + "; ".join(mismatched)]
    return "\n".join(lines), summary


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("compare_h5")
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--markdown")
    ap.add_argument("--save")
    ap.add_argument("--load")
    ap.add_argument("--min-values", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--gpr-max-rows", type=int)
    ap.add_argument("--gpr-restarts", type=int, default=5)
    args = ap.parse_args()
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    warnings.filterwarnings("ignore", message=".*lbfgs failed to converge.*")
    global GPR_RESTARTS
    GPR_RESTARTS = args.gpr_restarts
    data = load(args.compare_h5)
    models = [m for m in args.models.split(",") if m]
    for m in models:
        if m not in MODELS:
            sys.exit(f"--models: unknown model {m!r}; expected some of {', '.join(MODELS)}")
        if m not in data["ours"]:
            sys.exit(f"{args.compare_h5}: no model {m!r} (has {', '.join(data['ours'])})")
    loaded = dict(np.load(args.load)) if args.load else {}
    if loaded and str(loaded.get("fingerprint", "")) != fingerprint(data):
        sys.exit(f"{args.load}: saved from other inputs (descriptors, values or folds differ from {args.compare_h5})")
    peers, seconds = {}, {}
    skipped = {"gpr": skipped_targets(data, args.gpr_max_rows)} if "gpr" in models else {}
    for m in models:
        start = time.time()
        repeats = 1 if m == "lasso" else max(1, args.repeats)
        means = []
        for r in range(repeats):
            key = m if r == 0 else f"{m}_seed{r}"
            if key in loaded:
                means.append(loaded[key])
            else:
                print(f"fitting {m} (seed {args.seed + r}) ...", file=sys.stderr, flush=True)
                means.append(peer_forecasts(data, m, args.seed + r, skipped.get(m, frozenset())))
            if r == 0:
                seconds[m] = float(loaded.get(m + "_seconds", np.nan)) if m in loaded else time.time() - start
        mean = means[0]
        # Our own R^2 recomputed from the stored forecasts: checks that this script scores as compare does.
        ours_again = score(data, data["ours"][m]["mean"])
        for t, (n, r2) in enumerate(ours_again):
            if t in skipped.get(m, ()):
                continue
            stored = float(data["ours"][m]["r2"][t])
            if n != int(data["ours"][m]["values"][t]) or not (np.isclose(r2, stored, rtol=0, atol=1e-9)
                                                               or (np.isnan(r2) and np.isnan(stored))):
                print(f"warning: {m}/{data['target_names'][t]}: stored R^2 {stored} ({int(data['ours'][m]['values'][t])}"
                      f" values), recomputed {r2} ({n})", file=sys.stderr)
        peers[m] = {"mean": mean, "scores": score(data, mean), "means": means,
                    "repeats": [score(data, x) for x in means],
                    "gaps": forecast_gap(data, data["ours"][m]["mean"], mean)}
    if args.save:
        saved = dict(loaded)
        for m in models:
            for r, x in enumerate(peers[m]["means"]):
                saved[m if r == 0 else f"{m}_seed{r}"] = x
            saved[m + "_seconds"] = np.array(seconds[m])
        saved["fingerprint"] = np.array(fingerprint(data))
        np.savez(args.save, **saved)
    text, _ = report(args.compare_h5, data, models, peers, seconds, args.min_values, skipped)
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as out:
            out.write(text + "\n")


if __name__ == "__main__":
    main()
