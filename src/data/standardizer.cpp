#include "elec/data/standardizer.hpp"

#include <cmath>

namespace elec::data {

Standardizer Standardizer::fit(const Matrix& values) {
  const Eigen::Index cols = values.cols();
  Standardizer s{Vector::Zero(cols), Vector::Ones(cols)};
  for (Eigen::Index j = 0; j < cols; ++j) {
    double sum = 0.0;
    Eigen::Index count = 0;
    for (Eigen::Index i = 0; i < values.rows(); ++i)
      if (!std::isnan(values(i, j))) sum += values(i, j), ++count;
    if (count == 0) continue;
    const double mean = sum / static_cast<double>(count);
    double squares = 0.0;
    for (Eigen::Index i = 0; i < values.rows(); ++i)
      if (!std::isnan(values(i, j))) squares += (values(i, j) - mean) * (values(i, j) - mean);
    const double sd = std::sqrt(squares / static_cast<double>(count));
    s.mean(j) = mean;
    // A constant column carries no information; scale 1 keeps it finite instead of dividing by zero.
    s.scale(j) = sd > 1e-12 * (1.0 + std::abs(mean)) ? sd : 1.0;
  }
  return s;
}

Matrix Standardizer::apply(const Matrix& values) const {
  Matrix out(values.rows(), values.cols());
  for (Eigen::Index i = 0; i < values.rows(); ++i)
    for (Eigen::Index j = 0; j < values.cols(); ++j) out(i, j) = (values(i, j) - mean(j)) / scale(j);
  return out;
}

Matrix Standardizer::restore(const Matrix& standardised) const {
  Matrix out(standardised.rows(), standardised.cols());
  for (Eigen::Index i = 0; i < standardised.rows(); ++i)
    for (Eigen::Index j = 0; j < standardised.cols(); ++j) out(i, j) = standardised(i, j) * scale(j) + mean(j);
  return out;
}

Matrix Standardizer::restore_spread(const Matrix& spread) const {
  Matrix out(spread.rows(), spread.cols());
  for (Eigen::Index i = 0; i < spread.rows(); ++i)
    for (Eigen::Index j = 0; j < spread.cols(); ++j) out(i, j) = spread(i, j) * scale(j);
  return out;
}

void Standardizer::restore_in_place(std::vector<double>& values) const {
  const std::size_t cols = static_cast<std::size_t>(mean.size());
  for (std::size_t k = 0; k < values.size(); ++k) {
    const Eigen::Index j = static_cast<Eigen::Index>(k % cols);
    values[k] = values[k] * scale(j) + mean(j);
  }
}

}  // namespace elec::data
