#!/usr/bin/env bash
# The neighbour read-out end to end: on a table where one endpoint is a square wave of the descriptor (small
# networks smooth it away, ten neighbours follow it) and another a straight line, train with calibration folds and
# [calibration] neighbours reads the wave off the neighbours (or their average with the ensemble), stores the choice in the
# model file, and predict reads new cells off it, on 1 and 2 ranks alike, and says so in its summary and output.
# Usage: readout.sh ELEC_HPC SOURCE_DIR
set -u
ELEC=$(realpath "$1")
MPIEXEC=${MPIEXEC:-mpiexec}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 OMP_NUM_THREADS=1
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }

table() {  # rows seed: id, x, wave (+-1 with period 0.31), line (2x + noise)
  awk -v n="$1" -v seed="$2" 'BEGIN { srand(seed); print "id,x,wave,line";
    for (i = 0; i < n; ++i) { x = rand(); w = (sin(20 * x) > 0) ? 1 : -1; printf "c%d,%.6f,%d,%.6f\n", i, x, w, 2 * x + 0.1 * (rand() - 0.5) } }'
}
table 150 7 >"$d/cells.csv"
table 40 8 | cut -d, -f1,2 >"$d/new.csv"
printf '[[column]]\nname = "id"\nrole = "id"\n[[column]]\nname = "x"\nrole = "descriptor"\n' >"$d/schema.toml"
printf '[[column]]\nname = "%s"\nrole = "endpoint"\n' wave line >>"$d/schema.toml"
cat >"$d/study.toml" <<'TOML'
[model]
members = 8
epochs = 300
[imputation]
max_passes = 1
pass_epochs = 50
[selection]
auto = false
[calibration]
folds = 3
neighbours = 10
lasso = false
[run]
seed = 4
TOML

"$ELEC" train --data "$d/cells.csv" --schema "$d/schema.toml" --config "$d/study.toml" --out "$d/model.h5" \
  >"$d/train.log" 2>&1 || { cat "$d/train.log"; fail "train"; exit 1; }
line=$(grep -E "^read-out " "$d/train.log")
grep -Eq "(neighbours \(k = 10\)|average) for wave(, line)?; .*\(chosen on the calibration folds" <<<"$line" ||
  fail "train's summary does not read the wave off its neighbours: $line"
readout=$(h5dump -d /calibration/readout "$d/model.h5" | grep -Eo '"[a-z]+"' | tr '\n' ' ')
[[ "$readout" =~ ^\"(neighbours|average)\"\ \"[a-z]+\"\ $ ]] || fail "model file's /calibration/readout: $readout"
h5dump -a /calibration/neighbours "$d/model.h5" | grep -q "(0): 10" || fail "model file lacks the neighbours attribute"

for ranks in 1 2; do
  $MPIEXEC -n $ranks "$ELEC" predict --model "$d/model.h5" --data "$d/new.csv" --out "$d/pred$ranks.h5" \
    --csv "$d/pred$ranks.csv" >"$d/predict$ranks.log" 2>&1 || { cat "$d/predict$ranks.log"; fail "predict on $ranks ranks"; exit 1; }
done
cmp -s "$d/pred1.csv" "$d/pred2.csv" || fail "predictions differ between 1 and 2 ranks"
grep -Eq "^read-out +(neighbours \(k = 10\)|average) for wave; .*for the cells given by their descriptors alone" "$d/predict1.log" ||
  fail "predict's summary does not name the read-out: $(cat "$d/predict1.log")"
h5dump -a /readout "$d/pred1.h5" | grep -q "for wave" || fail "the predictions file does not say what was read off"
# Read off neighbours, the wave's predictions are close to +-1 on most new cells (the networks' are not).
near=$(awk -F, 'NR > 1 { v = $2 < 0 ? -$2 : $2; if (v > 0.5) ++k } END { print k + 0 }' "$d/pred1.csv")
[ "$near" -ge 30 ] || fail "only $near of 40 wave predictions beyond +-0.5: $(head -5 "$d/pred1.csv")"

# [calibration] lasso: networks stopped after 30 epochs miss the straight line, which a lasso fits, so the line is
# read off the average of the two; the fit is stored (one coefficient per endpoint and descriptor) and read back by
# predict on 1 and 2 ranks alike.
sed -e 's/^epochs = 300/epochs = 30/' -e 's/^neighbours = 10/neighbours = 0/' -e 's/^lasso = false/lasso = true/' \
  "$d/study.toml" >"$d/lasso.toml"
"$ELEC" train --data "$d/cells.csv" --schema "$d/schema.toml" --config "$d/lasso.toml" --out "$d/lasso.h5" \
  >"$d/train_lasso.log" 2>&1 || { cat "$d/train_lasso.log"; fail "train with lasso"; exit 1; }
grep -Eq "^read-out +lasso_average for (wave, )?line" "$d/train_lasso.log" ||
  fail "train's summary does not read the line off the lasso average: $(grep -E '^read-out' "$d/train_lasso.log")"
h5dump -H -d /calibration/lasso_coefficients "$d/lasso.h5" | grep -q "( 2, 1 )" ||
  fail "the model file lacks a 2 x 1 /calibration/lasso_coefficients"
for ranks in 1 2; do
  $MPIEXEC -n $ranks "$ELEC" predict --model "$d/lasso.h5" --data "$d/new.csv" --out "$d/lasso$ranks.h5" \
    --csv "$d/lasso$ranks.csv" >"$d/lasso$ranks.log" 2>&1 || { cat "$d/lasso$ranks.log"; fail "predict with lasso on $ranks ranks"; exit 1; }
done
cmp -s "$d/lasso1.csv" "$d/lasso2.csv" || fail "lasso-read predictions differ between 1 and 2 ranks"
grep -Eq "^read-out +lasso_average for (wave, )?line" "$d/lasso1.log" || fail "predict's summary does not name the lasso read-out"

[ $fails -eq 0 ] && echo "OK: the wave read off its neighbours ($near of 40 new cells beyond +-0.5), the line off the lasso average; chosen on calibration folds, stored, rank-invariant"
exit $((fails > 0))
