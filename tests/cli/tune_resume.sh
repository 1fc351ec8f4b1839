#!/usr/bin/env bash
# elec_hpc tune: a study killed mid-way (kill -9), or stopped by a scheduler's signal, and resumed with --resume on
# another rank count, ends with the same trials, values and final model as an uninterrupted run; a journal is never
# overwritten without --resume.
# Usage: tune_resume.sh ELEC_HPC SOURCE_DIR
set -u
ELEC=$(realpath "$1"); SRC=$(realpath "$2"); FIX=$SRC/tests/fixtures/curves
MPIEXEC=${MPIEXEC:-mpiexec}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 OMP_NUM_THREADS=1
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
args=(--data "$FIX/cells.csv" --schema "$FIX/schema.toml" --config "$FIX/tune.toml")
. "$SRC/tests/support/journal.sh"  # trials, wait_for_lines

$MPIEXEC -n 2 "$ELEC" tune "${args[@]}" --journal "$d/straight.csv" --out "$d/straight.h5" >"$d/straight.log" 2>&1 ||
  { cat "$d/straight.log"; fail "uninterrupted tune"; exit 1; }
[ "$(wc -l <"$d/straight.csv")" -eq 10 ] || fail "journal has $(wc -l <"$d/straight.csv") lines, expected header + 9 trials"

# Kill the same study once two trials are in its journal, then resume it on one rank.
setsid "$ELEC" tune "${args[@]}" --journal "$d/killed.csv" --out "$d/killed.h5" >"$d/killed.log" 2>&1 &
pid=$!
wait_for_lines "$d/killed.csv" 3 30
kill -9 -- -$pid 2>/dev/null; wait $pid 2>/dev/null
lines=$(wc -l <"$d/killed.csv")
[ "$lines" -lt 10 ] || fail "the study finished before it could be killed ($lines journal lines)"
[ -e "$d/killed.h5" ] && fail "a killed study left a model file"
out=$("$ELEC" tune "${args[@]}" --journal "$d/killed.csv" --out "$d/again.h5" 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q "expected --resume to continue it" <<<"$out" || fail "an existing journal was not protected: exit $rc"
"$ELEC" tune "${args[@]}" --journal "$d/killed.csv" --out "$d/killed.h5" --resume >"$d/resumed.log" 2>&1 ||
  { cat "$d/resumed.log"; fail "resume"; exit 1; }
grep -q "(journal)" "$d/resumed.log" || fail "the resumed study re-ran its journal's trials"
cmp -s <(trials "$d/straight.csv") <(trials "$d/killed.csv") || fail "resumed trials differ: $(diff <(trials "$d/straight.csv") <(trials "$d/killed.csv"))"
a=$(grep -o "checksum [0-9a-f]*" "$d/straight.log"); b=$(grep -o "checksum [0-9a-f]*" "$d/resumed.log")
[ -n "$a" ] && [ "$a" == "$b" ] || fail "final models differ: '$a' vs '$b'"

# SIGUSR1 (a scheduler's warning, forwarded by mpirun to the ranks) stops the study after the batch under way with
# exit 75 and no model; --resume on one rank ends with the same trials and model.
$MPIEXEC -n 2 "$ELEC" tune "${args[@]}" --journal "$d/signalled.csv" --out "$d/signalled.h5" >"$d/signalled.log" 2>&1 &
pid=$!
wait_for_lines "$d/signalled.csv" 3 30
kill -USR1 $pid; wait $pid; rc=$?
stopped=$(wc -l <"$d/signalled.csv")
[ $rc -eq 75 ] || fail "a signalled study exited $rc, expected 75 ($stopped journal lines): $(tail -3 "$d/signalled.log")"
grep -q "stopped by SIGUSR1 after [0-9]* of 9 trials" "$d/signalled.log" || fail "no stop message: $(tail -5 "$d/signalled.log")"
[ -e "$d/signalled.h5" ] && fail "a stopped study wrote a model file"
"$ELEC" tune "${args[@]}" --journal "$d/signalled.csv" --out "$d/signalled.h5" --resume >"$d/signal_resumed.log" 2>&1 ||
  { cat "$d/signal_resumed.log"; fail "resume after a signal"; }
cmp -s <(trials "$d/straight.csv") <(trials "$d/signalled.csv") || fail "trials resumed after a signal differ"
c=$(grep -o "checksum [0-9a-f]*" "$d/signal_resumed.log")
[ "$a" == "$c" ] || fail "the model resumed after a signal differs: '$a' vs '$c'"

[ $fails -eq 0 ] && echo "OK: killed after $((lines - 1)) trials, or stopped by SIGUSR1 after $((stopped - 1)) (exit 75), and resumed: same 9 trials and final model ($a) as without the kill"
exit $((fails > 0))
