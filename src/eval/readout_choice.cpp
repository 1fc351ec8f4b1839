#include "elec/eval/readout_choice.hpp"

#include <cmath>
#include <set>

#include "elec/eval/calibration.hpp"
#include "elec/eval/cross_validation.hpp"
#include "elec/eval/lasso.hpp"
#include "elec/eval/metrics.hpp"

namespace elec::eval {
namespace {

bool offered(const Matrix& forecast) { return forecast.size() > 0; }

bool forecast_at(const Matrix& forecast, Eigen::Index i, Eigen::Index j) {
  return !offered(forecast) || !std::isnan(forecast(i, j));
}

// The cells a read-out is judged on: measured, in a used row, and forecast by the ensemble and by everything
// offered, so that every candidate is scored on the same cells.
Matrix judged_cells(const data::Dataset& dataset, const Matrix& ensemble, const model::ReadoutForecasts& forecasts,
                    const std::vector<bool>& use) {
  Matrix mask = Matrix::Zero(ensemble.rows(), ensemble.cols());
  for (Eigen::Index i = 0; i < mask.rows(); ++i)
    for (Eigen::Index j = 0; j < mask.cols(); ++j)
      mask(i, j) = use[static_cast<std::size_t>(i)] && !std::isnan(dataset.endpoints(i, j)) &&
                   !std::isnan(ensemble(i, j)) && forecast_at(forecasts.neighbours, i, j) &&
                   forecast_at(forecasts.lasso, i, j);
  return mask;
}

std::vector<model::Readout> candidates_of(const model::ReadoutForecasts& forecasts) {
  using model::Readout;
  std::vector<Readout> out = {Readout::Ensemble};
  if (offered(forecasts.neighbours)) out.insert(out.end(), {Readout::Neighbours, Readout::Average});
  if (offered(forecasts.lasso)) out.push_back(Readout::LassoAverage);
  return out;
}

// How many distinct recipes (recipe_of_rows: equal descriptor vectors) the judged cells of `columns` come from:
// replicates of one recipe are one piece of evidence about a neighbour read-out, not several.
std::size_t recipes_judged(const std::vector<std::size_t>& recipe, const Matrix& mask,
                           const std::vector<Eigen::Index>& columns) {
  std::set<std::size_t> recipes;
  for (Eigen::Index i = 0; i < mask.rows(); ++i)
    for (Eigen::Index j : columns)
      if (mask(i, j) != 0.0) {
        recipes.insert(recipe[static_cast<std::size_t>(i)]);
        break;
      }
  return recipes.size();
}

// Each fold's rows forecast from the other folds' rows: forecast(known rows, the fold's descriptors) -> rows x E.
template <class Forecast>
Matrix out_of_fold(const data::Dataset& dataset, const std::vector<int>& fold_of_row, int folds, Forecast forecast) {
  Matrix out = Matrix::Constant(dataset.endpoints.rows(), dataset.endpoints.cols(), std::nan(""));
  for (int fold = 0; fold < folds; ++fold) {
    std::vector<Eigen::Index> training, held;
    split_rows(fold_of_row, fold, training, held);
    if (held.empty() || training.empty()) continue;
    const Matrix predicted = forecast(rows_of(dataset, training), rows_of(dataset, held).descriptors);
    for (std::size_t r = 0; r < held.size(); ++r) out.row(held[r]) = predicted.row(static_cast<Eigen::Index>(r));
  }
  return out;
}

}  // namespace

model::LinearReadout fit_lasso_readout(const Matrix& descriptors, const Matrix& endpoints) {
  model::LinearReadout out;
  out.coefficients = Matrix::Zero(endpoints.cols(), descriptors.cols());
  out.intercepts = Vector::Constant(endpoints.cols(), std::nan(""));
  // Each column's fit is independent and deterministic, so the threads cannot change the bits.
#pragma omp parallel for schedule(dynamic, 1)
  for (Eigen::Index j = 0; j < endpoints.cols(); ++j) {
    const model::Donors donors = model::donors_of(descriptors, endpoints, j);
    if (donors.values.size() == 0) continue;
    Lasso lasso;
    lasso.fit(donors.descriptors, donors.values, 0);
    out.coefficients.row(j) = lasso.coefficients().transpose();
    out.intercepts(j) = lasso.intercept();
  }
  return out;
}

Matrix lasso_forecasts(const data::Dataset& dataset, const std::vector<int>& fold_of_row, int folds) {
  return out_of_fold(dataset, fold_of_row, folds, [](const data::Dataset& known, const Matrix& query) {
    return fit_lasso_readout(known.descriptors, known.endpoints).predict(query);
  });
}

Matrix neighbour_forecasts(const data::Dataset& dataset, const std::vector<int>& fold_of_row, int folds, int k) {
  return out_of_fold(dataset, fold_of_row, folds, [k](const data::Dataset& known, const Matrix& query) {
    return model::neighbour_predictions(known.descriptors, known.endpoints, query, k);
  });
}

std::vector<model::Readout> choose_readouts(const data::Dataset& dataset, const Matrix& ensemble,
                                            const model::ReadoutForecasts& offered, const std::vector<bool>& use) {
  using model::Readout;
  const Matrix mask = judged_cells(dataset, ensemble, offered, use);
  const std::vector<std::size_t> recipe = data::recipe_of_rows(dataset.descriptors);
  std::vector<Readout> out(static_cast<std::size_t>(ensemble.cols()), Readout::Ensemble);
  const std::vector<Readout> candidates = candidates_of(offered);
  std::vector<Matrix> forecasts;  // every column read out by each candidate, once for all targets
  for (Readout candidate : candidates)
    forecasts.push_back(model::read_out(std::vector<Readout>(out.size(), candidate), ensemble, offered));
  for (const auto& [name, columns] : targets_of(dataset)) {
    // At least kWellMeasuredValues recipes means at least as many scored cells.
    if (recipes_judged(recipe, mask, columns) < static_cast<std::size_t>(kWellMeasuredValues)) continue;
    Readout best = Readout::Ensemble;
    double best_r2 = -INFINITY;
    for (std::size_t c = 0; c < forecasts.size(); ++c) {
      const Score s = score(forecasts[c], dataset.endpoints, mask, columns);
      if (std::isnan(s.r_squared)) break;  // no variance among the measured values: nothing to choose on
      if (s.r_squared > best_r2) best = candidates[c], best_r2 = s.r_squared;
    }
    for (Eigen::Index j : columns) out[static_cast<std::size_t>(j)] = best;
  }
  return out;
}

Matrix cross_fitted_readout(const data::Dataset& dataset, const Matrix& ensemble,
                            const model::ReadoutForecasts& forecasts, const std::vector<int>& fold_of_row, int folds,
                            std::vector<std::vector<model::Readout>>& chosen) {
  Matrix out = ensemble;
  chosen.assign(static_cast<std::size_t>(folds), {});
  for (int fold = 0; fold < folds; ++fold) {
    std::vector<bool> others(fold_of_row.size());
    for (std::size_t r = 0; r < fold_of_row.size(); ++r) others[r] = fold_of_row[r] != fold;
    chosen[static_cast<std::size_t>(fold)] = choose_readouts(dataset, ensemble, forecasts, others);
    const Matrix forecast = model::read_out(chosen[static_cast<std::size_t>(fold)], ensemble, forecasts);
    for (std::size_t r = 0; r < fold_of_row.size(); ++r)
      if (!others[r]) out.row(static_cast<Eigen::Index>(r)) = forecast.row(static_cast<Eigen::Index>(r));
  }
  return out;
}

}  // namespace elec::eval
