"""bench.py TAG 'json-cfg' table1,table2 [nseeds] -> appends median RMSE (final z / y / zu and the curve vs epoch) to results.jsonl"""
import json, sys, time, numpy as np
import tables as T, alc
tag, cfg, names = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3].split(",")
seeds = int(sys.argv[4]) if len(sys.argv) > 4 else 3
every = cfg.pop("every", 100); auto = cfg.pop("auto", None); auto2 = cfg.pop("auto2", None)
for name in names:
    X = T.get(name); r = {"z": [], "y": [], "zu": []}; sec = 0; curves = []
    for seed, Xs, Xm, hide in T.splits(X):
        if seed >= seeds: break
        cur = []
        probe = (lambda ep, Xi: cur.append(float(np.sqrt(np.mean((Xi[hide] - Xs[hide]) ** 2))))) if every else None
        o = (alc.impute_auto2(Xm, {**cfg, "seed": seed}, probe=probe, every=every, **auto2) if auto2 is not None else alc.impute_auto(Xm, {**cfg, "seed": seed}, probe=probe, every=every, **auto) if auto is not None else alc.impute(Xm, {**cfg, "seed": seed}, probe=probe, every=every)); sec += o["sec"]
        if auto2 is not None: print("   sel2", name, seed, o["sel_E0"], "K*", o["sel_lam"], o["sel_vals"], round(o["sel_sec"],1), flush=True); o["z"] = o["auto"]
        if auto is not None: print("   sel", name, seed, o["sel_E0"], o["sel_lam"], round(o["sel_sec"],1), flush=True)
        for k in r: r[k].append(float(np.sqrt(np.mean((o[k][hide] - Xs[hide]) ** 2))))
        curves.append(cur)
    L = min(len(c) for c in curves)
    curve = np.median(np.array([c[:L] for c in curves]), 0).round(4).tolist() if L else []
    rec = {"tag": tag, "table": name, **{k: float(np.median(v)) for k, v in r.items()}, "sec": sec / seeds, "curve": curve, "cfg": cfg, "auto": auto, "auto2": auto2}
    print(f"{tag:14s} {name:11s} z={rec['z']:.4f} y={rec['y']:.4f} zu={rec['zu']:.4f} {rec['sec']:.1f}s curve/{every}={curve}", flush=True)
    open("results.jsonl", "a").write(json.dumps(rec) + "\n")
