#!/usr/bin/env bash
# Functional endpoints end to end: train on cells with a capacity curve (long-format file, partial curves), predict
# new cells given their first cycles, on a requested abscissa grid, with derived scalars and per-member values;
# the same on 2 ranks gives the same bytes; a bad curve file or --curve name is refused with its position and
# nothing written. Usage: curves.sh ELEC_HPC SOURCE_DIR
set -u
ELEC=$(realpath "$1"); SRC=$(realpath "$2"); FIX=$SRC/tests/fixtures
MPIEXEC=${MPIEXEC:-mpiexec}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 OMP_NUM_THREADS=1
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
dims() { h5dump -H -d "$2" "$1" | sed -n 's/.*DATASPACE  SIMPLE { ( \([0-9, ]*\) ).*/\1/p'; }

"$ELEC" train --data "$FIX/curves/cells.csv" --schema "$FIX/curves/schema.toml" --config "$FIX/quick.toml" \
  --out "$d/model.h5" >"$d/train.log" 2>&1 || { cat "$d/train.log"; fail "train"; exit 1; }
grep -q "curve capacity_mAh_g at 10 cycle values" "$d/train.log" || fail "summary does not describe the curve"

for ranks in 1 2; do
  $MPIEXEC -n $ranks "$ELEC" predict --model "$d/model.h5" --data "$FIX/curves/new_cells.csv" \
    --curve capacity_mAh_g="$FIX/curves/new_capacity.csv" --grid 1:10:0.5 --members \
    --out "$d/pred$ranks.h5" --csv "$d/pred$ranks.csv" >"$d/predict$ranks.log" 2>&1 ||
    { cat "$d/predict$ranks.log"; fail "predict on $ranks ranks"; exit 1; }
done
[ "$(dims "$d/pred1.h5" /curves/capacity_mAh_g/mean)" == "4, 19" ] || fail "curve mean is not cells x 19 grid points"
[ "$(dims "$d/pred1.h5" /curves/capacity_mAh_g/members)" == "12, 4, 19" ] || fail "curve members are not 12 x 4 x 19"
[ "$(dims "$d/pred1.h5" /derived/members)" == "12, 4, 2" ] || fail "derived members are not 12 x 4 x 2"
head -1 "$d/pred1.csv" | grep -q "D5,D5_std,D5_given,cycle_at_95pct,cycle_at_95pct_std,cycle_at_95pct_given" ||
  fail "CSV lacks the derived columns: $(head -1 "$d/pred1.csv")"
grep -q "^n00,.*,300.5,[^,]*,[^,]*,$" "$d/pred1.csv" || fail "the given D5 of n00 is not echoed"
for ds in /curves/capacity_mAh_g/mean /curves/capacity_mAh_g/std /derived/mean /derived/members; do
  cmp -s <(h5dump -d $ds "$d/pred1.h5" | grep -v '^HDF5 "') <(h5dump -d $ds "$d/pred2.h5" | grep -v '^HDF5 "') ||
    fail "$ds differs between 1 and 2 ranks"
done

# Cross-validation over the same cells, each target read off the ensemble or its neighbours as the other folds
# choose: scores both targets; 1 and 2 ranks give the same out-of-fold predictions; a curve takes one read-out.
printf '%s\n[calibration]\nneighbours = 3\nlasso = false\n' "$(cat "$FIX/quick.toml")" >"$d/neighbours.toml"
for ranks in 1 2; do
  $MPIEXEC -n $ranks "$ELEC" cv --data "$FIX/curves/cells.csv" --schema "$FIX/curves/schema.toml" \
    --config "$d/neighbours.toml" --folds 3 --out "$d/cv$ranks.h5" >"$d/cv$ranks.log" 2>&1 ||
    { cat "$d/cv$ranks.log"; fail "cv on $ranks ranks"; exit 1; }
done
grep -Eq "^capacity_mAh_g +[0-9.-]+ " "$d/cv1.log" && grep -q "median R\^2" "$d/cv1.log" || fail "cv did not score the curve: $(cat "$d/cv1.log")"
grep -Eq "^capacity_mAh_g +[0-9.-]+ +[0-9.-]+  [ena]{3}$" "$d/cv1.log" || fail "cv did not list the curve's read-outs: $(cat "$d/cv1.log")"
grep -Eq "^read-out +ensemble, 3 nearest cells or their average per target" "$d/cv1.log" || fail "no read-out summary line"
for ds in /cells/mean /readout/by_fold /readout/neighbour_mean; do
  cmp -s <(h5dump -d $ds "$d/cv1.h5" | grep -v '^HDF5 "') <(h5dump -d $ds "$d/cv2.h5" | grep -v '^HDF5 "') ||
    fail "cv $ds differs between 1 and 2 ranks"
done
# by_fold is folds x endpoints: column 0 porosity, columns 1-10 the curve's points, which share one read-out.
mixed=$(h5dump -d /readout/by_fold "$d/cv1.h5" | sed -n 's/^ *([0-9]*,0): //p' | tr -d ' ' |
  awk -F, '{for (i = 3; i <= 11; ++i) if ($i != $2) print}')
[ -z "$mixed" ] || fail "a fold read the points of one curve off different read-outs: $mixed"

# Bad input: an unknown id and a duplicate point in the new cells' curve file; an unknown --curve name.
printf 'id,cycle,capacity_mAh_g\nn00,1,330\nzz,1,300\nn00,1,331\n' >"$d/bad_capacity.csv"
out=$("$ELEC" predict --model "$d/model.h5" --data "$FIX/curves/new_cells.csv" \
  --curve capacity_mAh_g="$d/bad_capacity.csv" --out "$d/bad.h5" 2>&1); rc=$?
[ $rc -eq 2 ] || fail "bad curve file: exit $rc, expected 2"
grep -q "bad_capacity.csv:3:1: id \"zz\" is not a cell of the table" <<<"$out" || fail "no position for the unknown id: $out"
grep -q "bad_capacity.csv:4:5: cell \"n00\" has a second point at cycle = 1" <<<"$out" || fail "no duplicate report: $out"
out=$("$ELEC" predict --model "$d/model.h5" --data "$FIX/curves/new_cells.csv" --curve nope=x.csv --out "$d/bad.h5" 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q "expected NAME=FILE with NAME one of the model's functional endpoints" <<<"$out" ||
  fail "unknown --curve name: exit $rc: $out"
left=$(ls "$d" | grep '^bad' | grep -v '^bad_capacity.csv$')
[ -z "$left" ] || fail "a bad run left $left"

[ $fails -eq 0 ] && echo "OK: curves trained, predicted on a grid with derived scalars, cross-validated, rank-invariant, bad input refused"
exit $((fails > 0))
