#!/usr/bin/env bash
# A catalogue of bad inputs, one case per row: malformed tables, schemas, study configs and [tune] sections,
# damaged model files, bad prediction inputs, foreign or damaged journals, unusable output paths, size guards,
# command-line errors, one rank of two failing validation, and a full disk. Every case must exit with status 2,
# print a message naming the file (file:line:col for text files, file:/dataset for HDF5) and what was expected,
# create no file in its directory and leave every file already there (inputs, an older output) byte for byte
# unchanged. Prints one line per failing case, the number of cases by category, and "N passed, M failed".
# Usage: catalogue.sh ELEC_HPC SOURCE_DIR   (VERBOSE=1 also prints passing cases, VERBOSE=2 failing cases' output;
# JOBS=n runs n cases at a time, default 2; LOGDIR=dir keeps every case's output there)
set -u
ELEC=$(realpath "$1"); SRC=$(realpath "$2"); FIX=$SRC/tests/fixtures
MPIEXEC=${MPIEXEC:-mpirun}
PY=/usr/bin/python3
VERBOSE=${VERBOSE:-0}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
export LC_ALL=C   # byte-wise grep (invalid UTF-8 in outputs), one sort order for comm
VMEM_KB=8000000  # every run under ulimit -v 8 GB: a missing size guard ends in bad_alloc, not in the OOM killer
grep -aq __asan_init "$ELEC" && VMEM_KB=unlimited   # AddressSanitizer reserves terabytes of address space
d=$(mktemp -d); mounts=()
cleanup() {
  wait; for m in "${mounts[@]}"; do umount -l "$m" 2>/dev/null; done
  [ -n "${LOGDIR:-}" ] && mkdir -p "$LOGDIR" && cp -r "$d/logs/." "$LOGDIR/"
  rm -rf "$d"
}
trap cleanup EXIT
mkdir -p "$d/logs"
JOBS=${JOBS:-2}   # cases run JOBS at a time; results are printed in catalogue order at the end
mkdir -p "$d/results"
skipped=0; cat=none; seq_no=0
start=$SECONDS

# snapshot DIR: every entry under DIR (recursively), with the sha256 of every regular file.
snapshot() {
  (cd "$1" && find . -mindepth 1 ! -type f -printf '%y %p\n' | sort &&
    find . -type f -print0 | sort -z | xargs -0 -r sha256sum) | sort
}
paths() { sed -E 's/^([0-9a-f]{64}|[a-z]) +//' | sort; }  # the paths of a snapshot
record() {  # record NAME "" | record NAME "reasons" LOG: the verdict goes to $d/results/<seq>-NAME
  local name=$1 why=$2 res=$d/results/$(printf '%04d' "$seq_no")-$1
  if [ -z "$why" ]; then
    echo "ok   [$cat] $name" >"$res"
  else
    local excerpt=""
    [ $# -ge 3 ] && [ -f "$3" ] && excerpt=$(head -c 400 "$3" | tr -d '\000' | tr '\n' '|' | cut -c1-220)
    echo "FAIL [$cat] $name:$why; output: $excerpt" >"$res"
    [ "$VERBOSE" -ge 2 ] && [ $# -ge 3 ] && head -c 3000 "$3" | tr -d '\000' | sed 's/^/    | /' >>"$res"
  fi
  return 0
}
# in_background FUNCTION ARGS...: runs a case in the background, at most JOBS at a time.
in_background() {
  seq_no=$((seq_no + 1))
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
  "$@" &
}

# expect [-r RC] [-t SECONDS] [-b MAX_BYTES] [-l MAX_LINES] [-R] NAME "args..." PATTERN...
# Runs "$ELEC args..." (with -R: the command line as given) in $d/NAME under timeout, then checks: the exit status
# (2 unless -r), every PATTERN (grep -E, one line of the output), the run time (-t), the size of the output
# (-b bytes, -l lines), that no file appeared in $d/NAME and that every file there is unchanged.
expect() { in_background expect_now "$@"; }
expect_now() {
  local rc_want=2 tmax=0 bmax=0 lmax=0 raw=0
  while [ $# -gt 0 ]; do case $1 in
    -r) rc_want=$2; shift 2;; -t) tmax=$2; shift 2;; -b) bmax=$2; shift 2;; -l) lmax=$2; shift 2;;
    -R) raw=1; shift;; *) break;; esac; done
  local name=$1 args=$2; shift 2
  local dir=$d/$name log=$d/logs/$name.log why="" rc t0 t1 before after
  before=$(snapshot "$dir")
  t0=$(date +%s%N)
  if [ $raw = 1 ]; then
    (cd "$dir" && ulimit -v $VMEM_KB && eval "timeout -k 5 60 $args") >"$log" 2>&1
  else
    (cd "$dir" && ulimit -v $VMEM_KB && eval "timeout -k 5 60 \"\$ELEC\" $args") >"$log" 2>&1
  fi
  rc=$?; t1=$(date +%s%N)
  local ms=$(( (t1 - t0) / 1000000 ))
  after=$(snapshot "$dir")
  [ $rc -eq "$rc_want" ] || why+=" exit $rc, expected $rc_want"
  [ $rc -eq 124 ] || [ $rc -eq 137 ] && why+=" (timed out)"
  local p
  for p in "$@"; do grep -aEq -- "$p" "$log" || why+=" no match for '$p'"; done
  [ "$tmax" != 0 ] && [ $ms -gt $((tmax * 1000)) ] && why+=" took ${ms} ms, expected < ${tmax} s"
  local bytes lines
  bytes=$(wc -c <"$log"); lines=$(wc -l <"$log")
  [ "$bmax" != 0 ] && [ "$bytes" -gt "$bmax" ] && why+=" output is $bytes bytes, expected <= $bmax"
  [ "$lmax" != 0 ] && [ "$lines" -gt "$lmax" ] && why+=" output is $lines lines, expected <= $lmax"
  if [ "$before" != "$after" ]; then
    local appeared changed gone
    appeared=$(comm -13 <(paths <<<"$before") <(paths <<<"$after") | tr '\n' ' ')
    gone=$(comm -23 <(paths <<<"$before") <(paths <<<"$after") | tr '\n' ' ')
    changed=$(comm -12 <(comm -13 <(sort <<<"$before") <(sort <<<"$after") | paths) <(paths <<<"$before") | tr '\n' ' ')
    [ -n "$appeared" ] && why+=" new files: $appeared"
    [ -n "$changed" ] && why+=" changed: $changed"
    [ -n "$gone" ] && why+=" removed: $gone"
  fi
  record "$name" "$why" "$log"
}
skip() { seq_no=$((seq_no + 1)); echo "SKIP [$cat] $1: $2" >"$d/results/$(printf '%04d' "$seq_no")-$1"; }

