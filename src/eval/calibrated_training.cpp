#include "elec/eval/calibrated_training.hpp"

#include <optional>

#include "elec/eval/readout_choice.hpp"

namespace elec::eval {
namespace {

// Without a group column the calibration folds keep each recipe's replicates together: a replicate left in
// training would score its twin as a new cell and flatter the neighbour read-out.
std::vector<std::string> recipe_labels(const data::Dataset& dataset) {
  std::vector<std::string> labels;
  for (const std::size_t recipe : data::recipe_of_rows(dataset.descriptors)) labels.push_back(std::to_string(recipe));
  return labels;
}

}  // namespace

model::Calibration calibration_from(const data::Dataset& dataset, const CrossValidation& cv,
                                    const data::StudyConfig& config) {
  model::Calibration c;
  const std::vector<bool> every_row(dataset.rows(), true);
  // The read-out is chosen first, so that the scale covers the errors of the centre the model will report.
  Matrix centre = cv.mean;
  if (!cv.readout_by_fold.empty()) {
    c.readout = choose_readouts(dataset, cv.ensemble_mean, cv.forecasts, every_row);
    centre = model::read_out(c.readout, cv.ensemble_mean, cv.forecasts);
    // What predict needs to repeat the choice on new cells: the k of the neighbours, the lasso fitted on every cell.
    if (c.reads(model::Readout::Neighbours) || c.reads(model::Readout::Average))
      c.neighbours = config.calibration_neighbours;
    if (c.reads(model::Readout::LassoAverage)) c.lasso = fit_lasso_readout(dataset.descriptors, dataset.endpoints);
  }
  c.scale = fit_variance_scales(dataset, centre, cv.spread, every_row);
  const std::string& group = config.calibration_group;
  c.fitted_on = std::string(c.readout.empty() ? "variance scale" : "read-out and variance scale") +
                " per target, fitted on the out-of-fold predictions of " + std::to_string(cv.folds) +
                "-fold cross-validation by " + (group.empty() ? "recipe" : group) + " of " +
                std::to_string(dataset.rows()) +
                " cells (held-out cells predicted from their descriptors alone), seed " + std::to_string(config.seed);
  return c;
}

CalibratedTraining train_calibrated(const data::Dataset& dataset, const data::Schema& schema,
                                    const data::StudyConfig& config, const model::MemberDistribution& distribution,
                                    const std::vector<std::string>& groups, const model::Progress& progress,
                                    const std::function<void(const FoldProgress&)>& fold_progress,
                                    const model::SafePointScope& safe) {
  CalibratedTraining out;
  std::optional<model::ScheduleSelection> selection;
  if (config.auto_schedule)
    selection = model::select_training_schedule(dataset, config, distribution, progress, safe.within("selection"));
  const model::ScheduleSelection* selected = selection ? &*selection : nullptr;
  // The folds run the model's own schedule (epochs, passes, penalties per target): what is calibrated is the
  // model as trained, and a selection per fold would multiply the cost of training by the folds.
  if (config.calibration_folds > 0) {
    const std::vector<int> folds = assign_folds(groups.empty() ? recipe_labels(dataset) : groups, dataset.rows(),
                                                config.calibration_folds, config.seed);
    out.inner = cross_validate(dataset, schema, config, distribution, folds, config.calibration_folds, fold_progress,
                               selected, safe.within("calibration"));
  }
  out.model = model::train_model(dataset, schema, config, distribution, progress, selected, safe.within("model"));
  if (config.calibration_folds > 0) out.model.calibration = calibration_from(dataset, out.inner, config);
  return out;
}

}  // namespace elec::eval
