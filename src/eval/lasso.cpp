#include "elec/eval/lasso.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace elec::eval {
namespace {

// Coordinate descent reads one column at a time, so the design is kept column-major.
using Columns = Eigen::MatrixXd;

// Index-order sum, written out so that no vectorised reduction changes the bits from one machine to another.
double dot(const double* a, const double* b, Eigen::Index n) {
  double sum = 0.0;
  for (Eigen::Index i = 0; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

double mean_of(const Vector& v) {
  double sum = 0.0;
  for (Eigen::Index i = 0; i < v.size(); ++i) sum += v[i];
  return sum / static_cast<double>(v.size());
}

// Exact equality, entry by entry (Eigen's vectorised minCoeff/maxCoeff draw a false -Wmaybe-uninitialized from
// GCC 12 under -march=native).
template <typename Values>
bool all_equal(const Values& values) {
  for (Eigen::Index i = 1; i < values.size(); ++i)
    if (values(i) != values(0)) return false;
  return true;
}

void validate(const LassoOptions& options) {
  if (options.folds < 2) throw std::invalid_argument("lasso needs at least two cross-validation folds");
  if (options.alphas < 1) throw std::invalid_argument("lasso needs at least one penalty on its path");
  if (!(options.path_ratio > 0.0 && options.path_ratio <= 1.0))
    throw std::invalid_argument("lasso path ratio must lie in (0, 1]");
  if (!(options.tolerance > 0.0)) throw std::invalid_argument("lasso tolerance must be > 0");
  if (options.max_sweeps < 1) throw std::invalid_argument("lasso needs at least one coordinate-descent sweep");
}

void check_training_data(const Matrix& x, const Vector& y) {
  if (x.rows() == 0 || x.cols() == 0) throw std::invalid_argument("lasso: no training rows or columns");
  if (y.size() != x.rows())
    throw std::invalid_argument("lasso: " + std::to_string(x.rows()) + " rows of x but " + std::to_string(y.size()) +
                                " values of y");
  if (!x.allFinite()) throw std::invalid_argument("lasso: x must be finite");
  if (!y.allFinite()) throw std::invalid_argument("lasso: y must be finite");
}

// Step 1. Constancy is tested on the values themselves: a computed standard deviation of equal values can come out
// as rounding noise instead of 0, and scaling by it would turn that noise into a feature.
struct Standardisation {
  std::vector<Eigen::Index> kept;   // columns of x that vary over the training rows
  std::vector<double> mean, scale;  // per kept column
};

Standardisation standardisation_of(const Matrix& x) {
  Standardisation s;
  const double n = static_cast<double>(x.rows());
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    if (all_equal(x.col(j))) continue;
    double sum = 0.0, squares = 0.0;
    for (Eigen::Index i = 0; i < x.rows(); ++i) sum += x(i, j);
    const double mean = sum / n;
    for (Eigen::Index i = 0; i < x.rows(); ++i) squares += (x(i, j) - mean) * (x(i, j) - mean);
    s.kept.push_back(j);
    s.mean.push_back(mean);
    s.scale.push_back(std::sqrt(squares / n));
  }
  return s;
}

Columns standardised(const Matrix& x, const Standardisation& s) {
  Columns z(x.rows(), static_cast<Eigen::Index>(s.kept.size()));
  for (std::size_t k = 0; k < s.kept.size(); ++k)
    for (Eigen::Index i = 0; i < x.rows(); ++i) z(i, k) = (x(i, s.kept[k]) - s.mean[k]) / s.scale[k];
  return z;
}

// Some rows of the standardised design and of y, each centred on its own means: fitting w to centred data and
// setting b = y_mean - x_mean . w is the same as fitting b and w together.
struct CentredProblem {
  Columns x;
  Vector y;
  Vector x_mean;
  double y_mean = 0.0;
};

CentredProblem centred_rows(const Columns& x, const Vector& y, const std::vector<Eigen::Index>& rows) {
  CentredProblem p;
  const Eigen::Index n = static_cast<Eigen::Index>(rows.size());
  p.x.resize(n, x.cols());
  p.y.resize(n);
  for (Eigen::Index r = 0; r < n; ++r) {
    p.x.row(r) = x.row(rows[r]);
    p.y[r] = y[rows[r]];
  }
  p.x_mean.resize(x.cols());
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    p.x_mean[j] = mean_of(p.x.col(j));
    p.x.col(j).array() -= p.x_mean[j];
  }
  p.y_mean = mean_of(p.y);
  p.y.array() -= p.y_mean;
  return p;
}

double alpha_max_of(const CentredProblem& p) {
  double largest = 0.0;
  for (Eigen::Index j = 0; j < p.x.cols(); ++j)
    largest = std::max(largest, std::abs(dot(p.x.col(j).data(), p.y.data(), p.y.size())));
  return largest / static_cast<double>(p.y.size());
}

// One cyclic pass over the columns: each coefficient is set to its soft-thresholded least-squares value given the
// others, and the residual follows. Returns the largest coefficient change and the largest |coefficient|.
struct SweepChange {
  double largest_change = 0.0, largest_coefficient = 0.0;
};

SweepChange sweep(const Columns& x, const Vector& column_squares, double l1, Vector& w, Vector& residual) {
  SweepChange change;
  const Eigen::Index n = x.rows();
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    if (column_squares[j] == 0.0) continue;  // constant on these rows: its coefficient cannot matter
    const double* column = x.col(j).data();
    const double old = w[j];
    if (old != 0.0)
      for (Eigen::Index i = 0; i < n; ++i) residual[i] += old * column[i];
    const double correlation = dot(column, residual.data(), n);
    const double shrunk = std::max(std::abs(correlation) - l1, 0.0);
    w[j] = shrunk == 0.0 ? 0.0 : std::copysign(shrunk, correlation) / column_squares[j];
    if (w[j] != 0.0)
      for (Eigen::Index i = 0; i < n; ++i) residual[i] -= w[j] * column[i];
    change.largest_change = std::max(change.largest_change, std::abs(w[j] - old));
    change.largest_coefficient = std::max(change.largest_coefficient, std::abs(w[j]));
  }
  return change;
}

