#pragma once
// The search loop that elec_hpc tune and elec_hpc design both run: trials in batches, each batch suggested by TPE
// from the trials of the batches before it (the constant liar spreads a batch out), evaluated together by a function
// the caller gives, and recorded one by one through a function the caller gives (the journal). Trials already in
// the journal are taken from it, never evaluated again, after checking that the journal's point is the one this
// study suggests; so a resumed study is the uninterrupted one, whatever was killed when.
//
// run_trials = for each batch: suggest_points -> take_recorded (journal) -> evaluate the rest -> record ->
// observe -> stop if asked. The batch size, not the caller's parallelism, fixes the sequence of suggestions.
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "elec/opt/journal.hpp"
#include "elec/opt/tpe.hpp"

namespace elec::opt {

// What evaluating one point gave: the value TPE maximises or minimises (NaN = failed, the worst), its wall time,
// and the caller's extra numbers (recorded in the journal beside the value).
struct TrialOutcome {
  double value = 0.0;
  double seconds = 0.0;
  std::vector<double> extras;
};

struct TrialRecord {
  int number = 0;
  std::vector<double> point;
  TrialOutcome outcome;
  bool from_journal = false;
};

struct TrialPlan {
  int trials = 0;  // in all, including the first point
  int batch = 1;
  // Trial 0 runs alone at this point (tune: the config's own values) instead of a suggestion.
  std::optional<std::vector<double>> first_point;
};

// Points of one batch -> their outcomes, in the same order. Called on every process with the same points; it
// must return the same outcomes on every process.
using BatchEvaluation = std::function<std::vector<TrialOutcome>(const std::vector<std::vector<double>>& points)>;
// Makes one finished trial durable (the caller writes the journal); called in trial order.
using TrialRecorder = std::function<void(const JournalEntry& entry)>;
// After each batch: every trial so far, and where this batch's trials begin.
using BatchObserver = std::function<void(const std::vector<TrialRecord>& history, std::size_t batch_begin)>;

// Asked after each recorded batch (a safe point: every finished trial is in the journal); true stops the search.
// Called on every process at the same point, so it may be collective.
using StopCheck = std::function<bool()>;

// Thrown by run_trials when the stop check said so before the last batch.
struct Interrupted : std::runtime_error {
  Interrupted(int finished_trials, int total_trials)
      : std::runtime_error("the search was stopped after " + std::to_string(finished_trials) + " of " +
                           std::to_string(total_trials) + " trials"),
        finished(finished_trials),
        total(total_trials) {}
  int finished;
  int total;
};

struct TrialJournal {
  std::string path;                    // named in messages
  std::vector<JournalEntry> recorded;  // trials read back from it (resume)
  TrialRecorder record;                // may be empty: nothing is recorded
};

// Runs plan.trials trials with `tpe` and returns them in trial order. Throws data::InputError when the journal
// holds a trial at another point than this study suggests (another data, config or seed), and Interrupted when
// `stop` (may be empty) says so after a batch that is not the last.
std::vector<TrialRecord> run_trials(const Tpe& tpe, const TrialPlan& plan, const TrialJournal& journal,
                                    const BatchEvaluation& evaluate, const BatchObserver& observe,
                                    const StopCheck& stop = {});

// The finished trial with the best value in `direction` (NaN values never win; ties: the earliest), or nullptr.
const TrialRecord* best_trial(const std::vector<TrialRecord>& history, Direction direction);

}  // namespace elec::opt
