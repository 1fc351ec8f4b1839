#!/usr/bin/env bash
# The job scripts of jobs/ under a real SLURM (a one-node cluster on this machine, scripts/local-slurm.sh): SLURM's
# time-limit warning (USR1 to the batch shell, as --signal=B:USR1@300 sends it) stops a running train and a running
# tune at a safe point (exit 75), the jobs requeue themselves, resume, and end with the results of uninterrupted runs
# (model weights and training table byte for byte; the tune's trials and final model); jobs/study.sh chains train,
# cv and a design search on small inputs and every output appears. Starts the daemons when none answer and stops
# those it started; where they cannot start (no slurm-wlm/munge, no root), says so and is skipped (exit 77).
# Usage: slurm.sh ELEC_HPC SOURCE_DIR
set -u
ELEC=$(realpath "$1"); SRC=$(realpath "$2"); IN=$SRC/inputs/graphite; FIX=$SRC/tests/fixtures
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 OMP_NUM_THREADS=1
d=$(mktemp -d); chmod 755 "$d"
started=0
cleanup() { [ $started = 1 ] && bash "$SRC/scripts/local-slurm.sh" stop; rm -rf "$d"; }
trap cleanup EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
. "$SRC/tests/support/journal.sh"  # trials, wait_for_lines, wait_for_match, checksum

if ! sinfo >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v slurmctld >/dev/null && command -v munged >/dev/null &&
     timeout 60 bash "$SRC/scripts/local-slurm.sh" >"$d/start.log" 2>&1; then
    started=1
  else
    echo "SKIP: no SLURM answers here and a local one could not be started (needs root, slurm-wlm and munge)"
    exit 77
  fi
fi

# submit NAME SCRIPT VAR=VALUE...: sbatch from the repository root with the job's log in $d/NAME.log; prints the id.
submit() {
  local name=$1 script=$2
  shift 2
  (cd "$SRC" && sbatch --parsable --output="$d/$name.log" --export="$(IFS=,; echo "ALL,ELEC=$ELEC,$*")" "$script")
}
state() { scontrol show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2; }
restarts() { scontrol show job "$1" 2>/dev/null | grep -o 'Restarts=[0-9]*' | cut -d= -f2; }
# finish ID SECONDS: waits until the job has ended (COMPLETED, FAILED, ...); prints its state.
finish() {
  local s
  for _ in $(seq $(($2 * 2))); do
    s=$(state "$1")
    case $s in COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|"") echo "$s"; return;; esac
    sleep 0.5
  done
  echo "still $(state "$1")"
}
weights() { for g in /members /training; do h5dump -g $g "$1"; done | grep -v '^HDF5 "'; }

cat >"$d/fast.toml" <<'TOML'
[model]
members = 32
epochs = 150
hidden_units = 4
[imputation]
max_passes = 2
pass_epochs = 30
[selection]
max_epochs = 300
members = 8
l2_decades = 1
[run]
seed = 3
TOML
study=(DATA="$IN/cells.csv" SCHEMA="$IN/schema.toml" CONFIG="$d/fast.toml")

# train: uninterrupted (direct), then under SLURM with the warning once a checkpoint exists: requeued and resumed.
mpirun -n 2 "$ELEC" train --data "$IN/cells.csv" --schema "$IN/schema.toml" --config "$d/fast.toml" \
  --out "$d/straight.h5" >"$d/straight.log" 2>&1 || { cat "$d/straight.log"; fail "uninterrupted train"; exit 1; }
