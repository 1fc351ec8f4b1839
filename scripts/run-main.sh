#!/usr/bin/env bash
# The README's main command: install what is missing, build, and run the main job on the shipped inputs on this
# machine (the same job script a SLURM cluster runs with sbatch).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
bash jobs/main.slurm
