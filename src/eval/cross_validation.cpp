#include "elec/eval/cross_validation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "elec/common/rng.hpp"
#include "elec/data/curves.hpp"
#include "elec/eval/metrics.hpp"
#include "elec/eval/readout_choice.hpp"
#include "elec/model/pipeline.hpp"

namespace elec::eval {

data::Dataset rows_of(const data::Dataset& all, const std::vector<Eigen::Index>& rows) {
  data::Dataset part = all;
  part.row_ids.clear();
  part.row_lines.clear();
  part.descriptors.resize(static_cast<Eigen::Index>(rows.size()), all.descriptors.cols());
  part.endpoints.resize(static_cast<Eigen::Index>(rows.size()), all.endpoints.cols());
  part.derived_given.resize(static_cast<Eigen::Index>(rows.size()), all.derived_given.cols());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto r = rows[k], i = static_cast<Eigen::Index>(k);
    part.row_ids.push_back(all.row_ids[static_cast<std::size_t>(r)]);
    if (!all.row_lines.empty()) part.row_lines.push_back(all.row_lines[static_cast<std::size_t>(r)]);
    part.descriptors.row(i) = all.descriptors.row(r);
    part.endpoints.row(i) = all.endpoints.row(r);
    if (all.derived_given.cols() > 0) part.derived_given.row(i) = all.derived_given.row(r);
  }
  return part;
}

void split_rows(const std::vector<int>& fold_of_row, int fold, std::vector<Eigen::Index>& training,
                std::vector<Eigen::Index>& held) {
  training.clear(), held.clear();
  for (std::size_t r = 0; r < fold_of_row.size(); ++r)
    (fold_of_row[r] == fold ? held : training).push_back(static_cast<Eigen::Index>(r));
}

std::vector<std::string> group_labels(const data::CsvDocument& table, const std::string& column) {
  if (column.empty()) return {};
  const auto& header = table.header.fields;
  for (std::size_t c = 0; c < header.size(); ++c)
    if (header[c].text == column) {
      std::vector<std::string> labels;
      for (const auto& row : table.rows) labels.push_back(row.fields[c].text);
      return labels;
    }
  throw data::InputError(table.file + ":" + std::to_string(table.header.line) + ": no column \"" + column +
                         "\"; expected the group to name a column of the cell table\n");
}

std::vector<int> assign_folds(const std::vector<std::string>& groups, std::size_t rows, int folds, std::uint64_t seed) {
  std::vector<std::size_t> group_of(rows);
  std::vector<std::size_t> first_rows;  // one entry per group, in order of first appearance
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t r = 0; r < rows; ++r) {
    if (groups.empty()) {
      group_of[r] = r;
      first_rows.push_back(r);
      continue;
    }
    const auto [it, inserted] = index.emplace(groups[r], index.size());
    group_of[r] = it->second;
    if (inserted) first_rows.push_back(r);
  }
  // Fisher-Yates with the study's counter-based stream: the same order on every rank.
  std::vector<std::size_t> order(first_rows.size());
  for (std::size_t g = 0; g < order.size(); ++g) order[g] = g;
  common::CounterRng rng(seed, common::Purpose::Folds, 0);
  for (std::size_t g = order.size(); g > 1; --g) std::swap(order[g - 1], order[rng.below(g)]);
  std::vector<int> fold_of_group(order.size());
  for (std::size_t k = 0; k < order.size(); ++k)
    fold_of_group[order[k]] = static_cast<int>(k % static_cast<std::size_t>(folds));
  std::vector<int> out(rows);
  for (std::size_t r = 0; r < rows; ++r) out[r] = fold_of_group[group_of[r]];
  return out;
}

namespace {

// What a model without uncertainty scores on calibration: nothing, said with NaN (values 0, so averages skip it).
CalibrationScore no_calibration() {
  CalibrationScore s;
  s.gaussian_coverage.fill(std::nan("")), s.member_coverage.fill(std::nan(""));
  s.within_1std = s.within_2std = s.log_loss = s.sharpness = std::nan("");
  return s;
}

}  // namespace

CalibrationScore average_score(const std::vector<CalibrationScore>& scores) {
  CalibrationScore out;
  out.gaussian_coverage.fill(0.0), out.member_coverage.fill(0.0);
  out.sharpness = std::nan("");  // data units differ between targets: no average
  double counted = 0.0, with_loss = 0.0, loss = 0.0;
  for (const auto& s : scores) {
    if (s.values == 0) continue;
    for (std::size_t l = 0; l < kLevels; ++l)
      out.gaussian_coverage[l] += s.gaussian_coverage[l], out.member_coverage[l] += s.member_coverage[l];
    out.within_1std += s.within_1std, out.within_2std += s.within_2std, out.values += s.values, ++counted;
    if (!std::isnan(s.log_loss)) loss += s.log_loss, ++with_loss;
  }
  for (std::size_t l = 0; l < kLevels; ++l) out.gaussian_coverage[l] /= counted, out.member_coverage[l] /= counted;
  out.within_1std /= counted, out.within_2std /= counted;
  out.log_loss = with_loss > 0 ? loss / with_loss : std::nan("");
  return out;
}

