#!/usr/bin/python3
"""Figures and scores for predicted curves, from an `elec_hpc predict --members` file.

  curve_figures.py PREDICTIONS.h5 --measured CURVES.csv --train-curves TRAIN_CURVES.csv --out DIR
                   [--curve capacity_mAh_g] [--derived D30_mAh_g] [--at 30] [--cells id1,id2,id3]

Writes, like the paper's Figures 6 and 7:
  DIR/curves.png      measured points vs predicted curve with a +-1 std band, one panel per cell
  DIR/d30_members.png histogram of the members' predictions of the derived scalar, with the measured value and the
                      skewness (third standardised moment) of the members' distribution
  DIR/scores.json     RMSE of the derived scalar against the measured curves (and of the training mean, the
                      baseline), and the fraction of measured points inside the +-1 std and +-2 std bands
Uses Debian's python3-h5py, python3-numpy and python3-matplotlib.
"""
import argparse
import csv
import json
import os

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def read_long(path, value_column):
    """{id: {abscissa: value}} from a long-format curve file (id, abscissa, value)."""
    curves = {}
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        abscissa_column = [c for c in reader.fieldnames if c not in ("id", value_column)][0]
        for row in reader:
            if row[value_column].strip() == "":
                continue
            curves.setdefault(row["id"], {})[float(row[abscissa_column])] = float(row[value_column])
    return curves


def value_at(curve, x):
    """The measured value at x, linearly interpolated between measured points; None outside them."""
    xs = sorted(curve)
    if not xs or x < xs[0] or x > xs[-1]:
        return None
    return float(np.interp(x, xs, [curve[k] for k in xs]))


def skewness(values):
    values = np.asarray(values, dtype=float)
    centred = values - values.mean()
    return float((centred ** 3).mean() / (centred ** 2).mean() ** 1.5)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("predictions")
    p.add_argument("--measured", required=True, help="measured curves of the predicted cells (long format)")
    p.add_argument("--train-curves", required=True, help="training curves, for the training-mean baseline")
    p.add_argument("--out", required=True)
    p.add_argument("--curve", default="capacity_mAh_g")
    p.add_argument("--derived", default="D30_mAh_g")
    p.add_argument("--at", type=float, default=30.0, help="abscissa of the derived scalar (value_at)")
    p.add_argument("--cells", default="", help="cells to draw (default: the first three)")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)

    with h5py.File(a.predictions, "r") as f:
        ids = [s.decode() if isinstance(s, bytes) else s for s in f["row_ids"][()]]
        group = f["curves"][a.curve]
        grid = group["abscissa"][()]
        mean, std = group["mean"][()], group["std"][()]
        unit = group.attrs.get("unit", "")
        names = [s.decode() if isinstance(s, bytes) else s for s in f["derived/names"][()]]
        d = names.index(a.derived)
        derived_mean = f["derived/mean"][()][:, d]
        derived_members = f["derived/members"][()][:, :, d] if "members" in f["derived"] else None
    measured = read_long(a.measured, a.curve)
    training = read_long(a.train_curves, a.curve)

    # The derived scalar: predicted vs measured, and the training mean as the baseline predictor.
    train_values = [v for v in (value_at(c, a.at) for c in training.values()) if v is not None]
    baseline = float(np.mean(train_values))
    pairs = [(derived_mean[i], value_at(measured.get(cell, {}), a.at)) for i, cell in enumerate(ids)]
    pairs = [(pred, true) for pred, true in pairs if true is not None]
    rmse = float(np.sqrt(np.mean([(pred - true) ** 2 for pred, true in pairs])))
    rmse_baseline = float(np.sqrt(np.mean([(baseline - true) ** 2 for _, true in pairs])))

    # Calibration: measured points inside the predicted +-1 and +-2 std bands.
    inside1 = inside2 = total = 0
    for i, cell in enumerate(ids):
        for x, y in measured.get(cell, {}).items():
            k = int(np.argmin(np.abs(grid - x)))
            if abs(grid[k] - x) > 1e-9:
                continue
            total += 1
            inside1 += abs(y - mean[i, k]) <= std[i, k]
            inside2 += abs(y - mean[i, k]) <= 2 * std[i, k]
    scores = {
        "cells": len(pairs),
        f"{a.derived}_rmse": rmse,
        f"{a.derived}_rmse_training_mean": rmse_baseline,
        "training_mean": baseline,
        "points": total,
        "inside_1std": inside1 / total if total else None,
        "inside_2std": inside2 / total if total else None,
    }
    with open(os.path.join(a.out, "scores.json"), "w") as f:
        json.dump(scores, f, indent=2)
    print(json.dumps(scores, indent=2))

    chosen = a.cells.split(",") if a.cells else [c for c in ids if c in measured][:3]
    fig, axes = plt.subplots(1, len(chosen), figsize=(4.2 * len(chosen), 3.6), squeeze=False)
    for ax, cell in zip(axes[0], chosen):
        i = ids.index(cell)
        ax.fill_between(grid, mean[i] - std[i], mean[i] + std[i], alpha=0.3, label="predicted +-1 std")
        ax.plot(grid, mean[i], lw=1.5, label="predicted mean")
        points = sorted(measured.get(cell, {}).items())
        if points:
            ax.plot([x for x, _ in points], [y for _, y in points], "o", ms=3, label="measured")
        ax.axhline(372, color="grey", lw=0.8, ls="--")
        ax.set_title(cell)
        ax.set_xlabel("cycle")
        ax.set_ylabel(f"{a.curve} ({unit})")
    axes[0][0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(a.out, "curves.png"), dpi=130)

    if derived_members is not None:
        fig, axes = plt.subplots(1, len(chosen), figsize=(4.2 * len(chosen), 3.2), squeeze=False)
        for ax, cell in zip(axes[0], chosen):
            i = ids.index(cell)
            values = derived_members[:, i]
            ax.hist(values, bins=25, alpha=0.8)
            true = value_at(measured.get(cell, {}), a.at)
            if true is not None:
                ax.axvline(true, color="k", lw=1.5, label="measured")
            ax.set_title(f"{cell}: skewness {skewness(values):.2f}")
            ax.set_xlabel(f"{a.derived} of each member")
        axes[0][0].legend(fontsize=7)
        fig.tight_layout()
        fig.savefig(os.path.join(a.out, "d30_members.png"), dpi=130)


if __name__ == "__main__":
    main()
