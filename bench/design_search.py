#!/usr/bin/python3
"""`elec_hpc design`: does TPE beat random search at the same number of evaluations, and how many candidates per
second does the search evaluate on 1 and 2 ranks.

1. search: bench/design_hard.toml (a harder question than the paper's; why in its comments) with sampler = "tpe"
   and with sampler = "random" (a copy of the config, nothing else changed), seeds --seeds, 1000 evaluations in
   batches of 50 (100 random start-up trials), mpirun -n 2 with one thread per rank. Best objective (the joint
   probability) after 100, 300 and 1000 evaluations, from /history/objective in trial order; the median over the
   seeds. The same seed gives both samplers the same first 100 trials (TPE's start-up draws are the random
   sampler's), so the comparison is paired. Then the paper's question (inputs/graphite/design.toml, its own seed)
   once with each sampler (part "paper"). --objectives joint,gaussian adds the seeds with objective = "gaussian"
   (the product of per-target normal probabilities from the ensemble mean and std).
2. throughput: bench/design_hard.toml, seed 1, 1000 evaluations, batch 50, random and tpe, on 1 and 2 ranks
   (mpirun -n R --bind-to none) with OMP_NUM_THREADS 1 and 2 per rank, and 2 ranks x 1 thread with Open MPI's
   mpi_yield_when_idle (a waiting rank yields its core instead of spinning); --repeats runs of each, interleaved,
   the fastest reported. Evaluations/s from the wall time of the command and from the summary's "time" line; CPU s
   is the user + system time of mpirun and its ranks ("cores used" = CPU s / wall s: what the shared machine gave
   the run); "predicted" counts the candidates that reached the model (the others broke the drying constraint,
   which needs no prediction); the search phase is the time from the first progress line to the last (batches
   2..20: no model reading, no output writing). "predict-only" is random search without the drying constraint:
   every candidate is predicted, 50 to a batch as in a TPE run, so it prices one predicted candidate; the rest of a
   TPE run's search phase is TPE's own (suggesting the batches, which every rank does).
3. batch: batch 10 and 200 (50 is in part 2) for random on 1 x 1 and 2 x 1, and for tpe on 2 x 1; then a least-
   squares split of prediction time into a cost per batch and a cost per predicted candidate.

Usage: bench/design_search.py BUILD/elec_hpc MODEL [--work DIR] [--seeds 1 2 3 4 5]
                              [--parts search,paper,throughput,batch] [--objectives joint[,gaussian]]
                              [--repeats 3] [--results r.json]
MODEL is trained first if missing (mpirun -n 2 elec_hpc train on inputs/graphite, about 70 s on 2 cores).
Needs /usr/bin/python3 with numpy and h5py, and mpirun.
"""
import argparse, json, os, re, resource, statistics, subprocess, sys, time
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


def without_constraint(path, name, work, tag):
    """A copy of the config without the [[design.constraint]] on `name`: every candidate then reaches the model."""
    with open(path) as f:
        blocks = re.split(r"(?m)^(?=\[)", f.read())
    keep = [b for b in blocks if not (b.startswith("[[design.constraint]]") and re.search(rf'^name = "{name}"', b, re.M))]
    out = os.path.join(work, f"{tag}.toml")
    with open(out, "w") as f:
        f.write("".join(keep))
    return out


def env_for(threads):
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMP_NUM_THREADS=str(threads))
    return env


