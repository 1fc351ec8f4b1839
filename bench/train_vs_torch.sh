#!/usr/bin/env bash
# Side-by-side training throughput: the PyTorch peer (../shared/peers/torch_ensemble.py) and elec_hpc's training
# code (bench/train_throughput) on the same workload, same machine, one after the other; prints the ratio.
# Usage: bench/train_vs_torch.sh BUILD_DIR [float32|float64] [threads]
set -euo pipefail
BUILD=${1:?usage: train_vs_torch.sh BUILD_DIR [dtype] [threads]}; DTYPE=${2:-float32}; THREADS=${3:-2}
PEER=$(dirname "$0")/../../shared/peers/torch_ensemble.py
peer=$(/usr/bin/python3 "$PEER" --dtype "$DTYPE" --threads "$THREADS")
echo "$peer"
mine=$(OMP_NUM_THREADS=$THREADS "$BUILD/bench/train_throughput" --precision "$DTYPE")
echo "$mine"
p=$(sed -n 's/.*member_epochs_per_s=\([0-9.]*\).*/\1/p' <<<"$peer")
m=$(sed -n 's/.*member_epochs_per_s=\([0-9.]*\).*/\1/p' <<<"$mine")
awk -v m="$m" -v p="$p" -v d="$DTYPE" 'BEGIN { printf "ratio elec_hpc/torch (%s): %.1fx\n", d, m / p }'
