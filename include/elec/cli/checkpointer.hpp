#pragma once
// The safe points of `train` and `cv` as the command line runs them: a checkpoint (io/checkpoint_file) is written
// every --checkpoint-every minutes and at once when a scheduler's signal arrives (cli/interruption); after a
// signal the run stops there with exit status 75, and the same command with --resume continues from the
// checkpoint and ends with bitwise the outputs of an uninterrupted run, on any number of ranks. The ranks agree
// at every safe point (any rank's signal or clock decides for all); rank 0 writes the file.
#include <CLI/CLI.hpp>
#include <chrono>
#include <stdexcept>
#include <string>

#include "elec/cli/command.hpp"
#include "elec/cli/reporter.hpp"
#include "elec/io/checkpoint_file.hpp"
#include "elec/io/output_paths.hpp"
#include "elec/model/safe_points.hpp"

namespace elec::cli {

struct CheckpointOptions {
  std::string path;           // --checkpoint; "" = beside the output: "<out>.checkpoint"
  double every_minutes = 30;  // --checkpoint-every; 0 = only on a signal
  bool resume = false;        // --resume
};

void add_checkpoint_options(CLI::App* app, CheckpointOptions& options);

// The checkpoint's path for a command whose main output is `out`, as an output to check with the others.
io::NamedPath checkpoint_output(const CheckpointOptions& options, const std::string& out);

// Thrown at a safe point after the checkpoint was written because of a signal.
struct StoppedAtSafePoint : std::runtime_error {
  explicit StoppedAtSafePoint(const std::string& where) : std::runtime_error(where) {}
};

class Checkpointer final : public model::SafePoints {
 public:
  // Reads the checkpoint when resuming (every rank; a bad one is refused with every problem as data::InputError),
  // and refuses to start afresh over an existing one. `fingerprint`: the command and its study (what a checkpoint
  // must match).
  Checkpointer(const RunContext& context, const Reporter& report, const CheckpointOptions& options,
               const std::string& out, std::string fingerprint);

  const std::vector<double>* recorded(const std::string& unit) const override;
  void record(const std::string& unit, const std::vector<double>& result) override;
  const model::TrainingState* resumed(const std::string& scope) const override;
  void reached(const std::function<model::TrainingState()>& capture) override;
  void finished(const std::string& scope) override;

  const std::string& path() const { return path_; }
  // "resumed from <path>: 3 finished units, training model/final at 300 epochs" or "" when not resumed.
  const std::string& resumed_from() const { return resumed_from_; }

 private:
  std::string describe() const;

  const RunContext& context_;
  const Reporter& report_;
  std::string path_;
  double every_seconds_;
  io::Checkpoint current_;
  std::string resumed_from_;
  std::chrono::steady_clock::time_point last_save_;
};

// After the command's outputs are in place: rank 0 removes the checkpoint (it is no longer needed).
void remove_checkpoint(const RunContext& context, const std::string& path);

// Rank 0 says where the run stopped, what was saved and how to go on; returns kInterruptedStatus.
int report_stop(const RunContext& context, const std::string& command, const StoppedAtSafePoint& stop,
                const std::string& checkpoint);

}  // namespace elec::cli
