#include "elec/eval/gradient_boosting.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace elec::eval {
namespace {

// Uniform points in [0, 1)^columns from splitmix64, so the data are the same bits with any standard library.
Matrix uniform_rows(Eigen::Index rows, Eigen::Index columns, std::uint64_t stream) {
  std::uint64_t state = stream * 0x9e3779b97f4a7c15ull;
  auto next = [&state] {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return static_cast<double>((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
  };
  Matrix x(rows, columns);
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index j = 0; j < columns; ++j) x(i, j) = next();
  return x;
}

// A jump of 3 at x0 = 0.4; the other two columns are noise the trees must learn to ignore.
Vector step_function(const Matrix& x) {
  return x.col(0).unaryExpr([](double v) { return v < 0.4 ? -1.0 : 2.0; });
}

Vector smooth_function(const Matrix& x) {
  return (2.0 * M_PI * x.col(0).array()).sin() + x.col(1).array().square() - x.col(0).array() * x.col(2).array();
}

// Plain loops: Eigen's vectorised reductions trip GCC 12's -Wmaybe-uninitialized under -march=native.
double r_squared(const Vector& predicted, const Vector& measured) {
  double mean = 0.0;
  for (Eigen::Index i = 0; i < measured.size(); ++i) mean += measured(i) / static_cast<double>(measured.size());
  double residual = 0.0, total = 0.0;
  for (Eigen::Index i = 0; i < measured.size(); ++i) {
    residual += (predicted(i) - measured(i)) * (predicted(i) - measured(i));
    total += (measured(i) - mean) * (measured(i) - mean);
  }
  return 1.0 - residual / total;
}

void expect_good_fit(Vector (*truth)(const Matrix&)) {
  const Matrix train = uniform_rows(300, 3, 1), held_out = uniform_rows(200, 3, 2);
  GradientBoosting model;
  model.fit(train, truth(train), 42);
  EXPECT_GT(r_squared(model.predict(train).mean, truth(train)), 0.95);
  EXPECT_GT(r_squared(model.predict(held_out).mean, truth(held_out)), 0.8);
}

TEST(GradientBoosting, FitsAStepFunction) { expect_good_fit(step_function); }

TEST(GradientBoosting, FitsASmoothFunction) { expect_good_fit(smooth_function); }

TEST(GradientBoosting, AgreesWithPythonXGBRegressor) {
  // Debian python3-xgboost 1.7.4 (numpy 1.24), the same library through its scikit-learn interface:
  //   import numpy as np, xgboost as xgb
  //   x = np.array([[i / 11.0, (i * 7 % 12) / 11.0] for i in range(12)])
  //   y = np.sin(3.0 * x[:, 0]) + x[:, 1] ** 2
  //   query = np.array([[0.05, 0.9], [0.33, 0.2], [0.52, 0.6], [0.95, 0.1]])
  //   model = xgb.XGBRegressor(tree_method="exact", n_jobs=1, random_state=0).fit(x, y)
  //   print(", ".join("%.9g" % v for v in model.predict(query)))
  // The query points keep clear of the split thresholds (midpoints between training values), where float32
  // rounding could send a point down the other branch.
  Matrix x(12, 2);
  Vector y(12);
  for (int i = 0; i < 12; ++i) {
    x(i, 0) = i / 11.0;
    x(i, 1) = (i * 7 % 12) / 11.0;
    y(i) = std::sin(3.0 * x(i, 0)) + x(i, 1) * x(i, 1);
  }
  Matrix query(4, 2);
  query << 0.05, 0.9, 0.33, 0.2, 0.52, 0.6, 0.95, 0.1;
  const std::vector<double> python = {0.77945739, 0.937568307, 1.29653013, 0.546319008};

  GradientBoosting model;
  model.fit(x, y, 0);
  const RegressorPrediction prediction = model.predict(query);
  ASSERT_EQ(prediction.mean.size(), 4);
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(prediction.mean(i), python[i], 1e-5) << "query row " << i;
  EXPECT_EQ(prediction.std.size(), 0);
  EXPECT_EQ(model.name(), "gradient_boosting");
  EXPECT_FALSE(model.has_uncertainty());
}

TEST(GradientBoosting, SameSeedGivesSameBits) {
  const Matrix x = uniform_rows(200, 3, 3), query = uniform_rows(50, 3, 4);
  const Vector y = smooth_function(x);
  GradientBoostingOptions sampled;
  sampled.subsample = 0.7;  // the only setting here that draws random numbers
  GradientBoosting first(sampled), second(sampled), other_seed(sampled);
  first.fit(x, y, 7);
  second.fit(x, y, 7);
  other_seed.fit(x, y, 8);
  EXPECT_TRUE(first.predict(query).mean == second.predict(query).mean);
  EXPECT_FALSE(first.predict(query).mean == other_seed.predict(query).mean) << "the seed never reached XGBoost";

  GradientBoosting unsampled_a, unsampled_b;  // without sampling the seed changes nothing
  unsampled_a.fit(x, y, 7);
  unsampled_b.fit(x, y, 8);
  EXPECT_TRUE(unsampled_a.predict(query).mean == unsampled_b.predict(query).mean);
}

TEST(GradientBoosting, ConcurrentFitsGiveTheSerialBits) {
  // `compare` runs one fit per thread; XGBoost's per-thread state must not leak between them.
  const Matrix x = uniform_rows(200, 3, 5), query = uniform_rows(50, 3, 6);
  const Vector y = smooth_function(x);
  GradientBoosting serial;
  serial.fit(x, y, 1);
  const Vector expected = serial.predict(query).mean;

  std::vector<Vector> concurrent(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < concurrent.size(); ++t)
    threads.emplace_back([&, t] {
      GradientBoosting model;
      model.fit(x, y, 1);
      concurrent[t] = model.predict(query).mean;
    });
  for (std::thread& thread : threads) thread.join();
  for (const Vector& mean : concurrent) EXPECT_TRUE(mean == expected);
}

TEST(GradientBoosting, CopiesAndMovesPredictTheSameBits) {
  const Matrix x = uniform_rows(100, 3, 7), query = uniform_rows(30, 3, 8);
  GradientBoosting original;
  original.fit(x, step_function(x), 3);
  const Vector expected = original.predict(query).mean;

  GradientBoosting copy(original);
  original.fit(x, smooth_function(x), 3);  // refitting the original must not touch the copy
  EXPECT_TRUE(copy.predict(query).mean == expected);
  GradientBoosting moved(std::move(copy));
  EXPECT_TRUE(moved.predict(query).mean == expected);
  GradientBoosting assigned;
  assigned = moved;
  EXPECT_TRUE(assigned.predict(query).mean == expected);
  std::vector<GradientBoosting> models(3, assigned);
  EXPECT_TRUE(models.back().predict(query).mean == expected);
}

TEST(GradientBoosting, RejectsMismatchedShapes) {
  const Matrix x = uniform_rows(20, 3, 9);
  GradientBoosting model;
  EXPECT_THROW(model.predict(x), std::logic_error);  // not fitted yet
  EXPECT_THROW(model.fit(x, Vector::Zero(19), 0), std::invalid_argument);
  EXPECT_THROW(model.fit(Matrix(0, 3), Vector(0), 0), std::invalid_argument);
  Vector with_nan = step_function(x);
  with_nan(4) = NAN;
  EXPECT_THROW(model.fit(x, with_nan, 0), std::invalid_argument);

  model.fit(x, step_function(x), 0);
  EXPECT_THROW(model.predict(uniform_rows(5, 2, 10)), std::invalid_argument);
  EXPECT_EQ(model.predict(Matrix(0, 3)).mean.size(), 0);
}

TEST(GradientBoosting, XGBoostFailuresThrowAndKeepThePreviousModel) {
  const Matrix x = uniform_rows(20, 3, 11);
  GradientBoosting model;
  model.fit(x, step_function(x), 0);
  const Vector before = model.predict(x).mean;
  Matrix infinite = x;
  infinite(2, 1) = INFINITY;  // XGBoost refuses inf (NaN would mean missing)
  try {
    model.fit(infinite, step_function(x), 0);
    ADD_FAILURE() << "XGBoost accepted inf";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("inf"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(model.predict(x).mean == before);
}

TEST(GradientBoosting, RejectsBadOptions) {
  auto with = [](auto change) {
    GradientBoostingOptions options;
    change(options);
    return options;
  };
  EXPECT_THROW(GradientBoosting(with([](auto& o) { o.rounds = 0; })), std::invalid_argument);
  EXPECT_THROW(GradientBoosting(with([](auto& o) { o.max_depth = 0; })), std::invalid_argument);
  EXPECT_THROW(GradientBoosting(with([](auto& o) { o.learning_rate = 0.0; })), std::invalid_argument);
  EXPECT_THROW(GradientBoosting(with([](auto& o) { o.subsample = 1.5; })), std::invalid_argument);
  EXPECT_THROW(GradientBoosting(with([](auto& o) { o.lambda = -1.0; })), std::invalid_argument);
  EXPECT_THROW(GradientBoosting(with([](auto& o) { o.min_child_weight = NAN; })), std::invalid_argument);
}

}  // namespace
}  // namespace elec::eval
