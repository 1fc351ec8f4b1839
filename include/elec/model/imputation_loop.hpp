#pragma once
// The self-consistent imputation loop (Drakopoulos et al. 2021, "Artificial intelligence"): train on the
// mean-filled table, then pass after pass predict every blank with every member, soften the estimate towards the
// ensemble mean (z <- g z + (1 - g) y, confidence from the spread), and keep training on the updated table, until
// the largest change is below the tolerance or the passes run out. Imputed values are inputs, never targets.
#include <chrono>
#include <limits>
#include <vector>

#include "elec/data/matrix.hpp"
#include "elec/data/study_config.hpp"
#include "elec/model/ensemble.hpp"
#include "elec/model/imputation_state.hpp"
#include "elec/model/safe_points.hpp"

namespace elec::model {

using PassObserver = std::function<void(const PassRecord&)>;

// What to run: initial epochs, then `passes` passes each followed by `pass_epochs` epochs of training.
struct Schedule {
  int epochs = 0;
  int passes = 0;
  int pass_epochs = 0;
  std::vector<double> l2_by_endpoint;  // each endpoint network's L2 penalty; empty: the config's l2 for all
  // each endpoint network's group-lasso input penalty; empty: the config's input_penalty for all
  std::vector<double> input_penalty_by_endpoint;
  // each endpoint network's input dropout; empty: the config's (by purpose) for all
  std::vector<double> input_dropout_by_endpoint;

  // The same settings for every endpoint.
  static Schedule plain(int epochs, int passes, int pass_epochs) { return {epochs, passes, pass_epochs, {}, {}, {}}; }
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

// What the loop takes from the study config: how members train, how blanks are softened, when passes stop.
struct LoopSettings {
  TrainingSettings training;  // learning rate, L2 (per endpoint when the schedule chose it), input and cell dropout
  double softening = 0.5;     // g in z <- g z + (1 - g) y
  double tolerance = 1e-3;    // stop when the largest change of a blank (standardised units) is below this
};
LoopSettings loop_settings(const data::StudyConfig& config, const Schedule& schedule);

// How a training is run besides its schedule.
struct TrainingOptions {
  // Loss group of each endpoint (data::endpoint_groups): a curve's points form one group. nullptr: one per endpoint.
  const std::vector<int>* groups = nullptr;
  const HeldOut* held_out = nullptr;  // cells scored as the training goes (schedule selection)
  ScoreObserver scored;               // called with each held-out score as it is made
  // Offer the state at safe points (every kSafePointEpochs initial epochs, after each pass) and resume from the
  // state saved under this scope.
  SafePointScope safe_points;
};

// Initial epochs between two safe points of a training (chunks train exactly as one run of epochs would).
inline constexpr int kSafePointEpochs = 25;

// The loop on one table (endpoints: NaN = blank, held-out cells already blank; everything standardised), in its
// named steps: resume (a saved state of this training), initial_training, pass (predict the blanks, soften, train
// on), read_out (every member predicts every cell). train() runs them for a training, impute() for a trained
// ensemble filling new rows (passes without training). One use per object.
template <class T>
class ImputationLoop {
 public:
  ImputationLoop(Ensemble<T>& ensemble, const Matrix& descriptors, const Matrix& endpoints, LoopSettings settings,
                 PassObserver observe);
  ImputationResult train(const Schedule& schedule, const TrainingOptions& options);
  ImputationResult impute(int passes, bool keep_members);

 private:
  void resume(const SafePointScope& safe);
  void initial_training(int epochs);
  bool pass(int number, int epochs_before, int pass_epochs);  // true when converged
  void read_out(int epochs, bool keep_members);
  void score(int epochs, int passes, const std::vector<double>& blank_mean);
  void offer_safe_point();

  Ensemble<T>& ensemble_;
  LoopSettings settings_;
  PassObserver observe_;
  ImputationState state_;
  std::vector<std::size_t> blank_cells_;  // flat cell indices of the blanks, in their order
  TrainingTable<T> table_;  // the networks' view of the current estimate, shared by prediction and training
  bool training_ = false;
  const HeldOut* held_out_ = nullptr;
  std::vector<std::size_t> held_positions_;  // where each held-out cell sits among the blanks
  ScoreObserver scored_;
  SafePointScope safe_;
  int epochs_done_ = 0, passes_done_ = 0;
  std::chrono::steady_clock::time_point start_;
  ImputationResult result_;
};

}  // namespace elec::model
