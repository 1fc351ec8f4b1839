#include "elec/eval/lbfgs.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace elec::eval {
namespace {

// f(x, y) = (1 - x)^2 + 100 (y - x^2)^2: a curved valley, minimum 0 at (1, 1).
double rosenbrock(const Vector& v, Vector& gradient) {
  const double x = v[0], y = v[1];
  gradient[0] = -2.0 * (1.0 - x) - 400.0 * x * (y - x * x);
  gradient[1] = 200.0 * (y - x * x);
  return (1.0 - x) * (1.0 - x) + 100.0 * (y - x * x) * (y - x * x);
}

Vector vec(std::initializer_list<double> values) {
  Vector v(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (const double x : values) v[i++] = x;
  return v;
}

TEST(Lbfgs, FindsTheRosenbrockMinimumInsideLooseBounds) {
  const LbfgsResult r = minimise_within_bounds(rosenbrock, vec({-1.2, 1.0}), vec({-5, -5}), vec({5, 5}));
  EXPECT_TRUE(r.converged);
  EXPECT_NEAR(r.x[0], 1.0, 1e-4);
  EXPECT_NEAR(r.x[1], 1.0, 1e-4);
  EXPECT_LT(r.value, 1e-8);
  EXPECT_LT(r.iterations, 200);  // quasi-Newton, not steepest descent (which needs thousands)
}

TEST(Lbfgs, StopsOnTheBoundWhenTheMinimumLiesOutside) {
  // With x <= 0.5 the valley floor y = x^2 is best reached at x = 0.5, y = 0.25, where f = 0.25 and df/dx < 0
  // pushes against the bound: a Karush-Kuhn-Tucker point, not a stationary one.
  const LbfgsResult r = minimise_within_bounds(rosenbrock, vec({-1.2, 1.0}), vec({-2, -2}), vec({0.5, 2}));
  EXPECT_TRUE(r.converged);
  EXPECT_DOUBLE_EQ(r.x[0], 0.5);
  EXPECT_NEAR(r.x[1], 0.25, 1e-5);
  EXPECT_NEAR(r.value, 0.25, 1e-8);
  Vector g(2);
  rosenbrock(r.x, g);
  EXPECT_LT(g[0], -0.5);
  EXPECT_LT(projected_gradient_norm(r.x, g, vec({-2, -2}), vec({0.5, 2})), 1e-5);
}

TEST(Lbfgs, FreeVariablesStillConvergeWhileOthersArePinned) {
  // f = sum_i (x_i - c_i)^2 with c = (-3, 0.3, 7) in the box [-1, 1]^3: x = (-1, 0.3, 1).
  auto f = [](const Vector& x, Vector& g) {
    const Vector c = vec({-3.0, 0.3, 7.0});
    g = 2.0 * (x - c);
    return (x - c).squaredNorm();
  };
  const LbfgsResult r = minimise_within_bounds(f, vec({0.9, -0.9, 0.0}), Vector::Constant(3, -1), Vector::Ones(3));
  EXPECT_TRUE(r.converged);
  EXPECT_DOUBLE_EQ(r.x[0], -1.0);
  EXPECT_NEAR(r.x[1], 0.3, 1e-7);
  EXPECT_DOUBLE_EQ(r.x[2], 1.0);
}

TEST(Lbfgs, BacksAwayFromInfeasiblePoints) {
  // -log(x) + x has its minimum at x = 1 and is undefined for x <= 0; a long first step lands there.
  auto f = [](const Vector& x, Vector& g) {
    if (x[0] <= 0.0) return std::numeric_limits<double>::quiet_NaN();
    g[0] = -1.0 / x[0] + 1.0;
    return -std::log(x[0]) + x[0];
  };
  const LbfgsResult r = minimise_within_bounds(f, vec({20.0}), vec({-100}), vec({100}));
  EXPECT_TRUE(r.converged);
  EXPECT_NEAR(r.x[0], 1.0, 1e-5);
}

TEST(Lbfgs, ReportsAnInfeasibleStartInsteadOfMoving) {
  auto f = [](const Vector&, Vector&) { return std::numeric_limits<double>::infinity(); };
  const LbfgsResult r = minimise_within_bounds(f, vec({0.5}), vec({0}), vec({1}));
  EXPECT_FALSE(r.converged);
  EXPECT_EQ(r.iterations, 0);
  EXPECT_EQ(r.evaluations, 1);
  EXPECT_DOUBLE_EQ(r.x[0], 0.5);
}

TEST(Lbfgs, StartOutsideTheBoxIsClampedAndTheIterationCapHolds) {
  LbfgsOptions options;
  options.max_iterations = 3;
  const LbfgsResult r = minimise_within_bounds(rosenbrock, vec({-9.0, 9.0}), vec({-2, -2}), vec({2, 2}), options);
  EXPECT_FALSE(r.converged);
  EXPECT_EQ(r.iterations, 3);
  EXPECT_TRUE((r.x.array() >= -2.0).all() && (r.x.array() <= 2.0).all());
}

TEST(Lbfgs, RejectsInconsistentProblems) {
  EXPECT_THROW(minimise_within_bounds(rosenbrock, vec({0, 0}), vec({0}), vec({1, 1})), std::invalid_argument);
  EXPECT_THROW(minimise_within_bounds(rosenbrock, vec({0, 0}), vec({0, 2}), vec({1, 1})), std::invalid_argument);
  LbfgsOptions options;
  options.memory = 0;
  EXPECT_THROW(minimise_within_bounds(rosenbrock, vec({0, 0}), vec({-1, -1}), vec({1, 1}), options),
               std::invalid_argument);
}

}  // namespace
}  // namespace elec::eval
