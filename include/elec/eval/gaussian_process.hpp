#pragma once
// Gaussian-process regression, the paper's probabilistic baseline, built to agree with scikit-learn's
//   GaussianProcessRegressor(kernel=ConstantKernel() * RBF(length_scale=np.ones(d)) + WhiteKernel(),
//                            normalize_y=True, n_restarts_optimizer=restarts)   after StandardScaler on x,
// so bench scripts can check the C++ baseline against the reference implementation fold by fold. Fitting:
//   1. standardise the columns of x (training mean and population std; constant columns keep scale 1) and y;
//   2. maximise the log marginal likelihood over theta = (log s^2, log l_1..l_d, log noise^2), each within
//      [log 1e-5, log 1e5] as scikit-learn's default bounds, with its analytic gradient and the bounded L-BFGS
//      of lbfgs.hpp, from theta = 0 and from `restarts` log-uniform draws; keep the best optimum;
//   3. factorise K at the winner: mean = k*^T K^-1 y, variance = k** - k*^T K^-1 k*.
// The kernel is k(a, b) = s^2 exp(-0.5 sum_d ((a_d - b_d) / l_d)^2) + noise^2 [a and b are the same training
// row], plus scikit-learn's default alpha = 1e-10 on the training diagonal. k** includes noise^2, as in
// scikit-learn when a WhiteKernel is part of the kernel, so the std is that of a new measurement.
//
// Deterministic: restart r draws from CounterRng(seed, Purpose::Baseline, r) and nothing runs in parallel.
#include <cstdint>
#include <string>

#include "elec/data/matrix.hpp"
#include "elec/eval/regressor.hpp"

namespace elec::eval {

struct GaussianProcessOptions {
  int restarts = 5;           // optimiser starts besides theta = 0 (scikit-learn's n_restarts_optimizer)
  int max_iterations = 1000;  // per start
};

class GaussianProcess final : public Regressor {
 public:
  // Throws std::invalid_argument on negative restarts or non-positive max_iterations.
  explicit GaussianProcess(GaussianProcessOptions options = {});

  std::string name() const override { return "gpr"; }
  bool has_uncertainty() const override { return true; }

  // Throws std::invalid_argument when x has no rows, x and y differ in rows, or x or y holds a non-finite value
  // (and std::runtime_error if K cannot be factorised at the optimum even with jitter, which bounded noise
  // should make impossible).
  // With one row or a constant y there is nothing to learn: the hyperparameters stay at s^2 = noise^2 = 1e-5,
  // l = 1, and the model predicts the mean with a std of about the noise level.
  void fit(const Matrix& x, const Vector& y, std::uint64_t seed) override;
  // Throws std::logic_error before fit and std::invalid_argument when x has the wrong number of columns.
  RegressorPrediction predict(const Matrix& x) const override;

  // The fitted hyperparameters, in the units scikit-learn reports after StandardScaler and normalize_y:
  // length scales in training standard deviations of each column, variances in units of var(y).
  // Throw std::logic_error before fit.
  const Vector& theta() const;
  Vector length_scales() const;
  double signal_variance() const;
  double noise_variance() const;

  // log p(y | x, theta) of the standardised training data at the fitted theta (scikit-learn's
  // log_marginal_likelihood_value_), and at any theta with its gradient in theta when `gradient` is given.
  // The second returns -inf (and a zero gradient) when K cannot be factorised even with jitter.
  double log_marginal_likelihood() const { return log_marginal_likelihood_; }
  double log_marginal_likelihood(const Vector& theta, Vector* gradient = nullptr) const;

 private:
  void standardise_training_data(const Matrix& x, const Vector& y);
  Vector best_theta(std::uint64_t seed) const;
  void factorise_at(const Vector& theta);

  GaussianProcessOptions options_;
  Vector x_mean_, x_scale_;
  double y_mean_ = 0.0, y_scale_ = 1.0;
  Matrix x_train_;  // standardised
  Vector y_train_;  // standardised
  Vector theta_;
  Eigen::LLT<Matrix> cholesky_;  // of K at theta_ (+ any jitter the factorisation needed)
  Vector alpha_;                 // K^-1 y_train
  double log_marginal_likelihood_ = 0.0;
  bool fitted_ = false;
};

}  // namespace elec::eval