std::vector<TargetScore> score_forecasts(const data::Dataset& dataset, const Matrix& mean, const Matrix* spread,
                                         const MemberIntervals* members, const Matrix* scale,
                                         const std::vector<int>& fold_of_row, int folds) {
  Matrix reference_mean, reference_variance;
  reference_forecasts(dataset.endpoints, fold_of_row, folds, reference_mean, reference_variance);
  // Accuracy counts the cells that were both measured and forecast (the same cells for every target).
  const Matrix scored =
      (dataset.endpoints.array().isNaN() || mean.array().isNaN()).select(0.0, Matrix::Ones(mean.rows(), mean.cols()));
  std::vector<TargetScore> targets;
  for (const auto& [name, columns] : targets_of(dataset)) {
    TargetScore s;
    s.name = name;
    const Score accuracy = score(mean, dataset.endpoints, scored, columns);
    s.r_squared = accuracy.r_squared, s.rmse = accuracy.rmse, s.mae = accuracy.mae, s.values = accuracy.cells;
    s.raw = spread
                ? score_calibration(
                      {dataset.endpoints, mean, *spread, members, &reference_mean, &reference_variance, scale}, columns)
                : no_calibration();
    targets.push_back(s);
  }
  return targets;
}

model::ReadoutForecasts out_of_fold_forecasts(const data::Dataset& dataset, const std::vector<int>& fold_of_row,
                                              int folds, int neighbours, bool lasso) {
  model::ReadoutForecasts forecasts;
  if (neighbours > 0) forecasts.neighbours = neighbour_forecasts(dataset, fold_of_row, folds, neighbours);
  if (lasso) forecasts.lasso = lasso_forecasts(dataset, fold_of_row, folds);
  return forecasts;
}

void read_out_cross_fitted(const data::Dataset& dataset, model::ReadoutForecasts forecasts, CrossValidation& cv) {
  cv.ensemble_mean = cv.mean;
  cv.forecasts = std::move(forecasts);
  cv.mean = cross_fitted_readout(dataset, cv.ensemble_mean, cv.forecasts, cv.fold_of_row, cv.folds, cv.readout_by_fold);
}

void score_cross_validation(const data::Dataset& dataset, CrossValidation& cv) {
  cv.scale = cross_fitted_scales(dataset, cv.mean, cv.spread, cv.fold_of_row, cv.folds);
  const std::vector<double> fitted =
      fit_variance_scales(dataset, cv.mean, cv.spread, std::vector<bool>(cv.fold_of_row.size(), true));
  cv.targets = score_forecasts(dataset, cv.mean, &cv.spread, &cv.members, nullptr, cv.fold_of_row, cv.folds);
  const std::vector<TargetScore> calibrated =
      score_forecasts(dataset, cv.mean, &cv.spread, &cv.members, &cv.scale, cv.fold_of_row, cv.folds);
  const std::vector<std::pair<std::string, std::vector<Eigen::Index>>> targets = targets_of(dataset);
  std::vector<CalibrationScore> raws, calibrateds;
  for (std::size_t k = 0; k < cv.targets.size(); ++k) {
    TargetScore& s = cv.targets[k];
    s.scale = fitted[static_cast<std::size_t>(targets[k].second.front())];
    s.calibrated = calibrated[k].raw;
    raws.push_back(s.raw), calibrateds.push_back(s.calibrated);
  }
  cv.raw = average_score(raws);
  cv.calibrated = average_score(calibrateds);
  cv.median_r_squared = median_r_squared(cv.targets);
  cv.median_r_squared_well_measured = median_r_squared(cv.targets, kWellMeasuredValues);
  if (cv.ensemble_mean.size() > 0) {
    const std::vector<TargetScore> alone =
        score_forecasts(dataset, cv.ensemble_mean, nullptr, nullptr, nullptr, cv.fold_of_row, cv.folds);
    for (std::size_t k = 0; k < cv.targets.size(); ++k) cv.targets[k].ensemble_r_squared = alone[k].r_squared;
    cv.ensemble_median_r_squared_well_measured = median_r_squared(alone, kWellMeasuredValues);
  }
}

