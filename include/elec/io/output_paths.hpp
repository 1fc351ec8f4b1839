#pragma once
// Where a command's outputs would go, checked before any work starts: a run that would end by failing to write
// (or by writing over one of its own inputs) should fail in the first second, not after hours of training.
#include <string>
#include <vector>

#include "elec/data/diagnostics.hpp"

namespace elec::io {

// A file the command reads or writes, with how the user named it ("--data", "OUT", "OUT's companion").
struct NamedPath {
  std::string path;
  std::string option;
};

// Adds a problem for each output that is empty, a directory, in a directory that does not exist or cannot be
// written (permissions or a read-only file system), the same file as one of the inputs (by identity, so links and
// other spellings count), or the same path as another output. Inputs that do not exist are left to their readers.
void check_output_paths(const std::vector<NamedPath>& outputs, const std::vector<NamedPath>& inputs,
                        data::Diagnostics& problems);

}  // namespace elec::io
