#!/usr/bin/env bash
# elec_hpc design end to end on the simulated graphite study (a small model trained here in seconds): 1, 2 and 4
# ranks give the same bytes (designs.csv, the history, /top and /history of designs.h5); the top designs are a
# proposals file synth --manufacture accepts; a search killed (kill -9) mid-way and resumed with --resume ends as
# the uninterrupted one; a journal is never continued without --resume; a bad expression and a design space without
# a feasible candidate are refused (exit 2) with their position or constraint, and nothing written.
# Usage: design.sh ELEC_HPC SOURCE_DIR
set -u
ELEC=$(realpath "$1"); SRC=$(realpath "$2"); IN=$SRC/inputs/graphite
MPIEXEC=${MPIEXEC:-mpirun}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 OMP_NUM_THREADS=1
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
# A group of designs.h5 without the root's provenance (created, command_line, ranks), which h5dump -g leaves out.
group() { h5dump -g "$2" "$1" | grep -v '^HDF5 "'; }
# The journal without its timings and record checksums (which cover the timings).
. "$SRC/tests/support/journal.sh"  # trials, wait_for_lines

cat >"$d/fast.toml" <<'EOF'
[model]
members = 16
epochs = 120
hidden_units = 4
input_dropout = 0.5
[imputation]
max_passes = 2
pass_epochs = 20
[selection]
auto = false
[run]
seed = 3
EOF
"$ELEC" train --data "$IN/cells.csv" --schema "$IN/schema.toml" --config "$d/fast.toml" --out "$d/model.h5" \
  >"$d/train.log" 2>&1 || { cat "$d/train.log"; fail "train"; exit 1; }

# The shipped example's question, smaller: a drying step that does not cool, a thick electrode, a high D30 (high
# enough for this quick model that the probabilities spread over (0, 1), gaussian: not a few member fractions).
design_config() {  # evaluations batch
  cat <<EOF
[design]
evaluations = $1
batch = $2
startup = 20
top = 4
seed = 11
objective = "gaussian"

[[design.derived]]
name = "drying_step_C"
expression = "drying_second_C - drying_first_C"

[[design.constraint]]
name = "drying_step_C"
min = 0

[[design.constraint]]
name = "active_mass_mg"
min = 25

[[design.target]]
name = "D30_mAh_g"
min = 250
EOF
}
design_config 60 20 >"$d/design.toml"
design_config 200 10 >"$d/long.toml"

# Rank invariance: every rank count writes the same designs.
for ranks in 1 2 4; do
  $MPIEXEC --oversubscribe -n $ranks "$ELEC" design --model "$d/model.h5" --config "$d/design.toml" --out "$d/designs$ranks.h5" \
    --csv "$d/designs$ranks.csv" --journal "$d/journal$ranks.csv" >"$d/design$ranks.log" 2>&1 ||
    { cat "$d/design$ranks.log"; fail "design on $ranks ranks"; exit 1; }
done
rows=$(($(wc -l <"$d/designs1.csv") - 1))
[ "$rows" -ge 1 ] && [ "$rows" -le 4 ] || fail "designs1.csv has $rows designs, expected 1 to 4"
[ "$(($(wc -l <"$d/designs1_history.csv") - 1))" -eq 60 ] || fail "the history does not hold the 60 candidates"
[ "$(($(wc -l <"$d/journal1.csv") - 1))" -eq 60 ] || fail "the journal does not hold the 60 candidates"
head -1 "$d/designs1.csv" | grep -q "^id,cmc_sbr,additive,gap_um,speed_m_min,drying_first_C,drying_second_C,calendered,drying_step_C,trial,objective,p_joint,p_gaussian," ||
  fail "designs.csv header: $(head -1 "$d/designs1.csv")"
awk -F, 'NR > 1 && $9 < 0 { bad = 1 } END { exit bad }' "$d/designs1.csv" || fail "a top design cools between its drying steps"
awk -F, 'NR > 1 && ($11 < 0 || $11 > 1) { bad = 1 } END { exit bad }' "$d/designs1.csv" || fail "an objective outside [0, 1]"
awk -F, 'NR > 1 && $(NF - 1) == 1 && $(NF - 4) > 0 && $(NF - 4) < 1 { n++ } END { exit n < 10 }' "$d/designs1_history.csv" ||
  fail "fewer than 10 feasible candidates with a probability strictly between 0 and 1: the comparisons below would prove little"
