#include "elec/eval/gaussian_process.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "elec/common/rng.hpp"

namespace elec::eval {
namespace {

// sin on 15 evenly spaced points of [0, 2 pi].
void sine_data(Matrix& x, Vector& y) {
  x.resize(15, 1);
  y.resize(15);
  for (int i = 0; i < 15; ++i) {
    x(i, 0) = 2.0 * M_PI * i / 14.0;
    y[i] = std::sin(x(i, 0));
  }
}

// n rows of `features` uniform columns on [0, 3]; y = sin(f x_0) + 0.3 x_1 (if present) + noise of std 0.05.
void random_data(int n, int features, std::uint64_t seed, Matrix& x, Vector& y, double frequency = 2.0) {
  common::CounterRng rng(seed, common::Purpose::Experiment, 0);
  x.resize(n, features);
  y.resize(n);
  for (int i = 0; i < n; ++i) {
    for (int c = 0; c < features; ++c) x(i, c) = 3.0 * rng.uniform();
    y[i] = std::sin(frequency * x(i, 0)) + (features > 1 ? 0.3 * x(i, 1) : 0.0) + 0.05 * rng.normal();
  }
}

TEST(GaussianProcess, InterpolatesASmoothFunctionAndKnowsWhereItHasNoData) {
  Matrix x;
  Vector y;
  sine_data(x, y);
  GaussianProcess gp;
  gp.fit(x, y, 1);
  Matrix between(14, 1);
  for (int i = 0; i < 14; ++i) between(i, 0) = 2.0 * M_PI * (i + 0.5) / 14.0;
  const RegressorPrediction held_out = gp.predict(between);
  double squared_error = 0.0;
  for (int i = 0; i < 14; ++i) squared_error += std::pow(held_out.mean[i] - std::sin(between(i, 0)), 2);
  EXPECT_LT(std::sqrt(squared_error / 14.0), 1e-3);  // 2.8e-4 here and in scikit-learn
  EXPECT_LT(held_out.std.maxCoeff(), 0.01);          // 2.8e-3 here and in scikit-learn

  Matrix far(1, 1);
  far << 4.0 * M_PI;  // a full period beyond the last point: back to the prior
  const RegressorPrediction outside = gp.predict(far);
  EXPECT_GT(outside.std[0], 0.5);  // 1.44 here and in scikit-learn
  EXPECT_GT(outside.std[0], 50.0 * held_out.std.maxCoeff());
  EXPECT_EQ(gp.name(), "gpr");
  EXPECT_TRUE(gp.has_uncertainty());
}

TEST(GaussianProcess, AnalyticGradientMatchesFiniteDifferences) {
  Matrix x;
  Vector y;
  random_data(30, 3, 5, x, y);
  GaussianProcess gp;
  gp.fit(x, y, 2);
  Vector probe(5);
  probe << 0.4, -0.7, 1.1, 0.2, -3.0;
  for (const Vector& theta : {probe, gp.theta()}) {
    Vector analytic;
    gp.log_marginal_likelihood(theta, &analytic);
    ASSERT_EQ(analytic.size(), 5);
    for (int k = 0; k < 5; ++k) {
      constexpr double h = 1e-5;
      Vector up = theta, down = theta;
      up[k] += h;
      down[k] -= h;
      const double numeric = (gp.log_marginal_likelihood(up) - gp.log_marginal_likelihood(down)) / (2.0 * h);
      EXPECT_NEAR(analytic[k], numeric, 1e-5 * std::max(1.0, std::abs(numeric))) << "theta component " << k;
    }
  }
  EXPECT_DOUBLE_EQ(gp.log_marginal_likelihood(gp.theta()), gp.log_marginal_likelihood());
}

TEST(GaussianProcess, IrrelevantFeatureGetsAMuchLongerLengthScale) {
  Matrix x;
  Vector y;
  random_data(40, 2, 9, x, y);
  for (int i = 0; i < 40; ++i) y[i] = std::sin(2.0 * x(i, 0));  // drop x_1's effect and the noise
  GaussianProcess gp;
  gp.fit(x, y, 3);
  const Vector l = gp.length_scales();
  EXPECT_GT(l[1], 10.0 * l[0]) << "length scales " << l.transpose();
  EXPECT_LT(l[0], 2.0);
}

TEST(GaussianProcess, SameSeedGivesTheSameBits) {
  Matrix x, query;
  Vector y, unused;
  random_data(25, 3, 11, x, y);
  random_data(7, 3, 12, query, unused);
  GaussianProcessOptions options;
  options.restarts = 3;
  GaussianProcess a(options), b(options);
  a.fit(x, y, 42);
  b.fit(x, y, 42);
  const RegressorPrediction pa = a.predict(query), pb = b.predict(query);
  EXPECT_TRUE(a.theta() == b.theta());
  EXPECT_TRUE(pa.mean == pb.mean);
  EXPECT_TRUE(pa.std == pb.std);
  b.fit(x, y, 42);  // refitting the same object must not depend on its previous state
  EXPECT_TRUE(b.predict(query).mean == pa.mean);
}

TEST(GaussianProcess, RestartsEscapeTheAllNoiseOptimum) {
  // Fast oscillation on 20 points: from theta = 0 the optimiser slides into "everything is noise" (s^2 at its
  // lower bound), as scikit-learn's does (n_restarts_optimizer=0: -28.3788); restarts find the signal
  // (scikit-learn, 5 or 20 restarts: -9.5241855446).
  Matrix x;
  Vector y;
  random_data(20, 1, 1, x, y, 6.0);
  GaussianProcessOptions single, several;
  single.restarts = 0;
  several.restarts = 5;
  GaussianProcess one(single), best(several);
  one.fit(x, y, 4);
  best.fit(x, y, 4);
  EXPECT_NEAR(one.log_marginal_likelihood(), -28.3788, 1e-3);
  EXPECT_NEAR(one.signal_variance(), 1e-5, 1e-9);
  EXPECT_NEAR(best.log_marginal_likelihood(), -9.5241855446, 1e-6);
}

TEST(GaussianProcess, MatchesScikitLearnOnASmallTable) {
  // scikit-learn 1.2.1 (SciPy 1.10.1):
  //   x = np.array([[0.1, 5.0], [0.5, 3.2], [0.9, 4.1], [1.3, 0.7], [1.7, 2.2], [2.1, 1.5], [2.6, 4.8],
  //                 [3.0, 0.3], [3.4, 2.9], [3.9, 3.6], [3.45, 2.95]])
  //   y = np.array([0.61, 1.21, 1.39, 0.60, 0.02, -0.76, -0.43, -0.30, 0.81, 1.37, 0.52])
  //   q = np.array([[1.0, 2.0], [4.5, 1.0]])
  //   scaler = StandardScaler().fit(x)
  //   gpr = GaussianProcessRegressor(kernel=ConstantKernel() * RBF(length_scale=np.ones(2)) + WhiteKernel(),
  //                                  normalize_y=True, n_restarts_optimizer=0).fit(scaler.transform(x), y)
  //   gpr.log_marginal_likelihood_value_, np.exp(gpr.kernel_.theta)
  //   gpr.predict(scaler.transform(q), return_std=True)
  //   gpr.log_marginal_likelihood(np.array([0.3, -0.2, 0.5, -2.0]), eval_gradient=True)
  Matrix x(11, 2);
  x << 0.1, 5.0, 0.5, 3.2, 0.9, 4.1, 1.3, 0.7, 1.7, 2.2, 2.1, 1.5, 2.6, 4.8, 3.0, 0.3, 3.4, 2.9, 3.9, 3.6, 3.45, 2.95;
  Vector y(11);
  y << 0.61, 1.21, 1.39, 0.60, 0.02, -0.76, -0.43, -0.30, 0.81, 1.37, 0.52;
  Matrix q(2, 2);
  q << 1.0, 2.0, 4.5, 1.0;
  GaussianProcess gp;
  gp.fit(x, y, 0);

  // The likelihood itself is exact arithmetic, so it agrees to rounding.
  Vector theta(4), gradient;
  theta << 0.3, -0.2, 0.5, -2.0;
  EXPECT_NEAR(gp.log_marginal_likelihood(theta, &gradient), -13.68970465169173, 1e-10);
  const double sklearn_gradient[] = {0.207183053522, -5.962951143392, 2.599542041687, -0.354010457986};
  for (int k = 0; k < 4; ++k) EXPECT_NEAR(gradient[k], sklearn_gradient[k], 1e-9) << k;

  // The optimum depends on where two different L-BFGS implementations stop: close, not identical.
  // (This build: log likelihood -10.365216256877, s^2 1.8626159, l 0.7385480 and 8.66957, noise^2 0.04949417;
  // means 1.1505725 and 1.3780820, stds 0.1951231 and 0.5230691.)
  EXPECT_NEAR(gp.log_marginal_likelihood(), -10.365216256914039, 1e-6);
  EXPECT_NEAR(gp.signal_variance(), 1.862613138639, 1e-3);
  EXPECT_NEAR(gp.length_scales()[0], 0.738547658007, 1e-4);
  EXPECT_NEAR(gp.length_scales()[1], 8.669502511325, 1e-2);
  EXPECT_NEAR(gp.noise_variance(), 0.049494178631, 1e-5);
  const RegressorPrediction p = gp.predict(q);
  EXPECT_NEAR(p.mean[0], 1.150572457282, 1e-4);
  EXPECT_NEAR(p.mean[1], 1.378080956102, 1e-4);
  EXPECT_NEAR(p.std[0], 0.19512318833, 1e-4);
  EXPECT_NEAR(p.std[1], 0.523069533711, 1e-4);
}

TEST(GaussianProcess, OneRowOrConstantTargetPredictsTheMeanWithNoiseLevelStd) {
  Matrix one(1, 2);
  one << 1.0, 2.0;
  Vector target(1);
  target << 3.5;
  GaussianProcess gp;
  gp.fit(one, target, 0);
  Matrix q(2, 2);
  q << 1.0, 2.0, 7.0, -4.0;
  RegressorPrediction p = gp.predict(q);
  EXPECT_DOUBLE_EQ(p.mean[0], 3.5);
  EXPECT_DOUBLE_EQ(p.mean[1], 3.5);
  EXPECT_GT(p.std.minCoeff(), 0.0);
  EXPECT_LT(p.std.maxCoeff(), 0.01);

  Matrix x;
  Vector y;
  random_data(10, 2, 3, x, y);
  y.setConstant(-2.25);
  gp.fit(x, y, 0);
  p = gp.predict(q);
  EXPECT_DOUBLE_EQ(p.mean[0], -2.25);
  EXPECT_LT(p.std.maxCoeff(), 0.01);
  EXPECT_TRUE(std::isfinite(gp.log_marginal_likelihood()));
}

TEST(GaussianProcess, ConstantFeatureIsHarmless) {
  Matrix x;
  Vector y;
  random_data(20, 2, 8, x, y);
  x.col(1).setConstant(4.0);
  GaussianProcess gp;
  gp.fit(x, y, 0);
  const RegressorPrediction p = gp.predict(x);
  EXPECT_TRUE(p.mean.allFinite());
  EXPECT_TRUE(p.std.allFinite());
}

TEST(GaussianProcess, RejectsMismatchedOrNonFiniteInput) {
  GaussianProcess gp;
  EXPECT_THROW(gp.predict(Matrix::Zero(1, 1)), std::logic_error);
  EXPECT_THROW(gp.length_scales(), std::logic_error);
  EXPECT_THROW(gp.fit(Matrix::Zero(3, 1), Vector::Zero(2), 0), std::invalid_argument);
  EXPECT_THROW(gp.fit(Matrix::Zero(0, 1), Vector::Zero(0), 0), std::invalid_argument);
  Vector y(3);
  y << 1.0, NAN, 2.0;
  EXPECT_THROW(gp.fit(Matrix::Ones(3, 1), y, 0), std::invalid_argument);
  y[1] = 1.5;
  gp.fit(Matrix::Identity(3, 2), y, 0);
  EXPECT_THROW(gp.predict(Matrix::Zero(1, 3)), std::invalid_argument);
  EXPECT_THROW(gp.log_marginal_likelihood(Vector::Zero(3)), std::invalid_argument);
  GaussianProcessOptions negative;
  negative.restarts = -1;
  EXPECT_THROW(GaussianProcess{negative}, std::invalid_argument);
}

}  // namespace
}  // namespace elec::eval
