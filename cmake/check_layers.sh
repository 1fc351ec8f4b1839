#!/bin/sh
# The layer check of one module, run by the build before the module's library is compiled (CMakeLists.txt,
# elec_module): every `#include "elec/<module>/..."` in the module's sources and headers must name the module
# itself or one it uses, and MPI and HDF5 stay behind their one module each (par, io): docs/architecture.md's
# "knows nothing of" column, enforced. Prints every forbidden include as file:line and fails; touches STAMP when
# there is none.
# Usage: check_layers.sh MODULE "USED MODULES" STAMP FILE...
module=$1; uses=$2; stamp=$3
shift 3
violations=$(
  for file in "$@"; do
    grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](elec/[a-z_]+/|mpi\.h|hdf5\.h)' "$file" |
      sed -E "s|^([0-9]+):.*[<\"](elec/([a-z_]+)/\|(mpi)\.h\|(hdf5)\.h).*|$file:\1 \3\4\5|"
  done | while read -r where target; do
    case $target in
      mpi) [ "$module" = par ] && continue; target="MPI (only par/ calls it)";;
      hdf5) [ "$module" = io ] && continue; target="HDF5 (only io/ calls it)";;
      "$module") continue;;
      *) case " $uses " in *" $target "*) continue;; esac;;
    esac
    echo "$where: error: $module/ may not include $target; it uses ${uses:-no other module} (docs/architecture.md)"
  done)
if [ -n "$violations" ]; then
  printf '%s\n' "$violations" >&2
  exit 1
fi
touch "$stamp"
