#include "elec/eval/gaussian_process.hpp"

#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "elec/common/rng.hpp"
#include "elec/eval/lbfgs.hpp"

namespace elec::eval {
namespace {

// scikit-learn's default hyperparameter bounds (1e-5, 1e5), in log space.
const double kLogLowerBound = std::log(1e-5);
const double kLogUpperBound = std::log(1e5);
// scikit-learn's `alpha`: always on the training diagonal, so agreeing with it means adding it too.
constexpr double kTrainingDiagonal = 1e-10;
constexpr double kPi = 3.14159265358979323846;

struct Hyperparameters {
  double signal_variance;
  Vector length_scales;
  double noise_variance;
};

Hyperparameters unpack(const Vector& theta) {
  const Eigen::Index d = theta.size() - 2;
  return {std::exp(theta[0]), theta.segment(1, d).array().exp().matrix(), std::exp(theta[d + 1])};
}

Vector nothing_to_learn_theta(Eigen::Index features) {
  Vector theta = Vector::Zero(features + 2);
  theta[0] = theta[features + 1] = kLogLowerBound;
  return theta;
}

// Each column divided by its length scale, so the kernel and its gradient work with plain squared distances.
Matrix per_length_scale(const Matrix& x, const Vector& length_scales) {
  return x * length_scales.cwiseInverse().asDiagonal();
}

// s^2 exp(-0.5 |a_i - b_j|^2) for rows already divided by the length scales: the kernel without its noise term.
Matrix rbf_covariance(const Matrix& a, const Matrix& b, double signal_variance) {
  Matrix k(a.rows(), b.rows());
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index j = 0; j < b.rows(); ++j)
      k(i, j) = signal_variance * std::exp(-0.5 * (a.row(i) - b.row(j)).squaredNorm());
  return k;
}

// Cholesky of k; when rounding makes k indefinite, retries with 1e-10 .. 1e-7 x its mean diagonal added.
std::optional<Eigen::LLT<Matrix>> factorise_with_jitter(Matrix k) {
  Eigen::LLT<Matrix> cholesky(k);
  const double mean_diagonal = k.diagonal().mean();
  double jitter = 1e-10 * mean_diagonal;
  for (int attempt = 0; cholesky.info() != Eigen::Success && attempt < 4; ++attempt, jitter *= 10.0) {
    k.diagonal().array() += jitter;
    cholesky.compute(k);
  }
  if (cholesky.info() != Eigen::Success) return std::nullopt;
  return cholesky;
}

// Everything one theta gives on the training data: the pieces the likelihood, its gradient and predictions need.
struct Conditioned {
  Matrix scaled_x;  // training rows divided by the length scales
  Matrix rbf;       // the kernel's RBF part on the training rows
  Eigen::LLT<Matrix> cholesky;
  Vector alpha;  // K^-1 y
  double log_marginal_likelihood;
};

std::optional<Conditioned> condition(const Matrix& x, const Vector& y, const Hyperparameters& h) {
  Matrix scaled_x = per_length_scale(x, h.length_scales);
  Matrix rbf = rbf_covariance(scaled_x, scaled_x, h.signal_variance);
  Matrix k = rbf;
  k.diagonal().array() += h.noise_variance + kTrainingDiagonal;
  std::optional<Eigen::LLT<Matrix>> cholesky = factorise_with_jitter(std::move(k));
  if (!cholesky) return std::nullopt;
  Vector alpha = cholesky->solve(y);
  const Matrix& factor = cholesky->matrixLLT();
  const double half_log_det = factor.diagonal().array().log().sum();
  const double value = -0.5 * y.dot(alpha) - half_log_det - 0.5 * static_cast<double>(y.size()) * std::log(2.0 * kPi);
  if (!std::isfinite(value)) return std::nullopt;
  return Conditioned{std::move(scaled_x), std::move(rbf), std::move(*cholesky), std::move(alpha), value};
}

// d log p / d theta = 0.5 tr((alpha alpha^T - K^-1) dK/dtheta), with dK/dlog s^2 = RBF part,
// dK/dlog l_d = RBF part * (a_d - b_d)^2 / l_d^2 and dK/dlog noise^2 = noise^2 I.
Vector log_marginal_likelihood_gradient(const Conditioned& c, double noise_variance) {
  const Eigen::Index n = c.rbf.rows(), d = c.scaled_x.cols();
  const Matrix inverse = c.cholesky.solve(Matrix::Identity(n, n));
  const Matrix w = c.alpha * c.alpha.transpose() - inverse;
  const Matrix weighted = w.cwiseProduct(c.rbf);
  Vector gradient = Vector::Zero(d + 2);
  gradient[0] = 0.5 * weighted.sum();
  // Both triangles contribute equally and the diagonal not at all, hence the strict upper triangle, undoubled.
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = i + 1; j < n; ++j)
      gradient.segment(1, d) +=
          weighted(i, j) * (c.scaled_x.row(i) - c.scaled_x.row(j)).array().square().matrix().transpose();
  gradient[d + 1] = 0.5 * noise_variance * w.trace();
  return gradient;
}

