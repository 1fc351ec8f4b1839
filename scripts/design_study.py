#!/usr/bin/python3
"""The graphite design loop (jobs/design.slurm): proposals to manufacture, then the tables and figures.

  design_study.py proposals --out DIR --top DESIGNS.csv --tpe-history DESIGNS_history.csv
                            --random-history RANDOM_history.csv [--replicates 3]
      DIR/top_proposals.csv          the top designs, each REPLICATES times (ids design1_r1, ...)
      DIR/calibration_candidates.csv every feasible candidate of both searches (tpe0042, rnd0123) with its
                                     p_joint and p_gaussian
      DIR/calibration_proposals.csv  those, each REPLICATES times (ids tpe0042_r1, ...)
    A proposal id is its own batch in the simulator (slurry, coating run and cell drawn from a stream keyed by seed
    and id), so the replicates are independent makes of the recipe.

  design_study.py explore --out DIR --random-history RANDOM_history.csv [--count 10] [--replicates 3]
      DIR/explore_proposals.csv      the COUNT feasible random-search candidates whose p_joint is nearest 0.5 (the
                                     makes whose outcome the model knows least), each REPLICATES times (explore01_r1)

  design_study.py augment --cells CELLS.csv --curves CAPACITY.csv --schema SCHEMA.toml --made TAG=DIR ... --out DIR
      DIR/cells.csv, DIR/capacity.csv, DIR/schema.toml: the training table plus every cell of each synth
      --manufacture output DIR (ids TAG_<id>, case TAG_<design>), for the next round's model

  design_study.py rounds --out DIR --rounds N
      DIR/design_loop.md and .json: the rounds side by side (training cells, top designs, Brier skill scores)

  design_study.py report --out DIR --train-cells CELLS.csv --train-curves CAPACITY.csv [--docs-figures D]
      reads DIR/designs.csv, DIR/top_measured/, DIR/calibration_candidates.csv, DIR/calibration_measured/ and
      writes DIR/top_designs.csv, DIR/calibration.csv, DIR/reliability_bins.csv, DIR/calibration_outcomes.csv,
      DIR/design_study.md, DIR/design_study.json and DIR/figures/graphite_design_{loop,reliability}.png (copied
      to D when given).

The event scored is the design target, measured D30 (capacity at cycle 30) >= 150 mAh/g: p_joint and p_gaussian are
the model's probabilities of that target alone (the active mass >= 25 mg is a constraint on the predicted mean, not
part of the probability). The whole specification (also measured active mass >= 25 mg) is scored as well, as a
second event, to show what reading p as the probability of meeting the specification would give.
Brier score BS = mean over manufactured cells of (p - y)^2, y = 1 when the cell meets the event; reference
BS_ref = o(1 - o) of the base-rate forecast o (the observed fraction over all cells); BSS = 1 - BS / BS_ref. The same
at the candidate level (y = observed fraction of its replicates) is in the JSON. 95% intervals: bootstrap over
candidates. Uses Debian's python3-numpy and python3-matplotlib.
"""
import argparse
import csv
import json
import os
import shutil
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

