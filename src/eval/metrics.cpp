#include "elec/eval/metrics.hpp"

#include <algorithm>

namespace elec::eval {

Score score(const Matrix& predicted, const Matrix& measured, const Matrix& mask,
            const std::vector<Eigen::Index>& columns) {
  Score s;
  double sum = 0.0;
  for (Eigen::Index j : columns)
    for (Eigen::Index i = 0; i < measured.rows(); ++i)
      if (mask(i, j) != 0.0) sum += measured(i, j), ++s.cells;
  if (s.cells == 0) return s;
  const double n = static_cast<double>(s.cells), mean = sum / n;
  double residual = 0.0, total = 0.0, absolute = 0.0;
  for (Eigen::Index j : columns)
    for (Eigen::Index i = 0; i < measured.rows(); ++i)
      if (mask(i, j) != 0.0) {
        const double e = predicted(i, j) - measured(i, j);
        residual += e * e, absolute += std::abs(e);
        total += (measured(i, j) - mean) * (measured(i, j) - mean);
      }
  s.rmse = std::sqrt(residual / n);
  s.mae = absolute / n;
  if (s.cells > 1 && total > 0.0) s.r_squared = 1.0 - residual / total;
  return s;
}

std::vector<Score> score_columns(const Matrix& predicted, const Matrix& measured, const Matrix& mask) {
  std::vector<Score> scores;
  for (Eigen::Index j = 0; j < measured.cols(); ++j) scores.push_back(score(predicted, measured, mask, {j}));
  return scores;
}

double median(std::vector<double> values) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }), values.end());
  if (values.empty()) return std::nan("");
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

}  // namespace elec::eval
