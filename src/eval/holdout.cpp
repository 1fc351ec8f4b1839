#include "elec/eval/holdout.hpp"

#include <cmath>
#include <limits>

#include "elec/common/rng.hpp"

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
  double sum = 0.0;
  long n = 0;
  for (Eigen::Index j = 0; j < truth.cols(); ++j) {
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    for (Eigen::Index i = 0; i < truth.rows(); ++i)
      if (!std::isnan(truth(i, j))) lo = std::min(lo, truth(i, j)), hi = std::max(hi, truth(i, j));
    const double range = hi > lo ? hi - lo : 1.0;
    for (Eigen::Index i = 0; i < truth.rows(); ++i)
      if (hidden(i, j) != 0.0) {
        const double d = (imputed(i, j) - truth(i, j)) / range;
        sum += d * d;
        ++n;
      }
  }
  return n > 0 ? std::sqrt(sum / static_cast<double>(n)) : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace elec::eval
