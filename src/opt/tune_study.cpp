#include "elec/opt/tune_study.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "elec/eval/calibrated_training.hpp"

namespace elec::opt {
namespace {

TpeSettings tune_settings(const TuneConfig& tune) {
  TpeSettings settings;
  settings.startup_trials = tune.startup;
  settings.multivariate = tune.multivariate;
  settings.direction = Direction::Maximise;
  return settings;
}

// The config's own values as a point, when the space admits them.
std::optional<std::vector<double>> point_of(const data::StudyConfig& config, const SearchSpace& space) {
  std::vector<double> point;
  for (const auto& p : space.parameters()) {
    double number = 0.0;
    std::string text;
    data::get_parameter(config, p.name, number, text);
    if (p.kind == ParameterKind::Categorical) {
      const auto it = std::find(p.choices.begin(), p.choices.end(), text);
      if (it == p.choices.end()) return std::nullopt;
      number = static_cast<double>(it - p.choices.begin());
    }
    if (!p.admits(number)) return std::nullopt;
    point.push_back(number);
  }
  return point;
}

}  // namespace

TuneStudy make_tune_study(const data::StudyInputs& inputs, const TuneConfig& tune) {
  const SearchSpace space(tune.parameters);
  data::StudyConfig trial_config = inputs.config;
  if (tune.members > 0) trial_config.members = tune.members;
  TuneStudy study{inputs,
                  tune,
                  space,
                  Tpe(space, tune_settings(tune), inputs.config.seed),
                  eval::assign_folds(eval::group_labels(inputs.table, tune.group), inputs.dataset.rows(), tune.folds,
                                     inputs.config.seed),
                  trial_config,
                  point_of(inputs.config, space),
                  std::nullopt};
  bool tunes_readout = false;
  for (std::size_t k = 0; k < space.size(); ++k) tunes_readout |= space[k].name.rfind("calibration.", 0) == 0;
  if (data::offers_readout(trial_config) && !tunes_readout)
    study.forecasts = eval::out_of_fold_forecasts(inputs.dataset, study.folds, tune.folds,
                                                  trial_config.calibration_neighbours, trial_config.calibration_lasso);
  return study;
}

void check_objective_target(const TuneConfig& tune, const data::Dataset& dataset, data::Diagnostics& problems) {
  if (tune.objective.rfind("r2:", 0) != 0 || dataset.endpoint_names.empty()) return;
  const std::string target = tune.objective.substr(3);
  std::vector<std::string> targets;
  for (const auto& c : dataset.curves) targets.push_back(c.name);
  for (std::size_t j = 0; j < dataset.endpoint_names.size(); ++j) {
    const bool on_curve = std::any_of(dataset.curves.begin(), dataset.curves.end(), [&](const data::CurveBlock& c) {
      return static_cast<int>(j) >= c.first_endpoint && static_cast<int>(j) < c.first_endpoint + c.points();
    });
    if (!on_curve) targets.push_back(dataset.endpoint_names[j]);
  }
  if (std::find(targets.begin(), targets.end(), target) != targets.end()) return;
  std::string known;
  for (const auto& t : targets) known += (known.empty() ? "" : ", ") + t;
  problems.add(tune.objective_at,
               "objective \"" + tune.objective + "\": no such target; expected r2: and one of " + known);
}

double tune_objective(const eval::CrossValidation& cv, const std::string& name) {
  if (name == "median_r2") return cv.median_r_squared;
  double sum = 0.0;
  int count = 0;
  for (const auto& t : cv.targets) {
    if (name == "r2:" + t.name) return t.r_squared;
    if (!std::isnan(t.r_squared)) sum += t.r_squared, ++count;
  }
  if (name == "mean_r2") return count ? sum / count : std::nan("");
  throw data::InputError("objective " + name + ": no such target; the targets are the scalar endpoints and curves\n");
}

data::StudyConfig with_point(data::StudyConfig config, const SearchSpace& space, const std::vector<double>& point) {
  for (std::size_t k = 0; k < space.size(); ++k) {
    const auto& p = space[k];
    const std::string wrong =
        p.kind == ParameterKind::Categorical
            ? data::set_parameter(config, p.name, 0.0, p.choices[static_cast<std::size_t>(point[k])])
            : data::set_parameter(config, p.name, point[k]);
    if (!wrong.empty()) throw std::runtime_error("trial point: " + wrong);
  }
  return config;
}

TrialOutcome score_trial(const TuneStudy& study, const std::vector<double>& point,
                         const model::MemberDistribution& distribution) {
  const auto start = std::chrono::steady_clock::now();
  const data::StudyInputs& in = study.inputs;
  const auto cv = eval::cross_validate(in.dataset, in.schema, with_point(study.trial_config, study.space, point),
                                       distribution, study.folds, study.tune.folds, nullptr, nullptr, {},
                                       study.forecasts ? &*study.forecasts : nullptr);
  return {tune_objective(cv, study.tune.objective),
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
          {}};
}

TunedModel run_tune_study(const TuneStudy& study, const TrialJournal& journal, const BatchEvaluation& evaluate,
                          const model::MemberDistribution& distribution, const TuneCallbacks& callbacks) {
  TunedModel out;
  out.history = run_trials(study.tpe, {study.tune.trials, study.tune.batch, study.base}, journal, evaluate,
                           callbacks.batch_done, callbacks.stop);
  const TrialRecord* winner = best_trial(out.history, Direction::Maximise);
  if (!winner) throw std::runtime_error("no trial gave a defined " + study.tune.objective);
  out.winner = *winner;
  out.config = with_point(study.inputs.config, study.space, out.winner.point);
  if (callbacks.retraining) callbacks.retraining(out.winner, out.config);
  // With [calibration] folds, the winner's values are cross-validated once more with the final ensemble size:
  // a trial's spread came from tune.members networks, not the final model's.
  out.model = eval::train_calibrated(study.inputs.dataset, study.inputs.schema, out.config, distribution,
                                     eval::group_labels(study.inputs.table, out.config.calibration_group),
                                     {callbacks.pass, nullptr, nullptr})
                  .model;
  return out;
}

}  // namespace elec::opt