for ranks in 2 4; do
  cmp -s "$d/designs1.csv" "$d/designs$ranks.csv" || fail "designs.csv differs on $ranks ranks: $(diff "$d/designs1.csv" "$d/designs$ranks.csv" | head -5)"
  cmp -s "$d/designs1_history.csv" "$d/designs${ranks}_history.csv" || fail "designs_history.csv differs on $ranks ranks"
  for g in /top /history; do
    cmp -s <(group "$d/designs1.h5" $g) <(group "$d/designs$ranks.h5" $g) || fail "$g of designs.h5 differs on $ranks ranks"
  done
  cmp -s <(trials "$d/journal1.csv") <(trials "$d/journal$ranks.csv") || fail "the journal differs on $ranks ranks"
done
[ "$(group "$d/designs1.h5" /top | grep -c DATASET)" -ge 6 ] || fail "/top of designs.h5 is missing datasets"
grep -q "best" "$d/design1.log" || fail "no summary of the best design: $(cat "$d/design1.log")"

# The top designs are a proposals file: the simulator manufactures them.
"$ELEC" synth --manufacture "$d/designs1.csv" --out "$d/made" >"$d/made.log" 2>&1 || { cat "$d/made.log"; fail "synth --manufacture designs.csv"; }
[ "$(($(wc -l <"$d/made/cells.csv") - 1))" -eq "$rows" ] || fail "manufactured $(($(wc -l <"$d/made/cells.csv") - 1)) cells of $rows designs"

# Kill a long search once its journal holds some records (before its end), resume it on 2 ranks: the same search.
"$ELEC" design --model "$d/model.h5" --config "$d/long.toml" --out "$d/straight.h5" --csv "$d/straight.csv" \
  --journal "$d/straight_journal.csv" >"$d/straight.log" 2>&1 || { cat "$d/straight.log"; fail "uninterrupted design"; exit 1; }
setsid "$ELEC" design --model "$d/model.h5" --config "$d/long.toml" --out "$d/killed.h5" --csv "$d/killed.csv" \
  --journal "$d/killed_journal.csv" >"$d/killed.log" 2>&1 &