TARGET = "D30_mAh_g"
MASS = "active_mass_mg"
RECIPE = ["cmc_sbr", "additive", "gap_um", "speed_m_min", "drying_first_C", "drying_second_C", "calendered"]


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def write_rows(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


# --- proposals ---------------------------------------------------------------------------------------------------

def spelled(text):
    """A design value as synth reads it: elec_hpc design writes an integer variable rounded up from below zero as
    "-0" (e.g. calendered of a TPE candidate), which synth --manufacture rejects; that is 0."""
    return "0" if text.strip() in ("-0", "-0.0") else text


def proposals(a):
    top = read_rows(a.top)
    candidates = []  # (candidate id, source, trial, p_joint, p_gaussian, recipe)
    for source, prefix, path in (("tpe", "tpe", a.tpe_history), ("random", "rnd", a.random_history)):
        for row in read_rows(path):
            if row["feasible"] != "1":
                continue
            candidates.append((f"{prefix}{int(row['trial']):04d}", source, row["trial"], row["p_joint"],
                               row["p_gaussian"], [spelled(row[c]) for c in RECIPE]))
    k = range(1, a.replicates + 1)
    write_rows(os.path.join(a.out, "top_proposals.csv"), ["id", "design"] + RECIPE,
               [[f"{r['id']}_r{j}", r["id"]] + [spelled(r[c]) for c in RECIPE] for r in top for j in k])
    write_rows(os.path.join(a.out, "calibration_candidates.csv"),
               ["candidate", "source", "trial", "p_joint", "p_gaussian"] + RECIPE,
               [[c[0], c[1], c[2], c[3], c[4]] + c[5] for c in candidates])
    write_rows(os.path.join(a.out, "calibration_proposals.csv"), ["id", "candidate"] + RECIPE,
               [[f"{c[0]}_r{j}", c[0]] + c[5] for c in candidates for j in k])
    fixed = sum(row[c].strip() in ("-0", "-0.0") for path in (a.top, a.tpe_history, a.random_history)
                for row in read_rows(path) for c in RECIPE)
    if fixed:
        print(f"design_study: {fixed} design values written as -0 by elec_hpc design read as 0")
    sources = {s: sum(c[1] == s for c in candidates) for s in ("random", "tpe")}
    print(f"design_study: {len(top)} top designs and {len(candidates)} feasible candidates (random {sources['random']},"
          f" TPE {sources['tpe']}), {a.replicates} replicates each")


def explore(a):
    """The next round's exploration makes: feasible random-search candidates with p_joint nearest 0.5 (ties: the
    earlier trial), where one make tells the model most about the event."""
    feasible = [r for r in read_rows(a.random_history) if r["feasible"] == "1"]
    if len(feasible) < a.count:
        raise SystemExit(f"design_study: {a.random_history}: {len(feasible)} feasible candidates, {a.count} asked for")
    chosen = sorted(feasible, key=lambda r: (abs(float(r["p_joint"]) - 0.5), int(r["trial"])))[:a.count]
    write_rows(os.path.join(a.out, "explore_proposals.csv"), ["id", "trial", "p_joint"] + RECIPE,
               [[f"explore{i + 1:02d}_r{j}", r["trial"], r["p_joint"]] + [spelled(r[c]) for c in RECIPE]
                for i, r in enumerate(chosen) for j in range(1, a.replicates + 1)])
    print(f"design_study: {a.count} exploration recipes (p_joint {min(float(r['p_joint']) for r in chosen):.3f}-"
          f"{max(float(r['p_joint']) for r in chosen):.3f}), {a.replicates} makes each")


def augment(a):
    """Training table of the next round: the study's cells and curves, then every made cell (ids TAG_<id>, case
    TAG_<parent>, so replicates stay one group), with the schema beside them (its curve file is relative to it)."""
    outputs = [os.path.join(a.out, name) for name in ("cells.csv", "capacity.csv", "schema.toml")]
    inputs = [a.cells, a.curves, a.schema] + [os.path.join(spec.split("=", 1)[1], name) for spec in a.made
                                              for name in ("cells.csv", "capacity.csv")]
    clash = {os.path.realpath(o) for o in outputs} & {os.path.realpath(i) for i in inputs}
    if clash:
        print(f"design_study: augment --out {a.out} would overwrite its input {sorted(clash)[0]}; expected another "
              "folder", file=sys.stderr)
        raise SystemExit(2)
    os.makedirs(a.out, exist_ok=True)
    with open(a.cells, newline="") as f:
        cells = list(csv.reader(f))
    with open(a.curves, newline="") as f:
        curves = list(csv.reader(f))
    header, added = cells[0], 0
    for spec in a.made:
        tag, directory = spec.split("=", 1)
        with open(os.path.join(directory, "cells.csv"), newline="") as f:
            made = list(csv.reader(f))
        if made[0] != header:
            raise SystemExit(f"design_study: {directory}/cells.csv: columns differ from {a.cells}")
        for row in made[1:]:
            row[0], row[header.index("case")] = f"{tag}_{row[0]}", f"{tag}_{row[0].rsplit('_r', 1)[0]}"
            cells.append(row)
            added += 1
        with open(os.path.join(directory, "capacity.csv"), newline="") as f:
            curves += [[f"{tag}_{r[0]}"] + r[1:] for r in list(csv.reader(f))[1:]]
    write_rows(os.path.join(a.out, "cells.csv"), header, cells[1:])
    write_rows(os.path.join(a.out, "capacity.csv"), curves[0], curves[1:])
    shutil.copy(a.schema, os.path.join(a.out, "schema.toml"))
    print(f"design_study: {len(cells) - 1} training cells ({added} made in the loop) in {a.out}")


def rounds(a):
    """The loop's rounds side by side, from each round's design_study.json."""
    summary, rows = [], []
    for k in range(1, a.rounds + 1):
        with open(os.path.join(a.out, f"round{k}", "design_study.json")) as f:
            s = json.load(f)
        primary = {c["estimate"]: c for c in s["calibration"] if c["event"] == "D30>=150" and c["subset"] == "all"}
        top = s["top"]
        summary.append({"round": k, "model": s["model"], "training_cells": s.get("training_cells"),
                        "bss": {e: [c["bss"]] + c["bss_95"] for e, c in primary.items()},
                        "base_rate": primary["p_joint"]["base_rate"], "candidates": s["calibration_candidates"],
                        "top_obtained_d30": [t["obtained_d30"] for t in top],
                        "top_predicted_d30": [t["predicted_d30"] for t in top],
                        "top_meet_both": sum(t["meet_both"] for t in top),
                        "top_makes": sum(t["replicates"] for t in top)})
        b = summary[-1]["bss"]
        rows.append([str(k), s["model"], str(s.get("training_cells", "")),
                     f"{s['calibration_candidates']['all']}", f"{primary['p_joint']['base_rate']:.3f}",
                     f"{b['p_joint'][0]:.3f} [{fmt(b['p_joint'][1], 2)}, {fmt(b['p_joint'][2], 2)}]",
                     f"{b['p_gaussian'][0]:.3f} [{fmt(b['p_gaussian'][1], 2)}, {fmt(b['p_gaussian'][2], 2)}]",
                     ", ".join(f"{t['predicted_d30']:.0f}/{t['obtained_d30']:.0f}" for t in top),
                     f"{summary[-1]['top_meet_both']}/{summary[-1]['top_makes']}"])
    table = md_table(["round", "model", "training cells", "scored candidates", "base rate",
                      "BSS p_joint [95%]", "BSS p_gaussian [95%]", "top designs' D30 predicted/obtained",
                      "top makes meeting D30 and mass"], rows)
    with open(os.path.join(a.out, "design_loop.json"), "w") as f:
        json.dump(summary, f, indent=1)
    with open(os.path.join(a.out, "design_loop.md"), "w") as f:
        f.write("# Graphite design loop: the rounds\n\nSIMULATED cells. Each round: design, make the top designs, "
                "score the probabilities on every feasible candidate; between rounds the made cells (top designs "
                "and exploration makes) join the training table. Per round: roundK/design_study.md.\n\n" +
                table + "\n")
    print(table)


# --- measurements ------------------------------------------------------------------------------------------------

def measured(directory, at=30):
    """{cell id: (active mass, D at cycle `at`)} of a synth --manufacture output."""
    mass = {r["id"]: float(r[MASS]) for r in read_rows(os.path.join(directory, "cells.csv"))}
    d = capacity_at(os.path.join(directory, "capacity.csv"), at)
    return {i: (mass[i], d.get(i, np.nan)) for i in mass}


def by_parent(cells):
    """{parent id: [(mass, D30), ...]} from replicate ids <parent>_r<k>, in replicate order."""
    groups = {}
    for cid in sorted(cells, key=lambda c: (c.rsplit("_r", 1)[0], int(c.rsplit("_r", 1)[1]))):
        groups.setdefault(cid.rsplit("_r", 1)[0], []).append(cells[cid])
    return groups


def capacity_at(curves_path, at):
    """{cell id: measured capacity at cycle `at`} of a long-format capacity file."""
    return {r["id"]: float(r["capacity_mAh_g"]) for r in read_rows(curves_path)
            if int(float(r["cycle"])) == at and r["capacity_mAh_g"].strip()}


def training_cells(cells, curves_path, at=30):
    """[(id, active mass, D30)] of the training cells (rows of cells.csv) with both measured."""
    d = capacity_at(curves_path, at)
    return [(r["id"], float(r[MASS]), d[r["id"]]) for r in cells if r[MASS].strip() and r["id"] in d]


# --- scores ------------------------------------------------------------------------------------------------------

def brier(p, y):
    """p: forecasts per candidate; y: (candidates x replicates) 0/1 outcomes. Cell-level BS, reference, BSS and the
    candidate-level ones (outcome = fraction of replicates)."""
    p = np.asarray(p, float)
    y = np.asarray(y, float)
    base = y.mean()
    bs = float(((p[:, None] - y) ** 2).mean())
    ref = float(base * (1 - base))
    frac = y.mean(axis=1)
    bs_c = float(((p - frac) ** 2).mean())
    ref_c = float(((base - frac) ** 2).mean())
    return {"base_rate": float(base), "bs": bs, "bs_ref": ref, "bss": 1 - bs / ref if ref > 0 else float("nan"),
            "bs_candidates": bs_c, "bs_ref_candidates": ref_c,
            "bss_candidates": 1 - bs_c / ref_c if ref_c > 0 else float("nan")}


def bootstrap_bss(p, y, draws=2000, seed=1):
    rng = np.random.default_rng(seed)
    p = np.asarray(p, float)
    y = np.asarray(y, float)
    values = []
    for _ in range(draws):
        i = rng.integers(0, len(p), len(p))
        b = brier(p[i], y[i])["bss"]
        if np.isfinite(b):
            values.append(b)
    return [float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))] if values else [None, None]


