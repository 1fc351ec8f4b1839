#pragma once
// A long command's checkpoint (train, cv): the finished units of its safe points and the state of the training
// under way (model/safe_points), in HDF5, with the study's fingerprint and a checksum of everything in it. It is
// written like every output (temporary, fsync, rename) and validated before use: a checkpoint of another study,
// command or format version, or a damaged one, is refused as bad input (exit 2).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "elec/data/diagnostics.hpp"
#include "elec/model/safe_points.hpp"

namespace elec::io {

inline constexpr int kCheckpointFormatVersion = 1;

struct Checkpoint {
  std::string fingerprint;  // what it belongs to: the command and the study's data, schema, config and seed
  std::map<std::string, std::vector<double>> units;  // finished units and their results
  std::optional<model::TrainingState> training;      // the training under way, when one was
};

// Writes `checkpoint` to `path` (atomically).
void write_checkpoint(const std::string& path, const Checkpoint& checkpoint);

// Reads and checks a checkpoint: its format and version, its checksum, and that its fingerprint is
// `expected_fingerprint`. Problems go to `diag` (file and what was expected); the result is then empty.
std::optional<Checkpoint> read_checkpoint(const std::string& path, const std::string& expected_fingerprint,
                                          data::Diagnostics& diag);

}  // namespace elec::io