pid=$!
wait_for_lines "$d/killed_journal.csv" 31 20
kill -9 -- -$pid 2>/dev/null; wait $pid 2>/dev/null
lines=$(wc -l <"$d/killed_journal.csv")
[ "$lines" -lt 201 ] || fail "the search finished before it could be killed ($lines journal lines)"
[ -e "$d/killed.h5" ] && fail "a killed search left designs.h5"
[ -e "$d/killed.csv" ] && fail "a killed search left designs.csv"
out=$("$ELEC" design --model "$d/model.h5" --config "$d/long.toml" --out "$d/again.h5" --journal "$d/killed_journal.csv" 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q "expected --resume to continue it" <<<"$out" || fail "an existing journal was not protected: exit $rc: $out"
[ -e "$d/again.h5" ] && fail "a refused run wrote its output"
$MPIEXEC --oversubscribe -n 2 "$ELEC" design --model "$d/model.h5" --config "$d/long.toml" --out "$d/killed.h5" --csv "$d/killed.csv" \
  --journal "$d/killed_journal.csv" --resume >"$d/resumed.log" 2>&1 || { cat "$d/resumed.log"; fail "resume"; exit 1; }
grep -q "from the journal" "$d/resumed.log" || fail "the resumed log does not count the journal's candidates"
cmp -s "$d/straight.csv" "$d/killed.csv" || fail "resumed designs differ: $(diff "$d/straight.csv" "$d/killed.csv" | head -5)"
cmp -s "$d/straight_history.csv" "$d/killed_history.csv" || fail "resumed history differs"
cmp -s <(trials "$d/straight_journal.csv") <(trials "$d/killed_journal.csv") || fail "resumed journal differs"
for g in /top /history; do
  cmp -s <(group "$d/straight.h5" $g) <(group "$d/killed.h5" $g) || fail "$g of the resumed designs.h5 differs"
done

# A scheduler's warning signal (SIGUSR1, which mpirun forwards to the ranks) stops the search after the batch under
# way: exit 75, the message says how to go on, nothing but the journal is written; --resume (on 1 rank) ends as
# the uninterrupted search.
design_config 500 10 >"$d/signal.toml"
"$ELEC" design --model "$d/model.h5" --config "$d/signal.toml" --out "$d/calm.h5" --csv "$d/calm.csv" \
  --journal "$d/calm_journal.csv" >"$d/calm.log" 2>&1 || { cat "$d/calm.log"; fail "uninterrupted design"; exit 1; }
$MPIEXEC --oversubscribe -n 2 "$ELEC" design --model "$d/model.h5" --config "$d/signal.toml" --out "$d/signalled.h5" \
  --csv "$d/signalled.csv" --journal "$d/signalled_journal.csv" >"$d/signalled.log" 2>&1 &
pid=$!
wait_for_lines "$d/signalled_journal.csv" 31 30
kill -USR1 $pid; wait $pid; rc=$?
stopped=$(wc -l <"$d/signalled_journal.csv")
[ $rc -eq 75 ] || fail "a signalled search exited $rc, expected 75 ($stopped journal lines): $(tail -3 "$d/signalled.log")"
grep -q "stopped by SIGUSR1 after [0-9]* of 500 trials" "$d/signalled.log" || fail "no stop message: $(tail -5 "$d/signalled.log")"
grep -q "run the same command with --resume" "$d/signalled.log" || fail "the stop message does not say how to resume"
[ $(((stopped - 1) % 10)) -eq 0 ] && [ "$stopped" -lt 501 ] || fail "the journal does not end on a batch: $stopped lines"
ls "$d" | grep -q '^signalled\.\(h5\|csv\)\|^signalled_history' && fail "a stopped search wrote an output: $(ls "$d" | grep '^signalled')"
"$ELEC" design --model "$d/model.h5" --config "$d/signal.toml" --out "$d/signalled.h5" --csv "$d/signalled.csv" \
  --journal "$d/signalled_journal.csv" --resume >"$d/signal_resumed.log" 2>&1 || { cat "$d/signal_resumed.log"; fail "resume after a signal"; }
cmp -s "$d/calm.csv" "$d/signalled.csv" || fail "designs resumed after a signal differ: $(diff "$d/calm.csv" "$d/signalled.csv" | head -5)"
cmp -s "$d/calm_history.csv" "$d/signalled_history.csv" || fail "history resumed after a signal differs"
cmp -s <(trials "$d/calm_journal.csv") <(trials "$d/signalled_journal.csv") || fail "journal resumed after a signal differs"

# A name that is not a quantity, inside an expression: its file:line:col, exit 2, nothing written.
design_config 60 20 | sed 's/drying_second_C - drying_first_C/drying_second_C - drying_frist_C/' >"$d/bad.toml"
out=$("$ELEC" design --model "$d/model.h5" --config "$d/bad.toml" --out "$d/bad.h5" --csv "$d/bad.csv" \
  --journal "$d/bad_journal.csv" 2>&1); rc=$?
[ $rc -eq 2 ] || fail "unknown name in an expression: exit $rc, expected 2: $out"
grep -q "bad.toml:11:33: .*drying_frist_C" <<<"$out" || fail "no file:line:col for the unknown name: $out"
left=$(ls "$d" | grep '^bad' | grep -v '^bad.toml$')
[ -z "$left" ] || fail "a refused config left $left"

# Nothing feasible: every candidate breaks the mass constraint. Exit 2, the constraint named, no designs file.
design_config 40 20 | sed 's/^min = 25$/min = 1e6/' >"$d/never.toml"
grep -q "min = 1e6" "$d/never.toml" || fail "never.toml was not written as intended"
out=$($MPIEXEC --oversubscribe -n 2 "$ELEC" design --model "$d/model.h5" --config "$d/never.toml" --out "$d/never.h5" \
  --csv "$d/never.csv" --journal "$d/never_journal.csv" 2>&1); rc=$?
[ $rc -eq 2 ] || fail "infeasible design space: exit $rc, expected 2: $out"
grep -q "none of the 40 candidates meets the constraints" <<<"$out" && grep -q "active_mass_mg >= 1e+06 (predicted mean): broken by" <<<"$out" ||
  fail "the infeasible space is not explained: $out"
[ -e "$d/never.h5" ] || [ -e "$d/never.csv" ] && fail "an infeasible search wrote designs"

[ $fails -eq 0 ] && echo "OK: design on 1/2/4 ranks gives the same designs; manufactured; killed after $((lines - 1)) candidates and resumed as uninterrupted; stopped by SIGUSR1 after $((stopped - 1)) (exit 75) and resumed as uninterrupted; bad expression and infeasible space refused"
exit $((fails > 0))
