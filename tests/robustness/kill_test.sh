#!/usr/bin/env bash
# SIGKILL at random moments: train, impute and tune are each killed (kill -9 of the whole process group) at
# KILLS (20) seeded random moments (bash RANDOM=SEED) spread over a measured uninterrupted run, 6 of them
# during the final write: the moment a temporary output file appears, or the moment the first output is renamed into
# place (impute commits OUT and OUT_std.csv one after the other). After every kill each output path must be absent or
# complete and valid (a model: predict with it succeeds; impute: OUT and OUT_std.csv both absent or both present
# with a row per input row), and an older output that was already there must still be complete. Then the next run
# of the same command must complete, with the same bits as an uninterrupted run, and leave no *.tmp-* file. tune is
# killed in 4 chains of 5 kills (each run after the first one resumes the journal); after each chain, tune --resume
# must end with the model checksum of the uninterrupted study.
# Prints a line per failing kill, "kills survived: K of 60, ..." and "N passed, M failed".
# Usage: kill_test.sh ELEC_HPC SOURCE_DIR   (SEED=n for other moments, KILLS=n per command, VERBOSE=1 every kill)
set -u
ELEC=$(realpath "$1"); SRC=$(realpath "$2"); FIX=$SRC/tests/fixtures
SEED=${SEED:-20261201}; KILLS=${KILLS:-20}; VERBOSE=${VERBOSE:-0}
CHAINS=4   # tune: KILLS kills in CHAINS chains
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
RANDOM=$SEED
start=$SECONDS
passed=0; failed=0; survived=0; kills=0; landed=0; lost=0

in=$d/in; mkdir -p "$in" "$d/chk"
cp "$FIX/cells.csv" "$FIX/schema.toml" "$FIX/new_cells.csv" "$in/"
# Long enough (about a second of training) for kills to land in every phase; the final write is short, hence the
# kills at the appearance of the temporary file. One training, not the default six (five calibration folds first):
# kills inside the calibration folds are cli_train_resume's.
cat >"$in/k.toml" <<'EOF'
[model]
members = 16
epochs = 6000
hidden_units = 4
[selection]
auto = false
[imputation]
max_passes = 2
pass_epochs = 1000
[calibration]
folds = 0
[run]
seed = 5
EOF
cat >"$in/kt.toml" <<'EOF'
[model]
members = 4
epochs = 2000
hidden_units = 3
[selection]
auto = false
[imputation]
max_passes = 1
pass_epochs = 300
[run]
seed = 5
[tune]
trials = 8
batch = 1
startup = 3
folds = 3
members = 8
[[tune.parameter]]
name = "model.learning_rate"
kind = "float"
low = 0.003
high = 0.03
log = true
[[tune.parameter]]
name = "model.hidden_units"
kind = "int"
low = 2
high = 4
EOF
TRAIN=(train --data "$in/cells.csv" --schema "$in/schema.toml" --config "$in/k.toml" --out m.h5)
IMPUTE=(impute "$in/cells.csv" o.csv --schema "$in/schema.toml" --config "$in/k.toml")
TUNE=(tune --data "$in/cells.csv" --schema "$in/schema.toml" --config "$in/kt.toml" --journal j.csv --out tm.h5)

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
sleep_ms() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }
# checksum LOG: the model checksum of a closing summary ("model checksum X" or "model ..., checksum X").
checksum() { grep -aEo '(model checksum +|checksum )[0-9a-f]{8,}' "$1" | tail -1 | grep -Eo '[0-9a-f]{8,}$'; }
attr_checksum() { h5dump -a /model_checksum "$1" 2>/dev/null | grep -Eo '"[0-9a-f]{8,}"' | tr -d '"'; }
# model_ok FILE: the model predicts new cells.
model_ok() {
  rm -f "$d/chk/p.h5"
  (cd "$d/chk" && "$ELEC" predict --model "$1" --data "$in/new_cells.csv" --out "$d/chk/p.h5") >"$d/chk/log" 2>&1
  local rc=$?; rm -f "$d/chk/p.h5"; return $rc
}
# csv_complete FILE: a row per input row, as many fields on every line as in the header, a final newline.
csv_complete() {
  [ -f "$1" ] && [ "$(wc -l <"$1")" -eq "$(wc -l <"$in/cells.csv")" ] && [ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ] &&
    awk -F, 'NR == 1 { n = NF } NF != n { exit 1 }' "$1"
}
sha() { sha256sum "$1" 2>/dev/null | cut -c1-64; }
# tmp_files DIR: the temporary files there, removed once reported so that each kill is judged on its own.
tmp_files() { find "$1" -name '*.tmp-*' | sed "s|$1/||" | tr '\n' ' '; find "$1" -name '*.tmp-*' -delete; }