// Column means and population standard deviations (StandardScaler's); constant columns keep scale 1 so they
// map to zero instead of NaN.
std::pair<Vector, Vector> column_scaling(const Matrix& x) {
  const Vector mean = x.colwise().mean().transpose();
  Vector scale = ((x.rowwise() - mean.transpose()).array().square().colwise().mean().sqrt()).matrix().transpose();
  for (Eigen::Index c = 0; c < x.cols(); ++c)
    if (x.col(c).maxCoeff() == x.col(c).minCoeff()) scale[c] = 1.0;
  return {mean, scale};
}

Matrix standardise(const Matrix& x, const Vector& mean, const Vector& scale) {
  return (x.rowwise() - mean.transpose()) * scale.cwiseInverse().asDiagonal();
}

void check_training_data(const Matrix& x, const Vector& y) {
  if (x.rows() == 0) throw std::invalid_argument("GaussianProcess::fit: no training rows");
  if (x.rows() != y.size()) throw std::invalid_argument("GaussianProcess::fit: x and y differ in rows");
  if (!x.allFinite() || !y.allFinite()) throw std::invalid_argument("GaussianProcess::fit: non-finite x or y");
}

}  // namespace

GaussianProcess::GaussianProcess(GaussianProcessOptions options) : options_(options) {
  if (options_.restarts < 0) throw std::invalid_argument("GaussianProcess: restarts must be >= 0");
  if (options_.max_iterations < 1) throw std::invalid_argument("GaussianProcess: max_iterations must be >= 1");
}

void GaussianProcess::fit(const Matrix& x, const Vector& y, std::uint64_t seed) {
  check_training_data(x, y);
  fitted_ = false;  // a fit that throws below leaves no half-updated model behind
  standardise_training_data(x, y);
  const bool nothing_to_learn = x.rows() < 2 || y.maxCoeff() == y.minCoeff();
  factorise_at(nothing_to_learn ? nothing_to_learn_theta(x.cols()) : best_theta(seed));
  fitted_ = true;
}

void GaussianProcess::standardise_training_data(const Matrix& x, const Vector& y) {
  std::tie(x_mean_, x_scale_) = column_scaling(x);
  x_train_ = standardise(x, x_mean_, x_scale_);
  y_mean_ = y.mean();
  const double y_std = std::sqrt((y.array() - y_mean_).square().mean());
  y_scale_ = y.maxCoeff() == y.minCoeff() ? 1.0 : y_std;  // scikit-learn's normalize_y treats a zero std as 1
  y_train_ = (y.array() - y_mean_) / y_scale_;
}

