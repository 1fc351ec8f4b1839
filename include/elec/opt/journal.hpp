#pragma once
// The study journal of elec_hpc tune: a CSV file with one line per finished trial (trial, value, seconds, then one
// column per tuned parameter; categoricals as their choice), appended and flushed to disk (fsync) as soon as a
// trial's value is known, so a killed study loses only the trials that were running. `tune --resume` reads it
// back and re-runs nothing that is in it.
#include <string>
#include <vector>

#include "elec/data/diagnostics.hpp"
#include "elec/opt/search_space.hpp"

namespace elec::opt {

struct JournalEntry {
  int number = 0;
  double value = 0.0;
  double seconds = 0.0;
  std::vector<double> point;
};

// Appends `entry` to `path` (creating it with its header when absent) and forces it to disk.
void append_to_journal(const std::string& path, const SearchSpace& space, const JournalEntry& entry);

// Every entry of the journal at `path`; problems (another search space's header, malformed numbers, a value
// outside the space, a repeated trial) go to diag with file:line:col.
std::vector<JournalEntry> read_journal(const std::string& path, const SearchSpace& space, data::Diagnostics& diag);

}  // namespace elec::opt
