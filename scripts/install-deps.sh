#!/usr/bin/env bash
# Installs what elec_hpc needs on a fresh Debian 12 machine (build, tests, MPI runtime, HDF5 tools, clang for the
# sanitizer and fuzzing build, and the Python used by the figure and benchmark scripts). Safe to run again:
# apt-get skips what is present.
set -euo pipefail
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
PACKAGES=(
  g++ cmake make pkg-config git
  libopenmpi-dev openmpi-bin
  libeigen3-dev libhdf5-dev hdf5-tools libboost-serialization-dev
  libcli11-dev libtomlplusplus-dev libfast-float-dev librandom123-dev libmuparser-dev
  libxgboost-dev  # gradient-boosting baseline of `compare` (XGBoost C API)
  libgtest-dev clang-format  # the tests check that every C++ file is formatted (.clang-format)
  clang libclang-rt-14-dev libomp-dev  # scripts/sanitize.sh: ASan/UBSan/libFuzzer runtimes, OpenMP for clang
  python3 python3-numpy python3-h5py python3-matplotlib
  slurm-wlm munge  # tests/jobs/slurm.sh: the job scripts under a one-node SLURM (scripts/local-slurm.sh)
)
missing=()
for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "all ${#PACKAGES[@]} packages present"
fi