// The best of L-BFGS runs from theta = 0 (scikit-learn's initial kernel) and from `restarts` log-uniform
// draws; the first start wins ties so adding restarts never changes a result they do not beat.
Vector GaussianProcess::best_theta(std::uint64_t seed) const {
  const Eigen::Index p = x_train_.cols() + 2;
  const Vector lower = Vector::Constant(p, kLogLowerBound), upper = Vector::Constant(p, kLogUpperBound);
  const Objective negative_log_likelihood = [this](const Vector& theta, Vector& gradient) {
    const double value = log_marginal_likelihood(theta, &gradient);
    gradient = -gradient;
    return -value;
  };
  LbfgsOptions settings;
  settings.max_iterations = options_.max_iterations;
  LbfgsResult best = minimise_within_bounds(negative_log_likelihood, Vector::Zero(p), lower, upper, settings);
  for (int restart = 0; restart < options_.restarts; ++restart) {
    common::CounterRng rng(seed, common::Purpose::Baseline, static_cast<std::uint64_t>(restart));
    Vector start(p);
    for (Eigen::Index i = 0; i < p; ++i) start[i] = lower[i] + (upper[i] - lower[i]) * rng.uniform();
    LbfgsResult candidate = minimise_within_bounds(negative_log_likelihood, start, lower, upper, settings);
    if (candidate.value < best.value) best = std::move(candidate);
  }
  return best.x;
}

void GaussianProcess::factorise_at(const Vector& theta) {
  std::optional<Conditioned> c = condition(x_train_, y_train_, unpack(theta));
  if (!c) throw std::runtime_error("GaussianProcess::fit: the covariance cannot be factorised at the optimum");
  theta_ = theta;
  cholesky_ = std::move(c->cholesky);
  alpha_ = std::move(c->alpha);
  log_marginal_likelihood_ = c->log_marginal_likelihood;
}

double GaussianProcess::log_marginal_likelihood(const Vector& theta, Vector* gradient) const {
  // x_train_ rather than fitted_: the optimiser calls this in the middle of fit.
  if (x_train_.rows() == 0) throw std::logic_error("GaussianProcess::log_marginal_likelihood before fit");
  if (theta.size() != x_train_.cols() + 2)
    throw std::invalid_argument("GaussianProcess::log_marginal_likelihood: theta needs features + 2 values");
  const Hyperparameters h = unpack(theta);
  const std::optional<Conditioned> c = condition(x_train_, y_train_, h);
  if (gradient) *gradient = c ? log_marginal_likelihood_gradient(*c, h.noise_variance) : Vector::Zero(theta.size());
  return c ? c->log_marginal_likelihood : -std::numeric_limits<double>::infinity();
}

RegressorPrediction GaussianProcess::predict(const Matrix& x) const {
  if (!fitted_) throw std::logic_error("GaussianProcess::predict before fit");
  if (x.cols() != x_mean_.size()) throw std::invalid_argument("GaussianProcess::predict: wrong number of columns");
  const Hyperparameters h = unpack(theta_);
  const Matrix k_star = rbf_covariance(per_length_scale(standardise(x, x_mean_, x_scale_), h.length_scales),
                                       per_length_scale(x_train_, h.length_scales), h.signal_variance);
  RegressorPrediction out;
  out.mean = ((k_star * alpha_).array() * y_scale_ + y_mean_).matrix();
  const Matrix v = cholesky_.matrixL().solve(k_star.transpose());
  // Rounding can push the variance of a point on top of the data a hair below zero; scikit-learn clips it too.
  const Eigen::ArrayXd variance =
      (h.signal_variance + h.noise_variance - v.colwise().squaredNorm().transpose().array()).max(0.0);
  out.std = (variance.sqrt() * y_scale_).matrix();
  return out;
}

const Vector& GaussianProcess::theta() const {
  if (!fitted_) throw std::logic_error("GaussianProcess: hyperparameters before fit");
  return theta_;
}
Vector GaussianProcess::length_scales() const { return unpack(theta()).length_scales; }
double GaussianProcess::signal_variance() const { return std::exp(theta()[0]); }
double GaussianProcess::noise_variance() const { return std::exp(theta()[theta_.size() - 1]); }

}  // namespace elec::eval
