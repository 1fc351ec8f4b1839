#!/usr/bin/env bash
# Strong scaling of the paper-scale training unit (bench/train_throughput) on this node: 1 rank x 1 thread,
# 1 rank x 2 threads, 2 ranks x 1 thread, then 4 ranks x 1 thread oversubscribed (correctness only: more ranks
# than cores time-share). Prints each run's member-epochs/s, the speed-up over 1 x 1 and whether the trained
# models are bitwise identical (same checksum of every member's weights); exits 1 if any checksum differs.
# Usage: bench/strong_scaling.sh BUILD_DIR [float32|float64] [extra train_throughput options]
set -euo pipefail
BUILD=${1:?usage: strong_scaling.sh BUILD_DIR [dtype] [options]}; DTYPE=${2:-float32}; shift $(( $# >= 2 ? 2 : 1 ))
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
BENCH="$BUILD/bench/train_throughput --precision $DTYPE --peak-seconds 0.2 $*"

declare -A rate sum
for layout in 1x1 1x2 2x1 4x1; do
  ranks=${layout%x*} threads=${layout#*x}
  out=$(OMP_NUM_THREADS=$threads mpiexec --oversubscribe --bind-to none -n "$ranks" $BENCH)
  rate[$layout]=$(sed -n 's/^member_epochs_per_s=//p' <<<"$out")
  sum[$layout]=$(sed -n 's/^model checksum //p' <<<"$out")
  traffic=$(grep '^received' <<<"$out")
  echo "$ranks rank(s) x $threads thread(s): ${rate[$layout]} member-epochs/s, checksum ${sum[$layout]}; $traffic"
done

status=0
for layout in 1x2 2x1 4x1; do
  same=identical
  [[ ${sum[$layout]} == "${sum[1x1]}" ]] || { same=DIFFERENT; status=1; }
  awk -v a="${rate[$layout]}" -v b="${rate[1x1]}" -v l="$layout" -v s="$same" \
    'BEGIN { printf "speed-up %s over 1x1: %.2fx, model %s\n", l, a / b, s }'
done
exit $status
