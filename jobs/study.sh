#!/usr/bin/env bash
# A whole study on a cluster, as chained SLURM jobs: train the model (a job array over SEEDS seeds when SEEDS > 1,
# each task into $OUT/train/seed-K), cross-validate the method at the same time, and search designs with the model
# once the training has succeeded (--dependency=afterok). Every job requeues itself at its time limit and resumes
# (jobs/resumable.sh), so a dependency waits for the requeued runs too.
#   bash jobs/study.sh                      # the shipped graphite study into results/study
#   DATA=... SCHEMA=... CONFIG=... DESIGN=... OUT=... SEEDS=4 bash jobs/study.sh
# Extra sbatch options (partition, account, time) go in SBATCH_OPTIONS, e.g. SBATCH_OPTIONS="-p short -A lab".
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-inputs/graphite/cells.csv}
SCHEMA=${SCHEMA:-inputs/graphite/schema.toml}
CONFIG=${CONFIG:-inputs/graphite/study.toml}
DESIGN=${DESIGN:-inputs/graphite/design.toml}
OUT=${OUT:-results/study}
SEEDS=${SEEDS:-1}
read -r -a options <<<"${SBATCH_OPTIONS:-}"
inputs="ALL,DATA=$DATA,SCHEMA=$SCHEMA,CONFIG=$CONFIG"
array=(); model=$OUT/train/model.h5
if [ "$SEEDS" -gt 1 ]; then array=(--array="0-$((SEEDS - 1))"); model=$OUT/train/seed-0/model.h5; fi
train=$(sbatch "${options[@]}" --parsable "${array[@]}" --export="$inputs,OUT=$OUT/train" jobs/train.slurm)
cv=$(sbatch "${options[@]}" --parsable --export="$inputs,OUT=$OUT/cv" jobs/cv.slurm)
design=$(sbatch "${options[@]}" --parsable --dependency="afterok:$train" \
  --export="ALL,MODEL=$model,DESIGN=$DESIGN,OUT=$OUT/design" jobs/design_search.slurm)
echo "submitted: train $train, cv $cv, design $design (after train); outputs in $OUT/{train,cv,design}"
echo "follow with: squeue -j $train,$cv,$design"
