#!/usr/bin/env bash
# A large train interrupted twice ends as one that was not: a 5,000 x 120 table (30% blank, the workload of
# build/bench/train_throughput, without confidence inputs or input dropout; generated here with numpy, seed 0),
# 200 members, 100 initial epochs and 4 passes of 25 (bench/README.md: ~9 min on 2 cores), trained once straight
# and once stopped twice by SIGUSR1 (exit 75) and resumed with --resume, the second time on another rank count.
# Prints both model checksums, the times and the checkpoint's size.
#   bash bench/checkpoint_large.sh [BIN] [OUT]      (STOPS="150 200": seconds into each stopped run to signal it)
set -uo pipefail
BIN=$(realpath "${1:-build/elec_hpc}")
OUT=${2:-/tmp/checkpoint_large}
mkdir -p "$OUT"
export OMPI_ALLOW_RUN_AS_ROOT=${OMPI_ALLOW_RUN_AS_ROOT:-1} OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=${OMPI_ALLOW_RUN_AS_ROOT_CONFIRM:-1}
export OMP_NUM_THREADS=1
[ -s "$OUT/wide.csv" ] || /usr/bin/python3 - "$OUT/wide.csv" <<'PY'
import sys, numpy as np
rng = np.random.default_rng(0)
values = rng.standard_normal((5000, 120))
values[rng.random((5000, 120)) < 0.3] = np.nan
with open(sys.argv[1], "w") as f:
    f.write("id," + ",".join(f"e{j:03d}" for j in range(120)) + "\n")
    for i, row in enumerate(values):
        f.write(f"r{i}," + ",".join("" if np.isnan(v) else f"{v:.6f}" for v in row) + "\n")
PY
{ printf '[[column]]\nname = "id"\nrole = "id"\n'
  for j in $(seq -f %03g 0 119); do printf '[[column]]\nname = "e%s"\nrole = "endpoint"\n' "$j"; done; } >"$OUT/schema.toml"
cat >"$OUT/config.toml" <<'TOML'
[model]
members = 200
epochs = 100
confidence_inputs = false  # the workload of train_throughput (and its peer): 120 inputs per network, not 240
input_dropout = 0
[imputation]
max_passes = 4
pass_epochs = 25
tolerance = 1e-12
[selection]
auto = false
TOML
args=(train --data "$OUT/wide.csv" --schema "$OUT/schema.toml" --config "$OUT/config.toml")
checksum() { grep -o "model checksum *[0-9a-f]*" "$1" | awk '{print $NF}'; }
rm -f "$OUT"/*.h5 "$OUT"/*.checkpoint

t0=$(date +%s)
mpirun -n 2 "$BIN" "${args[@]}" --out "$OUT/straight.h5" >"$OUT/straight.log" 2>&1
t1=$(date +%s)
echo "straight: $((t1 - t0)) s, checksum $(checksum "$OUT/straight.log")"

k=0
for after in ${STOPS:-150 200}; do
  k=$((k + 1)); ranks=$((k == 1 ? 2 : 1))
  mpirun -n $ranks "$BIN" "${args[@]}" --out "$OUT/stopped.h5" --resume >"$OUT/run$k.log" 2>&1 &
  pid=$!
  sleep "$after"
  kill -USR1 $pid; wait $pid; echo "run $k ($ranks ranks): signalled after $after s, exit $? ($(grep -o "saved in .*" "$OUT/run$k.log" | head -1))"
  ls -l "$OUT/stopped.h5.checkpoint" | awk '{printf "checkpoint: %.0f MB\n", $5 / 1e6}'
done
t2=$(date +%s)
mpirun -n 2 "$BIN" "${args[@]}" --out "$OUT/stopped.h5" --resume >"$OUT/final.log" 2>&1
t3=$(date +%s)
echo "resumed to the end: $((t3 - t2)) s ($(grep -o "^resumed from .*" "$OUT/final.log")); interrupted run in all $((t3 - t1)) s"
echo "checksums: straight $(checksum "$OUT/straight.log"), interrupted twice $(checksum "$OUT/final.log")"