// The duality gap of the problem scaled by n (0.5 ||r||^2 + l1 ||w||_1 with l1 = n alpha), scikit-learn's stopping
// test: the dual point is the residual shrunk until it satisfies every column's constraint.
double duality_gap(const CentredProblem& p, double l1, const Vector& w, const Vector& residual) {
  const Eigen::Index n = p.x.rows();
  double dual_norm = 0.0;
  for (Eigen::Index j = 0; j < p.x.cols(); ++j)
    dual_norm = std::max(dual_norm, std::abs(dot(p.x.col(j).data(), residual.data(), n)));
  const double residual_squares = dot(residual.data(), residual.data(), n);
  const double shrink = dual_norm > l1 ? l1 / dual_norm : 1.0;
  double gap = dual_norm > l1 ? 0.5 * residual_squares * (1.0 + shrink * shrink) : residual_squares;
  double l1_norm = 0.0;
  for (Eigen::Index j = 0; j < w.size(); ++j) l1_norm += std::abs(w[j]);
  return gap + l1 * l1_norm - shrink * dot(residual.data(), p.y.data(), n);
}

// Minimises (1/(2n)) ||y - X w||^2 + alpha ||w||_1 over the centred problem, starting from w (the warm start).
void coordinate_descent(const CentredProblem& p, double alpha, const LassoOptions& options, Vector& w) {
  const Eigen::Index n = p.x.rows();
  const double l1 = alpha * static_cast<double>(n);
  const double gap_tolerance = options.tolerance * dot(p.y.data(), p.y.data(), n);
  Vector column_squares(p.x.cols());
  for (Eigen::Index j = 0; j < p.x.cols(); ++j) column_squares[j] = dot(p.x.col(j).data(), p.x.col(j).data(), n);
  Vector residual = p.y;
  for (Eigen::Index j = 0; j < w.size(); ++j)
    if (w[j] != 0.0)
      for (Eigen::Index i = 0; i < n; ++i) residual[i] -= w[j] * p.x(i, j);
  for (int s = 0; s < options.max_sweeps; ++s) {
    const SweepChange change = sweep(p.x, column_squares, l1, w, residual);
    const bool settled =
        change.largest_coefficient == 0.0 || change.largest_change / change.largest_coefficient < options.tolerance;
    // `<=` where scikit-learn has `<`: a problem with y constant on these rows has gap 0 = tolerance from the start.
    if ((settled || s == options.max_sweeps - 1) && duality_gap(p, l1, w, residual) <= gap_tolerance) return;
  }
}

double held_out_mse(const CentredProblem& trained, const Vector& w, const Columns& x, const Vector& y, RowRange rows) {
  double squares = 0.0;
  for (Eigen::Index i = rows.begin; i < rows.end; ++i) {
    double prediction = trained.y_mean;
    for (Eigen::Index j = 0; j < x.cols(); ++j) prediction += (x(i, j) - trained.x_mean[j]) * w[j];
    squares += (prediction - y[i]) * (prediction - y[i]);
  }
  return squares / static_cast<double>(rows.end - rows.begin);
}

// Step 3: the mean over the folds of each penalty's held-out mean squared error.
std::vector<double> cross_validated_errors(const Columns& x, const Vector& y, const std::vector<double>& path,
                                           const LassoOptions& options) {
  const int folds = static_cast<int>(std::min<Eigen::Index>(options.folds, x.rows()));
  std::vector<double> errors(path.size(), 0.0);
  for (const RowRange held_out : contiguous_folds(x.rows(), folds)) {
    std::vector<Eigen::Index> training;
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      if (i < held_out.begin || i >= held_out.end) training.push_back(i);
    const CentredProblem trained = centred_rows(x, y, training);
    Vector w = Vector::Zero(x.cols());
    for (std::size_t a = 0; a < path.size(); ++a) {
      coordinate_descent(trained, path[a], options, w);
      errors[a] += held_out_mse(trained, w, x, y, held_out);
    }
  }
  for (double& e : errors) e /= folds;
  return errors;
}

