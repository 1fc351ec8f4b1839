#pragma once
// Training a model that carries its own calibration ([calibration] folds > 0): the study is cross-validated on
// the training cells (folds by the config's group, the paper's protocol: held-out cells predicted from their
// descriptors alone), a variance scale per target is fitted on those out-of-fold predictions
// (eval/calibration), and the model trained on every cell is given the scales. The folds run the final model's
// schedule (chosen once, on the whole study) rather than selecting their own, so the cost is `folds` extra
// trainings, not selections; the scales depend only on (data, config, seed), so the model is the same on any
// number of ranks. With [calibration] neighbours the same out-of-fold predictions also choose each target's
// read-out (eval/readout_choice), before the scale is fitted to the chosen read-out's errors.
#include <functional>
#include <string>
#include <vector>

#include "elec/data/dataset.hpp"
#include "elec/data/schema.hpp"
#include "elec/data/study_config.hpp"
#include "elec/eval/cross_validation.hpp"
#include "elec/model/pipeline.hpp"

namespace elec::eval {

struct CalibratedTraining {
  model::TrainedModel model;
  CrossValidation inner;  // the inner cross-validation the scales were fitted on (empty when folds = 0)
};

// groups: one label per row from the config's group column ({} = by recipe: cells with equal descriptors). The order is
// selection, then the calibration folds, then the final model, so that every finished part is a small unit of `safe`
// ("selection/run k", "calibration/fold k") and only the training under way needs its full state saved.
CalibratedTraining train_calibrated(const data::Dataset& dataset, const data::Schema& schema,
                                    const data::StudyConfig& config, const model::MemberDistribution& distribution,
                                    const std::vector<std::string>& groups, const model::Progress& progress,
                                    const std::function<void(const FoldProgress&)>& fold_progress = nullptr,
                                    const model::SafePointScope& safe = {});

// The calibration of a model from a cross-validation of its study (every fold's out-of-fold predictions): the
// read-out per target when cv carries neighbour forecasts (config.calibration_neighbours), then the variance scale
// of the read-out's errors.
model::Calibration calibration_from(const data::Dataset& dataset, const CrossValidation& cv,
                                    const data::StudyConfig& config);

}  // namespace elec::eval
