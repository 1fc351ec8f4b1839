#include "elec/eval/comparison.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <set>
#include <stdexcept>

#include "elec/data/diagnostics.hpp"
#include "elec/data/hash.hpp"
#include "elec/eval/gaussian_process.hpp"
#include "elec/eval/gradient_boosting.hpp"
#include "elec/eval/lasso.hpp"
#include "elec/eval/random_forest.hpp"

namespace elec::eval {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// One baseline fit: a baseline trained on one endpoint column of the other folds' cells, predicting one fold.
struct BaselineItem {
  int fold = 0, column = 0;
  std::string baseline;
};

// The models asked for, in comparable_models() order, so neither the rows nor the fits depend on how they were named.
std::vector<std::string> checked_models(const std::vector<std::string>& models) {
  check_model_names(models);
  std::vector<std::string> ordered;
  for (const std::string& name : comparable_models())
    if (std::find(models.begin(), models.end(), name) != models.end()) ordered.push_back(name);
  return ordered;
}

std::vector<BaselineItem> baseline_items(const std::vector<std::string>& models, int folds, Eigen::Index columns) {
  std::vector<BaselineItem> items;
  for (int fold = 0; fold < folds; ++fold)
    for (int column = 0; column < static_cast<int>(columns); ++column)
      for (const std::string& name : models)
        if (name != kEnsembleName) items.push_back({fold, column, name});
  return items;
}

// Mean then std of every row (NaN outside the held-out fold, and the std NaN without uncertainty): 2 x rows values.
// A fold without held-out cells or a column never measured in the other folds has nothing to fit: all NaN.
std::vector<double> fit_item(const data::Dataset& dataset, const std::vector<int>& fold_of_row,
                             const BaselineItem& item, std::uint64_t study_seed) {
  const Eigen::Index rows = dataset.endpoints.rows();
  std::vector<double> slot(static_cast<std::size_t>(2 * rows), std::nan(""));
  std::vector<Eigen::Index> training, held;
  for (Eigen::Index r = 0; r < rows; ++r) {
    if (fold_of_row[static_cast<std::size_t>(r)] == item.fold)
      held.push_back(r);
    else if (!std::isnan(dataset.endpoints(r, item.column)))
      training.push_back(r);
  }
  if (training.empty() || held.empty()) return slot;
  // The descriptors only: the other endpoints are exactly what a single-output baseline cannot use.
  const Matrix x = dataset.descriptors(training, Eigen::all);
  const Vector y = dataset.endpoints(training, item.column);
  const std::unique_ptr<Regressor> baseline = make_baseline(item.baseline);
  baseline->fit(x, y, fit_seed(study_seed, item.baseline, item.column, item.fold));
  const RegressorPrediction p = baseline->predict(dataset.descriptors(held, Eigen::all));
  for (std::size_t k = 0; k < held.size(); ++k) {
    const auto r = static_cast<std::size_t>(held[k]);
    slot[r] = p.mean[static_cast<Eigen::Index>(k)];
    if (p.std.size() > 0) slot[static_cast<std::size_t>(rows) + r] = p.std[static_cast<Eigen::Index>(k)];
  }
  return slot;
}

// This process's items, each into its own slot: the result cannot depend on the thread that ran an item. An
// exception cannot leave an OpenMP region, so the first failure (in item order) is kept and rethrown after it.
std::vector<double> fit_owned_items(const data::Dataset& dataset, const std::vector<int>& fold_of_row,
                                    const std::vector<BaselineItem>& items, model::MemberRange owned,
                                    std::uint64_t study_seed, const std::function<void(int, int)>& done) {
  const std::size_t per_item = 2 * dataset.rows();
  const auto count = static_cast<std::ptrdiff_t>(owned.size());
  std::vector<double> values(owned.size() * per_item);
  std::vector<std::string> failures(owned.size());
  int finished = 0;
#pragma omp parallel for schedule(dynamic, 1)
  for (std::ptrdiff_t k = 0; k < count; ++k) {
    const BaselineItem& item = items[owned.first + static_cast<std::size_t>(k)];
    try {
      const std::vector<double> slot = fit_item(dataset, fold_of_row, item, study_seed);
      std::copy(slot.begin(), slot.end(), values.begin() + k * static_cast<std::ptrdiff_t>(per_item));
    } catch (const std::exception& e) {
      failures[static_cast<std::size_t>(k)] = item.baseline + " on endpoint column " + std::to_string(item.column) +
                                              ", fold " + std::to_string(item.fold) + ": " + e.what();
    }
#pragma omp critical(elec_comparison_progress)
    {
      ++finished;
      if (done) done(finished, static_cast<int>(count));
    }
  }
  for (const std::string& failure : failures)
    if (!failure.empty()) throw std::runtime_error("compare: baseline fit failed: " + failure);
  return values;
}

// Every baseline's rows x endpoints mean and std from the gathered slots (item order).
std::vector<ModelRow> baseline_rows(const data::Dataset& dataset, const std::vector<int>& fold_of_row,
                                    const std::vector<std::string>& models, const std::vector<BaselineItem>& items,
                                    const std::vector<double>& gathered) {
  const Eigen::Index rows = dataset.endpoints.rows(), columns = dataset.endpoints.cols();
  std::vector<ModelRow> out;
  for (const std::string& name : models) {
    if (name == kEnsembleName) continue;
    ModelRow row;
    row.name = name;
    row.has_uncertainty = make_baseline(name)->has_uncertainty();
    row.mean = row.spread = Matrix::Constant(rows, columns, std::nan(""));
    out.push_back(std::move(row));
  }
  for (std::size_t k = 0; k < items.size(); ++k) {
    ModelRow& row =
        *std::find_if(out.begin(), out.end(), [&](const ModelRow& m) { return m.name == items[k].baseline; });
    const double* slot = gathered.data() + k * 2 * static_cast<std::size_t>(rows);
    for (Eigen::Index r = 0; r < rows; ++r)
      if (fold_of_row[static_cast<std::size_t>(r)] == items[k].fold) {
        row.mean(r, items[k].column) = slot[r];
        row.spread(r, items[k].column) = slot[rows + r];
      }
  }
  return out;
}

void score_row(const data::Dataset& dataset, const std::vector<int>& fold_of_row, int folds,
               const MemberIntervals* members, const Matrix* scale, ModelRow& row) {
  row.targets = score_forecasts(dataset, row.mean, row.has_uncertainty ? &row.spread : nullptr, members, scale,
                                fold_of_row, folds);
  std::vector<CalibrationScore> calibrations;
  for (const TargetScore& t : row.targets) calibrations.push_back(t.raw);
  row.calibration = average_score(calibrations);
  row.median_r_squared = median_r_squared(row.targets);
  row.median_r_squared_well_measured = median_r_squared(row.targets, kWellMeasuredValues);
}

// "ensemble" and "ensemble_raw": one cross-validation, two ways of stating its uncertainty.
std::vector<ModelRow> ensemble_rows(const data::Dataset& dataset, const CrossValidation& cv) {
  ModelRow calibrated;
  calibrated.name = kEnsembleName;
  calibrated.has_uncertainty = calibrated.uses_endpoints = true;
  calibrated.mean = cv.mean;
  calibrated.spread = cv.spread.cwiseProduct(cv.scale);
  ModelRow raw = calibrated;
  raw.name = kEnsembleRawName;
  raw.spread = cv.spread;
  // Scored from the spread and the scale (not their product) so the scores are cv's own, bit for bit.
  score_row(dataset, cv.fold_of_row, cv.folds, &cv.members, nullptr, raw);
  ModelRow scored = raw;
  score_row(dataset, cv.fold_of_row, cv.folds, &cv.members, &cv.scale, scored);
  calibrated.targets = scored.targets;
  calibrated.calibration = scored.calibration;
  calibrated.median_r_squared = scored.median_r_squared;
  calibrated.median_r_squared_well_measured = scored.median_r_squared_well_measured;
  return {calibrated, raw};
}

}  // namespace