# mk NAME [FILE...]: a fresh case directory holding copies of the named files of the base directory.
mk() { local name=$1; shift; mkdir -p "$d/$name"; local f; for f in "$@"; do cp -r "$d/base/$f" "$d/$name/"; done; }
# damage NAME PYTHON: copies the base model to $d/NAME/m.h5 and runs PYTHON with f = that file open for writing.
damage() {
  local name=$1 code=$2
  mk "$name" new_cells.csv; cp "$d/base/m.h5" "$d/$name/m.h5"
  "$PY" -c "
import h5py, numpy as np
f = h5py.File('$d/$name/m.h5', 'r+')
def replace(path, data):
    del f[path]; f.create_dataset(path, data=data)
def big(a):  # index of the largest weight (never one of the zeroed self-input entries)
    return np.unravel_index(np.argmax(np.abs(a)), a.shape)
$code
f.close()" || echo "SETUP: h5py damage of $name failed"
}
# tmpfs NAME DIR [OPTIONS]: mounts a 64k tmpfs at $d/NAME/DIR; returns 1 (and the case is skipped) if mount fails.
tmpfs() {
  local at=$d/$1/$2; mkdir -p "$at"
  mount -t tmpfs -o "size=64k${3:+,$3}" tmpfs "$at" 2>/dev/null || { rmdir "$at"; return 1; }
  mounts+=("$at")
}
fill() { dd if=/dev/zero of="$1/fill" bs=1k 2>/dev/null; sync; }

# ---------------------------------------------------------------------------------------------------------------
# Setup: tiny inputs and valid outputs to damage, written by the binary under test.
b=$d/base; mkdir -p "$b/cur"
cp "$FIX/cells.csv" "$FIX/schema.toml" "$FIX/new_cells.csv" "$b/"
cp "$FIX/curves/cells.csv" "$FIX/curves/capacity.csv" "$FIX/curves/schema.toml" "$FIX/curves/new_cells.csv" \
   "$FIX/curves/new_capacity.csv" "$b/cur/"
TINY='[model]
members = 4
epochs = 30
hidden_units = 2
[selection]
auto = false
[imputation]
max_passes = 1
pass_epochs = 10'
printf '%s\n' "$TINY" >"$b/c.toml"
printf '%s\n' "$TINY" >"$b/cur/c.toml"
TUNE='[tune]
trials = 5
batch = 1
startup = 2
folds = 2
members = 2
[[tune.parameter]]
name = "model.learning_rate"
kind = "float"
low = 0.003
high = 0.03
log = true
[[tune.parameter]]
name = "model.hidden_units"
kind = "int"
low = 1
high = 3'
printf '%s\n%s\n' "$TINY" "$TUNE" >"$b/tt.toml"
# another study: the same columns, other measurements
awk -F, -v OFS=, 'NR > 1 && $5 != "" { $5 = $5 + 3 } { print }' "$b/cells.csv" >"$b/cells_other.csv"
# a table without a schema: every column a numeric endpoint
printf 'a,b,c\n1,2,3\n4,,6\n7,8,9\n2,3,\n' >"$b/t.csv"
setup() { (cd "$1" && shift && "$ELEC" "$@") >"$d/logs/setup.log" 2>&1 || { cat "$d/logs/setup.log"; echo "setup failed: $*"; exit 1; }; }
setup "$b" train --data cells.csv --schema schema.toml --config c.toml --out m.h5
setup "$b" train --data cells.csv --schema schema.toml --config c.toml --seed 7 --out m_old.h5
setup "$b" predict --model m.h5 --data new_cells.csv --out p.h5 --csv p.csv
setup "$b" cv --data cells.csv --schema schema.toml --config c.toml --folds 2 --out cv.h5
setup "$b" impute t.csv o.csv --config c.toml
setup "$b/cur" train --data cells.csv --schema schema.toml --config c.toml --out cm.h5
setup "$b" tune --data cells.csv --schema schema.toml --config tt.toml --journal j.csv --out tm.h5
setup "$b" tune --data cells_other.csv --schema schema.toml --config tt.toml --journal j_other.csv --out tm_other.h5
rm -f "$b/tm.h5" "$b/tm_other.h5"
TRAIN="train --data cells.csv --schema schema.toml --config c.toml --out m.h5"
TUNE_CMD="tune --data cells.csv --schema schema.toml --config tt.toml --journal j.csv --out tm.h5"
PREDICT="predict --model m.h5 --data new_cells.csv --out p.h5"