namespace {

// One fold: train without its rows, then predict them from their descriptors alone (the paper's test protocol).
// Returns, for the held-out rows in order, the ensemble mean (E values each), then the std (E each), then the
// members' interval offsets (2 kLevels E each).
std::vector<double> predict_fold(const data::Dataset& dataset, const data::Schema& schema,
                                 const data::StudyConfig& config, const model::MemberDistribution& distribution,
                                 const std::vector<Eigen::Index>& training, const std::vector<Eigen::Index>& held,
                                 const model::ScheduleSelection* selected, const model::SafePointScope& safe,
                                 model::ScheduleSelection& chosen) {
  const model::TrainedModel trained =
      model::train_model(rows_of(dataset, training), schema, config, distribution, {}, selected, safe);
  chosen = trained.selection;
  const data::Dataset test = rows_of(dataset, held);
  const Matrix blank = Matrix::Constant(test.endpoints.rows(), test.endpoints.cols(), std::nan(""));
  const model::CellPredictions p = model::predict_cells(trained, test.descriptors, blank, distribution, nullptr, true);
  const MemberIntervals intervals = member_intervals(p.members, p.prediction);
  std::vector<double> out;
  for (const Matrix* m : {&p.prediction, &p.spread})
    for (Eigen::Index i = 0; i < m->rows(); ++i)
      for (Eigen::Index j = 0; j < m->cols(); ++j) out.push_back((*m)(i, j));
  out.insert(out.end(), intervals.offsets.begin(), intervals.offsets.end());
  return out;
}

void unpack_fold(const std::vector<double>& result, const std::vector<Eigen::Index>& held, CrossValidation& cv) {
  const std::size_t E = static_cast<std::size_t>(cv.mean.cols()), width = 2 * kLevels * E, n = held.size();
  if (result.size() != n * (2 * E + width)) throw std::invalid_argument("a recorded fold of another table");
  const double* x = result.data();
  for (Matrix* m : {&cv.mean, &cv.spread})
    for (std::size_t k = 0; k < n; ++k)
      for (std::size_t j = 0; j < E; ++j) (*m)(held[k], static_cast<Eigen::Index>(j)) = *x++;
  for (std::size_t k = 0; k < n; ++k, x += width)
    std::copy_n(x, width,
                cv.members.offsets.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(held[k]) * width));
}

}  // namespace

CrossValidation cross_validate(const data::Dataset& dataset, const data::Schema& schema,
                               const data::StudyConfig& config, const model::MemberDistribution& distribution,
                               const std::vector<int>& fold_of_row, int folds,
                               const std::function<void(const FoldProgress&)>& progress,
                               const model::ScheduleSelection* selected, const model::SafePointScope& safe,
                               const model::ReadoutForecasts* forecasts) {
  const auto start = std::chrono::steady_clock::now();
  CrossValidation cv;
  cv.folds = folds;
  cv.fold_of_row = fold_of_row;
  cv.mean = Matrix::Constant(dataset.endpoints.rows(), dataset.endpoints.cols(), std::nan(""));
  cv.spread = cv.mean;
  cv.members = {dataset.rows(), static_cast<std::size_t>(dataset.endpoints.cols()), {}};
  cv.members.offsets.assign(cv.members.rows * cv.members.endpoints * 2 * kLevels, std::nan(""));
  // Folds run one after the other, each fold's members spread over every rank: the work items (fold, member) are
  // shared by all ranks, and each fold's arithmetic is that of an ordinary, rank-invariant training.
  for (int fold = 0; fold < folds; ++fold) {
    std::vector<Eigen::Index> training, held;
    split_rows(fold_of_row, fold, training, held);
    if (held.empty() || training.empty()) continue;
    // A fold is a unit of the safe points: its held-out rows' predictions are what a resumed run needs of it.
    const std::string name = "fold " + std::to_string(fold + 1), unit = safe.unit(name);
    const std::vector<double>* recorded = safe.points ? safe.points->recorded(unit) : nullptr;
    model::ScheduleSelection chosen;
    const std::vector<double> result = recorded ? *recorded
                                                : predict_fold(dataset, schema, config, distribution, training, held,
                                                               selected, safe.within(name), chosen);
    unpack_fold(result, held, cv);
    if (safe.points && !recorded) {
      safe.points->record(unit, result);
      safe.points->finished(unit);
      safe.points->reached({});
    }
    const bool selected_here = !recorded && !selected && config.auto_schedule;
    if (progress)
      progress({fold + 1, folds, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                selected_here ? &chosen : nullptr});
  }
  if (data::offers_readout(config))
    read_out_cross_fitted(dataset,
                          forecasts ? *forecasts
                                    : out_of_fold_forecasts(dataset, fold_of_row, folds, config.calibration_neighbours,
                                                            config.calibration_lasso),
                          cv);
  score_cross_validation(dataset, cv);
  return cv;
}

}  // namespace elec::eval
