#!/usr/bin/env bash
# elec_hpc train and cv: a run stopped by a scheduler's signal (exit 75, checkpoint written at the next safe point)
# or killed with kill -9 after a periodic checkpoint, and resumed with --resume on another rank count, ends with the
# outputs of an uninterrupted run; a checkpoint is never taken over without --resume, and one of another run is
# refused (exit 2).
# Usage: train_resume.sh ELEC_HPC SOURCE_DIR
set -u
ELEC=$(realpath "$1"); SRC=$(realpath "$2"); FIX=$SRC/tests/fixtures
MPIEXEC=${MPIEXEC:-mpiexec}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 OMP_NUM_THREADS=1
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
# Every kind of safe point: selection runs, calibration folds (each a training), the final training.
cat >"$d/c.toml" <<'TOML'
[model]
members = 32
epochs = 150
hidden_units = 4
input_dropout = 0.2
[imputation]
pass_epochs = 30
max_passes = 3
[selection]
max_epochs = 600
members = 6
l2_decades = 1
[calibration]
folds = 2
[run]
seed = 3
TOML
args=(--data "$FIX/cells.csv" --schema "$FIX/schema.toml" --config "$d/c.toml")
. "$SRC/tests/support/journal.sh"  # wait_for_file, wait_for_match, checksum

$MPIEXEC -n 2 "$ELEC" train "${args[@]}" --out "$d/straight.h5" >"$d/straight.log" 2>&1 ||
  { cat "$d/straight.log"; fail "uninterrupted train"; exit 1; }
a=$(checksum "$d/straight.log")
[ -n "$a" ] || fail "no model checksum in the summary"
[ -e "$d/straight.h5.checkpoint" ] && fail "a finished run left its checkpoint"

# SIGUSR1 (a scheduler's warning, forwarded by mpirun) once a periodic checkpoint exists: the ranks stop at the next
# safe point, save, exit 75, write no model; the same command with --resume on one rank ends with the same model.
$MPIEXEC -n 2 "$ELEC" train "${args[@]}" --out "$d/signalled.h5" --checkpoint-every 0.0002 >"$d/signalled.log" 2>&1 &
pid=$!
wait_for_file "$d/signalled.h5.checkpoint" 30
kill -USR1 $pid; wait $pid; rc=$?
[ $rc -eq 75 ] || fail "a signalled train exited $rc, expected 75: $(tail -3 "$d/signalled.log")"
grep -q "stopped by SIGUSR1 at a safe point" "$d/signalled.log" || fail "no stop message: $(tail -3 "$d/signalled.log")"
grep -q "run the same command with --resume" "$d/signalled.log" || fail "no resume advice"
[ -e "$d/signalled.h5" ] && fail "a stopped train wrote a model file"
out=$("$ELEC" train "${args[@]}" --out "$d/signalled.h5" 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q "expected --resume to continue it" <<<"$out" || fail "a checkpoint was not protected: exit $rc"
out=$("$ELEC" train "${args[@]}" --seed 4 --out "$d/signalled.h5" --resume 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q "belongs to another run" <<<"$out" || fail "another run's checkpoint was taken: exit $rc: $out"
"$ELEC" train "${args[@]}" --out "$d/signalled.h5" --resume >"$d/signal_resumed.log" 2>&1 ||
  { cat "$d/signal_resumed.log"; fail "resume after a signal"; }
grep -q "^resumed from .*signalled.h5.checkpoint" "$d/signal_resumed.log" || fail "the resumed run did not say what it took"
b=$(checksum "$d/signal_resumed.log")
[ "$a" == "$b" ] || fail "the model resumed after a signal differs: '$a' vs '$b'"
[ -e "$d/signalled.h5.checkpoint" ] && fail "the resumed run left its checkpoint"

# kill -9 (preemption without warning) in the middle of the first calibration fold's training, after periodic
# checkpoints: --resume continues from the last one.
setsid "$ELEC" train "${args[@]}" --out "$d/killed.h5" --checkpoint "$d/k.ckpt" --checkpoint-every 0.0002 >"$d/killed.log" 2>&1 &
pid=$!
wait_for_match "$d/killed.log" "training calibration/fold 1/final" 30
kill -9 -- -$pid 2>/dev/null; wait $pid 2>/dev/null
[ -e "$d/killed.h5" ] && fail "the train finished before it could be killed"
$MPIEXEC -n 2 "$ELEC" train "${args[@]}" --out "$d/killed.h5" --checkpoint "$d/k.ckpt" --resume >"$d/kill_resumed.log" 2>&1 ||
  { cat "$d/kill_resumed.log"; fail "resume after kill -9"; }
c=$(checksum "$d/kill_resumed.log")
[ "$a" == "$c" ] || fail "the model resumed after kill -9 differs: '$a' vs '$c'"
took=$(grep -o "^resumed from .*" "$d/kill_resumed.log")

# cv: stopped by a signal, resumed on another rank count: the same scores.
cv=(cv --data "$FIX/cells.csv" --schema "$FIX/schema.toml" --config "$FIX/quick.toml" --folds 3)
scores() { sed -n '/^target/,/^== /p' "$1"; grep "^median R" "$1"; }  # the score tables (and read-outs), the median
"$ELEC" "${cv[@]}" --out "$d/cv.h5" >"$d/cv.log" 2>&1 || { cat "$d/cv.log"; fail "uninterrupted cv"; }
$MPIEXEC -n 2 "$ELEC" "${cv[@]}" --out "$d/cv2.h5" --checkpoint-every 0.0002 >"$d/cv2.log" 2>&1 &
pid=$!
wait_for_file "$d/cv2.h5.checkpoint" 30
kill -USR1 $pid; wait $pid; rc=$?
[ $rc -eq 75 ] || fail "a signalled cv exited $rc, expected 75: $(tail -3 "$d/cv2.log")"
"$ELEC" "${cv[@]}" --out "$d/cv2.h5" --resume >"$d/cv2_resumed.log" 2>&1 || { cat "$d/cv2_resumed.log"; fail "cv resume"; }
[ -n "$(scores "$d/cv.log")" ] && cmp -s <(scores "$d/cv.log") <(scores "$d/cv2_resumed.log") ||
  fail "resumed cv scores differ: $(diff <(scores "$d/cv.log") <(scores "$d/cv2_resumed.log"))"
# Every dataset of the results file (the root's provenance attributes name the run and differ).
results() { for g in /cells /targets /raw /calibrated; do h5dump -g $g "$1"; done | grep -v '^HDF5 "'; }
cmp -s <(results "$d/cv.h5") <(results "$d/cv2.h5") || fail "the resumed cv's results file differs"

[ $fails -eq 0 ] && echo "OK: train stopped by SIGUSR1 (exit 75) or killed with kill -9 ($took) and resumed on another rank count: model $a as uninterrupted; cv resumed: same scores and results file"
exit $((fails > 0))
