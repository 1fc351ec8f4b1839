#include "elec/eval/holdout.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "elec/common/rng.hpp"
#include "elec/eval/metrics.hpp"

namespace elec::eval {

Matrix hide_random_cells(const Matrix& values, double fraction, std::uint64_t seed, Matrix& hidden) {
  common::CounterRng rng(seed, common::Purpose::HoldOut, 0);
  Matrix out = values;
  hidden = Matrix::Zero(values.rows(), values.cols());
  for (Eigen::Index i = 0; i < values.rows(); ++i)
    for (Eigen::Index j = 0; j < values.cols(); ++j)
      if (!std::isnan(values(i, j)) && rng.uniform() < fraction) {
        out(i, j) = std::numeric_limits<double>::quiet_NaN();
        hidden(i, j) = 1.0;
      }
  return out;
}

double scaled_rmse(const Matrix& imputed, const Matrix& truth, const Matrix& hidden) {
  // Each column divided by its measured range, so that every column counts alike whatever its unit.
  Matrix scaled_imputed = imputed, scaled_truth = truth;
  std::vector<Eigen::Index> columns;
  for (Eigen::Index j = 0; j < truth.cols(); ++j) {
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    for (Eigen::Index i = 0; i < truth.rows(); ++i)
      if (!std::isnan(truth(i, j))) lo = std::min(lo, truth(i, j)), hi = std::max(hi, truth(i, j));
    const double range = hi > lo ? hi - lo : 1.0;
    scaled_imputed.col(j) /= range, scaled_truth.col(j) /= range;
    columns.push_back(j);
  }
  return score(scaled_imputed, scaled_truth, hidden, columns).rmse;
}

}  // namespace elec::eval
