#pragma once
// How commands write their results: rank 0 writes every output of the command together (io::write_atomically),
// and the ranks agree on the outcome, so a full disk stops every rank with the same report (exit 2) and success
// is printed only after the last rename.
#include <functional>
#include <vector>

#include "elec/cli/command.hpp"
#include "elec/io/atomic_output.hpp"
#include "elec/io/model_file.hpp"

namespace elec::cli {

void write_on_root(const RunContext& context, const std::vector<io::PendingOutput>& outputs);

// Runs `action` (writing something) on rank 0 only; an io::OutputError it throws is rethrown on every rank.
void on_root_agreed(const RunContext& context, const std::function<void()>& action);

// Who made a file and how (root attributes of every HDF5 output).
io::Provenance provenance(const RunContext& context);

}  // namespace elec::cli
