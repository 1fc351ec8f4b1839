#pragma once
// Damage to a file held as a Snapshot, chosen by fuzz input: the ways a model file goes wrong in practice (a
// dataset cut short or padded, NaN/inf/zero/negative/huge values, a shape attribute that lies, a wrong string,
// a dataset of another type, a dataset or a whole group missing) expressed so that libFuzzer can steer them.
// Every edit keeps data and dims consistent, so the project's writer always accepts the result.
#include <fuzzer/FuzzedDataProvider.h>

#include "hdf5_snapshot.hpp"

namespace elec::fuzz {

// Applies edits until the input runs out (at most a few, so that an input stays a readable recipe).
void apply_edits(Snapshot& snapshot, FuzzedDataProvider& input);

}  // namespace elec::fuzz
