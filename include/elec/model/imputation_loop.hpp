#pragma once
// The self-consistent imputation loop (Drakopoulos et al. 2021, "Artificial intelligence"): train on the
// mean-filled table, then pass after pass predict every blank with every member, soften the estimate towards the
// ensemble mean (z <- g z + (1 - g) y, confidence from the spread), and keep training on the updated table, until
// the largest change is below the tolerance or the passes run out. Imputed values are inputs, never targets.
#include <limits>
#include <vector>

#include "elec/data/matrix.hpp"
#include "elec/data/study_config.hpp"
#include "elec/model/ensemble.hpp"
#include "elec/model/safe_points.hpp"

namespace elec::model {

using PassObserver = std::function<void(const PassRecord&)>;

// What to run: initial epochs, then `passes` passes each followed by `pass_epochs` epochs of training.
struct Schedule {
  int epochs = 0;
  int passes = 0;
  int pass_epochs = 0;
  std::vector<double> l2_by_endpoint;  // each endpoint network's L2 penalty; empty: the config's l2 for all
};

// Measured cells hidden from training so that a schedule can be scored on them (standardised units).
struct HeldOut {
  std::vector<BlankCell> cells;
  std::vector<double> truth;
  int check_every = 0;  // also score every this many initial epochs (0: only when blanks are predicted)
};

// RMSE of the ensemble mean on the held-out cells after `epochs` initial epochs and `passes` passes.
struct ValidationPoint {
  int epochs = 0;
  int passes = 0;
  double rmse = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> squared_error;  // per endpoint, summed over its held-out cells (for choices per target)
};

struct ImputationResult {
  Matrix values;      // rows x E: measured where measured, ensemble mean elsewhere (standardised)
  Matrix spread;      // rows x E: standard deviation over members, every cell
  Matrix prediction;  // rows x E: ensemble mean of every cell; measured cells are predicted from the others
  std::vector<double> member_predictions;  // members x rows x E when asked for, else empty
  std::vector<PassRecord> history;
  std::vector<ValidationPoint> validation;
  bool converged = false;
};

using ScoreObserver = std::function<void(const ValidationPoint&)>;

struct LoopOptions {
  bool train = true;          // false: a trained ensemble imputes new rows (no training)
  bool keep_members = false;  // return every member's prediction of every cell
  const HeldOut* held_out = nullptr;
  ScoreObserver scored;  // called with each held-out score as it is made
  // Loss group of each endpoint (data::endpoint_groups): a curve's points form one group. nullptr: one per endpoint.
  const std::vector<int>* groups = nullptr;
  // Training only: offer the state at safe points (every kSafePointEpochs initial epochs, after each pass) and
  // resume from the state saved under this scope.
  SafePointScope safe_points;
};

// Initial epochs between two safe points of a training (chunks train exactly as one run of epochs would).
inline constexpr int kSafePointEpochs = 25;

// endpoints: NaN = blank (held-out cells must already be blank). Everything standardised.
template <class T>
ImputationResult run_imputation(Ensemble<T>& ensemble, const Matrix& descriptors, const Matrix& endpoints,
                                const Schedule& schedule, const data::StudyConfig& config, const PassObserver& observe,
                                const LoopOptions& options);

}  // namespace elec::model
