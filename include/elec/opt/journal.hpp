#pragma once
// The study journal of elec_hpc tune and design: a CSV file with one record per finished trial (trial, value,
// seconds, one column per searched parameter with categoricals as their choice, the recorded extra quantities, the
// study's fingerprint, and the record's own checksum), appended and forced to disk (fsync) as soon as a trial's value
// is known, so a killed study loses only the trials that were running. `--resume` reads it back and re-runs nothing
// that is in it.
//
// A journal is read back only when it is whole and this study's: a record with another study's fingerprint is
// refused, a damaged record in the middle is refused, and a torn last record (the run was killed while writing
// it) is dropped with a warning; that trial simply runs again.
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
  std::vector<double> extras;  // one per JournalLayout::extras (design: the probabilities and feasibility)
};

// The columns of a study's journal and the fingerprint every record carries.
struct JournalLayout {
  SearchSpace space;
  std::vector<std::string> extras;  // names of the extra numbers recorded after the point
  std::string fingerprint;
};

struct JournalContents {
  std::vector<JournalEntry> entries;
  std::vector<std::string> warnings;  // "file:line: ..." for what was dropped
  bool needs_repair = false;          // a torn record was dropped: rewrite before appending
};

// Appends `entry` to `path` (creating it with its header when absent or empty) and forces it to disk.
void append_to_journal(const std::string& path, const JournalLayout& layout, const JournalEntry& entry);

// Replaces `path` (atomically) with a journal of exactly `entries`: how a torn tail is cut off before appending.
void rewrite_journal(const std::string& path, const JournalLayout& layout, const std::vector<JournalEntry>& entries);

// The whole records of the journal at `path` (an empty file has none). Problems (another search space's header,
// another study's fingerprint, a damaged record before the last, malformed numbers, a value outside the space, a
// repeated trial) go to diag with file:line:col.
JournalContents read_journal(const std::string& path, const JournalLayout& layout, data::Diagnostics& diag);

// The journal a study starts from: none when `path` is absent or empty; with `resume`, read_journal; without it, an
// existing journal is an error (data::InputError: it is never overwritten), so a finished study is not lost.
JournalContents open_journal(const std::string& path, const JournalLayout& layout, bool resume,
                             data::Diagnostics& diag);

}  // namespace elec::opt
