#!/usr/bin/env bash
# Every kind of bad input: non-zero exit (2), a message naming file:line:col and what was expected, and no
# output file of any kind left behind. Usage: bad_input.sh ELEC_HPC SOURCE_DIR
set -u
ELEC=$(realpath "$1")
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
fails=0

# expect NAME "command args..." "pattern1" ["pattern2" ...]: runs in $d/NAME/, checks exit 2, each pattern
# (grep -E) in the output, and that no file other than the inputs appeared.
expect() {
  local name=$1 cmd=$2; shift 2
  local before after out rc
  before=$(ls "$d/$name" | sort)
  out=$(cd "$d/$name" && eval "$ELEC $cmd" 2>&1); rc=$?
  after=$(ls "$d/$name" | sort)
  if [ $rc -ne 2 ]; then echo "FAIL $name: exit $rc, expected 2"; echo "$out"; fails=$((fails+1)); return; fi
  [ "$before" == "$after" ] || { echo "FAIL $name: files appeared: $(comm -13 <(echo "$before") <(echo "$after"))"; fails=$((fails+1)); }
  for p in "$@"; do grep -Eq -- "$p" <<<"$out" || { echo "FAIL $name: no match for '$p' in:"; echo "$out"; fails=$((fails+1)); }; done
}
case_dir() { mkdir -p "$d/$1"; }

SCHEMA='[[column]]
name = "id"
role = "id"
[[column]]
name = "gap"
role = "descriptor"
unit = "um"
[[column]]
name = "additive"
role = "descriptor"
type = "categorical"
[[column]]
name = "porosity"
role = "endpoint"
unit = "%"
min = 0
max = 100
[[column]]
name = "adhesion"
role = "endpoint"'

case_dir malformed; printf 'a,b,c\n1,2,3\n4,x7,6\n7,8,9\n' >"$d/malformed/t.csv"
expect malformed "impute t.csv out.csv" 't\.csv:3:3: .*x7.*expected a number'

case_dir duplicate; printf 'a,b,a\n1,2,3\n4,5,6\n' >"$d/duplicate/t.csv"
expect duplicate "impute t.csv out.csv" 't\.csv:1:5: column name "a" already used'

case_dir empty_column; printf 'a,b,c\n1,,3\n4,,6\n' >"$d/empty_column/t.csv"
expect empty_column "impute t.csv out.csv" 't\.csv:1:3: .*"b" has no observed value'

case_dir ragged; printf 'a,b,c\n1,2,3\n4,5\n' >"$d/ragged/t.csv"
expect ragged "impute t.csv out.csv" 't\.csv:3: expected 3 fields, found 2'

case_dir unknown_column; printf '%s\n' "$SCHEMA" >"$d/unknown_column/s.toml"
printf 'id,gap,additive,porosity,adhesion,colour\nc1,100,CNT,40,5,red\nc2,120,none,45,,blue\n' >"$d/unknown_column/t.csv"
expect unknown_column "train --data t.csv --schema s.toml --out m.h5" 't\.csv:1:35: unknown column "colour"'

case_dir descriptor_blank; printf '%s\n' "$SCHEMA" >"$d/descriptor_blank/s.toml"
printf 'id,gap,additive,porosity,adhesion\nc1,100,CNT,40,5\nc2,,none,45,6\nc3,140,,50,7\n' >"$d/descriptor_blank/t.csv"
expect descriptor_blank "train --data t.csv --schema s.toml --out m.h5" 't\.csv:3:4: .*blank descriptor' 't\.csv:4:[0-9]+: .*blank'

case_dir out_of_bounds; printf '%s\n' "$SCHEMA" >"$d/out_of_bounds/s.toml"
printf 'id,gap,additive,porosity,adhesion\nc1,100,CNT,40,5\nc2,120,none,145,6\nc3,140,CNT,-3,7\n' >"$d/out_of_bounds/t.csv"
expect out_of_bounds "train --data t.csv --schema s.toml --out m.h5" 't\.csv:3:[0-9]+: .*145.*100' 't\.csv:4:[0-9]+: .*-3.*0'

case_dir unknown_key; printf 'a,b\n1,2\n3,\n5,6\n' >"$d/unknown_key/t.csv"
printf '[model]\nhidden_units = 4\nhiden = 3\n[imputation]\nsoftening = 1.5\n' >"$d/unknown_key/c.toml"
expect unknown_key "impute t.csv out.csv --config c.toml" 'c\.toml:3:1: .*hiden' 'c\.toml:5:[0-9]+: .*softening'

# All problems of all files at once: a schema error, a config error and a table error in one run.
case_dir everything; printf '%s\n[[column]]\nname = "x"\nrole = "sideways"\n' "$SCHEMA" >"$d/everything/s.toml"
printf '[run]\nseed = "one"\n' >"$d/everything/c.toml"
printf 'id,gap,additive,porosity,adhesion\nc1,1o0,CNT,40,5\n' >"$d/everything/t.csv"
expect everything "train --data t.csv --schema s.toml --config c.toml --out m.h5" 's\.toml:[0-9]+:[0-9]+: .*sideways' 'c\.toml:2:[0-9]+: .*seed'

case_dir missing_file
expect missing_file "impute nothere.csv out.csv" 'nothere\.csv.*cannot open'

[ $fails -eq 0 ] && echo "OK: every bad input refused with its position and no output" || exit 1
