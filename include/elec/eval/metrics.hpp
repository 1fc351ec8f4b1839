#pragma once
// The one scorer of predictions against measurements: R^2, RMSE and MAE over the cells a mask marks (1 = scored)
// in a set of columns, pooled. Cross-validation, compare, the fit summary of train and the imputation benchmarks
// all score through it.
#include <cmath>
#include <vector>

#include "elec/data/matrix.hpp"

namespace elec::eval {

struct Score {
  double r_squared = std::nan("");  // 1 - SS_res / SS_tot; NaN when fewer than two scored cells or no variance
  double rmse = std::nan("");       // NaN without scored cells
  double mae = std::nan("");
  int cells = 0;
};

// The masked cells of `columns`, pooled (a curve's points score as one target).
Score score(const Matrix& predicted, const Matrix& measured, const Matrix& mask,
            const std::vector<Eigen::Index>& columns);
// score() of each column on its own.
std::vector<Score> score_columns(const Matrix& predicted, const Matrix& measured, const Matrix& mask);

// The median of the values that are not NaN (the mean of the two middle ones for an even count); NaN when none.
double median(std::vector<double> values);
// The median R^2 of scores (anything with an r_squared), over those with a defined R^2.
template <class Scores>
double median_r_squared(const Scores& scores) {
  std::vector<double> values;
  for (const auto& s : scores) values.push_back(s.r_squared);
  return median(std::move(values));
}

// A target scored on a handful of held-out values has an R^2 that one value swings (the MPEA alloys' carbon: 4
// values, the median target of 13), so cv and compare also report the median over targets with at least this many.
inline constexpr int kWellMeasuredValues = 10;
// The median R^2 of scores (anything with r_squared and values) that have at least `min_values` values.
template <class Scores>
double median_r_squared(const Scores& scores, int min_values) {
  std::vector<double> values;
  for (const auto& s : scores)
    if (s.values >= min_values) values.push_back(s.r_squared);
  return median(std::move(values));
}

}  // namespace elec::eval
