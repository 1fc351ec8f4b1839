#!/usr/bin/python3
"""Builds inputs/mpea/alloys.csv (the shipped real example) from the unchanged MPEA table in inputs/mpea/source/.

What it does, and nothing else: parses each FORMULA ("Al0.25 Co1 Fe1 Ni1") into molar fractions of the 30
elements (descriptors), keeps processing method, phase class, microstructure and test type as categorical
descriptors (a blank becomes the level "unknown", since descriptors must be given), and keeps every numeric
PROPERTY column as an endpoint, blanks and all. Standard library only; deterministic.
Usage: scripts/make_mpea_example.py [SOURCE_CSV] [OUT_CSV]
"""
import csv, re, sys, os

here = os.path.dirname(os.path.abspath(__file__))
src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "inputs", "mpea", "source", "MPEA_dataset.csv")
out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "..", "inputs", "mpea", "alloys.csv")

CATEGORICAL = {"PROPERTY: Processing method": "processing", "PROPERTY: BCC/FCC/other": "phase_class",
               "PROPERTY: Microstructure": "microstructure", "PROPERTY: Type of test": "test_type"}
ENDPOINTS = {"PROPERTY: grain size ($\\mu$m)": "grain_size_um", "PROPERTY: Exp. Density (g/cm$^3$)": "density_exp_g_cm3",
             "PROPERTY: Calculated Density (g/cm$^3$)": "density_calc_g_cm3", "PROPERTY: HV": "hardness_HV",
             "PROPERTY: Test temperature ($^\\circ$C)": "test_temperature_C", "PROPERTY: YS (MPa)": "yield_strength_MPa",
             "PROPERTY: UTS (MPa)": "ultimate_strength_MPa", "PROPERTY: Elongation (%)": "elongation_pct",
             "PROPERTY: Elongation plastic (%)": "elongation_plastic_pct", "PROPERTY: Exp. Young modulus (GPa)": "youngs_modulus_exp_GPa",
             "PROPERTY: Calculated Young modulus (GPa)": "youngs_modulus_calc_GPa", "PROPERTY: O content (wppm)": "oxygen_wppm",
             "PROPERTY: N content (wppm)": "nitrogen_wppm", "PROPERTY: C content (wppm)": "carbon_wppm"}

with open(src, newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
missing = [c for c in list(CATEGORICAL) + list(ENDPOINTS) + ["FORMULA"] if c not in rows[0]]
if missing:
    sys.exit(f"{src}: expected columns not found: {missing}")

def fractions(formula):
    parts = re.findall(r"([A-Z][a-z]?)([0-9.]*)", formula)
    amounts = {el: float(n) if n else 1.0 for el, n in parts}
    total = sum(amounts.values())
    return {el: a / total for el, a in amounts.items()}

compositions = [fractions(r["FORMULA"]) for r in rows]
elements = sorted({el for c in compositions for el in c})
header = ["id", "formula"] + [f"x_{el}" for el in elements] + list(CATEGORICAL.values()) + list(ENDPOINTS.values())
with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(header)
    for k, (r, comp) in enumerate(zip(rows, compositions), start=1):
        w.writerow([f"mpea{k:04d}", r["FORMULA"]] + [f"{comp.get(el, 0.0):.6g}" for el in elements]
                   + [r[c].strip() or "unknown" for c in CATEGORICAL] + [r[c].strip() for c in ENDPOINTS])
print(f"wrote {out}: {len(rows)} rows, {len(elements)} elements, {len(ENDPOINTS)} endpoints")