def run_design(binary, model, config, work, tag, ranks=2, threads=1, seed=None, mpi=()):
    out, journal, log = (os.path.join(work, tag + ext) for ext in (".h5", "_journal.csv", ".log"))
    for p in (out, journal):
        if os.path.exists(p):
            os.remove(p)
    cmd = ["mpirun", "--oversubscribe", "--bind-to", "none", *mpi, "-n", str(ranks), binary, "design", "--model", model,
           "--config", config, "--out", out, "--journal", journal] + ([] if seed is None else ["--seed", str(seed)])
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env_for(threads), capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
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
    return {"tag": tag, "ranks": ranks, "threads": threads, "seed": seed, "wall": wall, "time": summary_time, "cpu": cpu,
            "load": load, "evaluations": len(objective),
            "best": {n: float(np.max(objective[:n])) for n in AT if n <= len(objective)},
            "running_best": np.maximum.accumulate(objective).tolist(),
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
    rows, reach = [], []
    for seed in a.seeds:
        t, r = runs[("tpe", seed)], runs[("random", seed)]
        # evaluations TPE needed to match random search's best of all its evaluations
        reach.append(next(i + 1 for i, v in enumerate(t["running_best"]) if v >= r["best"][AT[-1]])
                     if t["best"][AT[-1]] >= r["best"][AT[-1]] else float("inf"))
        rows.append([seed] + [f3(t['best'][n]) + ' / ' + f3(r['best'][n]) for n in AT] +
                    [reach[-1], f"{t['feasible']} / {r['feasible']}", f"{t['wall']:.0f} / {r['wall']:.0f}"])
    table(["seed", "best@100 tpe / random", "best@300", "best@1000", "tpe evaluations to random's best@1000",
           "feasible", "wall s"], rows)
    med = {s: {n: statistics.median(runs[(s, seed)]["best"][n] for seed in a.seeds) for n in AT} for s in ("tpe", "random")}
    wins = {n: sum(runs[("tpe", s)]["best"][n] > runs[("random", s)]["best"][n] for s in a.seeds) for n in AT}
    ties = {n: sum(runs[("tpe", s)]["best"][n] == runs[("random", s)]["best"][n] for s in a.seeds) for n in AT}
    table(["sampler", "median best@100", "median best@300", "median best@1000"],
          [[s] + [f3(med[s][n]) for n in AT] for s in ("tpe", "random")] +
          [["tpe better (ties)"] + [f"{wins[n]}/{len(a.seeds)} ({ties[n]})" for n in AT]])
    print(f"TPE matched random search's best of {AT[-1]} after a median of {statistics.median(reach)} evaluations.\n")
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


LAYOUTS = (("1x1", 1, 1, ()), ("1x2", 1, 2, ()), ("2x1", 2, 1, ()), ("2x2", 2, 2, ()),
           ("2x1 yield", 2, 1, ("--mca", "mpi_yield_when_idle", "1")))


# predict-only: random without the drying constraint, so that every candidate is predicted, 50 to a batch as in a
# TPE run (a random run predicts only the half of each batch that keeps the drying programme from cooling down).
SAMPLERS = ("random", "tpe", "predict-only")


def fastest(runs):
    """The repeat with the shortest summary time (the least disturbed by the machine's other work)."""
    return min(runs, key=lambda r: r["time"])


def throughput_part(a, results):
    runs = {}
    for rep in range(a.repeats):  # repeats interleaved, so a burst of other work hits different layouts
        for sampler in SAMPLERS:
            config = variant(HARD, a.work, f"tp_{sampler}", sampler=f'"{sampler.split()[0]}"')
            if sampler == "predict-only":
                config = without_constraint(variant(HARD, a.work, "tp_predict", sampler='"random"'), "drying_step_C",
                                            a.work, "tp_predict")
            for label, ranks, threads, mpi in LAYOUTS:
                r = run_design(a.binary, a.model, config, a.work, f"tp_{sampler.replace('-', '_')}_{label.replace(' ', '_')}", ranks,
                               threads, 1, mpi)
                runs.setdefault((sampler, label), []).append(r)
                print(f"  {sampler} {label} (repeat {rep + 1}): {r['wall']:.1f} s wall, {r['time']:.1f} s summary, "
                      f"{r['cpu']:.1f} CPU s, load {r['load']:.1f}", flush=True)
    print(f"\nPart 2: throughput, bench/design_hard.toml seed 1, 1000 evaluations, batch 50, mpirun --bind-to none; "
          f"the fastest of {a.repeats} repeats (all summary times in the last column)\n")
    rows = []
    for (sampler, label), rs in runs.items():
        r = fastest(rs)
        rows.append([sampler, label, f"{r['wall']:.1f}", f"{r['time']:.1f}", f"{r['evaluations'] / r['wall']:.1f}",
                     f"{r['evaluations'] / r['time']:.1f}", f"{r['search_evaluations'] / r['search_seconds']:.1f}",
                     r["predicted"], f"{r['search_seconds'] / r['search_predicted'] * 1e3:.1f}", f"{r['cpu']:.1f}",
                     f"{r['cpu'] / r['wall']:.2f}", f"{r['load']:.1f}", " ".join(f"{x['time']:.1f}" for x in rs)])
    table(["sampler", "ranks x threads", "wall s", "summary time s", "eval/s (wall)", "eval/s (time)",
           "eval/s (search phase)", "predicted", "ms per predicted (search phase)", "CPU s", "cores used",
           "load avg before", "summary times"], rows)
    rows = []
    for sampler in SAMPLERS:
        t = {label: fastest(runs[(sampler, label)]) for label, *_ in LAYOUTS}
        best1 = min(("1x1", "1x2"), key=lambda l: t[l]["time"])
        best2 = min(("2x1", "2x2", "2x1 yield"), key=lambda l: t[l]["time"])
        rows.append([sampler, f"{1000 / t[best1]['time']:.1f} ({best1})", f"{1000 / t[best2]['time']:.1f} ({best2})",
                     f"{t[best1]['time'] / t[best2]['time']:.2f}",
                     f"{t['1x1']['time'] / t['2x1']['time']:.2f} / {t['1x1']['wall'] / t['2x1']['wall']:.2f}",
                     "1 thread" if t["1x1"]["time"] <= t["1x2"]["time"] else "2 threads",
                     "1 thread" if t["2x1"]["time"] <= t["2x2"]["time"] else "2 threads"])
    table(["sampler", "best 1 rank eval/s (time)", "best 2 ranks eval/s (time)", "2 ranks / 1 rank (best of each)",
           "2x1 / 1x1 (time / wall)", "faster on 1 rank", "faster on 2 ranks"], rows)
    # Where the time goes: the predict-only run's search phase is prediction alone (drawing random points is free),
    # with batches of 50 predicted candidates as in the TPE run, so its cost per candidate prices the TPE run's
    # predictions; the rest of the TPE run's search phase is TPE's own.
    rows = []
    for label, *_ in LAYOUTS:
        pred, tpe = fastest(runs[("predict-only", label)]), fastest(runs[("tpe", label)])
        per = pred["search_seconds"] / pred["search_predicted"]
        model_s = per * tpe["search_predicted"]
        rest = tpe["search_seconds"] - model_s
        rows.append([label, f"{per * 1e3:.1f}", f"{tpe['search_seconds']:.1f}", f"{model_s:.1f}",
                     f"{rest:.1f} ({100 * rest / tpe['search_seconds']:.0f}%)",
                     f"{tpe['time'] - tpe['search_seconds']:.1f} / {pred['time'] - pred['search_seconds']:.1f}"])
    table(["layout", "ms per predicted candidate (predict-only run)", "tpe search phase s", "of which prediction s",
           "of which TPE s (share)", "start-up + first batch + output s (tpe / predict-only)"], rows)
    results["throughput"] = {f"{s}_{l}": v for (s, l), v in runs.items()}


def batch_part(a, results):
    rows = []
    plan = [("random", "1x1", 1), ("random", "2x1", 2), ("tpe", "2x1", 2)]
    for sampler, label, ranks in plan:
        for batch in (10, 200):
            config = variant(HARD, a.work, f"b_{sampler}_{batch}", sampler=f'"{sampler}"', batch=batch)
            r = run_design(a.binary, a.model, config, a.work, f"b_{sampler}_{label}_{batch}", ranks, 1, 1)
            results[f"batch_{sampler}_{label}_{batch}"] = r
            rows.append((sampler, label, batch, r))
        if "throughput" in results:
            rows.append((sampler, label, 50, fastest(results["throughput"][f"{sampler}_{label}"])))
    print("\nPart 3: batch size, 1 thread per rank, bench/design_hard.toml seed 1, 1000 evaluations "
          "(batch 50: the run of part 2)\n")
    table(["sampler", "ranks x threads", "batch", "summary time s", "eval/s (time)", "eval/s (search phase)",
           "predicted", "ms per predicted (search phase)", "CPU s", "best@1000", "load avg before"],
          [[s, l, b, f"{r['time']:.1f}", f"{1000 / r['time']:.1f}",
            f"{r['search_evaluations'] / r['search_seconds']:.1f}", r["predicted"],
            f"{r['search_seconds'] / r['search_predicted'] * 1e3:.1f}", f"{r['cpu']:.1f}", f3(r["best"][1000]),
            f"{r['load']:.1f}"] for s, l, b, r in rows])
    if "throughput" in results:
        batch_cost_fit(results)


def batch_cost_fit(results):
    """Search-phase seconds = batches x a + predicted candidates x b, least squares over the random runs at batch 10,
    50 and 200 and the predict-only run (batch 50), per layout: the per-batch and per-candidate cost of prediction."""
    for label in ("1x1", "2x1"):
        points = [(results[f"batch_random_{label}_{b}"], b) for b in (10, 200) if f"batch_random_{label}_{b}" in results]
        points += [(fastest(results["throughput"][f"{s}_{label}"]), 50) for s in ("random", "predict-only")]
        A = np.array([[r["search_evaluations"] / b, r["search_predicted"]] for r, b in points])
        y = np.array([r["search_seconds"] for r, _ in points])
        (per_batch, per_candidate), *_ = np.linalg.lstsq(A, y, rcond=None)
        worst = np.max(np.abs(A @ [per_batch, per_candidate] - y))
        print(f"prediction on {label}: {per_batch * 1e3:.0f} ms per batch + {per_candidate * 1e3:.2f} ms per predicted "
              f"candidate (least squares over {len(points)} runs, largest residual {worst:.2f} s)")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("binary")
    p.add_argument("model")
    p.add_argument("--work", default="/tmp/design_bench")
    p.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    p.add_argument("--parts", default="search,paper,throughput,batch")
    p.add_argument("--repeats", type=int, default=3, help="throughput runs per layout (the fastest is reported)")
    p.add_argument("--objectives", default="joint", help="objectives of part 1: joint, gaussian or joint,gaussian")
    p.add_argument("--results", help="write every run's numbers here (JSON)")
    a = p.parse_args()
    a.binary, a.model = os.path.abspath(a.binary), os.path.abspath(a.model)
    os.makedirs(a.work, exist_ok=True)
    ensure_model(a.binary, a.model)
    parts = a.parts.split(",")
    results = {"cpus": os.cpu_count(), "started": time.strftime("%Y-%m-%d %H:%M:%S")}
    start = time.perf_counter()
    if "search" in parts:
        for objective in a.objectives.split(","):
            search_part(a, results, objective)
    if "paper" in parts:
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