# ---------------------------------------------------------------------------------------------------------------
cat=csv   # CSV tables
mk csv_malformed_number; printf 'a,b,c\n1,2,3\n4,1.2.3,6\n7,8,9\n' >"$d/csv_malformed_number/t.csv"
expect csv_malformed_number "impute t.csv o.csv" 't\.csv:3:3: .*1\.2\.3.*expected'
mk csv_number_with_unit; printf 'a,b,c\n1,2,3\n4,5kg,6\n7,8,9\n' >"$d/csv_number_with_unit/t.csv"
expect csv_number_with_unit "impute t.csv o.csv" 't\.csv:3:3: .*5kg.*expected'
mk csv_infinite; printf 'a,b,c\n1,2,3\n4,inf,6\n7,8,9\n' >"$d/csv_infinite/t.csv"
expect csv_infinite "impute t.csv o.csv" 't\.csv:3:3: .*inf.*expected'
mk csv_ragged_short; printf 'a,b,c\n1,2,3\n4,5\n7,8,9\n' >"$d/csv_ragged_short/t.csv"
expect csv_ragged_short "impute t.csv o.csv" 't\.csv:3(:[0-9]+)?: .*expected 3 fields'
mk csv_ragged_long; printf 'a,b,c\n1,2,3\n4,5,6,7\n7,8,9\n' >"$d/csv_ragged_long/t.csv"
expect csv_ragged_long "impute t.csv o.csv" 't\.csv:3(:[0-9]+)?: .*expected 3 fields'
mk csv_unterminated_quote; printf 'a,b,c\n1,2,3\n4,"5,6\n7,8,9\n' >"$d/csv_unterminated_quote/t.csv"
expect csv_unterminated_quote "impute t.csv o.csv" 't\.csv:3:3: .*quote'
mk csv_text_after_quote; printf 'a,b,c\n1,2,3\n4,"5"x,6\n7,8,9\n' >"$d/csv_text_after_quote/t.csv"
expect csv_text_after_quote "impute t.csv o.csv" 't\.csv:3:[0-9]+: .*(quote|expected)'
mk csv_nul_byte; printf 'a,b,c\n1,2,3\n4,5\0006,6\n7,8,9\n' >"$d/csv_nul_byte/t.csv"
expect csv_nul_byte "impute t.csv o.csv" 't\.csv:3:[0-9]+: .*(NUL|byte|expected)'
mk csv_nul_in_header; printf 'a,b\000x,c\n1,2,3\n4,5,6\n' >"$d/csv_nul_in_header/t.csv"
expect csv_nul_in_header "impute t.csv o.csv" 't\.csv:1:[0-9]+: .*(NUL|byte|expected)'
mk csv_invalid_utf8_header; printf 'a,b\377\376,c\n1,2,3\n4,5,6\n' >"$d/csv_invalid_utf8_header/t.csv"
expect csv_invalid_utf8_header "impute t.csv o.csv" 't\.csv:1:[34]: .*(UTF-8|expected)'  # the field's column or the byte's
mk csv_10MB_field
{ printf 'a,b,c\n1,2,3\n4,'; head -c 10000000 /dev/zero | tr '\0' 'x'; printf ',6\n7,8,9\n'; } >"$d/csv_10MB_field/t.csv"
expect -b 4096 csv_10MB_field "impute t.csv o.csv" 't\.csv:3:3: .*expected'
mk csv_10000_unknown_columns schema.toml c.toml
commas=$(printf ',%.0s' $(seq 10000))
{ head -1 "$b/cells.csv" | tr -d '\n'; seq -f ',extra%g' 10000 | tr -d '\n'; echo
  tail -n +2 "$b/cells.csv" | while IFS= read -r row; do printf '%s%s\n' "$row" "$commas"; done
} >"$d/csv_10000_unknown_columns/cells.csv"
expect -l 120 -b 30000 csv_10000_unknown_columns "$TRAIN" 'cells\.csv:1:[0-9]+: .*unknown column "extra1"'
mk csv_empty_file; : >"$d/csv_empty_file/t.csv"
expect csv_empty_file "impute t.csv o.csv" 't\.csv(:[0-9]+(:[0-9]+)?)?: .*(empty|header|expected)'
mk csv_blank_lines_only; printf '\n\n\n' >"$d/csv_blank_lines_only/t.csv"
expect csv_blank_lines_only "impute t.csv o.csv" 't\.csv(:[0-9]+(:[0-9]+)?)?: .*(empty|header|expected)'
mk csv_header_only schema.toml c.toml; head -1 "$b/cells.csv" >"$d/csv_header_only/cells.csv"
expect csv_header_only "$TRAIN" 'cells\.csv(:[0-9]+(:[0-9]+)?)?: .*(row|cell).*expected|expected.*(row|cell)'
mk csv_duplicate_ids schema.toml c.toml; sed 's/^cell05,/cell02,/' "$b/cells.csv" >"$d/csv_duplicate_ids/cells.csv"
expect csv_duplicate_ids "$TRAIN" 'cells\.csv:7:1: .*cell02.*(already|twice|duplicate|unique)'
mk csv_duplicate_column; printf 'a,b,a\n1,2,3\n4,5,6\n' >"$d/csv_duplicate_column/t.csv"
expect csv_duplicate_column "impute t.csv o.csv" 't\.csv:1:5: .*"a".*(already|twice|duplicate)'
mk csv_empty_column_name; printf 'a,,c\n1,2,3\n4,5,6\n' >"$d/csv_empty_column_name/t.csv"
expect csv_empty_column_name "impute t.csv o.csv" 't\.csv:1:3: .*(empty|name|expected)'
mk csv_missing_schema_column schema.toml c.toml; cut -d, -f1,2,4- "$b/cells.csv" >"$d/csv_missing_schema_column/cells.csv"
expect csv_missing_schema_column "$TRAIN" '(cells\.csv|schema\.toml):[0-9]+(:[0-9]+)?: .*drying_C'
mk csv_blank_descriptor schema.toml c.toml; sed '4s/^cell02,200,/cell02,,/' "$b/cells.csv" >"$d/csv_blank_descriptor/cells.csv"
expect csv_blank_descriptor "$TRAIN" 'cells\.csv:4:8: .*(blank|descriptor|expected)'
mk csv_out_of_bounds schema.toml c.toml m.h5; sed '3s/,32.879,/,132.879,/' "$b/cells.csv" >"$d/csv_out_of_bounds/cells.csv"
expect csv_out_of_bounds "$TRAIN" 'cells\.csv:3:[0-9]+: .*132\.879.*100'
mk csv_curve_bad_number cur/cells.csv cur/schema.toml cur/c.toml
sed '5s/,304.62$/,30x4.62/' "$b/cur/capacity.csv" >"$d/csv_curve_bad_number/capacity.csv"
expect csv_curve_bad_number "$TRAIN" 'capacity\.csv:5:[0-9]+: .*30x4\.62.*expected'
mk csv_curve_unknown_id cur/cells.csv cur/schema.toml cur/c.toml
{ cat "$b/cur/capacity.csv"; echo "c99,1,300.0"; } >"$d/csv_curve_unknown_id/capacity.csv"
expect csv_curve_unknown_id "$TRAIN" 'capacity\.csv:[0-9]+:1: .*c99.*expected'
mk csv_curve_duplicate_point cur/cells.csv cur/schema.toml cur/c.toml
{ cat "$b/cur/capacity.csv"; echo "c00,2,300.0"; } >"$d/csv_curve_duplicate_point/capacity.csv"
expect csv_curve_duplicate_point "$TRAIN" 'capacity\.csv:[0-9]+:[0-9]+: .*(second|twice|duplicate|already)'