// Step 4: the first (largest) penalty among those with the least error.
double least_error_alpha(const std::vector<double>& path, const std::vector<double>& errors) {
  std::size_t best = 0;
  for (std::size_t a = 1; a < path.size(); ++a)
    if (errors[a] < errors[best]) best = a;
  return path[best];
}

std::vector<Eigen::Index> all_rows(Eigen::Index n) {
  std::vector<Eigen::Index> rows(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) rows[static_cast<std::size_t>(i)] = i;
  return rows;
}

// Steps 1-5 on checked data.
struct FittedLasso {
  Vector coefficients;  // in the units of x
  double intercept = 0.0;
  double alpha = 0.0;
};

FittedLasso fit_lasso(const Matrix& x, const Vector& y, const LassoOptions& options) {
  const Standardisation scaling = standardisation_of(x);
  const Columns z = standardised(x, scaling);
  const CentredProblem everything = centred_rows(z, y, all_rows(x.rows()));
  const double alpha_max = alpha_max_of(everything);
  const double n = static_cast<double>(x.rows());
  const double y_spread = std::sqrt(dot(everything.y.data(), everything.y.data(), x.rows()) / n);
  FittedLasso fitted{Vector::Zero(x.cols()), everything.y_mean, 0.0};
  // alpha_max is at most the spread of y for standardised columns; far below it, y is uncorrelated with every
  // column (or constant, or there is only one row) and the best linear model is the mean.
  if (x.rows() < 2 || all_equal(y) || scaling.kept.empty() || alpha_max <= 1e-12 * y_spread) return fitted;

  const std::vector<double> path = lasso_alpha_path(alpha_max, options.alphas, options.path_ratio);
  fitted.alpha = least_error_alpha(path, cross_validated_errors(z, y, path, options));
  Vector w = Vector::Zero(z.cols());
  coordinate_descent(everything, fitted.alpha, options, w);
  // b + z . w with z = (x - mean) / scale, and z's own means (rounding noise around 0) taken out as in the fit.
  for (std::size_t k = 0; k < scaling.kept.size(); ++k) {
    const Eigen::Index c = static_cast<Eigen::Index>(k);
    fitted.coefficients[scaling.kept[k]] = w[c] / scaling.scale[k];
    fitted.intercept -= w[c] * (scaling.mean[k] / scaling.scale[k] + everything.x_mean[c]);
  }
  return fitted;
}

}  // namespace

std::vector<double> lasso_alpha_path(double alpha_max, int count, double path_ratio) {
  if (count == 1) return {alpha_max};
  const double top = std::log10(alpha_max);
  const double bottom = std::log10(alpha_max * path_ratio);
  const double step = (top - bottom) / (count - 1);
  std::vector<double> path(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    const double exponent = i == count - 1 ? top : bottom + i * step;  // numpy.linspace pins the last point
    path[static_cast<std::size_t>(count - 1 - i)] = std::pow(10.0, exponent);
  }
  return path;
}

std::vector<RowRange> contiguous_folds(Eigen::Index rows, int folds) {
  std::vector<RowRange> ranges;
  Eigen::Index begin = 0;
  for (int f = 0; f < folds; ++f) {
    const Eigen::Index length = rows / folds + (f < rows % folds ? 1 : 0);
    ranges.push_back({begin, begin + length});
    begin += length;
  }
  return ranges;
}

Lasso::Lasso(LassoOptions options) : options_(options) { validate(options_); }

void Lasso::fit(const Matrix& x, const Vector& y, std::uint64_t /*seed*/) {
  check_training_data(x, y);
  const FittedLasso fitted = fit_lasso(x, y, options_);
  coefficients_ = fitted.coefficients;
  intercept_ = fitted.intercept;
  chosen_alpha_ = fitted.alpha;
  fitted_ = true;
}

RegressorPrediction Lasso::predict(const Matrix& x) const {
  if (!fitted_) throw std::logic_error("lasso: predict before fit");
  if (x.cols() != coefficients_.size())
    throw std::invalid_argument("lasso: trained on " + std::to_string(coefficients_.size()) + " columns, given " +
                                std::to_string(x.cols()));
  if (!x.allFinite()) throw std::invalid_argument("lasso: x must be finite");
  RegressorPrediction prediction;
  prediction.mean.resize(x.rows());
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    prediction.mean[i] = intercept_ + dot(x.row(i).data(), coefficients_.data(), x.cols());
  return prediction;
}

}  // namespace elec::eval
