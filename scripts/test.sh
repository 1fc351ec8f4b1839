#!/usr/bin/env bash
# The README's test command: install what is missing, build, run every test (unit, MPI on 1/2/4 ranks, CLI).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
cd build && ctest --output-on-failure --timeout 900 -j "$(nproc)"