# run_killed DIR WHEN CMD...: runs "$ELEC CMD..." in DIR in its own session and SIGKILLs the session WHEN =
# "ms:N" (after N ms), "tmp:OUT1,OUT2" (as soon as this process's temporary file of one of the outputs appears:
# OUT.tmp-<pid> or OUT.tmp-<host>-<pid>) or "commit:OUT1,OUT2" (as soon as one of the outputs has been renamed into
# place: between the commits of two outputs). Sets was_landed (the process was still running) and killed_at (ms after
# the start).
run_killed() {
  local dir=$1 when=$2; shift 2
  local t0; t0=$(now_ms)
  touch "$d/started"   # what is newer than this was renamed into place by this run
  (cd "$dir" && exec setsid "$ELEC" "$@") >"$d/killed.log" 2>&1 &
  local pid=$!
  case $when in
    ms:*) sleep_ms "${when#ms:}";;
    tmp:*) local outs=${when#tmp:} globs=() o
      for o in ${outs//,/ }; do globs+=("$dir/$o.tmp-$pid" "$dir/$o.tmp-*-$pid"); done
      while kill -0 $pid 2>/dev/null; do
        for o in "${globs[@]}"; do compgen -G "$o" >/dev/null && break 2; done
      done;;
    commit:*) local outs=${when#commit:} o
      while kill -0 $pid 2>/dev/null; do
        for o in ${outs//,/ }; do [ "$dir/$o" -nt "$d/started" ] && break 2; done
      done;;
  esac
  # no fork between the moment and the kill: a final write lasts milliseconds
  local state="" kids="" f
  { read -r _ _ state _ </proc/$pid/stat; } 2>/dev/null
  for f in /proc/$pid/task/*/children; do { read -r -a more <"$f"; kids+=" ${more[*]}"; } 2>/dev/null; done
  was_landed=0
  if [ -n "$state" ] && [ "$state" != Z ]; then
    # (within the first milliseconds the subshell may not have reached setsid yet: then kill it alone)
    { kill -9 -- -$pid || kill -9 $pid; } 2>/dev/null && was_landed=1
    # the singleton's orted runs in a session of its own: kill it too (it would exit by itself a few seconds later)
    [ -n "${kids// /}" ] && kill -9 $kids 2>/dev/null
  fi
  killed_at=$(( $(now_ms) - t0 ))
  { wait $pid; } 2>/dev/null
  return 0
}
# moment K DURATION_MS OUTPUTS: sets `when`: 6 kills in 20 during the final write (2 when the temporary file appears,
# 4 when the first output is renamed into place), the others uniform in [0, D] (not in a subshell: RANDOM must
# advance).
moment() {
  case $(($1 % 20)) in
    4|19) when="tmp:$3";;            # (train and impute: 4 without an older output, 19 over one)
    2|9|12|14) when="commit:$3";;    # (9 over an older output, the others without)
    *) when="ms:$(( RANDOM * $2 / 32767 ))";;
  esac
}
# verdict WHAT K WHY [INFO]: one kill's result.
verdict() {
  kills=$((kills + 1)); [ $was_landed = 1 ] && landed=$((landed + 1))
  local at="at ${killed_at} ms ($when)${4:+, $4}"; [ $was_landed = 1 ] || at+=", after the run had ended"
  if [ -z "$3" ]; then
    survived=$((survived + 1)); passed=$((passed + 1)); [ "$VERBOSE" = 1 ] && echo "ok   $1 kill $2 $at"
  else
    failed=$((failed + 1)); echo "FAIL $1 kill $2 $at:$3"
  fi
  return 0
}
check() {  # check NAME "" | check NAME WHY: a check that is not a kill
  if [ -z "$2" ]; then passed=$((passed + 1)); [ "$VERBOSE" = 1 ] && echo "ok   $1"; else failed=$((failed + 1)); echo "FAIL $1:$2"; fi
  return 0
}
# timed_run DIR LOG CMD...: an uninterrupted run; sets run_ms and run_rc.
timed_run() {
  local dir=$1 log=$2; shift 2; local t0; t0=$(now_ms)
  (cd "$dir" && "$ELEC" "$@") >"$log" 2>&1; run_rc=$?
  run_ms=$(( $(now_ms) - t0 ))
}

# ---------------------------------------------------------------------------------------------------------------
# References: uninterrupted runs (their duration spreads the kills), and older outputs from another seed.
mkdir -p "$d/ref" "$d/old"
# the shorter of two runs: a run slowed by other load would spread kills past the end of the next ones
timed_run "$d/ref" "$d/ref/train.log" "${TRAIN[@]}"; train_ms=$run_ms
timed_run "$d/ref" "$d/ref/train.log" "${TRAIN[@]}"; [ $run_ms -lt $train_ms ] && train_ms=$run_ms
ref_train=$(checksum "$d/ref/train.log")
[ $run_rc -eq 0 ] && [ -n "$ref_train" ] && model_ok "$d/ref/m.h5" || { cat "$d/ref/train.log"; echo "FAIL: the uninterrupted train"; exit 1; }
timed_run "$d/ref" "$d/ref/impute.log" "${IMPUTE[@]}"; impute_ms=$run_ms
timed_run "$d/ref" "$d/ref/impute.log" "${IMPUTE[@]}"; [ $run_ms -lt $impute_ms ] && impute_ms=$run_ms
[ $run_rc -eq 0 ] && csv_complete "$d/ref/o.csv" && csv_complete "$d/ref/o_std.csv" || { cat "$d/ref/impute.log"; echo "FAIL: the uninterrupted impute"; exit 1; }
timed_run "$d/ref" "$d/ref/tune.log" "${TUNE[@]}"; tune_ms=$run_ms
ref_tune=$(checksum "$d/ref/tune.log")
[ $run_rc -eq 0 ] && [ -n "$ref_tune" ] || { cat "$d/ref/tune.log"; echo "FAIL: the uninterrupted tune"; exit 1; }
(cd "$d/old" && "$ELEC" "${TRAIN[@]}" --seed 99 && "$ELEC" "${IMPUTE[@]}" --seed 99) >"$d/old/log" 2>&1 ||
  { cat "$d/old/log"; echo "FAIL: the older outputs"; exit 1; }
# bash reports every SIGKILLed job on stderr ("... Killed ..."): expected here, so filtered out.
exec 2> >(grep -v --line-buffered -E '^.*: line [0-9]+: +[0-9]+ Killed ' >&2)
touch -d '-1 hour' "$d/old/m.h5" "$d/old/o.csv" "$d/old/o_std.csv"   # older than any run (cp -p keeps it)
old_model=$(sha "$d/old/m.h5"); old_o=$(sha "$d/old/o.csv"); old_std=$(sha "$d/old/o_std.csv")
[ "$VERBOSE" = 1 ] && echo "uninterrupted: train $train_ms ms, impute $impute_ms ms, tune $tune_ms ms; seed $SEED"

# ---------------------------------------------------------------------------------------------------------------
# train: even kills start without a model, odd kills over an older model that must survive whole.
w=$d/train; mkdir -p "$w"
for k in $(seq 0 $((KILLS - 1))); do
  older=$((k % 2)); why=""
  if [ $older = 1 ]; then cp -p "$d/old/m.h5" "$w/m.h5"; else rm -f "$w/m.h5"; fi
  moment $k $train_ms m.h5
  run_killed "$w" "$when" "${TRAIN[@]}"
  if [ -e "$w/m.h5" ]; then
    if [ $older = 1 ] && [ "$(sha "$w/m.h5")" = "$old_model" ]; then :
    elif ! model_ok "$w/m.h5"; then why+=" m.h5 is there but not a usable model: $(head -c 200 "$d/chk/log" | tr '\n' '|')"
    fi
  elif [ $older = 1 ]; then why+=" the older m.h5 is gone (lost)"; lost=$((lost + 1))
  fi
  stray=$(cd "$w" && ls -A | grep -Ev '^m\.h5(\.tmp-.*)?$' | tr '\n' ' ')
  [ -z "$stray" ] || why+=" unexpected files: $stray"
  timed_run "$w" "$d/rerun.log" "${TRAIN[@]}"
  if [ $run_rc -ne 0 ]; then why+=" the next train failed (exit $run_rc): $(tail -c 300 "$d/rerun.log" | tr '\n' '|')"
  else
    [ "$(checksum "$d/rerun.log")" = "$ref_train" ] || why+=" the next train's checksum $(checksum "$d/rerun.log") differs from $ref_train"
    [ "$(attr_checksum "$w/m.h5")" = "$ref_train" ] || why+=" m.h5 after the next train has checksum '$(attr_checksum "$w/m.h5")', expected $ref_train"
  fi
  t=$(tmp_files "$w"); [ -z "$t" ] || why+=" temporary files left after the next train: $t"
  verdict train $k "$why"
done

# ---------------------------------------------------------------------------------------------------------------
# impute: OUT and OUT_std.csv both absent or both complete; odd kills over an older pair.
w=$d/impute; mkdir -p "$w"
for k in $(seq 0 $((KILLS - 1))); do
  older=$((k % 2)); why=""
  if [ $older = 1 ]; then cp -p "$d/old/o.csv" "$d/old/o_std.csv" "$w/"; else rm -f "$w/o.csv" "$w/o_std.csv"; fi
  moment $k $impute_ms o.csv,o_std.csv
  run_killed "$w" "$when" "${IMPUTE[@]}"
  # Killed between the two renames: the commit record lists the one still to do, and the next elec_hpc that names
  # the output (even one that then fails on bad input) completes it before anything else.
  if compgen -G "$w/.elec-commit-*[0-9]" >/dev/null; then
    echo "NOTE impute kill $k: killed between the renames; the next run completes the commit"
    (cd "$w" && "$ELEC" impute no_such_input.csv o.csv >/dev/null 2>&1)
    compgen -G "$w/.elec-commit-*" >/dev/null && why+=" the commit record was not completed by the next run"
    cmp -s "$w/o.csv" "$d/ref/o.csv" && cmp -s "$w/o_std.csv" "$d/ref/o_std.csv" ||
      why+=" after completing the interrupted commit, o.csv and o_std.csv are not both the killed run's"
  elif compgen -G "$w/.elec-commit-*.tmp" >/dev/null; then
    # Killed while writing the record, before any rename: the next run removes it and the outputs stay as they
    # were (checked below: absent, or the older pair).
    echo "NOTE impute kill $k: killed while writing the commit record; the next run removes it"
    (cd "$w" && "$ELEC" impute no_such_input.csv o.csv >/dev/null 2>&1)
    compgen -G "$w/.elec-commit-*" >/dev/null && why+=" the half-written commit record was not removed by the next run"
  fi
  if [ -e "$w/o.csv" ] || [ -e "$w/o_std.csv" ]; then
    for f in o.csv o_std.csv; do
      if [ ! -e "$w/$f" ]; then
        why+=" $f is missing beside the other output"; [ $older = 1 ] && { why+=" (older $f lost)"; lost=$((lost + 1)); }
      elif ! csv_complete "$w/$f"; then why+=" $f is incomplete ($(wc -l <"$w/$f") lines, $(wc -c <"$w/$f") bytes)"
      fi
    done
    if [ $older = 1 ] && [ -e "$w/o.csv" ] && [ -e "$w/o_std.csv" ]; then
      a=$([ "$(sha "$w/o.csv")" = "$old_o" ] && echo old || echo new); b=$([ "$(sha "$w/o_std.csv")" = "$old_std" ] && echo old || echo new)
      [ $a = $b ] || why+=" o.csv is the $a one and o_std.csv the $b one (a pair from two runs)"
    fi
  elif [ $older = 1 ]; then why+=" the older o.csv and o_std.csv are gone (lost)"; lost=$((lost + 1))
  fi
  stray=$(cd "$w" && ls -A | grep -Ev '^o(_std)?\.csv(\.tmp-.*)?$' | tr '\n' ' ')
  [ -z "$stray" ] || why+=" unexpected files: $stray"
  timed_run "$w" "$d/rerun.log" "${IMPUTE[@]}"
  if [ $run_rc -ne 0 ]; then why+=" the next impute failed (exit $run_rc): $(tail -c 300 "$d/rerun.log" | tr '\n' '|')"
  else
    cmp -s "$w/o.csv" "$d/ref/o.csv" || why+=" o.csv after the next impute differs from the uninterrupted run's"
    cmp -s "$w/o_std.csv" "$d/ref/o_std.csv" || why+=" o_std.csv after the next impute differs from the uninterrupted run's"
  fi
  t=$(tmp_files "$w"); [ -z "$t" ] || why+=" temporary files left after the next impute: $t"
  verdict impute $k "$why"
done

# ---------------------------------------------------------------------------------------------------------------
# tune: chains of kills, each run after the first resuming the journal; then a resume to the end.
records() { [ -f "$1" ] && echo $(( $(wc -l <"$1") - 1 )) || echo 0; }
trials=$(grep -E '^trials *=' "$in/kt.toml" | grep -Eo '[0-9]+')
per_chain=$(( (KILLS + CHAINS - 1) / CHAINS ))
k=0
for c in $(seq 0 $((CHAINS - 1))); do
  w=$d/tune$c; mkdir -p "$w"; older=$((c % 2))
  [ $older = 1 ] && cp -p "$d/old/m.h5" "$w/tm.h5"
  for i in $(seq 1 $per_chain); do
    [ $k -ge $KILLS ] && break
    why=""
    resume=(); [ -e "$w/j.csv" ] && resume=(--resume)
    # a resumed run is shorter: spread the kill over the part of the study still to run (the final model ~ 2 trials)
    done_trials=$(records "$w/j.csv"); [ "$done_trials" -gt "$trials" ] && done_trials=$trials
    est=$(( 400 + (tune_ms - 400) * (trials - done_trials + 2) / (trials + 2) ))
    moment $k $est tm.h5
    before_model=$(sha "$w/tm.h5")
    run_killed "$w" "$when" "${TUNE[@]}" "${resume[@]}"
    if [ -e "$w/tm.h5" ]; then
      if [ -n "$before_model" ] && [ "$(sha "$w/tm.h5")" = "$before_model" ]; then :
      elif ! model_ok "$w/tm.h5"; then why+=" tm.h5 is there but not a usable model: $(head -c 200 "$d/chk/log" | tr '\n' '|')"
      fi
    elif [ -n "$before_model" ]; then why+=" the older tm.h5 is gone (lost)"; lost=$((lost + 1))
    fi
    stray=$(cd "$w" && ls -A | grep -Ev '^(tm\.h5|j\.csv)(\.tmp-.*)?$' | tr '\n' ' ')
    [ -z "$stray" ] || why+=" unexpected files: $stray"
    verdict tune $k "$why" "chain $c, $done_trials trials journalled before"
    k=$((k + 1))
  done
  resume=(); [ -e "$w/j.csv" ] && resume=(--resume)
  timed_run "$w" "$d/resume.log" "${TUNE[@]}" "${resume[@]}"
  why=""
  if [ $run_rc -ne 0 ]; then why+=" tune ${resume[*]} failed (exit $run_rc): $(tail -c 300 "$d/resume.log" | tr '\n' '|')"
  else
    [ "$(checksum "$d/resume.log")" = "$ref_tune" ] || why+=" model checksum '$(checksum "$d/resume.log")', the uninterrupted study's is $ref_tune"
    [ "$(attr_checksum "$w/tm.h5")" = "$ref_tune" ] || why+=" tm.h5 has checksum '$(attr_checksum "$w/tm.h5")', expected $ref_tune"
  fi
  t=$(tmp_files "$w"); [ -z "$t" ] || why+=" temporary files left after the resume: $t"
  check "tune chain $c: resume after $per_chain kills ends like the uninterrupted study" "$why"
done

# ---------------------------------------------------------------------------------------------------------------
echo "$landed of $kills kills landed while the run was going (the others after it had ended)"
echo "time $((SECONDS - start)) s (uninterrupted: train $train_ms ms, impute $impute_ms ms, tune $tune_ms ms)"
if [ $survived -eq $kills ] && [ $failed -eq 0 ]; then echo "kills survived: $survived of $kills, nothing lost"
else echo "kills survived: $survived of $kills, $lost older outputs lost, $failed checks failed"; fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
