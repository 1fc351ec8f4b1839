#!/usr/bin/env bash
# elec_hpc synth: writes the study (same seed -> same bytes, whatever the rank count; the shipped inputs/graphite
# is what the default seed writes), manufactures proposals completely, and rejects bad proposals with
# file:line:col, exit 2 and nothing written. Usage: synth.sh ELEC_HPC SOURCE_DIR
set -u
ELEC=$(realpath "$1"); SRC=$(realpath "$2")
MPIEXEC=${MPIEXEC:-mpiexec}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }

"$ELEC" synth --out "$d/a" >"$d/a.log" 2>&1 || { fail "synth exited $?"; cat "$d/a.log"; }
"$ELEC" synth --out "$d/b" --seed 1 >/dev/null 2>&1 || fail "synth --seed 1"
$MPIEXEC -n 2 "$ELEC" synth --out "$d/mpi" >/dev/null 2>&1 || fail "synth on 2 ranks"
for f in cells.csv capacity.csv test_cells.csv schema.toml; do
  [ -s "$d/a/$f" ] || fail "$f not written"
  cmp -s "$d/a/$f" "$d/b/$f" || fail "$f differs between two runs with seed 1"
  cmp -s "$d/a/$f" "$d/mpi/$f" || fail "$f differs on 2 ranks"
  cmp -s "$d/a/$f" "$SRC/inputs/graphite/$f" || fail "inputs/graphite/$f is not what 'elec_hpc synth --out DIR' writes"
done
ls "$d/a" | grep -q 'tmp-' && fail "temporary files left in the output directory"
grep -q "85 in 27 cases" "$d/a.log" || { fail "summary does not report 85 cells in 27 cases"; cat "$d/a.log"; }

"$ELEC" synth --out "$d/big" --cells 3000 --seed 7 >/dev/null 2>&1 || fail "synth --cells 3000"
[ "$(($(wc -l <"$d/big/cells.csv") - 1))" -eq 3000 ] || fail "--cells 3000 did not write 3000 cells"

# Manufacture: complete measurements of each proposal.
printf 'id,cmc_sbr,additive,gap_um,speed_m_min,drying_first_C,drying_second_C,calendered\nbest,2:1,long_cnt,140,0.2,80,80,1\nthick,2:3,none,280,0.5,60,80,0\n' >"$d/proposals.csv"
"$ELEC" synth --manufacture "$d/proposals.csv" --out "$d/made" --seed 3 >/dev/null 2>&1 || fail "manufacture"
[ "$(wc -l <"$d/made/cells.csv")" -eq 3 ] || fail "manufacture: expected 2 cells"
[ "$(wc -l <"$d/made/capacity.csv")" -eq 101 ] || fail "manufacture: expected 2 x 50 capacity points"
awk -F, 'NR > 1 { for (i = 3; i <= NF; ++i) if ($i == "") blank = 1 } END { exit blank }' "$d/made/cells.csv" ||
  fail "manufactured cells have blanks"

# Bad proposals: exit 2, every problem as file:line:col, nothing written (not even the directory).
printf 'id,cmc_sbr,additive,gap_um,speed_m_min,drying_first_C,drying_second_C,calendered\nok,2:3,none,100,0.2,80,80,0\nbad,2:3,nanotubes,100,0.9,80,80,0\n' >"$d/bad.csv"
out=$(cd "$d" && "$ELEC" synth --manufacture bad.csv --out "$d/nothing" 2>&1); rc=$?
[ $rc -eq 2 ] || fail "bad proposals: exit $rc, expected 2"
grep -q 'bad.csv:3:9: additive "nanotubes"; expected long_cnt' <<<"$out" || fail "no file:line:col for the additive: $out"
grep -q 'bad.csv:3:23: coating speed (m/min) 0.9 is outside the simulated range; expected 0.1 to 0.5' <<<"$out" || fail "no file:line:col for the speed: $out"
[ -e "$d/nothing" ] && fail "bad proposals: output directory was created"

[ $fails -eq 0 ] && echo "OK: synth writes identical studies (1 and 2 ranks, = inputs/graphite), manufactures, rejects bad proposals" || exit 1
