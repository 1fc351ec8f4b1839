import os
HERE = os.path.dirname(os.path.abspath(__file__))
import numpy as np, pandas as pd
from sklearn import datasets

def load_check(path):  # exact copy of the check's load
    df = pd.read_csv(path)
    if any(c.startswith("PROPERTY:") for c in df.columns):
        df = df[[c for c in df.columns if c.startswith("PROPERTY:")]]
    df = df.apply(pd.to_numeric, errors="coerce")
    df = df.loc[:, (df.notna().mean() >= 0.05) & (df.nunique() > 1)]
    df = df.dropna(how="all")
    return df.to_numpy(float)

def load_cal():
    df = pd.read_csv(os.path.join(HERE, "..", "..", "..", "shared", "data", "artistic_calendering", "Dataset_Experimental_fitting.csv"), sep=";")
    df = df.iloc[:, 1:].apply(pd.to_numeric, errors="coerce")
    return df.to_numpy(float)

def sk(name):
    if name == "linnerud":
        d = datasets.load_linnerud(); return np.hstack([d.data, d.target]).astype(float)
    d = getattr(datasets, "load_" + name)()
    if name == "diabetes": return np.hstack([d.data, d.target[:, None]])
    return d.data.astype(float)

def mcar(X, frac=0.3, seed=123):
    X = X.copy(); r = np.random.default_rng(seed).random(X.shape) < frac; X[r] = np.nan
    X = X[~np.all(np.isnan(X), 1)]; return X

BASE = {"mpea": lambda: load_check(os.path.join(HERE, "..", "..", "inputs", "mpea", "source", "MPEA_dataset.csv")),
        "calend": load_cal, "diabetes": lambda: sk("diabetes"), "wine": lambda: sk("wine"),
        "bcancer": lambda: sk("breast_cancer"), "iris": lambda: sk("iris"), "linnerud": lambda: sk("linnerud")}

def get(name):
    if name.endswith("30"): return mcar(BASE[name[:-2]]())
    return BASE[name]()

ALL = ["mpea", "calend", "diabetes", "wine", "bcancer", "iris", "linnerud",
       "calend30", "diabetes30", "wine30", "bcancer30", "iris30", "linnerud30"]

def splits(X):
    """yield (seed, Xs, Xm, hide) exactly as the check does"""
    lo, hi = np.nanmin(X, 0), np.nanmax(X, 0); Xs = (X - lo) / np.where(hi > lo, hi - lo, 1)
    for seed in range(3):
        rng = np.random.default_rng(seed)
        hide = ~np.isnan(Xs) & (rng.random(Xs.shape) < 0.2)
        Xm = Xs.copy(); Xm[hide] = np.nan
        yield seed, Xs, Xm, hide
