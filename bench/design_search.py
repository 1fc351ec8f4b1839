#!/usr/bin/python3
"""`elec_hpc design`: does TPE beat random search at the same number of evaluations, and how many candidates per
second does the search evaluate on 1 and 2 ranks.

1. search: bench/design_hard.toml (a harder question than the paper's; why in its comments) with sampler = "tpe"
   and with sampler = "random" (a copy of the config, nothing else changed), seeds --seeds, 1000 evaluations in
   batches of 50 (100 random start-up trials), mpirun -n 2 with one thread per rank. Best objective (the joint
   probability) after 100, 300 and 1000 evaluations, from /history/objective in trial order; the median over the
   seeds. The same seed gives both samplers the same first 100 trials (TPE's start-up draws are the random
   sampler's), so the comparison is paired. Then the paper's question (inputs/graphite/design.toml, its own seed)
   once with each sampler. With --gaussian, the seeds again with objective = "gaussian" (best p_gaussian).
2. throughput: bench/design_hard.toml, seed 1, 1000 evaluations, batch 50, random and tpe, on 1 and 2 ranks
   (mpirun -n R --bind-to none) with OMP_NUM_THREADS 1 and 2 per rank. Evaluations/s from the wall time of the
   command and from the summary's "time" line; "predicted" counts the candidates that reached the model (the others
   broke the drying constraint, which needs no prediction); the search phase is the time from the first progress
   line to the last (batches 2..20: no model reading, no output writing). The random runs give the cost of one
   predicted candidate; the TPE runs' remaining time is TPE's own (suggesting the batches, on every rank).
3. batch: the same on 2 ranks x 1 thread with batch 10 and 200 (50 is in part 2).

Usage: bench/design_search.py BUILD/elec_hpc MODEL [--work DIR] [--seeds 1 2 3 4 5] [--parts search,throughput,batch]
                              [--gaussian] [--results r.json]
MODEL is trained first if missing (mpirun -n 2 elec_hpc train on inputs/graphite, about 70 s on 2 cores).
Needs /usr/bin/python3 with numpy and h5py, and mpirun.
"""
import argparse, json, os, re, shutil, statistics, subprocess, sys, time
import numpy as np, h5py

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
HARD = os.path.join(HERE, "design_hard.toml")
PAPER = os.path.join(ROOT, "inputs", "graphite", "design.toml")
AT = (100, 300, 1000)


def set_design_key(text, key, value):
    """The config text with `key = value` in its [design] section (replaced, or added after the header)."""
    line = f"{key} = {value}"
    head = re.search(r"^\[design\][^\n]*\n", text, re.M)
    end = re.search(r"^\[", text[head.end():], re.M)
    section_end = head.end() + (end.start() if end else len(text[head.end():]))
    section = text[head.end():section_end]
    pattern = re.compile(rf"^{key}\s*=.*$", re.M)
    section = pattern.sub(line, section, count=1) if pattern.search(section) else line + "\n" + section
    return text[:head.end()] + section + text[section_end:]


def variant(config, work, tag, **keys):
    with open(config) as f:
        text = f.read()
    for k, v in keys.items():
        text = set_design_key(text, k, v)
    path = os.path.join(work, f"{tag}.toml")
    with open(path, "w") as f:
        f.write(text)
    return path


def env_for(threads):
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMP_NUM_THREADS=str(threads))
    return env


