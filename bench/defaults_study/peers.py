import json, time, sys, numpy as np
from sklearn.experimental import enable_iterative_imputer  # noqa
from sklearn.impute import SimpleImputer, KNNImputer, IterativeImputer
from sklearn.ensemble import ExtraTreesRegressor
import tables as T
PEERS = {"mean": lambda: SimpleImputer(), "knn5": lambda: KNNImputer(n_neighbors=5),
         "ice_br": lambda: IterativeImputer(max_iter=10, random_state=0),
         "ice_et": lambda: IterativeImputer(ExtraTreesRegressor(n_estimators=100, random_state=0, n_jobs=1), max_iter=10, random_state=0)}
res = {}
for name in (sys.argv[1:] or T.ALL):
    X = T.get(name); res[name] = {"shape": list(X.shape)}
    for n, make in PEERS.items():
        v = []; t0 = time.perf_counter()
        for seed, Xs, Xm, hide in T.splits(X):
            keep = ~np.all(np.isnan(Xm), 0); out = np.full(Xs.shape, np.nan)
            out[:, keep] = make().fit_transform(Xm)
            v.append(float(np.sqrt(np.nanmean((out[hide] - Xs[hide]) ** 2))))
        res[name][n] = [float(np.median(v)), (time.perf_counter() - t0) / 3]
    print(name, res[name], flush=True)
    json.dump(res, open("peers.json", "w"), indent=1)