def decomposition(p, y, edges):
    """Murphy's binned decomposition at the cell level: reliability, resolution, uncertainty (BS ~ REL - RES + UNC)."""
    p = np.asarray(p, float)
    y = np.asarray(y, float)
    frac, base, n = y.mean(axis=1), y.mean(), len(p)
    b = bin_of(p, edges)
    rel = res = 0.0
    for k in range(len(edges) - 1):
        m = b == k
        if m.any():
            rel += m.sum() / n * (p[m].mean() - frac[m].mean()) ** 2
            res += m.sum() / n * (frac[m].mean() - base) ** 2
    return {"reliability": float(rel), "resolution": float(res), "uncertainty": float(base * (1 - base))}


def bin_of(p, edges):
    return np.clip(np.searchsorted(edges, p, side="right") - 1, 0, len(edges) - 2)


def wilson(k, n, z=1.96):
    if n == 0:
        return (np.nan, np.nan)
    f = k / n
    centre = (f + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(f * (1 - f) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (centre - half, centre + half)


def reliability_bins(p, y, edges):
    p = np.asarray(p, float)
    y = np.asarray(y, float)
    b = bin_of(p, edges)
    rows = []
    for k in range(len(edges) - 1):
        m = b == k
        n, cells = int(m.sum()), int(y[m].size)
        hits = int(y[m].sum())
        lo, hi = wilson(hits, cells)
        rows.append({"low": float(edges[k]), "high": float(edges[k + 1]), "candidates": n, "cells": cells,
                     "mean_p": float(p[m].mean()) if n else None, "observed": hits / cells if cells else None,
                     "observed_low": float(lo) if cells else None, "observed_high": float(hi) if cells else None})
    return rows


# --- report ------------------------------------------------------------------------------------------------------

def fmt(x, digits=1):
    return "-" if x is None or (isinstance(x, float) and not np.isfinite(x)) else f"{x:.{digits}f}"


def md_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def recipe_text(r):
    drying = r["drying_first_C"] if r["drying_first_C"] == r["drying_second_C"] else \
        f"{r['drying_first_C']}/{r['drying_second_C']}"
    return (f"{r['cmc_sbr']}, {r['additive']}, {r['gap_um']} um, {float(r['speed_m_min']):.2f} m/min, {drying} C, "
            + ("calendered" if r["calendered"] == "1" else "not calendered"))


def report(a):
    out, figures = a.out, os.path.join(a.out, "figures")
    os.makedirs(figures, exist_ok=True)
    train_rows = read_rows(a.train_cells)
    train = training_cells(train_rows, a.train_curves)

    # Top designs: predicted vs obtained, beside the best training cells of similar active mass.
    designs = read_rows(os.path.join(out, "designs.csv"))
    made = by_parent(measured(os.path.join(out, "top_measured")))
    top = []
    for r in designs:
        reps = np.array(made[r["id"]])
        am, am_sd = float(r[MASS]), float(r[MASS + "_std"])
        similar = [c for c in train if abs(c[1] - am) <= a.mass_window or c[1] >= a.min_mass]
        best = sorted(similar, key=lambda c: -c[2])[:3]
        top.append({
            "design": r["id"], "trial": int(r["trial"]), "recipe": {c: r[c] for c in RECIPE},
            "recipe_text": recipe_text(r), "p_joint": float(r["p_joint"]), "p_gaussian": float(r["p_gaussian"]),
            "predicted_mass": am, "predicted_mass_std": am_sd,
            "predicted_d30": float(r[TARGET]), "predicted_d30_std": float(r[TARGET + "_std"]),
            "measured_mass": reps[:, 0].tolist(), "measured_d30": reps[:, 1].tolist(),
            "obtained_mass": float(reps[:, 0].mean()), "obtained_mass_sd": float(reps[:, 0].std(ddof=1)),
            "obtained_d30": float(reps[:, 1].mean()), "obtained_d30_sd": float(reps[:, 1].std(ddof=1)),
            "meet_d30": int((reps[:, 1] >= a.target).sum()),
            "meet_both": int(((reps[:, 1] >= a.target) & (reps[:, 0] >= a.min_mass)).sum()),
            "replicates": len(reps),
            "best_training": [{"id": c[0], "active_mass_mg": c[1], "D30_mAh_g": c[2]} for c in best],
        })
    write_rows(os.path.join(out, "top_designs.csv"),
               ["design", "trial"] + RECIPE + ["p_joint", "p_gaussian", "predicted_active_mass_mg",
                                               "predicted_active_mass_std", "obtained_active_mass_mg",
                                               "obtained_active_mass_sd", "predicted_D30", "predicted_D30_std",
                                               "obtained_D30", "obtained_D30_sd", "replicates", "meet_D30",
                                               "meet_D30_and_mass", "measured_D30", "best_training_cells"],
               [[t["design"], t["trial"]] + [t["recipe"][c] for c in RECIPE] +
                [f"{t['p_joint']:.3f}", f"{t['p_gaussian']:.4f}", f"{t['predicted_mass']:.2f}",
                 f"{t['predicted_mass_std']:.2f}", f"{t['obtained_mass']:.2f}", f"{t['obtained_mass_sd']:.2f}",
                 f"{t['predicted_d30']:.1f}", f"{t['predicted_d30_std']:.1f}", f"{t['obtained_d30']:.1f}",
                 f"{t['obtained_d30_sd']:.1f}", t["replicates"], t["meet_d30"], t["meet_both"],
                 " ".join(f"{v:.1f}" for v in t["measured_d30"]),
                 " ".join(f"{b['id']}:{b['active_mass_mg']:.2f}mg:{b['D30_mAh_g']:.1f}" for b in t["best_training"])]
                for t in top])

    # Calibration: every feasible candidate of both searches, manufactured REPLICATES times.
    cands = read_rows(os.path.join(out, "calibration_candidates.csv"))
    made_c = by_parent(measured(os.path.join(out, "calibration_measured")))
    n_rep = min(len(v) for v in made_c.values())
    src = np.array([c["source"] for c in cands])
    pj = np.array([float(c["p_joint"]) for c in cands])
    pg = np.array([float(c["p_gaussian"]) for c in cands])
    reps = np.array([made_c[c["candidate"]][:n_rep] for c in cands])  # candidates x replicates x (mass, D30)
    y_d30 = (reps[:, :, 1] >= a.target).astype(float)
    y_both = ((reps[:, :, 1] >= a.target) & (reps[:, :, 0] >= a.min_mass)).astype(float)
    write_rows(os.path.join(out, "calibration_outcomes.csv"),
               ["candidate", "source", "p_joint", "p_gaussian", "measured_active_mass_mg", "measured_D30",
                "fraction_D30", "fraction_D30_and_mass"],
               [[c["candidate"], c["source"], c["p_joint"], c["p_gaussian"],
                 " ".join(f"{v:.2f}" for v in reps[i, :, 0]), " ".join(f"{v:.1f}" for v in reps[i, :, 1]),
                 f"{y_d30[i].mean():.3f}", f"{y_both[i].mean():.3f}"] for i, c in enumerate(cands)])
    edges = np.linspace(0, 1, a.bins + 1)
    scores, bins = [], {}
    for event, y in (("D30>=150", y_d30), ("D30>=150 and active mass>=25", y_both)):
        for subset, m in (("all", np.ones(len(cands), bool)), ("random", src == "random"), ("tpe", src == "tpe")):
            for name, p in (("p_joint", pj), ("p_gaussian", pg)):
                s = brier(p[m], y[m])
                s.update({"event": event, "subset": subset, "estimate": name, "candidates": int(m.sum()),
                          "cells": int(y[m].size), "mean_p": float(p[m].mean()),
                          "bss_95": bootstrap_bss(p[m], y[m]) if subset == "all" else [None, None]})
                s.update(decomposition(p[m], y[m], edges))
                scores.append(s)
                if subset == "all":
                    bins[(event, name)] = reliability_bins(p[m], y[m], edges)
                elif subset == "random" and event == "D30>=150":
                    bins[("D30>=150, random-search candidates only", name)] = reliability_bins(p[m], y[m], edges)
    write_rows(os.path.join(out, "calibration.csv"),
               ["event", "subset", "estimate", "candidates", "cells", "mean_p", "base_rate", "BS", "BS_ref", "BSS",
                "BSS_95_low", "BSS_95_high", "reliability", "resolution", "uncertainty", "BS_candidates",
                "BS_ref_candidates", "BSS_candidates"],
               [[s["event"], s["subset"], s["estimate"], s["candidates"], s["cells"], f"{s['mean_p']:.4f}",
                 f"{s['base_rate']:.4f}", f"{s['bs']:.4f}", f"{s['bs_ref']:.4f}", f"{s['bss']:.3f}",
                 fmt(s["bss_95"][0], 3), fmt(s["bss_95"][1], 3), f"{s['reliability']:.4f}",
                 f"{s['resolution']:.4f}", f"{s['uncertainty']:.4f}", f"{s['bs_candidates']:.4f}",
                 f"{s['bs_ref_candidates']:.4f}", f"{s['bss_candidates']:.3f}"] for s in scores])
    write_rows(os.path.join(out, "reliability_bins.csv"),
               ["event", "estimate", "low", "high", "candidates", "cells", "mean_p", "observed", "observed_95_low",
                "observed_95_high"],
               [[e, n, f"{b['low']:.1f}", f"{b['high']:.1f}", b["candidates"], b["cells"], fmt(b["mean_p"], 3),
                 fmt(b["observed"], 3), fmt(b["observed_low"], 3), fmt(b["observed_high"], 3)]
                for (e, n), rows in bins.items() for b in rows])

    # Where the confident forecasts of failure go wrong: candidates with p_joint < 0.1 by formulation and
    # calendering, with the training cells of that combination (and their largest coating gap).
    combo = lambda r: (r["cmc_sbr"], r["additive"], r["calendered"])  # noqa: E731
    trained = {}
    for r in train_rows:
        trained.setdefault(combo(r), []).append(float(r["gap_um"]))
    low = {}
    for i, c in enumerate(cands):
        if pj[i] < 0.1:
            low.setdefault(combo(c), []).append(y_d30[i].mean())
    misses = [{"cmc_sbr": k[0], "additive": k[1], "calendered": k[2], "candidates": len(v),
               "observed": float(np.mean(v)), "training_cells": len(trained.get(k, [])),
               "training_max_gap_um": max(trained[k]) if k in trained else None}
              for k, v in sorted(low.items(), key=lambda kv: -len(kv[1]) * np.mean(kv[1]))]

    draw_loop(top, train, a, os.path.join(figures, "graphite_design_loop.png"))
    primary = {s["estimate"]: s for s in scores if s["event"] == "D30>=150" and s["subset"] == "all"}
    draw_reliability(bins, primary, pj, pg, src, n_rep, a, os.path.join(figures, "graphite_design_reliability.png"))

    steps = []
    if os.path.exists(os.path.join(out, "steps.tsv")):
        steps = [line.rstrip("\n").split("\t") for line in open(os.path.join(out, "steps.tsv")) if line.strip()]
    wall = time.time() - a.started if a.started else None
    model = open(os.path.join(out, "model.txt")).read().split("\t")[1].strip() \
        if os.path.exists(os.path.join(out, "model.txt")) else ""
    summary = {"model": model, "training_cells": len(train_rows),
               "target_D30_mAh_g": a.target, "min_active_mass_mg": a.min_mass,
               "replicates": n_rep, "top": top, "calibration": scores,
               "calibration_candidates": {"all": len(cands), "random": int((src == "random").sum()),
                                          "tpe": int((src == "tpe").sum())},
               "reliability_bins": {f"{e} | {n}": rows for (e, n), rows in bins.items()},
               "confident_failures_by_recipe": misses,
               "steps_seconds": {s[0]: float(s[1]) for s in steps}, "wall_seconds_to_report": wall}
    with open(os.path.join(out, "design_study.json"), "w") as f:
        json.dump(summary, f, indent=1)
    with open(os.path.join(out, "design_study.md"), "w") as f:
        f.write(markdown(summary, a))
    if a.docs_figures:
        os.makedirs(a.docs_figures, exist_ok=True)
        for name in ("graphite_design_loop.png", "graphite_design_reliability.png"):
            stem, ext = os.path.splitext(name)
            shutil.copy(os.path.join(figures, name), os.path.join(a.docs_figures, stem + a.docs_suffix + ext))
    for s in scores:
        if s["subset"] == "all":
            print(f"design_study: {s['event']}, {s['estimate']}: BS {s['bs']:.4f}, BS_ref {s['bs_ref']:.4f} "
                  f"(base rate {s['base_rate']:.3f}), BSS {s['bss']:.3f}")


def top_table(top, a):
    rows = []
    for t in top:
        rows.append([t["design"], t["recipe_text"], f"{t['p_joint']:.3f} / {t['p_gaussian']:.3f}",
                     f"{t['predicted_mass']:.1f} ± {t['predicted_mass_std']:.1f}",
                     f"{t['obtained_mass']:.1f} ± {t['obtained_mass_sd']:.1f}",
                     f"{t['predicted_d30']:.0f} ± {t['predicted_d30_std']:.0f}",
                     f"{t['obtained_d30']:.0f} ± {t['obtained_d30_sd']:.0f}",
                     f"{t['meet_d30']}/{t['replicates']}, {t['meet_both']}/{t['replicates']}",
                     ", ".join(f"{b['id']} {b['active_mass_mg']:.1f} mg {b['D30_mAh_g']:.0f}"
                               for b in t["best_training"])])
    return md_table(["design", "recipe (CMC:SBR, additive, gap, speed, drying, calendering)", "p_joint / p_gaussian",
                     "active mass predicted (mg)", "obtained (mg)", "D30 predicted (mAh/g)", "obtained (mAh/g)",
                     f"makes with D30 >= {a.target:g}, and also mass >= {a.min_mass:g}",
                     f"best training cells of similar mass (±{a.mass_window:g} mg or >= {a.min_mass:g} mg): D30"],
                    rows)


def calibration_table(scores):
    rows = []
    for s in scores:
        ci = f" [{fmt(s['bss_95'][0], 2)}, {fmt(s['bss_95'][1], 2)}]" if s["bss_95"][0] is not None else ""
        rows.append([s["event"], s["subset"], s["estimate"], f"{s['candidates']} ({s['cells']})",
                     f"{s['mean_p']:.3f}", f"{s['base_rate']:.3f}", f"{s['bs']:.4f}", f"{s['bs_ref']:.4f}",
                     f"{s['bss']:.3f}{ci}", f"{s['reliability']:.4f} / {s['resolution']:.4f}"])
    return md_table(["event", "candidates", "estimate", "n candidates (cells)", "mean p", "base rate", "BS",
                     "BS_ref", "BSS [95%]", "REL / RES"], rows)


def markdown(s, a):
    c = s["calibration_candidates"]
    lines = [
        "# Graphite design loop (jobs/design.slurm)", "",
        "SIMULATED cells (inputs/graphite/SOURCE.md): the 'manufactured' cells are the simulator's, not a lab's.", "",
        f"Model: {s['model']}. Design: inputs/graphite/design.toml (TPE, P(D30 >= {a.target:g} mAh/g) with predicted "
        f"active mass >= {a.min_mass:g} mg, top 5); every design made {s['replicates']} times (independent makes).", "",
        "## Top designs: predicted and obtained", "",
        "Predicted: ensemble mean ± std. Obtained: mean ± sd of the replicates.", "",
        top_table(s["top"], a), "",
        "![loop](figures/graphite_design_loop.png)", "",
        "## Are the probabilities honest?", "",
        f"{c['all']} feasible candidates ({c['random']} of a uniform random search, {c['tpe']} of the TPE search's "
        f"history), each made {s['replicates']} times. Event: measured D30 >= {a.target:g} (what p_joint and "
        f"p_gaussian forecast); second event: also measured active mass >= {a.min_mass:g} mg. BS over cells, "
        "BS_ref = base rate x (1 - base rate), BSS = 1 - BS/BS_ref (95% bootstrap interval over candidates); "
        "REL / RES: binned reliability and resolution terms (BS ~ REL - RES + base rate x (1 - base rate)).", "",
        calibration_table(s["calibration"]), "",
        "![reliability](figures/graphite_design_reliability.png)", "",
        "Reliability bins (D30 >= 150, all candidates):", ""]
    for key in (f"D30>=150 | p_joint", f"D30>=150 | p_gaussian"):
        lines += [f"{key.split(' | ')[1]}:", "",
                  md_table(["p bin", "candidates (cells)", "mean p", "observed fraction [95%]"],
                           [[f"{b['low']:.1f}-{b['high']:.1f}", f"{b['candidates']} ({b['cells']})",
                             fmt(b["mean_p"], 3),
                             f"{fmt(b['observed'], 3)} [{fmt(b['observed_low'], 2)}, {fmt(b['observed_high'], 2)}]"]
                            for b in s["reliability_bins"][key]]), ""]
    lines += ["Candidates forecast to fail (p_joint < 0.1) by formulation and calendering, with the training cells "
              "of that combination:", "",
              md_table(["CMC:SBR", "additive", "calendered", "candidates", "observed fraction D30 >= 150",
                        "training cells (largest gap, um)"],
                       [[m["cmc_sbr"], m["additive"], m["calendered"], m["candidates"], f"{m['observed']:.2f}",
                         f"{m['training_cells']} ({fmt(m['training_max_gap_um'], 0)})"]
                        for m in s["confident_failures_by_recipe"]]), ""]
    if s["steps_seconds"]:
        lines += ["## Run time", "", md_table(["step", "seconds"], [[k, f"{v:.1f}"] for k, v in
                                                                    s["steps_seconds"].items()]), ""]
    if s["wall_seconds_to_report"]:
        lines += [f"Wall time up to the report: {s['wall_seconds_to_report']:.0f} s.", ""]
    return "\n".join(lines)


def draw_loop(top, train, a, path):
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(13, 5.2), gridspec_kw={"width_ratios": [1, 1.25]})
    tm = np.array([c[1] for c in train])
    td = np.array([c[2] for c in train])
    ax.scatter(tm, td, s=18, color="0.55", label=f"training cells ({len(train)})", zorder=2)
    highlighted = {b["id"] for t in top for b in t["best_training"]}
    hm = [c for c in train if c[0] in highlighted]
    ax.scatter([c[1] for c in hm], [c[2] for c in hm], s=40, facecolor="none", edgecolor="k", zorder=3,
               label="best training cells of similar mass")
    colours = plt.cm.tab10(np.arange(len(top)))
    for t, col in zip(top, colours):
        ax.errorbar(t["predicted_mass"], t["predicted_d30"], xerr=t["predicted_mass_std"],
                    yerr=t["predicted_d30_std"], fmt="^", mfc="white", mec=col, ecolor=col, ms=9, capsize=3,
                    zorder=4)
        ax.errorbar(t["obtained_mass"], t["obtained_d30"], xerr=t["obtained_mass_sd"], yerr=t["obtained_d30_sd"],
                    fmt="^", color=col, ms=9, capsize=3, zorder=5)
        ax.annotate("", (t["obtained_mass"], t["obtained_d30"]), (t["predicted_mass"], t["predicted_d30"]),
                    arrowprops={"arrowstyle": "->", "color": col, "lw": 0.8}, zorder=4)
    ax.plot([], [], "^", mfc="white", mec="k", label="design, predicted (mean ± std)")
    ax.plot([], [], "^", color="k", label="design, made (mean ± sd of replicates)")
    ax.axhline(a.target, color="C3", ls="--", lw=1)
    ax.axvline(a.min_mass, color="C3", ls="--", lw=1)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    ax.fill_between([a.min_mass, x1], a.target, y1, color="0.93", zorder=0, label="target region")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("active mass (mg)")
    ax.set_ylabel("D30 (mAh/g)")
    ax.set_title("D30 against active mass (cf. the paper's Figure 8A)")
    ax.legend(fontsize=7, loc="lower left")

    for k, (t, col) in enumerate(zip(top, colours)):
        bx.errorbar(k - 0.22, t["predicted_d30"], yerr=t["predicted_d30_std"], fmt="^", mfc="white", mec=col,
                    ecolor=col, ms=9, capsize=4)
        bx.errorbar(k, t["obtained_d30"], yerr=t["obtained_d30_sd"], fmt="^", color=col, ms=9, capsize=4)
        bx.scatter(np.full(len(t["measured_d30"]), k + 0.06), t["measured_d30"], s=10, color=col, marker="_")
        for j, b in enumerate(t["best_training"]):
            bx.scatter(k + 0.22, b["D30_mAh_g"], s=22, color="0.45", marker="o")
            bx.annotate(b["id"], (k + 0.26, b["D30_mAh_g"]), fontsize=6, va="center", color="0.35")
    bx.axhline(a.target, color="C3", ls="--", lw=1, label=f"target D30 >= {a.target:g}")
    bx.plot([], [], "^", mfc="white", mec="k", label="predicted (mean ± std)")
    bx.plot([], [], "^", color="k", label="made (mean ± sd, replicates as ticks)")
    bx.plot([], [], "o", color="0.45", label=f"top 3 training cells, mass ±{a.mass_window:g} mg or >= {a.min_mass:g}")
    bx.set_xticks(range(len(top)))
    bx.set_xticklabels([f"{t['design']}\n{t['recipe']['cmc_sbr']} {t['recipe']['additive']}\n"
                        f"{t['recipe']['gap_um']} um" + (" cal." if t['recipe']['calendered'] == '1' else "")
                        for t in top], fontsize=8)
    bx.set_xlim(-0.5, len(top) - 0.3)
    bx.set_ylabel("D30 (mAh/g)")
    bx.set_title("top designs: predicted vs made vs best training cells")
    bx.legend(fontsize=7, loc="lower right")
    fig.suptitle("Graphite design loop (SIMULATED cells): P(D30 >= 150 mAh/g) with active mass >= 25 mg", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    plt.close(fig)


def draw_reliability(bins, primary, pj, pg, src, n_rep, a, path):
    fig, axes = plt.subplots(2, 2, figsize=(11, 7.5), gridspec_kw={"height_ratios": [3, 1.2]}, sharex="col")
    for col, (name, p) in enumerate((("p_joint", pj), ("p_gaussian", pg))):
        ax, hx = axes[0, col], axes[1, col]
        s = primary[name]
        rows = [b for b in bins[("D30>=150", name)] if b["candidates"]]
        x = np.array([b["mean_p"] for b in rows])
        yv = np.array([b["observed"] for b in rows])
        lo = np.array([b["observed_low"] for b in rows])
        hi = np.array([b["observed_high"] for b in rows])
        ax.plot([0, 1], [0, 1], color="0.6", lw=1, ls=":", label="perfect reliability")
        ax.axhline(s["base_rate"], color="C2", lw=1, ls="--", label=f"base rate {s['base_rate']:.3f}")
        ax.errorbar(x, yv, yerr=[np.maximum(yv - lo, 0), np.maximum(hi - yv, 0)], fmt="o-", color="C0", capsize=3,
                    label="observed fraction (95% Wilson)")
        for b in rows:
            ax.annotate(str(b["candidates"]), (b["mean_p"], b["observed"]), textcoords="offset points",
                        xytext=(5, -11), fontsize=7, color="C0")
        rnd = [b for b in bins[("D30>=150, random-search candidates only", name)] if b["candidates"]]
        ax.plot([b["mean_p"] for b in rnd], [b["observed"] for b in rnd], "s--", mfc="none", color="C1", lw=0.8,
                label="random-search candidates only")
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(-0.02, 1.02)
        ax.set_ylabel(f"observed fraction of makes with D30 >= {a.target:g}")
        ci = s["bss_95"]
        ax.set_title(f"{name}: BS {s['bs']:.4f}, BS_ref {s['bs_ref']:.4f}, BSS {s['bss']:.3f} "
                     f"[{fmt(ci[0], 2)}, {fmt(ci[1], 2)}]", fontsize=9)
        ax.legend(fontsize=7, loc="lower right")
        edges = np.linspace(0, 1, a.bins + 1)
        hx.hist([p[src == "random"], p[src == "tpe"]], bins=edges, stacked=True, color=["C1", "C4"],
                label=["random search", "TPE search"])
        hx.set_yscale("log")
        hx.set_ylabel("candidates")
        hx.set_xlabel(f"predicted probability ({name}), bins of {1 / a.bins:g}")
        hx.legend(fontsize=7, loc="upper center")
    fig.suptitle(f"Reliability of P(D30 >= {a.target:g} mAh/g): {len(pj)} feasible candidates x {n_rep} simulated "
                 "makes (counts: candidates per bin)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    plt.close(fig)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    q = sub.add_parser("proposals")
    q.add_argument("--out", required=True)
    q.add_argument("--top", required=True)
    q.add_argument("--tpe-history", required=True)
    q.add_argument("--random-history", required=True)
    q.add_argument("--replicates", type=int, default=3)
    r = sub.add_parser("report")
    r.add_argument("--out", required=True)
    r.add_argument("--train-cells", required=True)
    r.add_argument("--train-curves", required=True)
    r.add_argument("--target", type=float, default=150.0, help="D30 target (mAh/g)")
    r.add_argument("--min-mass", type=float, default=25.0, help="active mass constraint (mg)")
    r.add_argument("--mass-window", type=float, default=2.0, help="similar active mass: within this many mg")
    r.add_argument("--bins", type=int, default=10)
    r.add_argument("--started", type=float, default=0.0, help="job start (epoch seconds), for the wall time")
    r.add_argument("--docs-figures", default="", help="also copy the figures here")
    r.add_argument("--docs-suffix", default="", help="appended to the copied figures' names (e.g. _round1)")
    e = sub.add_parser("explore")
    e.add_argument("--out", required=True)
    e.add_argument("--random-history", required=True)
    e.add_argument("--count", type=int, default=10)
    e.add_argument("--replicates", type=int, default=3)
    g = sub.add_parser("augment")
    g.add_argument("--out", required=True)
    g.add_argument("--cells", required=True)
    g.add_argument("--curves", required=True)
    g.add_argument("--schema", required=True)
    g.add_argument("--made", action="append", default=[], help="TAG=DIR of a synth --manufacture output")
    n = sub.add_parser("rounds")
    n.add_argument("--out", required=True)
    n.add_argument("--rounds", type=int, required=True)
    a = p.parse_args()
    {"proposals": proposals, "report": report, "explore": explore, "augment": augment, "rounds": rounds}[a.command](a)


if __name__ == "__main__":
    main()
