#!/usr/bin/python3
"""Figures from an `elec_hpc compare` file: the ensemble against the paper's baselines on the same folds.

  compare_figures.py COMPARE.h5 --out DIR

Writes:
  DIR/parity.png              measured vs out-of-fold predicted, one row per model, one column per target (a curve's
                              points pooled), with +-1 std error bars for models with an uncertainty
  DIR/calibration.png         observed vs expected coverage of central Gaussian intervals, averaged over targets,
                              one line per model with an uncertainty
  DIR/calibration_targets.png the same per target (small multiples)
  DIR/r2.png                  R^2 per target per model (bars below -1 are cut at -1 and labelled with their value;
                              n/a where R^2 is undefined: constant measured values)
  DIR/scores.csv              target, model, values, r2, rmse, mae, within_1std, within_2std, log_loss
Uses Debian's python3-h5py, python3-numpy and python3-matplotlib.
"""
import argparse
import csv
import os

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

# One colour per model, the same in every figure.
COLOURS = {
    "ensemble": "#1f77b4",
    "ensemble_raw": "#7fb3e0",
    "lasso": "#7f7f7f",
    "random_forest": "#2ca02c",
    "gradient_boosting": "#ff7f0e",
    "gpr": "#d62728",
}
LABELS = {
    "ensemble": "ensemble (calibrated std)",
    "ensemble_raw": "ensemble (raw spread)",
    "lasso": "lasso",
    "random_forest": "random forest",
    "gradient_boosting": "XGBoost",
    "gpr": "GPR",
}
R2_FLOOR = -1.0


def strings(dataset):
    return [s for s in dataset.asstr()[()]]


def well_measured_median(group, min_values):
    """The file's median R^2 over targets with at least min_values held-out values; files written before compare
    stored it get the same median computed here."""
    if "median_r2_well_measured" in group.attrs:
        return float(group.attrs["median_r2_well_measured"])
    r2 = group["r2"][()][group["values"][()] >= min_values]
    r2 = r2[np.isfinite(r2)]
    return float(np.median(r2)) if r2.size else np.nan


def read(path):
    with h5py.File(path, "r") as f:
        well_measured_values = int(f.attrs.get("well_measured_values", 10))  # older files: the threshold compare uses
        out = {
            "levels": f["levels"][()],
            "targets": strings(f["targets/names"]),
            "target_of_column": f["cells/target"][()],
            "measured": f["cells/measured"][()],
            "units": strings(f["cells/endpoint_units"]),
            "folds": int(f.attrs["folds"]),
            "group": f.attrs.get("group", ""),
            "note": f.attrs.get("note", ""),
            "well_measured_values": well_measured_values,
            "models": [],
        }
        for name in strings(f["model_names"]):
            g = f["models/" + name]
            c = g["calibration"]
            out["models"].append({
                "name": name,
                "has_uncertainty": bool(g.attrs["has_uncertainty"]),
                "median_r2": float(g.attrs["median_r2"]),
                # over targets with at least `well_measured_values` held-out values
                "median_r2_well_measured": well_measured_median(g, well_measured_values),
                "mean": g["mean"][()],
                "std": g["std"][()],
                "r2": g["r2"][()],
                "rmse": g["rmse"][()],
                "mae": g["mae"][()],
                "values": g["values"][()],
                # row 0: the average over targets, then one row per target
                "coverage": c["gaussian_coverage"][()],
                "within_1std": c["within_1std"][()],
                "within_2std": c["within_2std"][()],
                "log_loss": c["log_loss"][()],
            })
    return out


def colour(name):
    return COLOURS.get(name, "black")


def label(name):
    return LABELS.get(name, name)


def target_points(study, model, t):
    """Measured, predicted and std of every measured cell of target t (a curve's points pooled)."""
    columns = np.flatnonzero(study["target_of_column"] == t)
    y = study["measured"][:, columns].ravel()
    mean = model["mean"][:, columns].ravel()
    std = model["std"][:, columns].ravel()
    keep = ~np.isnan(y) & ~np.isnan(mean)
    return y[keep], mean[keep], std[keep]


def subtitle(study):
    group = " by " + study["group"] if study["group"] else ""
    return "%d-fold cross-validation%s; %s" % (study["folds"], group, study["note"])


def parity(study, out):
    models = [m for m in study["models"] if m["name"] != "ensemble_raw"]  # its means are the ensemble's
    targets = study["targets"]
    fig, axes = plt.subplots(len(models), len(targets), figsize=(1.9 * len(targets) + 0.6, 1.9 * len(models) + 0.8),
                             squeeze=False)
    for t, target in enumerate(targets):
        ys = [target_points(study, m, t) for m in models]
        everything = np.concatenate([np.concatenate([y, p]) for y, p, _ in ys]) if ys else np.array([0.0])
        low, high = np.nanpercentile(everything, [0.5, 99.5]) if everything.size else (0.0, 1.0)
        pad = 0.05 * (high - low if high > low else 1.0)
        for r, (m, (y, mean, std)) in enumerate(zip(models, ys)):
            ax = axes[r, t]
            small = y.size > 300  # a curve's thousands of points: thin bars, small dots
            if m["has_uncertainty"]:
                ax.errorbar(y, mean, yerr=std, fmt="none", ecolor=colour(m["name"]), alpha=0.15 if small else 0.4,
                            linewidth=0.5)
            ax.scatter(y, mean, s=2 if small else 6, color=colour(m["name"]), alpha=0.5 if small else 0.8,
                       linewidths=0)
            ax.plot([low - pad, high + pad], [low - pad, high + pad], color="black", linewidth=0.6)
            ax.set_xlim(low - pad, high + pad)
            ax.set_ylim(low - pad, high + pad)
            ax.tick_params(labelsize=6)
            ax.text(0.04, 0.96, "R$^2$ %.2f" % m["r2"][t], transform=ax.transAxes, va="top", fontsize=7)
            if r == 0:
                ax.set_title(target, fontsize=7)
            if t == 0:
                ax.set_ylabel(label(m["name"]) + "\npredicted", fontsize=7)
            if r == len(models) - 1:
                ax.set_xlabel("measured", fontsize=7)
    fig.suptitle("Out-of-fold predictions of held-out cells (+-1 std bars where the model has one)\n" + subtitle(study),
                 fontsize=9)
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    fig.savefig(os.path.join(out, "parity.png"), dpi=110)
    plt.close(fig)


