#pragma once
// How commands write their results: rank 0 writes every output of the command together (common::write_atomically),
// and the ranks agree on the outcome, so a full disk stops every rank with the same report (exit 2) and success
// is printed only after the last rename.
#include <functional>
#include <vector>

#include "elec/cli/command.hpp"
#include "elec/common/atomic_output.hpp"
#include "elec/io/model_file.hpp"
#include "elec/opt/trial_loop.hpp"

namespace elec::cli {

void write_on_root(const RunContext& context, const std::vector<common::PendingOutput>& outputs);

// Runs `action` (writing something) on rank 0 only; an common::OutputError it throws is rethrown on every rank.
void on_root_agreed(const RunContext& context, const std::function<void()>& action);

// The trial loop's journal for a study whose journal was opened (opt::open_journal) on every rank: rank 0 reports
// what was dropped and cuts a torn tail off before anything is appended; each finished trial is then appended and
// forced to disk by rank 0, the ranks agreeing on the outcome.
opt::TrialJournal study_journal(const RunContext& context, const std::string& path, const opt::JournalLayout& layout,
                                const opt::JournalContents& contents);

// Who made a file and how (root attributes of every HDF5 output).
io::Provenance provenance(const RunContext& context);

}  // namespace elec::cli
