#include "elec/eval/calibration.hpp"

#include <algorithm>
#include <cmath>

#include "elec/data/curves.hpp"
#include "elec/eval/metrics.hpp"

namespace elec::eval {
namespace {

constexpr double kPi = 3.14159265358979323846;

// z such that a standard normal lies within +-z with probability `level`.
double central_z(double level) {
  // Bisection on erf(z / sqrt 2) = level: exact to double precision and needs no table.
  double low = 0.0, high = 10.0;
  for (int i = 0; i < 100; ++i) {
    const double mid = 0.5 * (low + high);
    (std::erf(mid / std::sqrt(2.0)) < level ? low : high) = mid;
  }
  return 0.5 * (low + high);
}

double scale_at(const ForecastSet& f, Eigen::Index i, Eigen::Index j) { return f.scale ? (*f.scale)(i, j) : 1.0; }

template <class Visit>
void for_each_value(const ForecastSet& f, const std::vector<Eigen::Index>& columns, Visit visit) {
  for (Eigen::Index j : columns)
    for (Eigen::Index i = 0; i < f.measured.rows(); ++i)
      if (!std::isnan(f.measured(i, j)) && !std::isnan(f.mean(i, j))) visit(i, j);
}

void gaussian_coverage(const ForecastSet& f, const std::vector<Eigen::Index>& columns, CalibrationScore& s) {
  std::array<double, kLevels> z{};
  for (std::size_t l = 0; l < kLevels; ++l) z[l] = central_z(kCoverageLevels[l]);
  std::array<double, kLevels> inside{};
  double inside1 = 0.0, inside2 = 0.0;
  for_each_value(f, columns, [&](Eigen::Index i, Eigen::Index j) {
    const double error = std::abs(f.measured(i, j) - f.mean(i, j)), sd = scale_at(f, i, j) * f.spread(i, j);
    for (std::size_t l = 0; l < kLevels; ++l) inside[l] += error <= z[l] * sd ? 1.0 : 0.0;
    inside1 += error <= sd ? 1.0 : 0.0;
    inside2 += error <= 2.0 * sd ? 1.0 : 0.0;
    ++s.values;
  });
  const double n = s.values > 0 ? static_cast<double>(s.values) : std::nan("");
  for (std::size_t l = 0; l < kLevels; ++l) s.gaussian_coverage[l] = inside[l] / n;
  s.within_1std = inside1 / n;
  s.within_2std = inside2 / n;
}

void member_coverage(const ForecastSet& f, const std::vector<Eigen::Index>& columns, CalibrationScore& s) {
  s.member_coverage.fill(std::nan(""));
  if (!f.members || f.members->offsets.empty() || s.values == 0) return;
  std::array<double, kLevels> inside{};
  for_each_value(f, columns, [&](Eigen::Index i, Eigen::Index j) {
    const double* offsets = f.members->at(static_cast<std::size_t>(i), static_cast<std::size_t>(j));
    const double error = f.measured(i, j) - f.mean(i, j), scale = scale_at(f, i, j);
    for (std::size_t l = 0; l < kLevels; ++l)
      inside[l] += error >= scale * offsets[l] && error <= scale * offsets[kLevels + l] ? 1.0 : 0.0;
  });
  for (std::size_t l = 0; l < kLevels; ++l) s.member_coverage[l] = inside[l] / static_cast<double>(s.values);
}

double gaussian_loss(double error, double variance) {
  return 0.5 * std::log(2.0 * kPi * variance) + 0.5 * error * error / variance;
}

// A zero std (every member agrees) would make the loss infinite; it is floored at a millionth of the column's
// reference spread, which still charges a confident miss heavily.
void standardised_log_loss(const ForecastSet& f, const std::vector<Eigen::Index>& columns, CalibrationScore& s) {
  if (!f.reference_mean || !f.reference_variance || s.values == 0) {
    s.log_loss = std::nan("");
    return;
  }
  double total = 0.0;
  int count = 0;
  for_each_value(f, columns, [&](Eigen::Index i, Eigen::Index j) {
    const double reference = (*f.reference_variance)(i, j);
    if (!(reference > 0.0)) return;  // fewer than two training values of the column: no trivial forecast
    const double sd = std::max(scale_at(f, i, j) * f.spread(i, j), 1e-6 * std::sqrt(reference));
    total += gaussian_loss(f.measured(i, j) - f.mean(i, j), sd * sd) -
             gaussian_loss(f.measured(i, j) - (*f.reference_mean)(i, j), reference);
    ++count;
  });
  s.log_loss = count > 0 ? total / count : std::nan("");
}

// Linear interpolation at probability p of sorted values (numpy's default quantile).
double quantile(const std::vector<double>& sorted, double p) {
  const double position = p * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (position - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

}  // namespace

MemberIntervals member_intervals(const std::vector<double>& members, const Matrix& mean) {
  MemberIntervals out{static_cast<std::size_t>(mean.rows()), static_cast<std::size_t>(mean.cols()), {}};
  const std::size_t cells = out.rows * out.endpoints;
  if (cells == 0 || members.size() < cells) return out;
  const std::size_t count = members.size() / cells;
  out.offsets.resize(cells * 2 * kLevels);
  std::vector<double> values(count);
  for (std::size_t c = 0; c < cells; ++c) {
    for (std::size_t m = 0; m < count; ++m) values[m] = members[m * cells + c];
    std::sort(values.begin(), values.end());
    const double centre =
        mean(static_cast<Eigen::Index>(c / out.endpoints), static_cast<Eigen::Index>(c % out.endpoints));
    for (std::size_t l = 0; l < kLevels; ++l) {
      out.offsets[c * 2 * kLevels + l] = quantile(values, 0.5 - 0.5 * kCoverageLevels[l]) - centre;
      out.offsets[c * 2 * kLevels + kLevels + l] = quantile(values, 0.5 + 0.5 * kCoverageLevels[l]) - centre;
    }
  }
  return out;
}

CalibrationScore score_calibration(const ForecastSet& forecasts, const std::vector<Eigen::Index>& columns) {
  CalibrationScore s;
  gaussian_coverage(forecasts, columns, s);
  member_coverage(forecasts, columns, s);
  standardised_log_loss(forecasts, columns, s);
  std::vector<double> spreads;
  for_each_value(forecasts, columns, [&](Eigen::Index i, Eigen::Index j) {
    spreads.push_back(scale_at(forecasts, i, j) * forecasts.spread(i, j));
  });
  s.sharpness = median(std::move(spreads));
  return s;
}

std::vector<std::pair<std::string, std::vector<Eigen::Index>>> targets_of(const data::Dataset& d) {
  std::vector<std::pair<std::string, std::vector<Eigen::Index>>> out;
  const std::vector<int> groups = data::endpoint_groups(static_cast<std::size_t>(d.endpoints.cols()), d.curves);
  for (Eigen::Index j = 0; j < d.endpoints.cols(); ++j) {
    const auto k = static_cast<std::size_t>(j);
    if (j > 0 && groups[k] == groups[k - 1]) {
      out.back().second.push_back(j);
      continue;
    }
    const auto curve = std::find_if(d.curves.begin(), d.curves.end(),
                                    [&](const data::CurveBlock& c) { return c.first_endpoint == j; });
    out.push_back({curve == d.curves.end() ? d.endpoint_names[k] : curve->name, {j}});
  }
  return out;
}

std::vector<double> fit_variance_scales(const data::Dataset& dataset, const Matrix& mean, const Matrix& spread,
                                        const std::vector<bool>& use) {
  std::vector<double> scales(static_cast<std::size_t>(dataset.endpoints.cols()), 1.0);
  for (const auto& [name, columns] : targets_of(dataset)) {
    double squares = 0.0;
    int count = 0;
    for (Eigen::Index j : columns)
      for (Eigen::Index i = 0; i < dataset.endpoints.rows(); ++i) {
        const double y = dataset.endpoints(i, j);
        if (!use[static_cast<std::size_t>(i)] || std::isnan(y) || std::isnan(mean(i, j)) || !(spread(i, j) > 0.0))
          continue;
        const double z = (y - mean(i, j)) / spread(i, j);
        squares += z * z, ++count;
      }
    const double scale = count > 0 ? std::sqrt(squares / count) : 1.0;
    for (Eigen::Index j : columns) scales[static_cast<std::size_t>(j)] = scale;
  }
  return scales;
}

Matrix cross_fitted_scales(const data::Dataset& dataset, const Matrix& mean, const Matrix& spread,
                           const std::vector<int>& fold_of_row, int folds) {
  Matrix out = Matrix::Ones(mean.rows(), mean.cols());
  for (int fold = 0; fold < folds; ++fold) {
    std::vector<bool> others(fold_of_row.size());
    for (std::size_t r = 0; r < fold_of_row.size(); ++r) others[r] = fold_of_row[r] != fold;
    const std::vector<double> scales = fit_variance_scales(dataset, mean, spread, others);
    for (std::size_t r = 0; r < fold_of_row.size(); ++r)
      if (fold_of_row[r] == fold)
        for (Eigen::Index j = 0; j < out.cols(); ++j)
          out(static_cast<Eigen::Index>(r), j) = scales[static_cast<std::size_t>(j)];
  }
  return out;
}

void reference_forecasts(const Matrix& measured, const std::vector<int>& fold_of_row, int folds, Matrix& mean,
                         Matrix& variance) {
  mean = Matrix::Constant(measured.rows(), measured.cols(), std::nan(""));
  variance = mean;
  for (int fold = 0; fold < folds; ++fold)
    for (Eigen::Index j = 0; j < measured.cols(); ++j) {
      double sum = 0.0, squares = 0.0;
      int count = 0;
      for (Eigen::Index i = 0; i < measured.rows(); ++i)
        if (fold_of_row[static_cast<std::size_t>(i)] != fold && !std::isnan(measured(i, j)))
          sum += measured(i, j), squares += measured(i, j) * measured(i, j), ++count;
      const double m = count > 0 ? sum / count : std::nan("");
      const double v = count > 1 ? (squares - count * m * m) / (count - 1) : std::nan("");
      for (Eigen::Index i = 0; i < measured.rows(); ++i)
        if (fold_of_row[static_cast<std::size_t>(i)] == fold) mean(i, j) = m, variance(i, j) = v;
    }
}

}  // namespace elec::eval