def calibration(study, out):
    levels = study["levels"]
    models = [m for m in study["models"] if m["has_uncertainty"]]
    fig, ax = plt.subplots(figsize=(5.2, 4.6))
    ax.plot([0, 1], [0, 1], color="black", linewidth=0.8, label="perfectly calibrated")
    for m in models:
        ax.plot(levels, m["coverage"][0], marker="o", markersize=3, color=colour(m["name"]),
                label="%s (+-1/+-2 std: %.2f/%.2f)" % (label(m["name"]), m["within_1std"][0], m["within_2std"][0]))
    ax.set_xlabel("expected coverage (central Gaussian interval)")
    ax.set_ylabel("observed coverage of held-out values")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_title("Calibration, averaged over targets", fontsize=10)
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "calibration.png"), dpi=120)
    plt.close(fig)

    targets = study["targets"]
    columns = min(4, len(targets))
    rows = (len(targets) + columns - 1) // columns
    fig, axes = plt.subplots(rows, columns, figsize=(2.6 * columns, 2.5 * rows + 0.5), squeeze=False)
    for t, target in enumerate(targets):
        ax = axes[t // columns, t % columns]
        ax.plot([0, 1], [0, 1], color="black", linewidth=0.6)
        for m in models:
            ax.plot(levels, m["coverage"][t + 1], marker="o", markersize=2, linewidth=1, color=colour(m["name"]),
                    label=label(m["name"]))
        ax.set_title("%s (%d values)" % (target, models[0]["values"][t] if models else 0), fontsize=7)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.tick_params(labelsize=6)
    for k in range(len(targets), rows * columns):
        axes[k // columns, k % columns].axis("off")
    if models:
        axes[0, 0].legend(fontsize=5, loc="upper left")
    fig.suptitle("Observed vs expected coverage per target", fontsize=9)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    fig.savefig(os.path.join(out, "calibration_targets.png"), dpi=110)
    plt.close(fig)


def r2_bars(study, out):
    models = [m for m in study["models"] if m["name"] != "ensemble_raw"]
    targets = study["targets"]
    width = 0.8 / max(len(models), 1)
    fig, ax = plt.subplots(figsize=(max(6.0, 0.75 * len(targets) + 2), 4.4))
    x = np.arange(len(targets))
    for k, m in enumerate(models):
        values = np.asarray(m["r2"], dtype=float)
        shown = np.where(np.isnan(values), 0.0, np.maximum(values, R2_FLOOR))  # no bar where R^2 is undefined
        position = x - 0.4 + width * (k + 0.5)
        ax.bar(position, shown, width, color=colour(m["name"]),
               label=legend(m, study["well_measured_values"]))
        for p, v in zip(position, values):
            if np.isfinite(v) and v < R2_FLOOR:
                ax.text(p, R2_FLOOR + 0.02, "%.1f" % v, rotation=90, fontsize=5, ha="center", va="bottom")
            elif np.isnan(v):  # constant measured values (or fewer than two)
                ax.text(p, 0.02, "n/a", rotation=90, fontsize=5, ha="center", va="bottom")
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xticks(x)
    ax.set_xticklabels(targets, rotation=35, ha="right", fontsize=7)
    ax.set_ylim(R2_FLOOR, 1)
    ax.set_ylabel("out-of-fold R$^2$")
    ax.set_title("R$^2$ per target: " + subtitle(study), fontsize=8)
    ax.legend(fontsize=7, ncol=3, loc="lower left")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "r2.png"), dpi=120)
    plt.close(fig)


def legend(model, well_measured_values):
    """The model's median R^2, and beside it the median over well-measured targets when that differs."""
    text = "%s (median %.2f" % (label(model["name"]), model["median_r2"])
    well = model["median_r2_well_measured"]
    if np.isfinite(well) and abs(well - model["median_r2"]) >= 0.005:
        text += "; %.2f over targets with >= %d values" % (well, well_measured_values)
    return text + ")"


def scores_csv(study, out):
    with open(os.path.join(out, "scores.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["target", "model", "values", "r2", "rmse", "mae", "within_1std", "within_2std", "log_loss"])
        for t, target in enumerate(study["targets"]):
            for m in study["models"]:
                w.writerow([target, m["name"], int(m["values"][t])] +
                           ["%.6g" % v for v in (m["r2"][t], m["rmse"][t], m["mae"][t], m["within_1std"][t + 1],
                                                 m["within_2std"][t + 1], m["log_loss"][t + 1])])


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("comparison", help="an elec_hpc compare output (HDF5)")
    p.add_argument("--out", required=True, help="directory for the figures (created if missing)")
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    study = read(args.comparison)
    parity(study, args.out)
    calibration(study, args.out)
    r2_bars(study, args.out)
    scores_csv(study, args.out)
    print("wrote " + ", ".join(os.path.join(args.out, n) for n in
                               ("parity.png", "calibration.png", "calibration_targets.png", "r2.png", "scores.csv")))


if __name__ == "__main__":
    main()
