#!/usr/bin/env bash
# Which settings let the ensemble predict NEW cells (descriptors alone) best on a study: `elec_hpc cv` (5 folds by
# the group column, the protocol of `elec_hpc compare`) for each variant below, 50 members each (the study's own
# members would take 4x longer; docs/defaults.md shows 50 vs 200 differ by about 0.01 in median R^2). Prints the
# median R^2 and every target's R^2 per variant. Results: docs/defaults.md ("Predicting new cells").
#   bash bench/defaults_new_cells.sh [BIN] [DATA] [SCHEMA] [GROUP] [OUT]
# Two variants side by side (RANKS=1 each) need MPIRUN_FLAGS="--bind-to none": Open MPI binds both to core 0.
set -euo pipefail
BIN=${1:-build/elec_hpc}
DATA=${2:-inputs/graphite/cells.csv}
SCHEMA=${3:-inputs/graphite/schema.toml}
GROUP=${4:-case}
OUT=${5:-/tmp/defaults_new_cells}
RANKS=${RANKS:-2}
mkdir -p "$OUT"
export OMPI_ALLOW_RUN_AS_ROOT=${OMPI_ALLOW_RUN_AS_ROOT:-1} OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=${OMPI_ALLOW_RUN_AS_ROOT_CONFIRM:-1}
common=$'[run]\nseed = 2021\n[model]\nmembers = 50\n'
declare -A variants=(
  [A_selected]=$'input_dropout = 0.5\n[selection]\nholdout = "cells"\n'
  [M_default]=$'input_dropout = 0.5\n'
  [N_plain]=$'input_dropout = 0\n'
  [B_fixed_500]=$'input_dropout = 0.5\n[selection]\nauto = false\n'
  [C_fixed_2000]=$'input_dropout = 0.5\nepochs = 2000\n[selection]\nauto = false\n'
  [D_2000_no_passes]=$'input_dropout = 0.5\nepochs = 2000\n[imputation]\nmax_passes = 0\n[selection]\nauto = false\n'
  [E_2000_h16]=$'input_dropout = 0.5\nepochs = 2000\nhidden_units = 16\n[selection]\nauto = false\n'
  [F_2000_cell_0.3]=$'input_dropout = 0.5\ncell_dropout = 0.3\nepochs = 2000\n[selection]\nauto = false\n'
  [G_2000_cell_0.5_input_0.3]=$'input_dropout = 0.3\ncell_dropout = 0.5\nepochs = 2000\n[selection]\nauto = false\n'
  [H_selected_on_rows]=$'input_dropout = 0.5\n[selection]\nholdout = "rows"\nmax_epochs = 2000\ncheck_every = 50\n'
  [I_desc_only_l2_1e-2]=$'cell_dropout = 0.99\nepochs = 2000\nl2 = 1e-2\n[imputation]\nmax_passes = 0\n[selection]\nauto = false\n'
  [J_desc_only_l2_1e-1]=$'cell_dropout = 0.99\nepochs = 2000\nl2 = 1e-1\n[imputation]\nmax_passes = 0\n[selection]\nauto = false\n'
  [K_2000_l2_1e-2]=$'input_dropout = 0.5\nepochs = 2000\nl2 = 1e-2\n[selection]\nauto = false\n'
  [L_recipes_l2_per_target]=$'input_dropout = 0.5\n[selection]\nholdout = "rows"\nl2_decades = 3\nmax_epochs = 1000\ncheck_every = 50\n'
  [O_l2_up_to_1]=$'input_dropout = 0.5\n[selection]\nl2_decades = 4\n'
  [P_default_cell_0.3]=$'input_dropout = 0.5\ncell_dropout = 0.3\n'
  [Q_selection_members_20]=$'input_dropout = 0.5\n[selection]\nmembers = 20\n'
  [R_h16]=$'input_dropout = 0.5\nhidden_units = 16\n'
  [S_input_0.7]=$'input_dropout = 0.7\n'
  [T_input_0.85]=$'input_dropout = 0.85\n'
  [U_desc_only_selected]=$'cell_dropout = 0.99\n[imputation]\nmax_passes = 0\n'
  [V_input_penalty_3e-2]=$'input_dropout = 0.5\ninput_penalty = 3e-2\n'
  [X_input_penalty_per_target]=$'input_dropout = 0.5\n[selection]\ninput_penalty = 3e-2\n'
  [AC_neighbour_readout]=$'input_dropout = 0.5\n[selection]\ninput_penalty = 3e-2\n[calibration]\nneighbours = 10\nlasso = false\n'
  [AD_lasso_average]=$'input_dropout = 0.5\n[selection]\ninput_penalty = 3e-2\n[calibration]\nneighbours = 0\nlasso = true\n'
  [AE_every_readout]=$'input_dropout = 0.5\n[selection]\ninput_penalty = 3e-2\n[calibration]\nneighbours = 10\nlasso = true\n'
  [Y_default_cell_0.3]=$'input_dropout = 0.5\ncell_dropout = 0.3\n'
  [Z_default_input_0.7]=$'input_dropout = 0.7\n'
  [W_median_centre]=$'input_dropout = 0.5\ncentre = "median"\n'
  [AA_input_dropout_per_target]=$'input_dropout = 0.5\n[selection]\ninput_dropout = 0\n'
)
# A: the defaults before session 18 (selection on hidden cells); M: today's defaults (hidden recipes, L2 per target,
# input dropout 0.5 for new cells: what a plain config gets since session 20); N: the same without input dropout
# (what a plain config got in session 19); O: M with penalties up to 1 (4 decades); P: M with whole cells hidden
# from the inputs in 30% of the epochs (the new-cell view, which independent input dropout almost never gives);
# Q: M selecting with 20 members instead of 50 (cheaper); R: M with 16 tanh units per target instead of 8; S, T:
# M with more input dropout (0.7, 0.85); U: networks that (almost) never see endpoints, no passes, the default
# selection (schedule and L2 per target on hidden recipes): what the endpoint inputs add; V: M with a group-lasso
# penalty on each input's weights into a target's network (model.input_penalty = 3e-2); X: M with the selection
# choosing per target between no input penalty and 3e-2 (selection.input_penalty), beside each L2. M runs the defaults
# of the build, so since session 26 it is X (the M, P-T numbers in docs/defaults.md were measured before); Y, Z: those
# defaults with P's cell dropout / S's input dropout; W: the defaults with the members' median as the prediction; AA: the defaults with each target choosing
# between input dropout 0.5 and 0 (selection.input_dropout = 0); AC: the defaults with each target read off the
# ensemble, its 10 nearest training cells or their average, chosen for each fold on the other folds; AD: the defaults
# with each target read off the ensemble or the average of the ensemble and a lasso on the descriptors, chosen alike
# ([calibration] neighbours = 10; cv prints the ensemble's own R^2 beside the read-out's); AE: both offered at once
# (the neighbours, their average and the lasso average beside the ensemble): the defaults since session 33, so M is AE
# from then on (cv prints the ensemble's own R^2, i.e. X, beside the read-out's).
# VARIANTS="A_selected M_default" runs only those.
for name in ${VARIANTS:-$(printf '%s\n' "${!variants[@]}" | sort)}; do
  printf '%s%s' "$common" "${variants[$name]}" > "$OUT/$name.toml"
  mpirun -n "$RANKS" --oversubscribe ${MPIRUN_FLAGS:-} "$BIN" cv --data "$DATA" --schema "$SCHEMA" --config "$OUT/$name.toml" \
    --group "$GROUP" --out "$OUT/$name.h5" > "$OUT/$name.log" 2>&1
  printf '%-28s %s  |' "$name" "$(awk '/^median R\^2/ {print $3}' "$OUT/$name.log")"
  sed -n '/^target/,/^average/p' "$OUT/$name.log" | awk 'NR > 1 && $1 != "average" {printf " %s", $2}'
  echo
done