# ---------------------------------------------------------------------------------------------------------------
cat=schema   # schema TOML
schema_case() {  # schema_case NAME SED_SCRIPT|- [APPEND] PATTERN...: the fixture schema edited by sed, plus APPEND
  local name=$1 script=$2 append=$3; shift 3
  mk "$name" cells.csv c.toml m.h5
  { sed -e "$script" "$b/schema.toml"; [ -n "$append" ] && printf '%s\n' "$append"; } >"$d/$name/s.toml"
  expect "$name" "train --data cells.csv --schema s.toml --config c.toml --out m.h5" "$@"
}
schema_case schema_toml_syntax '3s/name = "id"/name = "id/' '' 's\.toml:3:[0-9]+: '
schema_case schema_unknown_role '4s/role = "id"/role = "sideways"/' '' 's\.toml:4:[0-9]+: .*sideways.*expected'
schema_case schema_unknown_type 's/type = "categorical"/type = "ordinal"/' '' 's\.toml:17:[0-9]+: .*ordinal.*expected'
schema_case schema_min_above_max '/name = "porosity_pct"/,/max = 100/{s/min = 0/min = 100/;s/max = 100/max = 0/}' '' \
  's\.toml:2[23]:[0-9]+: .*(min|max).*expected|s\.toml:2[23]:[0-9]+: .*expected.*(min|max)'
schema_case schema_bound_is_text '9s/min = 0/min = "zero"/' '' 's\.toml:9:[0-9]+: .*min.*expected'
schema_case schema_column_without_name '' '[[column]]
role = "endpoint"' 's\.toml:3[67](:[0-9]+)?: .*name.*expected|s\.toml:3[67](:[0-9]+)?: .*expected.*name'
schema_case schema_duplicate_name 's/name = "viscosity_Pa_s"/name = "adhesion_N_m"/' '' \
  's\.toml:[0-9]+:[0-9]+: .*adhesion_N_m.*(already|twice|duplicate)'
schema_case schema_unknown_key '4s/role = "id"/rol = "id"/' '' 's\.toml:4:1: .*rol'
schema_case schema_two_ids '7s/role = "descriptor"/role = "id"/' '' 's\.toml:7:[0-9]+: .*id.*expected|s\.toml:7:[0-9]+: .*(one|second|two).*id'
schema_case schema_no_endpoint 's/role = "endpoint"/role = "descriptor"/' '' 's\.toml.*endpoint'
schema_case schema_empty_file '1,$d' '' 's\.toml.*(column|empty).*expected|s\.toml.*expected.*column'
mk schema_is_a_csv cells.csv c.toml
expect schema_is_a_csv "train --data cells.csv --schema cells.csv --config c.toml --out m.h5" 'cells\.csv:1:[0-9]+: '
mk schema_curve_file_missing cur/cells.csv cur/capacity.csv cur/c.toml
sed 's/file = "capacity.csv"/file = "nothere.csv"/' "$b/cur/schema.toml" >"$d/schema_curve_file_missing/schema.toml"
expect schema_curve_file_missing "$TRAIN" 'nothere\.csv.*(cannot open|No such|exist)'
mk schema_derived_from_unknown cur/cells.csv cur/capacity.csv cur/c.toml
sed '0,/from = "capacity_mAh_g"/s//from = "nothing"/' "$b/cur/schema.toml" >"$d/schema_derived_from_unknown/schema.toml"
expect schema_derived_from_unknown "$TRAIN" 'schema\.toml:[0-9]+:[0-9]+: .*nothing'

# ---------------------------------------------------------------------------------------------------------------
cat=config   # study config TOML
config_case() {  # config_case NAME TOML PATTERN...: train with TOML as c.toml, an older model already at m.h5
  local name=$1 toml=$2; shift 2
  mk "$name" cells.csv schema.toml; cp "$b/m_old.h5" "$d/$name/m.h5"
  printf '%s\n' "$toml" >"$d/$name/c.toml"
  expect "$name" "$TRAIN" "$@"
}
config_case config_members_text $'[model]\nmembers = "four"' 'c\.toml:2:[0-9]+: .*members.*expected'
config_case config_members_float $'[model]\nmembers = 4.5' 'c\.toml:2:[0-9]+: .*members.*expected'
config_case config_bool_as_text $'[model]\nmembers = 4\nconfidence_inputs = "yes"' 'c\.toml:3:[0-9]+: .*confidence_inputs.*expected'
config_case config_learning_rate_negative $'[model]\nlearning_rate = -0.1' 'c\.toml:2:[0-9]+: .*learning_rate.*(expected|> 0)'
config_case config_learning_rate_nan $'[model]\nlearning_rate = nan' 'c\.toml:2:[0-9]+: .*learning_rate'
config_case config_softening_range $'[imputation]\nsoftening = 1.5' 'c\.toml:2:[0-9]+: .*softening'
config_case config_dropout_one $'[model]\ninput_dropout = 1.0' 'c\.toml:2:[0-9]+: .*input_dropout'
config_case config_precision_unknown $'[model]\nprecision = "float16"' 'c\.toml:2:[0-9]+: .*float16.*(expected|float32)'
config_case config_hidden_zero $'[model]\nhidden_units = 0' 'c\.toml:2:[0-9]+: .*hidden_units.*(expected|>= 1)'
config_case config_seed_negative $'[run]\nseed = -1' 'c\.toml:2:[0-9]+: .*seed'
config_case config_tolerance_zero $'[imputation]\ntolerance = 0' 'c\.toml:2:[0-9]+: .*tolerance'
config_case config_holdout_one $'[selection]\nholdout_fraction = 1.0' 'c\.toml:2:[0-9]+: .*holdout_fraction'
config_case config_unknown_key $'[model]\nmembers = 4\nhiden = 3' 'c\.toml:3:1: .*hiden'
config_case config_unknown_section $'[modle]\nmembers = 4' 'c\.toml:1:[0-9]+: .*modle'
config_case config_toml_syntax $'[model]\nmembers = \nepochs = 3' 'c\.toml:2:[0-9]+: '
config_case config_duplicate_key $'[model]\nmembers = 4\nmembers = 5' 'c\.toml:3:[0-9]+: .*members'
mk config_missing_file cells.csv schema.toml
expect config_missing_file "train --data cells.csv --schema schema.toml --config nothere.toml --out m.h5" 'nothere\.toml.*(cannot open|No such|exist)'

