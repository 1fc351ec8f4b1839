#include "elec/eval/knn_imputer.hpp"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace elec::eval {
namespace {

// Squared nan-Euclidean distance between rows a and b; NaN when they share no measured column.
double nan_euclidean_squared(const Matrix& x, Eigen::Index a, Eigen::Index b) {
  double sum = 0.0;
  int shared = 0;
  for (Eigen::Index c = 0; c < x.cols(); ++c) {
    const double d = x(a, c) - x(b, c);
    if (!std::isnan(d)) sum += d * d, ++shared;
  }
  return shared == 0 ? std::nan("") : sum * static_cast<double>(x.cols()) / shared;
}

}  // namespace

Matrix mean_impute(const Matrix& values) {
  Matrix out = values;
  for (Eigen::Index j = 0; j < values.cols(); ++j) {
    double sum = 0.0;
    int n = 0;
    for (Eigen::Index i = 0; i < values.rows(); ++i)
      if (!std::isnan(values(i, j))) sum += values(i, j), ++n;
    for (Eigen::Index i = 0; i < values.rows(); ++i)
      if (std::isnan(values(i, j))) out(i, j) = n > 0 ? sum / n : 0.0;
  }
  return out;
}

Matrix knn_impute(const Matrix& values, int k) {
  const Matrix means = mean_impute(values);
  Matrix out = values;
  std::vector<double> distance(static_cast<std::size_t>(values.rows()));
  std::vector<std::pair<double, Eigen::Index>> donors;
  for (Eigen::Index i = 0; i < values.rows(); ++i) {
    bool any_blank = false;
    for (Eigen::Index j = 0; j < values.cols(); ++j) any_blank |= std::isnan(values(i, j));
    if (!any_blank) continue;
    for (Eigen::Index r = 0; r < values.rows(); ++r) distance[r] = nan_euclidean_squared(values, i, r);
    for (Eigen::Index j = 0; j < values.cols(); ++j) {
      if (!std::isnan(values(i, j))) continue;
      // As scikit-learn: donors sharing no column sort last (infinite distance) but still count towards k; only
      // when no donor shares a column does the blank fall back to the column mean.
      donors.clear();
      bool any_shared = false;
      for (Eigen::Index r = 0; r < values.rows(); ++r) {
        if (r == i || std::isnan(values(r, j))) continue;
        any_shared |= !std::isnan(distance[r]);
        donors.emplace_back(std::isnan(distance[r]) ? HUGE_VAL : distance[r], r);
      }
      if (!any_shared) {
        out(i, j) = means(i, j);
        continue;
      }
      const auto take = std::min<std::size_t>(static_cast<std::size_t>(k), donors.size());
      std::partial_sort(donors.begin(), donors.begin() + static_cast<long>(take), donors.end());
      double sum = 0.0;
      for (std::size_t d = 0; d < take; ++d) sum += values(donors[d].second, j);
      out(i, j) = sum / static_cast<double>(take);
    }
  }
  return out;
}

}  // namespace elec::eval