job=$(submit train jobs/train.slurm "${study[@]}" OUT="$d/train" CHECKPOINT_EVERY=0.0002)
wait_for_match "$d/train.log" "checkpoint written" 120
scancel --batch --signal=USR1 "$job"
s=$(finish "$job" 300)
[ "$s" = COMPLETED ] || fail "train job ended $s: $(tail -5 "$d/train.log")"
grep -q "stopped by SIGUSR1 at a safe point" "$d/train.log" || fail "the train job was not stopped by the warning"
grep -q "requeueing job $job" "$d/train.log" || fail "the train job did not requeue itself"
[ "$(restarts "$job")" -ge 1 ] || fail "SLURM shows no restart of the train job"
grep -q "^resumed from $d/train/model.h5.checkpoint" "$d/train.log" || fail "the requeued train did not resume"
a=$(checksum "$d/straight.log"); b=$(checksum "$d/train.log")
[ -n "$a" ] && [ "$a" = "$b" ] || fail "the requeued train's model differs: '$a' vs '$b'"
cmp -s <(weights "$d/straight.h5") <(weights "$d/train/model.h5") || fail "model weights or training table differ"

# tune: uninterrupted (direct), then under SLURM with the warning once two trials are in its journal.
tuning=(DATA="$FIX/curves/cells.csv" SCHEMA="$FIX/curves/schema.toml" CONFIG="$FIX/curves/tune.toml")
mpirun -n 2 "$ELEC" tune --data "$FIX/curves/cells.csv" --schema "$FIX/curves/schema.toml" --config "$FIX/curves/tune.toml" \
  --journal "$d/straight.csv" --out "$d/tuned.h5" >"$d/tune_straight.log" 2>&1 || { cat "$d/tune_straight.log"; fail "tune"; }
job=$(submit tune jobs/tune.slurm "${tuning[@]}" OUT="$d/tune")
wait_for_lines "$d/tune/journal.csv" 3 120
scancel --batch --signal=USR1 "$job"
s=$(finish "$job" 300)
[ "$s" = COMPLETED ] || fail "tune job ended $s: $(tail -5 "$d/tune.log")"
grep -q "stopped by SIGUSR1 after" "$d/tune.log" || fail "the tune job was not stopped by the warning"
[ "$(restarts "$job")" -ge 1 ] || fail "SLURM shows no restart of the tune job"
cmp -s <(trials "$d/straight.csv") <(trials "$d/tune/journal.csv") || fail "the requeued tune's trials differ"
a=$(checksum "$d/tune_straight.log"); b=$(checksum "$d/tune.log")
[ -n "$a" ] && [ "$a" = "$b" ] || fail "the requeued tune's final model differs: '$a' vs '$b'"

# jobs/study.sh: train, cv (2 folds) and, after the train, a short design search, all with a tiny model: this part
# checks the chaining, not the numbers.
cat >"$d/tiny.toml" <<'TOML'
[model]
members = 8
epochs = 60
hidden_units = 4
[imputation]
max_passes = 1
pass_epochs = 20
[selection]
max_epochs = 60
members = 4
l2_decades = 0
TOML
sed -e 's/^evaluations = .*/evaluations = 40/' -e 's/^batch = .*/batch = 20/' -e 's/^startup = .*/startup = 20/' \
  "$IN/design.toml" >"$d/design.toml"
out=$(cd "$SRC" && DATA="$IN/cells.csv" SCHEMA="$IN/schema.toml" CONFIG="$d/tiny.toml" DESIGN="$d/design.toml" \
  OUT="$d/study" ELEC="$ELEC" FOLDS=2 SBATCH_OPTIONS="--output=$d/study-%j.log" bash jobs/study.sh) ||
  fail "jobs/study.sh: $out"
for id in $(grep -o "train [0-9]*, cv [0-9]*, design [0-9]*" <<<"$out" | grep -o "[0-9]*"); do
  s=$(finish "$id" 300)
  [ "$s" = COMPLETED ] || fail "study job $id ended $s: $(tail -3 "$d"/study-"$id".log)"
done
for f in train/model.h5 cv/cv.h5 design/designs.h5 design/designs.csv design/journal.csv; do
  [ -s "$d/study/$f" ] || fail "jobs/study.sh left no $f"
done

[ $fails -eq 0 ] && echo "OK: train and tune stopped by SLURM's warning, requeued and resumed (model $b as uninterrupted); study.sh ran train, cv, design"
exit $((fails > 0))