# ---------------------------------------------------------------------------------------------------------------
cat=tune   # [tune] sections
tune_case() {  # tune_case NAME SED_SCRIPT PATTERN...: tune with the setup's tune config edited by sed
  local name=$1 script=$2; shift 2
  mk "$name" cells.csv schema.toml
  sed -e "$script" "$b/tt.toml" >"$d/$name/tt.toml"
  expect "$name" "$TUNE_CMD" "$@"
}
tune_case tune_no_section '/^\[tune\]/,$d' 'tt\.toml.*\[tune\].*expected|tt\.toml.*expected.*\[tune\]|tt\.toml.*no \[tune\]'
tune_case tune_low_above_high 's/low = 0.003/low = 0.3/' 'tt\.toml:[0-9]+:[0-9]+: .*(low|high)'
tune_case tune_unknown_parameter 's/name = "model.hidden_units"/name = "model.hiden_units"/' 'tt\.toml:[0-9]+:[0-9]+: .*model\.hiden_units'
tune_case tune_unknown_kind 's/kind = "int"/kind = "real"/' 'tt\.toml:[0-9]+:[0-9]+: .*real.*expected'
tune_case tune_trials_zero 's/trials = 5/trials = 0/' 'tt\.toml:[0-9]+:[0-9]+: .*trials'
tune_case tune_log_nonpositive 's/low = 0.003/low = 0/' 'tt\.toml:[0-9]+:[0-9]+: .*(low|log)'
tune_case tune_categorical_no_choices '$a [[tune.parameter]]\nname = "model.precision"\nkind = "categorical"' 'tt\.toml:[0-9]+:[0-9]+: .*choice'
tune_case tune_objective_unknown_target 's/^folds = 2/folds = 2\nobjective = "r2:nothing"/' 'tt\.toml:[0-9]+:[0-9]+: .*nothing'
tune_case tune_folds_one 's/^folds = 2/folds = 1/' 'tt\.toml:[0-9]+:[0-9]+: .*folds'
tune_case tune_group_unknown_column 's/^folds = 2/folds = 2\ngroup = "nocolumn"/' '(tt\.toml|cells\.csv):[0-9]+(:[0-9]+)?: .*nocolumn'
tune_case tune_unknown_key 's/^trials = 5/trails = 5/' 'tt\.toml:[0-9]+:1: .*trails'
tune_case tune_int_bound_fraction 's/low = 1$/low = 1.5/' 'tt\.toml:[0-9]+:[0-9]+: .*(low|integer)'
tune_case tune_members_text 's/^members = 2/members = "two"/' 'tt\.toml:[0-9]+:[0-9]+: .*members.*expected'

# ---------------------------------------------------------------------------------------------------------------
cat=model   # damaged model files given to predict
damage model_short_endpoint_scale "replace('/normalisation/endpoint_scale', f['/normalisation/endpoint_scale'][()][:-1])"
expect model_short_endpoint_scale "$PREDICT" 'm\.h5:/normalisation/endpoint_scale: .*expected'
damage model_nan_W1 "w = f['/members/W1']; a = w[()]; a[big(a)] = np.nan; w[...] = a"
expect model_nan_W1 "$PREDICT" 'm\.h5:/members/W1: .*NaN'
damage model_inf_w2 "w = f['/members/w2']; a = w[()]; a[big(a)] = np.inf; w[...] = a"
expect model_inf_w2 "$PREDICT" 'm\.h5:/members/w2: .*(inf|Inf|finite)'
damage model_zero_descriptor_scale "f['/normalisation/descriptor_scale'][0] = 0.0"
expect model_zero_descriptor_scale "$PREDICT" 'm\.h5:/normalisation/descriptor_scale: .*expected'
damage model_negative_endpoint_scale "f['/normalisation/endpoint_scale'][1] = -1.0"
expect model_negative_endpoint_scale "$PREDICT" 'm\.h5:/normalisation/endpoint_scale: .*expected'
damage model_checksum_mismatch "w = f['/members/W1']; a = w[()]; a[big(a)] += 0.25; w[...] = a"
expect model_checksum_mismatch "$PREDICT" 'm\.h5(:/[A-Za-z0-9_/]*)?: .*checksum'
damage model_missing_dataset "del f['/members/b2']"
expect model_missing_dataset "$PREDICT" 'm\.h5:/members/b2: .*(missing|expected|no |not exist|not found)'
damage model_W1_wrong_shape "replace('/members/W1', f['/members/W1'][()][:, :, :-1])"
expect model_W1_wrong_shape "$PREDICT" 'm\.h5:/members/W1: .*expected'
damage model_endpoint_names_short "a = f['/schema/endpoint_names'][()]; dt = f['/schema/endpoint_names'].dtype
del f['/schema/endpoint_names']; f.create_dataset('/schema/endpoint_names', data=a[:-1], dtype=dt)"
expect model_endpoint_names_short "$PREDICT" 'm\.h5:/schema/endpoint_(names|units): .*expected'  # which of the two is wrong?
damage model_format_attribute "f.attrs.modify('format', 'something else')"
expect model_format_attribute "$PREDICT" 'm\.h5(:/)?: .*format' 'm\.h5.*expected'
damage model_future_format_version "f.attrs.modify('format_version', 999)"
expect model_future_format_version "$PREDICT" 'm\.h5(:/)?: .*version'
mk model_is_predictions p.h5 new_cells.csv
expect model_is_predictions "predict --model p.h5 --data new_cells.csv --out q.h5" 'p\.h5(:/[A-Za-z0-9_/]*)?: .*(model|expected)'
mk model_is_csv cells.csv new_cells.csv
expect model_is_csv "predict --model cells.csv --data new_cells.csv --out p.h5" 'cells\.csv.*(HDF5|model|expected)'
mk model_truncated new_cells.csv; head -c $(( $(stat -c %s "$b/m.h5") / 2 )) "$b/m.h5" >"$d/model_truncated/m.h5"
expect model_truncated "$PREDICT" 'm\.h5.*(HDF5|truncated|expected|damaged)'
mk model_empty_file new_cells.csv; : >"$d/model_empty_file/m.h5"
expect model_empty_file "$PREDICT" 'm\.h5.*(empty|HDF5|expected)'
mk model_missing_file new_cells.csv
expect model_missing_file "$PREDICT" 'm\.h5.*(cannot open|No such|exist)'