def run_design(binary, model, config, work, tag, ranks=2, threads=1, seed=None):
    out, journal, log = (os.path.join(work, tag + ext) for ext in (".h5", "_journal.csv", ".log"))
    for p in (out, journal):
        if os.path.exists(p):
            os.remove(p)
    cmd = ["mpirun", "--oversubscribe", "--bind-to", "none", "-n", str(ranks), binary, "design", "--model", model,
           "--config", config, "--out", out, "--journal", journal] + ([] if seed is None else ["--seed", str(seed)])
    load = os.getloadavg()[0]
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env_for(threads), capture_output=True, text=True)
    wall = time.perf_counter() - start
    with open(log, "w") as f:
        f.write(" ".join(cmd) + "\n" + proc.stdout + proc.stderr)
    if proc.returncode != 0:
        sys.exit(f"design failed ({proc.returncode}), see {log}:\n{proc.stderr[-2000:]}")
    text = proc.stdout + proc.stderr
    summary_time = float(re.search(r"^time\s+([0-9.]+) s", text, re.M).group(1))
    progress = [(int(n), float(s)) for n, s in re.findall(r"^evaluations (\d+)/\d+,.*?, ([0-9.]+) s, ETA", text, re.M)]
    with h5py.File(out, "r") as f:
        order = np.argsort(f["history/trial"][:])
        objective = f["history/objective"][:][order]
        p_joint = f["history/p_joint"][:][order]
        p_gauss = f["history/p_gaussian"][:][order]
        feasible = f["history/feasible"][:][order]
    predicted = ~np.isnan(p_joint)
    first_batch = progress[0][0]
    return {"tag": tag, "ranks": ranks, "threads": threads, "seed": seed, "wall": wall, "time": summary_time,
            "load": load, "evaluations": len(objective),
            "best": {n: float(np.max(objective[:n])) for n in AT if n <= len(objective)},
            "best_trial": int(np.argmax(objective)),
            "best_gaussian": float(np.nanmax(np.where(feasible == 1, p_gauss, np.nan))) if feasible.any() else 0.0,
            "feasible": int(feasible.sum()), "predicted": int(predicted.sum()),
            "search_seconds": progress[-1][1] - progress[0][1],
            "search_evaluations": progress[-1][0] - first_batch,
            "search_predicted": int(predicted[first_batch:].sum())}


def ensure_model(binary, model):
    if os.path.exists(model):
        return
    print(f"training {model} (mpirun -n 2 elec_hpc train, inputs/graphite) ...", flush=True)
    g = os.path.join(ROOT, "inputs", "graphite")
    subprocess.run(["mpirun", "--oversubscribe", "-n", "2", binary, "train", "--data", os.path.join(g, "cells.csv"),
                    "--schema", os.path.join(g, "schema.toml"), "--config", os.path.join(g, "study.toml"),
                    "--out", model], env=env_for(1), check=True)


def table(header, rows):
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for r in rows:
        print("| " + " | ".join(str(x) for x in r) + " |")
    print(flush=True)


def f3(x):
    return f"{x:.3f}"


def search_part(a, results, objective):
    runs = {}
    for sampler in ("tpe", "random"):
        config = variant(HARD, a.work, f"hard_{sampler}_{objective}", sampler=f'"{sampler}"',
                         objective=f'"{objective}"')
        for seed in a.seeds:
            r = run_design(a.binary, a.model, config, a.work, f"hard_{sampler}_{objective}_s{seed}", 2, 1, seed)
            runs[(sampler, seed)] = r
            print(f"  {objective} {sampler} seed {seed}: best " + " / ".join(f3(r["best"][n]) for n in AT) +
                  f" (trial {r['best_trial']}), {r['feasible']} feasible, {r['wall']:.1f} s", flush=True)
    print(f"\nPart 1 ({objective} objective): bench/design_hard.toml, 1000 evaluations, batch 50, start-up 100, "
          f"2 ranks x 1 thread; best {objective} probability after N evaluations\n")
    rows = []
    for seed in a.seeds:
        t, r = runs[("tpe", seed)], runs[("random", seed)]
        rows.append([seed] + [f3(t['best'][n]) + ' / ' + f3(r['best'][n]) for n in AT] +
                    [f"{t['feasible']} / {r['feasible']}", f"{t['wall']:.0f} / {r['wall']:.0f}"])
    table(["seed", "best@100 tpe / random", "best@300", "best@1000", "feasible", "wall s"], rows)
    med = {s: {n: statistics.median(runs[(s, seed)]["best"][n] for seed in a.seeds) for n in AT} for s in ("tpe", "random")}
    wins = {n: sum(runs[("tpe", s)]["best"][n] > runs[("random", s)]["best"][n] for s in a.seeds) for n in AT}
    ties = {n: sum(runs[("tpe", s)]["best"][n] == runs[("random", s)]["best"][n] for s in a.seeds) for n in AT}
    table(["sampler", "median best@100", "median best@300", "median best@1000"],
          [[s] + [f3(med[s][n]) for n in AT] for s in ("tpe", "random")] +
          [["tpe better (ties)"] + [f"{wins[n]}/{len(a.seeds)} ({ties[n]})" for n in AT]])
    results[f"search_{objective}"] = {f"{s}_{seed}": r for (s, seed), r in runs.items()}
    results[f"median_{objective}"] = med


