#!/usr/bin/env bash
# elec_hpc compare end to end on a tiny study with a curve (tests/fixtures/curves, a tiny ensemble): 1, 2 and 4
# ranks and 2 threads give the same per-model out-of-fold means and stds, the same scores and the same table on stdout; the table
# says the baselines see the descriptors only and counts, per baseline, the targets where the ensemble is ahead (file
# and summary); scripts/compare_figures.py draws the figures from the file; a bad
# --models name and an output that is an input are refused (exit 2) with nothing written.
# Usage: compare.sh ELEC_HPC SOURCE_DIR
set -euo pipefail
ELEC=$(realpath "$1"); SRC=$(realpath "$2"); FIX=$SRC/tests/fixtures/curves
MPIEXEC=${MPIEXEC:-mpirun}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 OMP_NUM_THREADS=1
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
# A group of the file without the root's provenance (created, command_line, ranks), which h5dump -g leaves out.
group() { h5dump -g "$2" "$1" | grep -v '^HDF5 "'; }
# The table: from the note to the verification summary (the progress lines before it carry timings).
table() { sed -n '/^baselines see the descriptors only/,/^== elec_hpc compare/p' "$1"; }

cat >"$d/tiny.toml" <<'EOF'
[model]
members = 6
epochs = 60
hidden_units = 3
[imputation]
max_passes = 1
pass_epochs = 10
[selection]
auto = false
[run]
seed = 5
EOF
# The fixture with a replicate-group column (batches of three cells), which the schema ignores.
mkdir "$d/study"
cp "$FIX/capacity.csv" "$d/study/"
awk -F, -v OFS=, 'NR == 1 { print $0, "batch"; next } { print $0, "b" int((NR - 2) / 3) }' "$FIX/cells.csv" >"$d/study/cells.csv"
{ cat "$FIX/schema.toml"; printf '\n[[column]]\nname = "batch"\nrole = "ignore"\n'; } >"$d/study/schema.toml"
study=(--data "$d/study/cells.csv" --schema "$d/study/schema.toml" --config "$d/tiny.toml" --folds 3 --group batch)

for ranks in 1 2 4; do
  $MPIEXEC --oversubscribe -n $ranks "$ELEC" compare "${study[@]}" --out "$d/compare$ranks.h5" >"$d/compare$ranks.log" 2>&1 ||
    { cat "$d/compare$ranks.log"; fail "compare on $ranks ranks"; exit 1; }
done
# Two threads on one rank: the baseline fits run side by side in OpenMP, each in its own slot.
OMP_NUM_THREADS=2 "$ELEC" compare "${study[@]}" --out "$d/compare1t2.h5" >"$d/compare1t2.log" 2>&1 ||
  { cat "$d/compare1t2.log"; fail "compare on 2 threads"; exit 1; }
log=$d/compare1.log
grep -q "^baselines see the descriptors only; the ensemble also imputes sparse endpoints$" "$log" || fail "no note on the baselines"
for model in ensemble ensemble_raw lasso random_forest gradient_boosting gpr; do
  # one row per target (2), the summary row, and the coverage row of a model with an uncertainty
  [ "$(table "$log" | grep -c "^  $model ")" -ge 3 ] || fail "$model: not one row per target and a summary row"
done
grep -q "^capacity_mAh_g (" "$log" || fail "the curve is not scored as one target"
grep -q "30 cells in 3 folds (replicates of one batch kept together)" "$log" || fail "the folds are not by batch"
[ "$(grep -c "^ensemble: fold [123]/3 done" "$log")" -eq 3 ] || fail "not three ensemble folds"
grep -q "^median R^2  *ensemble .*, lasso .*, random_forest .*, gradient_boosting .*, gpr " "$log" ||
  fail "no median R^2 per model in the summary: $(grep median "$log")"
grep -q "^ensemble ahead on  *lasso [0-9]/[0-9], random_forest [0-9]/[0-9], gradient_boosting [0-9]/[0-9], gpr [0-9]/[0-9] targets" "$log" ||
  fail "no head-to-head count in the summary: $(grep ahead "$log")"
[ "$(table "$log" | sed -n '/^the ensemble against each model/,/^$/p' | grep -c ' of ')" -eq 4 ] ||
  fail "no head-to-head table with a row per baseline"
