"""summary.py [key=z|y|zu] : table of median RMSE, tags x tables, plus geometric-mean ratio vs ice_br and vs base"""
import json, sys, numpy as np, collections
key = sys.argv[1] if len(sys.argv) > 1 else "z"
P = json.load(open("peers.json")); R = collections.OrderedDict()
for l in open("results.jsonl"):
    r = json.loads(l); R.setdefault(r["tag"], {})[r["table"]] = r
tabs = [t for t in ["mpea","calend","diabetes","wine","bcancer","iris","linnerud","calend30","diabetes30","wine30","bcancer30","iris30","linnerud30"]]
tabs = [t for t in tabs if any(t in v for v in R.values())]
print(f"{'':14s}" + "".join(f"{t[:10]:>11s}" for t in tabs) + "   gm/br  gm/base")
for p in ["mean", "knn5", "ice_br", "ice_et"]:
    print(f"{p:14s}" + "".join(f"{P[t][p][0]:11.4f}" if t in P else f"{'':11s}" for t in tabs))
for tag, d in R.items():
    common = [t for t in tabs if t in d and t in P]; cb = [t for t in common if t in R.get("base", {})]
    gm = np.exp(np.mean([np.log(d[t][key] / P[t]["ice_br"][0]) for t in common])) if common else np.nan
    gb = np.exp(np.mean([np.log(d[t][key] / R["base"][t][key]) for t in cb])) if cb else np.nan
    print(f"{tag:14s}" + "".join(f"{d[t][key]:11.4f}" if t in d else f"{'':11s}" for t in tabs) + f"   {gm:.3f}  {gb:.3f}")
