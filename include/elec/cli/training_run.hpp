#pragma once
// What train and impute share: validate the study files, train across ranks, and summarise what was achieved.
#include <string>

#include "elec/cli/checkpointer.hpp"
#include "elec/cli/preflight.hpp"
#include "elec/cli/reporter.hpp"
#include "elec/data/study_inputs.hpp"
#include "elec/eval/cross_validation.hpp"
#include "elec/model/trained_model.hpp"

namespace elec::cli {

struct TrainingRun {
  data::StudyInputs inputs;
  model::TrainedModel model;          // complete and identical on every rank
  eval::CrossValidation calibration;  // the inner cross-validation of [calibration] (no folds when not asked)
  std::string resumed_from;           // what a resumed run took from its checkpoint ("" when it started afresh)
};

// Where a training may be saved and resumed (train); nullptr where it may not (impute).
struct TrainingCheckpoint {
  CheckpointOptions options;
  std::string out;  // the command's output, beside which the checkpoint goes by default
};

// Validates the study files and where `outputs` would go (load_study), prints what is about to run, and trains
// with progress lines (then the inner cross-validation that fits the calibration, when the config asks).
// With `checkpoint`, the training's safe points write checkpoints and a stop request ends it there
// (StoppedAtSafePoint); the checkpoint's path must be among `outputs`.
TrainingRun load_and_train(const StudyFiles& files, const std::vector<io::NamedPath>& outputs,
                           const RunContext& context, Reporter& report, data::Purpose purpose,
                           const TrainingCheckpoint* checkpoint = nullptr);

// data, ensemble, imputation, in-sample fit, calibration and model checksum lines of the verification summary.
void summarise_training(Reporter& report, const TrainingRun& run, const RunContext& context);

}  // namespace elec::cli
