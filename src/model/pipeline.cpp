#include "elec/model/pipeline.hpp"

#include <cmath>
#include <stdexcept>

#include "elec/data/curves.hpp"
#include "elec/model/ensemble.hpp"
#include "elec/model/readout.hpp"
#include "elec/model/schedule_selection.hpp"

namespace elec::model {
namespace {

// The table as the networks see it: standardised, with the network's shape and the loss groups.
struct StandardisedTable {
  data::Standardizer descriptor_scaling, endpoint_scaling;
  Matrix descriptors, endpoints;
  NetworkShape shape;
  std::vector<int> groups;
};

StandardisedTable standardise(const data::Dataset& dataset, const data::StudyConfig& config) {
  StandardisedTable t;
  t.groups = data::endpoint_groups(dataset.endpoints.cols(), dataset.curves);
  t.descriptor_scaling = data::Standardizer::fit(dataset.descriptors);
  t.endpoint_scaling = data::Standardizer::fit(dataset.endpoints);
  t.shape = {static_cast<int>(dataset.descriptors.cols()), static_cast<int>(dataset.endpoints.cols()),
             config.hidden_units, config.confidence_inputs};
  t.descriptors = t.descriptor_scaling.apply(dataset.descriptors);
  t.endpoints = t.endpoint_scaling.apply(dataset.endpoints);
  return t;
}

template <class T>
ScheduleSelection select_in(const data::Dataset& dataset, const data::StudyConfig& config,
                            const MemberDistribution& distribution, const Progress& progress,
                            const SafePointScope& safe) {
  const StandardisedTable t = standardise(dataset, config);
  ScheduleSelection s =
      select_schedule<T>(t.shape, t.descriptors, t.endpoints, config, distribution, progress.scored, &t.groups, safe);
  if (progress.selected) progress.selected(s);
  return s;
}

template <class T>
TrainedModel train_in(const data::Dataset& dataset, const data::Schema& schema, const data::StudyConfig& config,
                      const MemberDistribution& distribution, const Progress& progress,
                      const ScheduleSelection* selected, const SafePointScope& safe) {
  TrainedModel m;
  m.schema = schema;
  m.config = config;
  m.descriptor_names = dataset.descriptor_names;
  m.descriptor_units = dataset.descriptor_units;
  m.endpoint_names = dataset.endpoint_names;
  m.endpoint_units = dataset.endpoint_units;
  m.encodings = dataset.encodings;
  m.curves = dataset.curves;
  const StandardisedTable t = standardise(dataset, config);
  m.descriptor_scaling = t.descriptor_scaling;
  m.endpoint_scaling = t.endpoint_scaling;
  m.shape = t.shape;

  Schedule schedule = Schedule::plain(config.epochs, config.max_passes, config.pass_epochs);
  if (selected) {
    m.selection = *selected;
  } else if (config.auto_schedule) {
    m.selection = select_schedule<T>(m.shape, t.descriptors, t.endpoints, config, distribution, progress.scored,
                                     &t.groups, safe.within("selection"));
    if (progress.selected) progress.selected(m.selection);
  }
  if (selected || config.auto_schedule) schedule = m.selection.chosen;
  m.config.epochs = schedule.epochs;
  m.config.max_passes = schedule.passes;
  m.config.pass_epochs = schedule.pass_epochs;

  Ensemble<T> ensemble(m.shape, static_cast<std::size_t>(config.members), distribution, config.seed, dataset.rows());
  ensemble.set_centre(centre_named(config.centre));
  TrainingOptions options;
  options.groups = &t.groups;
  options.safe_points = safe.within("final");
  const ImputationResult fit =
      ImputationLoop<T>(ensemble, t.descriptors, t.endpoints, loop_settings(m.config, schedule), progress.pass)
          .train(schedule, options);
  m.members = ensemble.all_params();
  m.training_row_ids = dataset.row_ids;
  m.training_descriptors = dataset.descriptors;
  m.training_values = m.endpoint_scaling.restore(fit.values);
  m.training_prediction = m.endpoint_scaling.restore(fit.prediction);
  m.training_spread = m.endpoint_scaling.restore_spread(fit.spread);
  m.training_measured = dataset.endpoints.unaryExpr([](double v) { return std::isnan(v) ? 0.0 : 1.0; });
  m.history = fit.history;
  return m;
}

// The read-out the calibration chose per target, for the rows predicted from their descriptors alone (the case it
// was chosen on); a row that gives some endpoint keeps the ensemble's reading, which uses it. The members move
// with the centre, so the spread is the ensemble's.
void read_out_chosen(const TrainedModel& model, const Matrix& descriptors, const Matrix& endpoints,
                     CellPredictions& out) {
  const Calibration& c = model.calibration;
  if (!c.leaves_ensemble()) return;
  ReadoutForecasts forecasts;
  if (c.neighbours > 0) {
    const Matrix measured = (model.training_measured.array() > 0.0).select(model.training_values, std::nan(""));
    forecasts.neighbours = neighbour_predictions(model.training_descriptors, measured, descriptors, c.neighbours);
  }
  if (!c.lasso.empty()) forecasts.lasso = c.lasso.predict(descriptors);
  for (Matrix* m : {&forecasts.neighbours, &forecasts.lasso})
    for (Eigen::Index i = 0; i < m->rows(); ++i)
      if (!endpoints.row(i).array().isNaN().all()) m->row(i).setConstant(std::nan(""));
  const Matrix centre = read_out(c.readout, out.prediction, forecasts);
  move_members(out.prediction, centre, out.members);
  out.values = endpoints.array().isNaN().select(centre, out.values);
  out.prediction = centre;
}

template <class T>
CellPredictions predict_in(const TrainedModel& model, const Matrix& descriptors, const Matrix& endpoints,
                           const MemberDistribution& distribution, const PassObserver& observe, bool keep_members) {
  Ensemble<T> ensemble(model.shape, distribution, model.members);
  ensemble.set_centre(centre_named(model.config.centre));
  const ImputationResult r =
      ImputationLoop<T>(ensemble, model.descriptor_scaling.apply(descriptors), model.endpoint_scaling.apply(endpoints),
                        loop_settings(model.config, Schedule{}), observe)
          .impute(model.config.max_passes, keep_members);
  CellPredictions out;
  out.values = model.endpoint_scaling.restore(r.values);
  out.prediction = model.endpoint_scaling.restore(r.prediction);
  out.raw_spread = model.endpoint_scaling.restore_spread(r.spread);
  out.spread = calibrated_spread(model.calibration, out.raw_spread);
  out.history = r.history;
  out.converged = r.converged;
  if (keep_members) {
    out.members = r.member_predictions;
    model.endpoint_scaling.restore_in_place(out.members);
  }
  read_out_chosen(model, descriptors, endpoints, out);
  if (keep_members) stretch_members(model.calibration, out.prediction, out.members);
  return out;
}

bool single_precision(const std::string& precision) {
  if (precision == "float32") return true;
  if (precision == "float64") return false;
  throw std::invalid_argument("precision must be float32 or float64, not " + precision);
}

}  // namespace

ScheduleSelection select_training_schedule(const data::Dataset& dataset, const data::StudyConfig& config,
                                           const MemberDistribution& distribution, const Progress& progress,
                                           const SafePointScope& safe) {
  return single_precision(config.precision) ? select_in<float>(dataset, config, distribution, progress, safe)
                                            : select_in<double>(dataset, config, distribution, progress, safe);
}

TrainedModel train_model(const data::Dataset& dataset, const data::Schema& schema, const data::StudyConfig& config,
                         const MemberDistribution& distribution, const Progress& progress,
                         const ScheduleSelection* selected, const SafePointScope& safe) {
  return single_precision(config.precision)
             ? train_in<float>(dataset, schema, config, distribution, progress, selected, safe)
             : train_in<double>(dataset, schema, config, distribution, progress, selected, safe);
}

CellPredictions predict_cells(const TrainedModel& model, const Matrix& descriptors, const Matrix& endpoints,
                              const MemberDistribution& distribution, const PassObserver& observe, bool keep_members) {
  return single_precision(model.config.precision)
             ? predict_in<float>(model, descriptors, endpoints, distribution, observe, keep_members)
             : predict_in<double>(model, descriptors, endpoints, distribution, observe, keep_members);
}

}  // namespace elec::model