def paper_part(a, results):
    rows = []
    for sampler in ("tpe", "random"):
        config = variant(PAPER, a.work, f"paper_{sampler}", sampler=f'"{sampler}"')
        r = run_design(a.binary, a.model, config, a.work, f"paper_{sampler}", 2, 1)
        results[f"paper_{sampler}"] = r
        rows.append([sampler] + [f3(r["best"][n]) for n in AT] + [r["best_trial"], r["feasible"], f"{r['wall']:.0f}"])
    print("\nPaper's question: inputs/graphite/design.toml (seed 2021), 2 ranks x 1 thread\n")
    table(["sampler", "best@100", "best@300", "best@1000", "first best trial", "feasible", "wall s"], rows)


def throughput_part(a, results):
    runs = {}
    for sampler in ("random", "tpe"):
        config = variant(HARD, a.work, f"tp_{sampler}", sampler=f'"{sampler}"')
        for ranks, threads in ((1, 1), (1, 2), (2, 1), (2, 2)):
            r = run_design(a.binary, a.model, config, a.work, f"tp_{sampler}_{ranks}x{threads}", ranks, threads, 1)
            runs[(sampler, ranks, threads)] = r
            print(f"  {sampler} {ranks}x{threads}: {r['wall']:.1f} s wall, {r['time']:.1f} s summary", flush=True)
    print("\nPart 2: throughput, bench/design_hard.toml seed 1, 1000 evaluations, batch 50, mpirun --bind-to none\n")
    rows = []
    for (sampler, ranks, threads), r in runs.items():
        pred_cost = r["search_seconds"] / r["search_predicted"] * 1e3
        rows.append([sampler, ranks, threads, f"{r['wall']:.1f}", f"{r['time']:.1f}",
                     f"{r['evaluations'] / r['wall']:.1f}", f"{r['evaluations'] / r['time']:.1f}",
                     f"{r['search_evaluations'] / r['search_seconds']:.1f}", r["predicted"], f"{pred_cost:.1f}",
                     f"{r['load']:.1f}"])
    table(["sampler", "ranks", "threads/rank", "wall s", "summary time s", "eval/s (wall)", "eval/s (time)",
           "eval/s (search phase)", "predicted", "ms per predicted (search phase)", "load avg before"], rows)
    rows = []
    for sampler in ("random", "tpe"):
        best1 = min(((runs[(sampler, 1, t)]["time"], t) for t in (1, 2)))
        best2 = min(((runs[(sampler, 2, t)]["time"], t) for t in (1, 2)))
        same = runs[(sampler, 1, 1)]["time"] / runs[(sampler, 2, 1)]["time"]
        wall = runs[(sampler, 1, 1)]["wall"] / runs[(sampler, 2, 1)]["wall"]
        rows.append([sampler, f"{1000 / best1[0]:.1f} ({best1[1]} thr)", f"{1000 / best2[0]:.1f} ({best2[1]} thr)",
                     f"{best1[0] / best2[0]:.2f}", f"{same:.2f} / {wall:.2f}"])
    table(["sampler", "best 1 rank eval/s (time)", "best 2 ranks eval/s (time)", "2 ranks / 1 rank (best of each)",
           "2x1 / 1x1 (time / wall)"], rows)
    # Where the time goes: a random run's search phase is prediction only (drawing points is free), so its cost per
    # predicted candidate prices the TPE run's predictions; the rest of the TPE run's search phase is TPE.
    rows = []
    for ranks, threads in ((1, 1), (1, 2), (2, 1), (2, 2)):
        rnd, tpe = runs[("random", ranks, threads)], runs[("tpe", ranks, threads)]
        per = rnd["search_seconds"] / rnd["search_predicted"]
        model_s = per * tpe["search_predicted"]
        rest = tpe["search_seconds"] - model_s
        rows.append([f"{ranks}x{threads}", f"{per * 1e3:.1f}", f"{tpe['search_seconds']:.1f}", f"{model_s:.1f}",
                     f"{rest:.1f} ({100 * rest / tpe['search_seconds']:.0f}%)",
                     f"{tpe['time'] - tpe['search_seconds']:.1f} / {rnd['time'] - rnd['search_seconds']:.1f}"])
    table(["layout", "ms per predicted candidate (random run)", "tpe search phase s", "of which prediction s",
           "of which TPE s (share)", "start-up + first batch + output s (tpe / random)"], rows)
    results["throughput"] = {f"{s}_{r}x{t}": v for (s, r, t), v in runs.items()}


