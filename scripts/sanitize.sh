#!/usr/bin/env bash
# The sanitizer and fuzzing check: installs what is missing, builds everything (library, program, tests, benchmarks,
# fuzz harnesses) with clang, AddressSanitizer and UndefinedBehaviorSanitizer in ./build-asan, and runs the whole
# ctest suite there: unit, MPI and command-line tests, and each fuzz harness for ELEC_FUZZ_SECONDS (default 60).
# Extra arguments go to cmake's configure step, e.g. -DELEC_FUZZ_SECONDS=10. Prints the wall time of each stage.
# Running the fuzzers longer, and what the numbers were: bench/fuzz.md.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash scripts/install-deps.sh

# A Debug build at -O2: assertions stay on (Eigen checks every index) and reports have file:line. -O2 rather than
# the usual -O1: Eigen needs the inlining, and the training tests ran 3.2x faster (bench/fuzz.md).
CC=clang CXX=clang++ cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_FLAGS_DEBUG="-O2 -g" -DCMAKE_CXX_FLAGS_DEBUG="-O2 -g" -DELEC_FUZZ=ON "$@"
cmake --build build-asan -j "$(nproc)"
built=$(date +%s)

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
status=0
# -LE quality: the accuracy measurement (ImputeQuality) takes minutes at full speed and over half an hour under
# ASan; its code paths (training, imputation, read-out) run here in the CLI and curve tests.
(cd build-asan && ctest -j "$(nproc)" -LE quality --output-on-failure --timeout 1800) || status=$?
end=$(date +%s)
echo "sanitize.sh: install+build $((built - start)) s, tests $((end - built)) s, total $((end - start)) s" \
     "(per-test times: build-asan/Testing/Temporary/LastTest.log)"
exit "$status"
