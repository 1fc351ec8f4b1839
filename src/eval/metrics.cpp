#include "elec/eval/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace elec::eval {

std::vector<ColumnScore> score_columns(const Matrix& predicted, const Matrix& measured, const Matrix& mask) {
  std::vector<ColumnScore> scores(static_cast<std::size_t>(measured.cols()));
  for (Eigen::Index j = 0; j < measured.cols(); ++j) {
    double sum = 0.0;
    int n = 0;
    for (Eigen::Index i = 0; i < measured.rows(); ++i)
      if (mask(i, j) != 0.0) sum += measured(i, j), ++n;
    double residual = 0.0, total = 0.0;
    const double mean = n > 0 ? sum / n : 0.0;
    for (Eigen::Index i = 0; i < measured.rows(); ++i)
      if (mask(i, j) != 0.0) {
        residual += (predicted(i, j) - measured(i, j)) * (predicted(i, j) - measured(i, j));
        total += (measured(i, j) - mean) * (measured(i, j) - mean);
      }
    auto& s = scores[static_cast<std::size_t>(j)];
    s.cells = n;
    s.rmse = n > 0 ? std::sqrt(residual / n) : std::numeric_limits<double>::quiet_NaN();
    s.r_squared = (n > 1 && total > 0.0) ? 1.0 - residual / total : std::numeric_limits<double>::quiet_NaN();
  }
  return scores;
}

double median(std::vector<double> values) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }), values.end());
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

double median_r_squared(const std::vector<ColumnScore>& scores) {
  std::vector<double> values;
  for (const auto& s : scores) values.push_back(s.r_squared);
  return median(std::move(values));
}

}  // namespace elec::eval