const std::vector<std::string>& comparable_models() {
  static const std::vector<std::string> names = {kEnsembleName, "lasso", "random_forest", "gradient_boosting", "gpr"};
  return names;
}

void check_model_names(const std::vector<std::string>& models) {
  std::string known;
  for (const std::string& name : comparable_models()) known += (known.empty() ? "" : ", ") + name;
  if (models.empty()) throw data::InputError("--models: no model named; expected some of " + known + "\n");
  std::set<std::string> seen;
  for (const std::string& name : models) {
    const auto& all = comparable_models();
    if (std::find(all.begin(), all.end(), name) == all.end())
      throw data::InputError("--models: unknown model \"" + name + "\"; expected some of " + known + "\n");
    if (!seen.insert(name).second) throw data::InputError("--models: \"" + name + "\" named twice\n");
  }
}

std::unique_ptr<Regressor> make_baseline(const std::string& name) {
  if (name == "lasso") return std::make_unique<Lasso>();
  if (name == "random_forest") return std::make_unique<RandomForest>();
  if (name == "gradient_boosting") return std::make_unique<GradientBoosting>();
  if (name == "gpr") return std::make_unique<GaussianProcess>();
  throw std::invalid_argument("make_baseline: no baseline \"" + name + "\"");
}

std::uint64_t fit_seed(std::uint64_t study_seed, const std::string& baseline, int column, int fold) {
  const std::int64_t where[2] = {column, fold};
  return data::Fnv1a().add(&study_seed, sizeof study_seed).add(baseline).add(where, sizeof where).value();
}

