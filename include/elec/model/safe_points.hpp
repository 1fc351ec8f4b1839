#pragma once
// Safe points of a training: where it can be saved and later continued bit for bit (`train --resume`,
// `cv --resume`). A training reports its finished units (a selection run, a cross-validation fold: small results
// that stand in for the unit when it is met again) and, between chunks of epochs and after each imputation pass,
// offers the state of the ensemble under way. What happens at a safe point (save now? stop?) is the caller's
// business: the model knows no clock, signal, file or rank.
#include <functional>
#include <string>
#include <vector>

#include "elec/data/matrix.hpp"

namespace elec::model {

struct PassRecord {
  int pass = 0;             // 0: initial training, 1..: imputation passes
  double max_change = 0.0;  // largest change of a blank, standardised units
  double mean_change = 0.0;
  double seconds = 0.0;  // wall time since the loop started
};

// A training under way, as far as it got: enough to continue it exactly.
struct TrainingState {
  std::string scope;            // which training ("model/final", "fold 3/final", ...)
  int epochs_done = 0;          // initial epochs finished
  int passes_done = 0;          // imputation passes finished, each with its warm-start epochs
  Matrix estimate, confidence;  // the imputation state (standardised)
  std::vector<PassRecord> history;
  std::size_t per_member = 0;   // values per member in `members`
  std::vector<double> members;  // every member's state (Member::save), in member order
};

class SafePoints {
 public:
  virtual ~SafePoints() = default;
  // The result an earlier run recorded for `unit`, or nullptr (then the unit is computed).
  virtual const std::vector<double>* recorded(const std::string& unit) const = 0;
  // `unit` is finished; its result goes with every later save.
  virtual void record(const std::string& unit, const std::vector<double>& result) = 0;
  // The saved state of the training `scope` when this run resumes inside it, else nullptr.
  virtual const TrainingState* resumed(const std::string& scope) const = 0;
  // A safe point, reached by every process at the same place (so the implementation may be collective).
  // `capture` gives the state of the training under way (collective too); empty between trainings. May throw to
  // stop the run after saving.
  virtual void reached(const std::function<TrainingState()>& capture) = 0;
  // Everything recorded inside `scope` (its units "scope/...", its training state) is no longer needed.
  virtual void finished(const std::string& scope) = 0;
};

// Where a computation stands among its run's safe points: the run's SafePoints (nullptr: none, nothing is saved)
// and the name of the part under way, e.g. "calibration/fold 2/selection".
struct SafePointScope {
  SafePoints* points = nullptr;
  std::string scope;
  SafePointScope within(const std::string& part) const { return {points, scope.empty() ? part : scope + "/" + part}; }
  std::string unit(const std::string& name) const { return scope.empty() ? name : scope + "/" + name; }
};

}  // namespace elec::model