grep -q "^median R^2 of targets with >= 10 values  *ensemble .*, lasso .*, gpr " "$log" ||
  fail "no median R^2 of well-measured targets in the summary: $(grep median "$log")"
/usr/bin/python3 - "$d/compare1.h5" <<'EOF' || fail "the file's contents"
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
names = list(f["model_names"].asstr()[()])
assert names == ["ensemble", "ensemble_raw", "lasso", "random_forest", "gradient_boosting", "gpr"], names
measured = f["cells/measured"][()]
for n in names:
    g = f["models/" + n]
    assert g["mean"].shape == measured.shape and g["std"].shape == measured.shape, n
    assert np.isfinite(g["mean"][()][~np.isnan(measured)]).all(), n + ": a held-out measured cell without a prediction"
    assert np.isfinite(g["std"][()]).all() == bool(g.attrs["has_uncertainty"]), n
    assert g["r2"].shape == (2,) and g["calibration/gaussian_coverage"].shape == (3, 10), n
    # the median over targets with enough held-out values, beside the median over all
    well = g["r2"][()][g["values"][()] >= f.attrs["well_measured_values"]]
    expected = np.median(well[~np.isnan(well)]) if np.isfinite(well).any() else np.nan
    assert np.allclose(g.attrs["median_r2_well_measured"], expected, equal_nan=True), n
assert list(f["targets/names"].asstr()[()]) == ["porosity_pct", "capacity_mAh_g"]
# the ensemble against each baseline, target by target, as the R^2 above give it
h = f["head_to_head"]
assert list(h["models"].asstr()[()]) == names[2:], list(h["models"].asstr()[()])
ensemble = f["models/ensemble/r2"][()]
for k, n in enumerate(names[2:]):
    other = f["models/" + n + "/r2"][()]
    both = (f["models/ensemble/values"][()] >= h.attrs["well_measured_values"]) & ~np.isnan(ensemble) & ~np.isnan(other)
    assert h["targets"][k] == both.sum() and h["ensemble_better"][k] == (ensemble[both] > other[both]).sum(), n
    margin = (ensemble[both] - other[both]).mean() if both.any() else np.nan
    assert np.allclose(h["mean_r2_difference"][k], margin, equal_nan=True), n
EOF
for ranks in 2 4 1t2; do
  for g in /models /cells /targets /head_to_head; do
    cmp -s <(group "$d/compare1.h5" $g) <(group "$d/compare$ranks.h5" $g) || fail "$g differs on $ranks ranks"
  done
  [ "$(group "$d/compare1.h5" /models | grep -c DATASET)" -eq 72 ] || fail "/models does not hold 6 models x 12 datasets"
  cmp -s <(table "$d/compare1.log") <(table "$d/compare$ranks.log") ||
    fail "the table differs on $ranks ranks: $(diff <(table "$d/compare1.log") <(table "$d/compare$ranks.log") | head -5)"
done

# The figures, from the file, with one command.
/usr/bin/python3 "$SRC/scripts/compare_figures.py" "$d/compare1.h5" --out "$d/figures" >"$d/figures.log" 2>&1 ||
  { cat "$d/figures.log"; fail "compare_figures.py"; }
for f in parity.png calibration.png calibration_targets.png r2.png scores.csv; do
  [ -s "$d/figures/$f" ] || fail "no $f"
done

# Refused before any work, nothing written: an unknown model, an output that is the input table.
rc=0; out=$("$ELEC" compare "${study[@]}" --models ensemble,xgb --out "$d/bad.h5" 2>&1) || rc=$?
[ $rc -eq 2 ] && grep -q 'unknown model "xgb"; expected some of ensemble, lasso, random_forest, gradient_boosting, gpr' <<<"$out" ||
  fail "a bad --models name: exit $rc: $out"
[ -e "$d/bad.h5" ] && fail "a refused run wrote its output"
cp "$d/study/cells.csv" "$d/cells_before.csv"
rc=0; out=$("$ELEC" compare "${study[@]}" --out "$d/study/cells.csv" 2>&1) || rc=$?
[ $rc -eq 2 ] && grep -q "nothing was written" <<<"$out" || fail "output = input: exit $rc: $out"
cmp -s "$d/cells_before.csv" "$d/study/cells.csv" || fail "output = input changed the input"

[ $fails -eq 0 ] && echo "compare: all checks passed"
exit $((fails > 0))