Comparison compare_models(const data::Dataset& dataset, const data::Schema& schema, const data::StudyConfig& config,
                          const model::MemberDistribution& distribution, const std::vector<int>& fold_of_row, int folds,
                          const std::vector<std::string>& models,
                          const std::function<void(const ComparisonProgress&)>& progress) {
  const auto start = Clock::now();
  const std::vector<std::string> ordered = checked_models(models);
  Comparison out{folds, fold_of_row, {}, 0};
  if (std::find(ordered.begin(), ordered.end(), kEnsembleName) != ordered.end()) {
    const auto fold_done = [&](const FoldProgress& p) {
      if (progress) progress({"ensemble", p.fold, p.folds, seconds_since(start)});
    };
    const CrossValidation cv = cross_validate(dataset, schema, config, distribution, fold_of_row, folds, fold_done);
    out.models = ensemble_rows(dataset, cv);
  }
  const std::vector<BaselineItem> items = baseline_items(ordered, folds, dataset.endpoints.cols());
  const model::MemberRange owned = distribution.owned(items.size());
  double reported = seconds_since(start);
  const std::vector<double> mine =
      fit_owned_items(dataset, fold_of_row, items, owned, config.seed, [&](int done, int total) {
        // About ten lines whatever the number of fits, and one at least every 30 s: a GP on a thousand cells
        // takes minutes, and a silent job looks like a hung one.
        const double now = seconds_since(start);
        if (progress && (done == total || done % std::max(1, total / 10) == 0 || now - reported >= 30.0)) {
          reported = now;
          progress({"baselines", done, total, now});
        }
      });
  const std::vector<double> gathered = distribution.gather(mine, items.size(), 2 * dataset.rows());
  for (ModelRow& row : baseline_rows(dataset, fold_of_row, ordered, items, gathered)) {
    score_row(dataset, fold_of_row, folds, nullptr, nullptr, row);
    out.models.push_back(std::move(row));
  }
  out.baseline_fits = static_cast<int>(items.size());
  return out;
}

}  // namespace elec::eval
