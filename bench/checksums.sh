#!/usr/bin/env bash
# Model checksums and output digests of train, predict, impute, cv and tune on small inputs (2 ranks, under a
# minute): run it with two builds to check that a refactoring changed no result bit (issue 14's before/after
# table). Prints one line per run (the tune line: final model, then the trials' numbers, values and points).
#   bash bench/checksums.sh BUILD/elec_hpc OUTDIR
set -u
[ $# -eq 2 ] || { echo "usage: bash bench/checksums.sh BUILD/elec_hpc OUTDIR (a new or empty directory)" >&2; exit 2; }
ELEC=$(realpath "$1"); o=$2; S=$(cd "$(dirname "$0")/.." && pwd); F=$S/tests/fixtures; G=$S/inputs/graphite
# A new or empty directory only: the runs write and overwrite *.h5, *.csv and *.log files in it.
if [ -e "$o" ] && [ -n "$(ls -A "$o")" ]; then echo "bench/checksums.sh: $o is not empty; give a new or empty directory" >&2; exit 2; fi
mkdir -p "$o" && cd "$o" || exit 2
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 OMP_NUM_THREADS=1
sed -n '/cat >"$d\/fast.toml"/,/^TOML/p' $S/tests/jobs/slurm.sh | sed '1d;$d' > fast.toml
ck() { grep -oE "checksum +[0-9a-f]+" "$1" | tail -1 | tr -s " "; }
mpirun -n 2 $ELEC train --data $G/cells.csv --schema $G/schema.toml --config fast.toml --out g.h5 > g.log 2>&1; echo "train graphite fast: $(ck g.log)"
mpirun -n 2 $ELEC train --data $F/cells.csv --schema $F/schema.toml --config $F/quick.toml --out q.h5 > q.log 2>&1; echo "train fixture quick: $(ck q.log)"
sed 's/^\[model\]/[model]\nprecision = "float32"/' $F/quick.toml > q32.toml
mpirun -n 2 $ELEC train --data $F/cells.csv --schema $F/schema.toml --config q32.toml --out q32.h5 > q32.log 2>&1; echo "train fixture float32: $(ck q32.log)"
mpirun -n 2 $ELEC predict --model g.h5 --data $G/test_cells.csv --out p.h5 --csv p.csv --members > p.log 2>&1; echo "predict graphite: $(md5sum < p.csv | cut -c1-16) $(h5dump -d /members p.h5 2>/dev/null | md5sum | cut -c1-16)"
mpirun -n 2 $ELEC impute $F/cells.csv imp.csv --schema $F/schema.toml --config $F/quick.toml > i.log 2>&1; echo "impute fixture: $(md5sum < imp.csv | cut -c1-16) $(ck i.log)"
mpirun -n 2 $ELEC cv --data $F/cells.csv --schema $F/schema.toml --config $F/quick.toml --folds 3 --out cv.h5 > cv.log 2>&1; echo "cv fixture: $(sed -n "/^target/,/^== /p" cv.log | md5sum | cut -c1-16)"
mpirun -n 2 $ELEC tune --data $F/curves/cells.csv --schema $F/curves/schema.toml --config $F/curves/tune.toml --journal j.csv --out t.h5 > t.log 2>&1; echo "tune curves: $(ck t.log) trials $(cut -d, -f1,2,4-6 j.csv | md5sum | cut -c1-16)"
