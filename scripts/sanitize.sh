#!/usr/bin/env bash
# The sanitizer and fuzzing check: installs what is missing, builds the library, program, tests and fuzz harnesses
# (not the benchmarks, which it does not run) with clang, AddressSanitizer and UndefinedBehaviorSanitizer in
# ./build-asan, and runs the whole ctest suite there: unit, MPI and command-line tests, and each fuzz harness for
# ELEC_FUZZ_SECONDS (default 20).
# Extra arguments go to cmake's configure step, e.g. -DELEC_FUZZ_SECONDS=10. Prints the wall time of each stage.
# Running the fuzzers longer, and what the numbers were: bench/fuzz.md.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash scripts/install-deps.sh

# A Debug build at -O1, the usual sanitizer setting: assertions stay on (Eigen checks every index) and reports have
# file:line. (-O2 measured no faster here: bench/fuzz.md.)
CC=clang CXX=clang++ cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_FLAGS_DEBUG="-O1 -g" -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" -DELEC_FUZZ=ON -DELEC_BUILD_BENCH=OFF "$@"
cmake --build build-asan -j "$(nproc)"
built=$(date +%s)

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
status=0
# Not here: the accuracy measurement (label quality: minutes at full speed, over half an hour under ASan; its code
# paths run here in the CLI and curve tests) and the kill test (label timing: what SIGKILL leaves behind, timed
# from the length of a run; it runs in scripts/test.sh).
(cd build-asan && ctest -j "$(nproc)" -LE "quality|timing" --output-on-failure --timeout 1800) || status=$?
end=$(date +%s)
echo "sanitize.sh: install+build $((built - start)) s, tests $((end - built)) s, total $((end - start)) s" \
     "(per-test times: build-asan/Testing/Temporary/LastTest.log)"
exit "$status"
