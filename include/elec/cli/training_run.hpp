#pragma once
// What train and impute share: validate the study files, train across ranks, and summarise what was achieved.
#include <string>

#include "elec/cli/preflight.hpp"
#include "elec/cli/reporter.hpp"
#include "elec/data/study_inputs.hpp"
#include "elec/eval/cross_validation.hpp"
#include "elec/model/trained_model.hpp"

namespace elec::cli {

struct TrainingRun {
  data::StudyInputs inputs;
  model::TrainedModel model;  // complete and identical on every rank
  eval::CrossValidation calibration;  // the inner cross-validation of [calibration] (no folds when not asked)
};

// What the model is trained for, which decides what `[selection] holdout = "auto"` scores: imputing the blanks of
// the table itself (hidden cells) or predicting new cells (hidden recipes).
enum class TrainingPurpose { ImputeTable, PredictNewCells };

// Validates the study files and where `outputs` would go (load_study), prints what is about to run, and trains
// with progress lines (then the inner cross-validation that fits the calibration, when the config asks).
TrainingRun load_and_train(const StudyFiles& files, const std::vector<io::NamedPath>& outputs,
                           const RunContext& context, Reporter& report, TrainingPurpose purpose);

// data, ensemble, imputation, in-sample fit, calibration and model checksum lines of the verification summary.
void summarise_training(Reporter& report, const TrainingRun& run, const RunContext& context);

}  // namespace elec::cli
