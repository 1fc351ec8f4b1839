#pragma once
// How honest a predictive distribution is, measured on out-of-fold predictions, and the variance scale that makes
// it honest. Per target (a scalar endpoint, or a whole curve pooled): coverage of central intervals at ten levels
// from the Gaussian of mean and std and from the members' own quantiles, coverage of +-1 and +-2 std, the mean
// standardised log loss (the Gaussian's negative log density minus that of the training folds' mean and
// variance: below 0 beats guessing the mean) and the sharpness (median std).
//
// Steps of score_calibration: gaussian_coverage, member_coverage, standardised_log_loss, median.
// fit_variance_scales: one scale per target, the root mean square of the standardised errors (the maximum-
// likelihood scale of a Gaussian); cross_fitted_scales fits it for each fold on the other folds only, so a
// calibration is always judged on cells it was not fitted on.
#include <array>
#include <string>
#include <vector>

#include "elec/data/dataset.hpp"
#include "elec/data/matrix.hpp"

namespace elec::eval {

// Central-interval levels of the calibration curve.
inline constexpr std::array<double, 10> kCoverageLevels = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95};
inline constexpr std::size_t kLevels = kCoverageLevels.size();

// The members' central intervals of every cell and endpoint, as offsets from the ensemble mean: for level l, the
// lower end at [l] and the upper end at [kLevels + l] (linear interpolation between sorted members).
struct MemberIntervals {
  std::size_t rows = 0, endpoints = 0;
  std::vector<double> offsets;  // rows x endpoints x 2 kLevels; empty = not computed
  const double* at(std::size_t row, std::size_t endpoint) const {
    return offsets.data() + (row * endpoints + endpoint) * 2 * kLevels;
  }
};
// From members x rows x endpoints values and the ensemble mean (rows x endpoints).
MemberIntervals member_intervals(const std::vector<double>& members, const Matrix& mean);

// What the calibration is judged against: measured values (NaN = not measured), out-of-fold mean and std, the
// members' intervals (optional), each value's reference mean and variance (the training folds' mean and variance
// of its column: the trivial forecast), and a per-column scale applied to std and member intervals alike.
struct ForecastSet {
  const Matrix& measured;
  const Matrix& mean;
  const Matrix& spread;
  const MemberIntervals* members = nullptr;
  const Matrix* reference_mean = nullptr;
  const Matrix* reference_variance = nullptr;
  const Matrix* scale = nullptr;  // rows x endpoints (a fold's scale on its rows); nullptr = 1
};

struct CalibrationScore {
  std::array<double, kLevels> gaussian_coverage{}, member_coverage{};  // member_coverage NaN without members
  double within_1std = 0.0, within_2std = 0.0;
  double log_loss = 0.0;   // mean standardised log loss (NaN without a reference)
  double sharpness = 0.0;  // median std, data units
  int values = 0;
};

// One target: the endpoint columns it pools (a scalar, or a curve's block).
CalibrationScore score_calibration(const ForecastSet& forecasts, const std::vector<Eigen::Index>& columns);

// The targets of a dataset: a scalar endpoint alone, or a curve's whole block, named after the curve.
std::vector<std::pair<std::string, std::vector<Eigen::Index>>> targets_of(const data::Dataset& dataset);

// Per target, the scale s minimising the Gaussian log loss of N(mean, (s std)^2) over the rows `use` marks
// (sqrt of the mean squared standardised error; 1 when no value qualifies), written to each of its columns.
std::vector<double> fit_variance_scales(const data::Dataset& dataset, const Matrix& mean, const Matrix& spread,
                                        const std::vector<bool>& use);

// For every row, the scales fitted on the rows of the other folds: rows x endpoints.
Matrix cross_fitted_scales(const data::Dataset& dataset, const Matrix& mean, const Matrix& spread,
                           const std::vector<int>& fold_of_row, int folds);

// The trivial forecast of every row: its training folds' mean and variance of each column (rows x endpoints).
void reference_forecasts(const Matrix& measured, const std::vector<int>& fold_of_row, int folds, Matrix& mean,
                         Matrix& variance);

}  // namespace elec::eval