# ---------------------------------------------------------------------------------------------------------------
cat=predict   # prediction inputs
mk predict_missing_descriptor m.h5; cut -d, -f1,2,4- "$b/new_cells.csv" >"$d/predict_missing_descriptor/q.csv"
expect predict_missing_descriptor "predict --model m.h5 --data q.csv --out p.h5" '^q\.csv:1(:[0-9]+)?: .*drying_C'
mk predict_malformed_number m.h5; sed '3s/^new2,250,/new2,25o,/' "$b/new_cells.csv" >"$d/predict_malformed_number/q.csv"
expect predict_malformed_number "predict --model m.h5 --data q.csv --out p.h5" '^q\.csv:3:6: .*25o.*expected'
mk predict_unknown_level m.h5; sed '2s/,CNT,/,graphene,/' "$b/new_cells.csv" >"$d/predict_unknown_level/q.csv"
expect predict_unknown_level "predict --model m.h5 --data q.csv --out p.h5" '^q\.csv:2:[0-9]+: .*graphene'
mk predict_blank_descriptor m.h5; sed '2s/^new1,120,/new1,,/' "$b/new_cells.csv" >"$d/predict_blank_descriptor/q.csv"
expect predict_blank_descriptor "predict --model m.h5 --data q.csv --out p.h5" '^q\.csv:2:6: .*(blank|expected)'
mk predict_header_only m.h5; head -1 "$b/new_cells.csv" >"$d/predict_header_only/q.csv"
expect predict_header_only "predict --model m.h5 --data q.csv --out p.h5" '^q\.csv.*(cell|row).*expected|^q\.csv.*expected.*(cell|row)'
mk predict_curve_unknown_name cur/cm.h5 cur/new_cells.csv cur/new_capacity.csv
expect predict_curve_unknown_name "predict --model cm.h5 --data new_cells.csv --curve nothing=new_capacity.csv --out p.h5" 'nothing.*expected|expected.*nothing'
mk predict_curve_bad_number cur/cm.h5 cur/new_cells.csv; sed '3s/,321.29$/,32l.29/' "$b/cur/new_capacity.csv" >"$d/predict_curve_bad_number/nc.csv"
expect predict_curve_bad_number "predict --model cm.h5 --data new_cells.csv --curve capacity_mAh_g=nc.csv --out p.h5" '^nc\.csv:3:[0-9]+: .*32l\.29.*expected'
mk predict_grid_backwards cur/cm.h5 cur/new_cells.csv
expect predict_grid_backwards "predict --model cm.h5 --data new_cells.csv --grid 10:1 --out p.h5" 'grid.*expected|expected.*grid'

# ---------------------------------------------------------------------------------------------------------------
cat=journal   # tune journals
mk journal_other_study cells.csv schema.toml tt.toml; cp "$b/j_other.csv" "$d/journal_other_study/j.csv"
expect journal_other_study "$TUNE_CMD --resume" 'j\.csv(:[0-9]+(:[0-9]+)?)?: .*(study|fingerprint)'
mk journal_bad_checksum_middle cells.csv schema.toml tt.toml j.csv
mid=$(( ($(wc -l <"$b/j.csv") + 2) / 2 ))
awk -F, -v OFS=, -v L=$mid 'NR == L { n = split($2, c, ""); d = c[n]; if (d ~ /[0-9]/) sub(/.$/, (d + 1) % 10, $2); else $2 = $2 "1" } { print }' \
  "$b/j.csv" >"$d/journal_bad_checksum_middle/j.csv"
expect journal_bad_checksum_middle "$TUNE_CMD --resume" "j\\.csv:$mid(:[0-9]+)?: .*checksum"
mk journal_exists_without_resume cells.csv schema.toml tt.toml j.csv
expect journal_exists_without_resume "$TUNE_CMD" 'j\.csv.*--resume'
mk journal_other_space cells.csv schema.toml j.csv; sed 's/name = "model.hidden_units"/name = "model.epochs"/;s/^high = 3$/high = 40/' "$b/tt.toml" >"$d/journal_other_space/tt.toml"
expect journal_other_space "$TUNE_CMD --resume" 'j\.csv(:[0-9]+(:[0-9]+)?)?: .*expected'
mk journal_binary_junk cells.csv schema.toml tt.toml; head -c 3000 "$b/m.h5" >"$d/journal_binary_junk/j.csv"
expect journal_binary_junk "$TUNE_CMD --resume" 'j\.csv(:[0-9]+(:[0-9]+)?)?: .*expected'
# What a kill can leave is not bad input: a torn last record (killed during the append) is dropped with a warning
# and its trial run again; a 0-byte journal (killed between creating the file and writing the first record) is an
# empty study. Both: exit 0, the whole journal and the model written, no temp file.
resume_ok() {  # resume_ok NAME WARNING_PATTERN
  local name=$1 rc why=""
  (cd "$d/$name" && timeout -k 5 60 "$ELEC" $TUNE_CMD --resume) >"$d/logs/$name.log" 2>&1; rc=$?
  [ $rc -eq 0 ] || why+=" exit $rc, expected 0"
  [ -z "$2" ] || grep -aiEq "$2" "$d/logs/$name.log" || why+=" no warning naming j.csv"
  [ "$(wc -l <"$d/$name/j.csv")" -eq "$(wc -l <"$b/j.csv")" ] ||
    why+=" journal has $(wc -l <"$d/$name/j.csv") lines, expected $(wc -l <"$b/j.csv")"
  [ -f "$d/$name/tm.h5" ] || why+=" no model written"
  [ -z "$(find "$d/$name" -name '*.tmp-*')" ] || why+=" temp file left: $(find "$d/$name" -name '*.tmp-*')"
  record $name "$why" "$d/logs/$name.log"
}
mk journal_torn_last_record cells.csv schema.toml tt.toml
head -c $(( $(stat -c %s "$b/j.csv") - 9 )) "$b/j.csv" >"$d/journal_torn_last_record/j.csv"
in_background resume_ok journal_torn_last_record 'j\.csv.*warn|warn.*j\.csv|j\.csv:[0-9]+: .*(torn|incomplete|dropped)'
mk journal_zero_bytes cells.csv schema.toml tt.toml; : >"$d/journal_zero_bytes/j.csv"
in_background resume_ok journal_zero_bytes ''

