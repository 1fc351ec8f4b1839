#pragma once
// elec_hpc tune's study: hyperparameters by TPE (Bergstra et al. 2011), each trial scored by k-fold
// cross-validation of the study with the trial's values (median R^2 by default, the paper's objective), then the
// final model trained on every cell with the best trial's values. Trial 0 is the config's own values, so a study
// always reports what it improved on. How a batch of trials is spread over processes is the caller's
// (BatchEvaluation, e.g. one group of ranks per trial, each running score_trial); every trial's cross-validation is
// rank-invariant, so the whole study is.
//
// run_tune_study = run_trials (TPE batches, journal, resume) -> best_trial -> train_calibrated(with_point(winner)).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "elec/data/study_inputs.hpp"
#include "elec/eval/cross_validation.hpp"
#include "elec/model/pipeline.hpp"
#include "elec/opt/search_space.hpp"
#include "elec/opt/trial_loop.hpp"
#include "elec/opt/tune_config.hpp"

namespace elec::opt {

// A study resolved against its inputs.
struct TuneStudy {
  const data::StudyInputs& inputs;
  const TuneConfig& tune;
  SearchSpace space;
  Tpe tpe;
  std::vector<int> folds;                   // every trial's cross-validation folds
  data::StudyConfig trial_config;           // a trial's values go into this: the study config, [tune] members
  std::optional<std::vector<double>> base;  // the config's own values, when the space admits them (trial 0)
  // The read-out's out-of-fold forecasts on `folds`, computed once for every trial (they depend on the data and the
  // folds only); none when no read-out is offered or the space tunes [calibration] itself.
  std::optional<model::ReadoutForecasts> forecasts;
};
TuneStudy make_tune_study(const data::StudyInputs& inputs, const TuneConfig& tune);

// "r2:<target>" must name a target of cross-validation: a scalar endpoint or a whole curve.
void check_objective_target(const TuneConfig& tune, const data::Dataset& dataset, data::Diagnostics& problems);
// The objective named by [tune] objective (median_r2, mean_r2, r2:<target>) of one cross-validation.
double tune_objective(const eval::CrossValidation& cv, const std::string& name);
// `config` with a point's values set (categorical values by choice).
data::StudyConfig with_point(data::StudyConfig config, const SearchSpace& space, const std::vector<double>& point);

// One trial: the cross-validation of the study with the point's values, on the members `distribution` owns.
TrialOutcome score_trial(const TuneStudy& study, const std::vector<double>& point,
                         const model::MemberDistribution& distribution);

struct TuneCallbacks {
  BatchObserver batch_done;  // after each batch: the trials so far
  StopCheck stop;            // after each batch: true stops the search (Interrupted)
  // The winner and the config with its values, before the final model is trained.
  std::function<void(const TrialRecord&, const data::StudyConfig&)> retraining;
  model::PassObserver pass;  // the final training's passes
};

struct TunedModel {
  std::vector<TrialRecord> history;
  TrialRecord winner;
  data::StudyConfig config;  // the study config with the winner's values: the final model's
  model::TrainedModel model;
};

// Runs the study's trials (each batch through `evaluate`, recorded in `journal`) and trains the final model with the
// winner's values over `distribution`, calibrated as the config's [calibration] asks. Throws Interrupted when
// callbacks.stop says so, std::runtime_error when no trial gave a defined objective.
TunedModel run_tune_study(const TuneStudy& study, const TrialJournal& journal, const BatchEvaluation& evaluate,
                          const model::MemberDistribution& distribution, const TuneCallbacks& callbacks);

}  // namespace elec::opt
