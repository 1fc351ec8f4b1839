#include "elec/cli/checkpointer.hpp"

#include <filesystem>
#include <iostream>

#include "elec/cli/interruption.hpp"
#include "elec/cli/outputs.hpp"
#include "elec/cli/preflight.hpp"
#include "elec/version.hpp"

namespace elec::cli {
namespace {

bool inside(const std::string& name, const std::string& scope) {
  return name.size() > scope.size() && name.compare(0, scope.size(), scope) == 0 && name[scope.size()] == '/';
}

// Reads the checkpoint a resumed run starts from (nothing when there is none yet: the first run of a job that
// always passes --resume), or refuses to start afresh over one.
io::Checkpoint starting_point(const RunContext& context, const std::string& path, const std::string& fingerprint,
                              bool resume) {
  return validated_on_every_rank(context, [&] {
    io::Checkpoint start;
    start.fingerprint = fingerprint;
    if (!std::filesystem::exists(path)) return start;
    if (!resume)
      throw data::InputError(path +
                             ": a checkpoint of an interrupted run is there; expected --resume to continue "
                             "it, or another --checkpoint (or remove it to start afresh)\n");
    data::Diagnostics problems;
    std::optional<io::Checkpoint> read = io::read_checkpoint(path, fingerprint, problems);
    problems.throw_if_any();
    return std::move(*read);
  });
}

}  // namespace

void add_checkpoint_options(CLI::App* app, CheckpointOptions& options) {
  app->add_option("--checkpoint", options.path,
                  "checkpoint file, written at safe points (default: the output's name + \".checkpoint\"; removed "
                  "when the run ends)");
  app->add_option("--checkpoint-every", options.every_minutes,
                  "minutes between checkpoints (0: only when a signal asks the run to stop)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app->add_flag("--resume", options.resume,
                "continue from the checkpoint when there is one (a run stopped by a signal, exit status 75)");
}

io::NamedPath checkpoint_output(const CheckpointOptions& options, const std::string& out) {
  return {options.path.empty() ? out + ".checkpoint" : options.path, "--checkpoint"};
}

Checkpointer::Checkpointer(const RunContext& context, const Reporter& report, const CheckpointOptions& options,
                           const std::string& out, std::string fingerprint)
    : context_(context),
      report_(report),
      path_(checkpoint_output(options, out).path),
      every_seconds_(options.every_minutes * 60.0),
      current_(starting_point(context, path_, fingerprint + " elec_hpc " + kVersion, options.resume)),
      last_save_(std::chrono::steady_clock::now()) {
  if (!current_.units.empty() || current_.training)
    resumed_from_ = "resumed from " + path_ + ": " + describe();
  else if (options.resume)
    report_.line("no checkpoint at " + path_ + ": starting afresh");
  if (!resumed_from_.empty()) report_.line(resumed_from_);
}

const std::vector<double>* Checkpointer::recorded(const std::string& unit) const {
  const auto found = current_.units.find(unit);
  return found == current_.units.end() ? nullptr : &found->second;
}

void Checkpointer::record(const std::string& unit, const std::vector<double>& result) { current_.units[unit] = result; }

const model::TrainingState* Checkpointer::resumed(const std::string& scope) const {
  return current_.training && current_.training->scope == scope ? &*current_.training : nullptr;
}

void Checkpointer::finished(const std::string& scope) {
  for (auto it = current_.units.begin(); it != current_.units.end();)
    it = inside(it->first, scope) ? current_.units.erase(it) : std::next(it);
  if (current_.training && (current_.training->scope == scope || inside(current_.training->scope, scope)))
    current_.training.reset();
}

void Checkpointer::reached(const std::function<model::TrainingState()>& capture) {
  const bool stop = stop_on_signal(context_)();
  const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - last_save_).count();
  if (!stop && !context_.comm.any(every_seconds_ > 0 && waited >= every_seconds_)) return;
  if (capture)
    current_.training = capture();  // collective: every member's state gathered in member order
  else
    current_.training.reset();
  on_root_agreed(context_, [&] { io::write_checkpoint(path_, current_); });
  last_save_ = std::chrono::steady_clock::now();
  if (stop) throw StoppedAtSafePoint(describe());
  report_.line("checkpoint written to " + path_ + ": " + describe());
}

// "4 finished units, training model/final at 300 epochs and 0 passes"
std::string Checkpointer::describe() const {
  std::string text = std::to_string(current_.units.size()) + " finished unit" + (current_.units.size() == 1 ? "" : "s");
  if (current_.training)
    text += ", training " + current_.training->scope + " at " + std::to_string(current_.training->epochs_done) +
            " epochs and " + std::to_string(current_.training->passes_done) + " passes";
  return text;
}

void remove_checkpoint(const RunContext& context, const std::string& path) {
  if (!context.comm.is_root()) return;
  std::error_code ignored;  // nothing to remove is fine; a checkpoint left behind is refused only without --resume
  std::filesystem::remove(path, ignored);
}

int report_stop(const RunContext& context, const std::string& command, const StoppedAtSafePoint& stop,
                const std::string& checkpoint) {
  if (!context.comm.is_root()) return kInterruptedStatus;
  const std::string received = received_signal();
  std::cerr << "elec_hpc " << command << ": stopped by " << (received.empty() ? "a signal on another rank" : received)
            << " at a safe point; no output was written.\n"
            << "elec_hpc " << command << ": saved in " << checkpoint << ": " << stop.what()
            << "; run the same command with --resume to continue (exit status " << kInterruptedStatus
            << " = interrupted, resumable)\n";
  return kInterruptedStatus;
}

}  // namespace elec::cli
