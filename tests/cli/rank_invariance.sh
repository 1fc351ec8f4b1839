#!/usr/bin/env bash
# Same seed -> bitwise-identical model, predictions and imputed table for 1, 2, 3 and 4 ranks and 1 or 2 threads
# per rank. Usage: rank_invariance.sh ELEC_HPC SOURCE_DIR
set -u
ELEC=$(realpath "$1"); SRC=$(realpath "$2"); FIX=$SRC/tests/fixtures
MPIEXEC=${MPIEXEC:-mpiexec}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
fails=0
# The datasets that must match; attributes (time, rank count, command line) legitimately differ.
dump() { for ds in "$@"; do h5dump -d "$ds" "$file" | grep -v '^HDF5 "'; done; }
for run in "1 1" "2 1" "3 2" "4 1" "1 2"; do
  set -- $run; ranks=$1; threads=$2; tag=r${ranks}t$threads
  export OMP_NUM_THREADS=$threads
  $MPIEXEC -n "$ranks" "$ELEC" train --data "$FIX/cells.csv" --schema "$FIX/schema.toml" --config "$FIX/quick.toml" \
    --out "$d/model_$tag.h5" >"$d/train_$tag.log" 2>&1 || { echo "FAIL: train $tag"; cat "$d/train_$tag.log"; exit 1; }
  $MPIEXEC -n "$ranks" "$ELEC" predict --model "$d/model_$tag.h5" --data "$FIX/new_cells.csv" --members \
    --out "$d/pred_$tag.h5" >"$d/predict_$tag.log" 2>&1 || { echo "FAIL: predict $tag"; cat "$d/predict_$tag.log"; exit 1; }
  $MPIEXEC -n "$ranks" "$ELEC" impute "$FIX/cells.csv" "$d/imputed_$tag.csv" --schema "$FIX/schema.toml" --config "$FIX/quick.toml" \
    >"$d/impute_$tag.log" 2>&1 || { echo "FAIL: impute $tag"; cat "$d/impute_$tag.log"; exit 1; }
  file=$d/model_$tag.h5; dump /members/W1 /members/b1 /members/w2 /members/b2 /training/values /training/std \
    /history/max_change /calibration/scale /calibration/readout >"$d/model_$tag.txt"
  file=$d/pred_$tag.h5; dump /mean /std /members >"$d/pred_$tag.txt"
  grep "model checksum" "$d/train_$tag.log" >"$d/checksum_$tag.txt"
done
# quick.toml says nothing of [calibration]: by default a model for new cells is calibrated on 5 folds that keep each
# recipe's replicates together, and impute is not.
grep -q "^calibration: 5-fold cross-validation by recipe" "$d/train_r1t1.log" ||
  { echo "FAIL: a plain config's train did not calibrate by recipe"; fails=$((fails+1)); }
grep -q 'DATASET "/calibration/scale"' "$d/model_r1t1.txt" || { echo "FAIL: the plain model has no scale"; fails=$((fails+1)); }
grep -q "^calibration: " "$d/impute_r1t1.log" && { echo "FAIL: impute calibrated"; fails=$((fails+1)); }
for tag in r2t1 r3t2 r4t1 r1t2; do
  for what in model pred checksum; do
    cmp -s "$d/${what}_r1t1.txt" "$d/${what}_$tag.txt" || { echo "FAIL: $what differs between r1t1 and $tag"; fails=$((fails+1)); }
  done
  cmp -s "$d/imputed_r1t1.csv" "$d/imputed_$tag.csv" || { echo "FAIL: imputed table differs (r1t1 vs $tag)"; fails=$((fails+1)); }
  cmp -s "$d/imputed_r1t1_std.csv" "$d/imputed_${tag}_std.csv" || { echo "FAIL: imputed std differs (r1t1 vs $tag)"; fails=$((fails+1)); }
done
# The new-cell selection (whole recipes hidden, L2 and input penalty chosen per target) is rank-invariant too.
{ cat "$FIX/quick.toml"; printf 'holdout = "rows"\nl2_decades = 2\ncheck_every = 50\ninput_penalty = 3e-2\n'; } >"$d/new_cells.toml"
for run in "1 1" "2 1" "3 2"; do
  set -- $run; tag=r$1t$2
  OMP_NUM_THREADS=$2 $MPIEXEC -n "$1" "$ELEC" train --data "$FIX/cells.csv" --schema "$FIX/schema.toml" \
    --config "$d/new_cells.toml" --out "$d/new_cells_$tag.h5" >"$d/new_cells_$tag.log" 2>&1 ||
    { echo "FAIL: train (new-cell selection) $tag"; cat "$d/new_cells_$tag.log"; exit 1; }
  file=$d/new_cells_$tag.h5; dump /members/W1 /selection/l2_by_endpoint /selection/input_penalty_by_endpoint >"$d/new_cells_$tag.txt"
done
grep -q "L2 per target" "$d/new_cells_r1t1.log" || { echo "FAIL: no L2 choice reported"; fails=$((fails+1)); }
grep -q 'DATASET "/selection/input_penalty_by_endpoint"' "$d/new_cells_r1t1.txt" ||
  { echo "FAIL: no input penalty chosen per target in the model file"; fails=$((fails+1)); }
# holdout = "auto" (the default): train selects for new cells (L2 per target), impute for the table's blanks.
grep -q "L2 per target" "$d/train_r1t1.log" || { echo "FAIL: train did not select for new cells"; fails=$((fails+1)); }
grep -q "L2 per target" "$d/impute_r1t1.log" && { echo "FAIL: impute selected for new cells"; fails=$((fails+1)); }
for tag in r2t1 r3t2; do
  cmp -s "$d/new_cells_r1t1.txt" "$d/new_cells_$tag.txt" || { echo "FAIL: new-cell selection differs (r1t1 vs $tag)"; fails=$((fails+1)); }
done
# Guard against comparing empty dumps.
[ "$(wc -l <"$d/model_r1t1.txt")" -gt 20 ] || { echo "FAIL: model dump is empty"; fails=$((fails+1)); }
[ $fails -eq 0 ] && echo "OK: train, predict and impute are bitwise identical on 1-4 ranks x 1-2 threads ($(cat "$d/checksum_r1t1.txt"))" || exit 1
