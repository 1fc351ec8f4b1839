#!/usr/bin/python3
"""Imputation accuracy of `elec_hpc impute` (its defaults, or --config) beside scikit-learn's imputers.

Protocol (the same as the acceptance check): hide 20% of the measured cells at random (seeds 0..S-1), impute,
and score RMSE on min-max scaled values over the hidden cells; report the median over seeds. Peers: column
mean, KNNImputer(5), IterativeImputer with BayesianRidge and with ExtraTrees(100).

Tables: the shipped real example (inputs/mpea, numeric properties only, as the acceptance check reads it) and
scikit-learn's bundled real tables (no download): diabetes, wine, breast cancer, iris, linnerud; with --sparse
each complete table also gets a 30%-blank version first.
Usage: bench/impute_vs_peers.py BUILD/elec_hpc [--seeds 3] [--sparse] [--config study.toml] [--only t1,t2]
                                   [--results r.json] [--figure docs/figures/x.png]
       bench/impute_vs_peers.py --plot r.json --figure x.png     (redraw from saved results)
Needs Debian's python3-sklearn, python3-pandas, python3-matplotlib.
"""
import argparse, json, os, subprocess, sys, tempfile, time, warnings
import numpy as np, pandas as pd
from sklearn import datasets
from sklearn.experimental import enable_iterative_imputer  # noqa: F401
from sklearn.impute import SimpleImputer, KNNImputer, IterativeImputer
from sklearn.ensemble import ExtraTreesRegressor

HERE = os.path.dirname(os.path.abspath(__file__))
warnings.filterwarnings("ignore")  # IterativeImputer's convergence warnings would bury the table
PEERS = {"mean": lambda: SimpleImputer(), "knn5": lambda: KNNImputer(n_neighbors=5),
         "ice_bayesridge": lambda: IterativeImputer(max_iter=10, random_state=0),
         "ice_extratrees": lambda: IterativeImputer(ExtraTreesRegressor(n_estimators=100, random_state=0, n_jobs=2),
                                                    max_iter=10, random_state=0)}

def mpea_properties():
    df = pd.read_csv(os.path.join(HERE, "..", "inputs", "mpea", "source", "MPEA_dataset.csv"))
    df = df[[c for c in df.columns if c.startswith("PROPERTY:")]].apply(pd.to_numeric, errors="coerce")
    return df.loc[:, (df.notna().mean() >= 0.05) & (df.nunique() > 1)].dropna(how="all").to_numpy(float)

def bundled(name):
    b = getattr(datasets, "load_" + name)()
    y = np.asarray(b.target, float).reshape(len(b.data), -1)
    return np.hstack([np.asarray(b.data, float), y]) if name in ("diabetes", "linnerud") else np.asarray(b.data, float)

def tables(sparse):
    out = {"mpea": mpea_properties()}
    for n in ("diabetes", "wine", "breast_cancer", "iris", "linnerud"):
        out[n] = bundled(n)
        if sparse:
            x = out[n].copy(); x[np.random.default_rng(99).random(x.shape) < 0.3] = np.nan; out[n + "_30blank"] = x
    return out

def run_elec(elec, x, config):
    with tempfile.TemporaryDirectory() as d:
        i, o = os.path.join(d, "in.csv"), os.path.join(d, "out.csv")
        pd.DataFrame(x, columns=[f"c{j}" for j in range(x.shape[1])]).to_csv(i, index=False)
        cmd = [elec, "impute", i, o] + (["--config", config] if config else [])
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        return pd.read_csv(o).to_numpy(float)

def plot(rows, seeds, path):
    import matplotlib; matplotlib.use("Agg"); import matplotlib.pyplot as plt
    names = [r["table"] for r in rows]; methods = list(PEERS) + ["elec"]; w = 0.16
    fig, ax = plt.subplots(figsize=(max(7, 1.25 * len(names)), 4.2))
    for k, m in enumerate(methods):
        ax.bar(np.arange(len(names)) + (k - 2) * w, [r["rmse"][m] / r["rmse"]["mean"] for r in rows], w, label=m)
    ax.set_xticks(np.arange(len(names))); ax.set_xticklabels(names, rotation=30, ha="right")
    ax.set_ylabel("RMSE / RMSE of column mean"); ax.axhline(1, color="k", lw=0.5)
    ax.set_title(f"Imputation of 20% hidden cells (median of {seeds} seeds; lower is better)")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0)); fig.tight_layout(); fig.savefig(path, dpi=120)
    print("figure:", path)

def main():
    ap = argparse.ArgumentParser(); ap.add_argument("elec", nargs="?"); ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--config", default=""); ap.add_argument("--figure", default=""); ap.add_argument("--sparse", action="store_true")
    ap.add_argument("--only", default="", help="comma-separated table names")
    ap.add_argument("--results", default="", help="save the medians and times as JSON")
    ap.add_argument("--plot", default="", help="redraw the figure from a saved JSON")
    a = ap.parse_args()
    if a.plot:
        saved = json.load(open(a.plot)); plot(saved["rows"], saved["seeds"], a.figure); return
    rows = []
    for name, x in tables(a.sparse).items():
        if a.only and name not in a.only.split(","): continue
        lo, hi = np.nanmin(x, 0), np.nanmax(x, 0); xs = (x - lo) / np.where(hi > lo, hi - lo, 1)
        res = {n: [] for n in list(PEERS) + ["elec"]}; secs = dict.fromkeys(res, 0.0)
        for seed in range(a.seeds):
            hide = ~np.isnan(xs) & (np.random.default_rng(seed).random(xs.shape) < 0.2)
            xm = xs.copy(); xm[hide] = np.nan
            keep = ~np.all(np.isnan(xm), 0)
            for n, make in PEERS.items():
                t = time.perf_counter(); out = np.full(xs.shape, np.nan); out[:, keep] = make().fit_transform(xm)
                secs[n] += time.perf_counter() - t; res[n].append(np.sqrt(np.mean((out[hide] - xs[hide]) ** 2)))
            t = time.perf_counter(); out = run_elec(a.elec, xm[:, keep], a.config); secs["elec"] += time.perf_counter() - t
            full = np.full(xs.shape, np.nan); full[:, keep] = out
            res["elec"].append(np.sqrt(np.mean((full[hide] - xs[hide]) ** 2)))
        med = {n: float(np.median(v)) for n, v in res.items()}
        best_peer = min(v for n, v in med.items() if n != "elec")
        rows.append({"table": name, "shape": list(x.shape), "rmse": med, "seconds": {n: s / a.seeds for n, s in secs.items()}})
        print(f"{name:22s} {x.shape[0]:5d}x{x.shape[1]:<3d} " + "  ".join(f"{n}={v:.4f}" for n, v in med.items())
              + f"  elec/best_peer={med['elec']/best_peer:.3f}  elec_s={secs['elec']/a.seeds:.1f}", flush=True)
    if a.results:
        with open(a.results, "w") as f: json.dump({"seeds": a.seeds, "config": a.config or "defaults", "rows": rows}, f, indent=1)
    if a.figure: plot(rows, a.seeds, a.figure)

if __name__ == "__main__":
    main()