# ---------------------------------------------------------------------------------------------------------------
cat=outpath   # unusable output paths: refused before any work, nothing written, inputs intact
mk out_train_is_data cells.csv schema.toml c.toml
expect out_train_is_data "train --data cells.csv --schema schema.toml --config c.toml --out cells.csv" 'cells\.csv.*input.*--data'
mk out_train_is_schema cells.csv schema.toml c.toml
expect out_train_is_schema "train --data cells.csv --schema schema.toml --config c.toml --out schema.toml" 'schema\.toml.*input.*--schema'
mk out_train_is_config cells.csv schema.toml c.toml
expect out_train_is_config "train --data cells.csv --schema schema.toml --config c.toml --out c.toml" 'c\.toml.*input.*--config'
mk out_train_is_data_other_spelling cells.csv schema.toml c.toml; mkdir -p "$d/out_train_is_data_other_spelling/sub"
expect out_train_is_data_other_spelling "train --data cells.csv --schema schema.toml --config c.toml --out ./sub/../cells.csv" 'cells\.csv.*input.*--data'
mk out_cv_is_data cells.csv schema.toml c.toml
expect out_cv_is_data "cv --data cells.csv --schema schema.toml --config c.toml --folds 2 --out cells.csv" 'cells\.csv.*input.*--data'
mk out_impute_onto_input t.csv c.toml
expect out_impute_onto_input "impute t.csv t.csv --config c.toml" 't\.csv.*input'
mk out_impute_std_onto_input c.toml; cp "$b/t.csv" "$d/out_impute_std_onto_input/t_std.csv"
expect out_impute_std_onto_input "impute t_std.csv t.csv --config c.toml" 't_std\.csv.*input'
mk out_impute_is_config t.csv c.toml
expect out_impute_is_config "impute t.csv c.toml --config c.toml" 'c\.toml.*input.*--config'
mk out_predict_is_model m.h5 new_cells.csv
expect out_predict_is_model "predict --model m.h5 --data new_cells.csv --out m.h5" 'm\.h5.*input.*--model'
mk out_predict_csv_is_data m.h5; cp "$b/new_cells.csv" "$d/out_predict_csv_is_data/q.csv"
expect out_predict_csv_is_data "predict --model m.h5 --data q.csv --out p.h5 --csv q.csv" 'q\.csv.*input.*--data'
mk out_predict_csv_is_out m.h5 new_cells.csv
expect out_predict_csv_is_out "predict --model m.h5 --data new_cells.csv --out p.h5 --csv p.h5" 'p\.h5.*(--out.*--csv|--csv.*--out|twice|same|both)'
mk out_tune_is_journal cells.csv schema.toml tt.toml
expect out_tune_is_journal "tune --data cells.csv --schema schema.toml --config tt.toml --journal j.csv --out j.csv" 'j\.csv.*(journal|twice|same|both)'
mk out_tune_journal_is_data cells.csv schema.toml tt.toml
expect out_tune_journal_is_data "tune --data cells.csv --schema schema.toml --config tt.toml --journal cells.csv --out tm.h5" 'cells\.csv.*(input|--data|--resume)'
mk out_missing_directory cells.csv schema.toml c.toml
expect out_missing_directory "train --data cells.csv --schema schema.toml --config c.toml --out nodir/m.h5" 'nodir/m\.h5.*directory'
mk out_impute_missing_directory t.csv c.toml
expect out_impute_missing_directory "impute t.csv nodir/o.csv --config c.toml" 'nodir/o\.csv.*directory'
mk out_cv_missing_directory cells.csv schema.toml c.toml
expect out_cv_missing_directory "cv --data cells.csv --schema schema.toml --config c.toml --folds 2 --out nodir/cv.h5" 'nodir/cv\.h5.*directory'
mk out_predict_csv_missing_directory m.h5 new_cells.csv
expect out_predict_csv_missing_directory "predict --model m.h5 --data new_cells.csv --out p.h5 --csv nodir/p.csv" 'nodir/p\.csv.*directory'
mk out_is_directory cells.csv schema.toml c.toml; mkdir "$d/out_is_directory/outdir"
expect out_is_directory "train --data cells.csv --schema schema.toml --config c.toml --out outdir" 'outdir.*directory'
mk out_impute_is_directory t.csv c.toml; mkdir "$d/out_impute_is_directory/outdir"
expect out_impute_is_directory "impute t.csv outdir --config c.toml" 'outdir.*directory'
mk out_parent_is_file cells.csv schema.toml c.toml; echo x >"$d/out_parent_is_file/afile"
expect out_parent_is_file "train --data cells.csv --schema schema.toml --config c.toml --out afile/m.h5" 'afile/m\.h5.*directory'
mk out_readonly_directory cells.csv schema.toml c.toml
if tmpfs out_readonly_directory ro ro; then
  expect out_readonly_directory "train --data cells.csv --schema schema.toml --config c.toml --out ro/m.h5" 'ro/m\.h5.*(read-only|writ|permission)'
else skip out_readonly_directory "cannot mount a read-only tmpfs (not root?)"; fi
mk out_impute_readonly_directory t.csv c.toml
if tmpfs out_impute_readonly_directory ro ro; then
  expect out_impute_readonly_directory "impute t.csv ro/o.csv --config c.toml" 'ro/o\.csv.*(read-only|writ|permission)'
else skip out_impute_readonly_directory "cannot mount a read-only tmpfs (not root?)"; fi