def batch_part(a, results):
    rows = []
    for sampler in ("random", "tpe"):
        for batch in (10, 200):
            config = variant(HARD, a.work, f"b_{sampler}_{batch}", sampler=f'"{sampler}"', batch=batch)
            r = run_design(a.binary, a.model, config, a.work, f"b_{sampler}_{batch}", 2, 1, 1)
            results[f"batch_{sampler}_{batch}"] = r
            rows.append((sampler, batch, r))
        if "throughput" in results:
            rows.append((sampler, 50, results["throughput"][f"{sampler}_2x1"]))
    print("\nPart 3: batch size, 2 ranks x 1 thread, bench/design_hard.toml seed 1, 1000 evaluations\n")
    table(["sampler", "batch", "summary time s", "eval/s (time)", "eval/s (search phase)", "predicted",
           "ms per predicted (search phase)", "best@1000", "load avg before"],
          [[s, b, f"{r['time']:.1f}", f"{1000 / r['time']:.1f}", f"{r['search_evaluations'] / r['search_seconds']:.1f}",
            r["predicted"], f"{r['search_seconds'] / r['search_predicted'] * 1e3:.1f}", f3(r["best"][1000]),
            f"{r['load']:.1f}"] for s, b, r in sorted(rows, key=lambda x: (x[0], x[1]))])


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("binary")
    p.add_argument("model")
    p.add_argument("--work", default="/tmp/design_bench")
    p.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    p.add_argument("--parts", default="search,throughput,batch")
    p.add_argument("--gaussian", action="store_true", help="also search with objective = gaussian")
    p.add_argument("--results", help="write every run's numbers here (JSON)")
    a = p.parse_args()
    a.binary, a.model = os.path.abspath(a.binary), os.path.abspath(a.model)
    os.makedirs(a.work, exist_ok=True)
    ensure_model(a.binary, a.model)
    parts = a.parts.split(",")
    results = {"cpus": os.cpu_count(), "started": time.strftime("%Y-%m-%d %H:%M:%S")}
    start = time.perf_counter()
    if "search" in parts:
        search_part(a, results, "joint")
        if a.gaussian:
            search_part(a, results, "gaussian")
        paper_part(a, results)
    if "throughput" in parts:
        throughput_part(a, results)
    if "batch" in parts:
        batch_part(a, results)
    print(f"total {time.perf_counter() - start:.0f} s on {os.cpu_count()} CPUs; load average now "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if a.results:
        with open(a.results, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