# ---------------------------------------------------------------------------------------------------------------
cat=size   # size guards: refused at once with an estimate and the limit, never std::bad_alloc
mk size_10000_columns
{ seq -f 'c%g' 10000 | paste -sd,; for r in 1 2 3 4; do seq -f "%g.$r" 10000 | paste -sd,; done; } >"$d/size_10000_columns/wide.csv"
sed -i '3s/^1\.2,/,/' "$d/size_10000_columns/wide.csv"
expect -t 15 size_10000_columns "impute wide.csv o.csv" 'estimate' 'limit'
mk size_members_1e8 cells.csv schema.toml; printf '[model]\nmembers = 100000000\n[selection]\nauto = false\n' >"$d/size_members_1e8/c.toml"
expect -t 15 size_members_1e8 "$TRAIN" 'estimate' 'limit'
mk size_cv_members_1e8 cells.csv schema.toml; printf '[model]\nmembers = 100000000\n[selection]\nauto = false\n' >"$d/size_cv_members_1e8/c.toml"
expect -t 15 size_cv_members_1e8 "cv --data cells.csv --schema schema.toml --config c.toml --folds 2 --out cv.h5" 'estimate' 'limit'
mk size_hidden_units_1e8 cells.csv schema.toml; printf '[model]\nmembers = 4\nhidden_units = 100000000\n[selection]\nauto = false\n' >"$d/size_hidden_units_1e8/c.toml"
expect -t 15 size_hidden_units_1e8 "$TRAIN" 'estimate' 'limit'
mk size_grid_1e9 cur/cm.h5 cur/new_cells.csv
# (a cap on the number of abscissas, with the count asked for and the cap, is as good as a memory estimate here)
expect -t 15 size_grid_1e9 "predict --model cm.h5 --data new_cells.csv --grid 1:1e9 --out p.h5" '(estimate|1e\+?0?9)' '(limit|at most)'

# ---------------------------------------------------------------------------------------------------------------
cat=cli   # command-line errors
mk cli_unknown_subcommand
expect cli_unknown_subcommand "frobnicate" 'frobnicate'
mk cli_unknown_option cells.csv
expect cli_unknown_option "train --data cells.csv --frobnicate" '--frobnicate'
mk cli_missing_required
expect cli_missing_required "train --out m.h5" '--data'
mk cli_bad_number cells.csv
expect cli_bad_number "cv --data cells.csv --folds abc --out cv.h5" '--folds.*abc|abc.*--folds'
mk cli_bad_seed cells.csv
expect cli_bad_seed "train --data cells.csv --seed 1x --out m.h5" '--seed.*1x|1x.*--seed'
mk cli_folds_one cells.csv schema.toml c.toml
expect cli_folds_one "cv --data cells.csv --schema schema.toml --config c.toml --folds 1 --out cv.h5" '--folds.*(expected|>= 2|at least)'
mk cli_impute_without_out t.csv
expect cli_impute_without_out "impute t.csv" 'OUT'
mk cli_extra_positional t.csv
expect cli_extra_positional "impute t.csv o.csv extra.csv" 'extra\.csv'
mk cli_curve_without_name cur/cm.h5 cur/new_cells.csv cur/new_capacity.csv
expect cli_curve_without_name "predict --model cm.h5 --data new_cells.csv --curve new_capacity.csv --out p.h5" '--curve.*(NAME=FILE|expected)|new_capacity\.csv.*(NAME=FILE|expected)'
mk cli_no_subcommand
expect cli_no_subcommand "" 'subcommand'

# ---------------------------------------------------------------------------------------------------------------
cat=mpi   # one rank of two fails validation (MPMD): the job ends with exit 2 and a message, not a hang
mk mpi_one_rank_fails cells.csv schema.toml c.toml
expect -R mpi_one_rank_fails "$MPIEXEC -n 1 \"\$ELEC\" $TRAIN : -n 1 \"\$ELEC\" train --data missing.csv --schema schema.toml --config c.toml --out m.h5" \
  'missing\.csv'

# ---------------------------------------------------------------------------------------------------------------
cat=diskfull   # a full 64k tmpfs: exit 2, an older output there unchanged, no temp file left
disk_case() {  # disk_case NAME EXISTING_OUTPUTS "args" PATTERN...
  local name=$1 existing=$2 args=$3; shift 3
  mk "$name" cells.csv schema.toml c.toml new_cells.csv m.h5 t.csv
  if ! tmpfs "$name" full; then skip "$name" "cannot mount a tmpfs (not root?)"; return; fi
  local f; for f in $existing; do cp "$b/$f" "$d/$name/full/"; done
  fill "$d/$name/full"
  expect "$name" "$args" "$@"
}
disk_case disk_full_train m_old.h5 "train --data cells.csv --schema schema.toml --config c.toml --out full/m_old.h5" 'full/m_old\.h5.*(space|full|writ)'
disk_case disk_full_train_fresh "" "train --data cells.csv --schema schema.toml --config c.toml --out full/m.h5" 'full/m\.h5.*(space|full|writ)'
disk_case disk_full_predict p.h5 "predict --model m.h5 --data new_cells.csv --out full/p.h5" 'full/p\.h5.*(space|full|writ)'
disk_case disk_full_predict_csv "" "predict --model m.h5 --data new_cells.csv --out p.h5 --csv full/p.csv" 'full/p\.csv.*(space|full|writ)'
disk_case disk_full_cv cv.h5 "cv --data cells.csv --schema schema.toml --config c.toml --folds 2 --out full/cv.h5" 'full/cv\.h5.*(space|full|writ)'
disk_case disk_full_impute "o.csv o_std.csv" "impute t.csv full/o.csv --config c.toml" 'full/o(_std)?\.csv.*(space|full|writ)'

# ---------------------------------------------------------------------------------------------------------------
wait
if [ "$VERBOSE" -ge 1 ]; then cat "$d"/results/*; else cat "$d"/results/* | grep -v '^ok '; fi
passed=$(cat "$d"/results/* | grep -c '^ok ')
failed=$(cat "$d"/results/* | grep -c '^FAIL ')
skipped=$(cat "$d"/results/* | grep -c '^SKIP ')
echo "cases by category: $(for c in csv schema config tune model predict journal outpath size cli mpi diskfull; do
  printf '%s %s, ' $c "$(cat "$d"/results/* | grep -Ec "^(ok  |FAIL|SKIP) \[$c\]")"; done | sed 's/, $//')"
[ $skipped -gt 0 ] && echo "$skipped cases skipped"
echo "time $((SECONDS - start)) s"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
