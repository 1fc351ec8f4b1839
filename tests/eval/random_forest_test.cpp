#include "elec/eval/random_forest.hpp"

#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "elec/common/rng.hpp"

namespace elec::eval {
namespace {

// y = sin(2 pi x0) + x1^2 at uniform random points of the unit square, x1 in other units (um).
struct Sample {
  Matrix x;
  Vector y;
};

Sample smooth_sample(int rows, std::uint64_t stream) {
  common::CounterRng rng(11, common::Purpose::Experiment, stream);
  Sample s{Matrix(rows, 2), Vector(rows)};
  for (int i = 0; i < rows; ++i) {
    s.x(i, 0) = rng.uniform();
    s.x(i, 1) = 100.0 + 200.0 * rng.uniform();
    const double u = (s.x(i, 1) - 100.0) / 200.0;
    s.y[i] = std::sin(2.0 * M_PI * s.x(i, 0)) + u * u;
  }
  return s;
}

double r_squared(const Vector& predicted, const Vector& measured) {
  const double total = (measured.array() - measured.mean()).square().sum();
  return 1.0 - (predicted - measured).squaredNorm() / total;
}

bool same_bits(const Vector& a, const Vector& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), sizeof(double) * a.size()) == 0;
}

TEST(RandomForest, FitsAStepFunctionOnItsTrainingPoints) {
  // 0 on 20 points of [0, 0.4], 1 on 20 points of [0.6, 1]: every tree splits once, somewhere in the gap.
  Matrix x(40, 1);
  Vector y(40);
  for (int i = 0; i < 20; ++i) {
    x(i, 0) = 0.4 * i / 19.0;
    y[i] = 0.0;
    x(20 + i, 0) = 0.6 + 0.4 * i / 19.0;
    y[20 + i] = 1.0;
  }
  RandomForest forest;
  forest.fit(x, y, 5);
  ASSERT_EQ(forest.trees().size(), 100u);
  const RegressorPrediction fitted = forest.predict(x);
  for (int i = 0; i < 40; ++i) {
    EXPECT_DOUBLE_EQ(fitted.mean[i], y[i]) << "row " << i;
    EXPECT_LT(fitted.std[i], 1e-12) << "row " << i;  // every tree agrees
  }
  // Midway across the gap the trees' thresholds fall on both sides.
  Matrix middle(1, 1);
  middle << 0.49;
  const RegressorPrediction between = forest.predict(middle);
  EXPECT_GT(between.std[0], 0.1);
  EXPECT_GT(between.mean[0], 0.0);
  EXPECT_LT(between.mean[0], 1.0);
}

TEST(RandomForest, PredictsASmoothFunctionOnHeldOutPoints) {
  const Sample training = smooth_sample(300, 0), held_out = smooth_sample(200, 1);
  RandomForest forest;
  forest.fit(training.x, training.y, 3);
  const RegressorPrediction p = forest.predict(held_out.x);
  EXPECT_GT(r_squared(p.mean, held_out.y), 0.9);
  ASSERT_EQ(p.std.size(), 200);
  // Between training points the bootstraps disagree: every held-out point has some spread.
  EXPECT_GT(p.std.minCoeff(), 0.0);
  EXPECT_GT(p.std.mean(), 0.01);
}

TEST(RandomForest, OneTreeOnEveryRowInterpolatesItsTrainingData) {
  const Sample s = smooth_sample(50, 2);
  common::CounterRng rng(1, common::Purpose::Baseline, 0);
  const RegressionTree tree = RegressionTree::grow(s.x, s.y, std::vector<int>(50, 1), {}, rng);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(tree.predict(s.x, i), s.y[i]);
  int leaves = 0;
  for (const TreeNode& node : tree.nodes()) leaves += node.feature < 0 ? 1 : 0;
  EXPECT_EQ(leaves, 50);
  RandomForestOptions coarse;
  coarse.min_samples_leaf = 5;
  common::CounterRng again(1, common::Purpose::Baseline, 0);
  const RegressionTree pruned = RegressionTree::grow(s.x, s.y, std::vector<int>(50, 1), coarse, again);
  int pruned_leaves = 0;
  for (const TreeNode& node : pruned.nodes()) pruned_leaves += node.feature < 0 ? 1 : 0;
  EXPECT_LE(pruned_leaves, 10);
}

TEST(RandomForest, SameSeedSameBitsAnotherSeedOtherPredictions) {
  const Sample training = smooth_sample(100, 0), held_out = smooth_sample(50, 1);
  RandomForest a, b, c;
  a.fit(training.x, training.y, 8);
  b.fit(training.x, training.y, 8);
  c.fit(training.x, training.y, 9);
  const RegressorPrediction pa = a.predict(held_out.x), pb = b.predict(held_out.x), pc = c.predict(held_out.x);
  EXPECT_TRUE(same_bits(pa.mean, pb.mean));
  EXPECT_TRUE(same_bits(pa.std, pb.std));
  EXPECT_GT((pa.mean - pc.mean).cwiseAbs().maxCoeff(), 1e-6);
}

TEST(RandomForest, ThreadCountDoesNotChangeTheBits) {
  const Sample training = smooth_sample(150, 0), held_out = smooth_sample(60, 1);
  const int threads = omp_get_max_threads();
  RandomForestOptions options;
  options.max_features = 0.5;  // the feature order matters too
  RandomForest one(options), two(options);
  omp_set_num_threads(1);
  one.fit(training.x, training.y, 4);
  const RegressorPrediction p1 = one.predict(held_out.x);
  omp_set_num_threads(2);
  two.fit(training.x, training.y, 4);
  const RegressorPrediction p2 = two.predict(held_out.x);
  omp_set_num_threads(threads);
  EXPECT_TRUE(same_bits(p1.mean, p2.mean));
  EXPECT_TRUE(same_bits(p1.std, p2.std));
}

TEST(RandomForest, RejectsBadInput) {
  const Sample s = smooth_sample(10, 0);
  RandomForest forest;
  EXPECT_THROW(forest.predict(s.x), std::logic_error);
  EXPECT_THROW(forest.fit(s.x, s.y.head(9), 1), std::invalid_argument);
  Vector with_inf = s.y;
  with_inf[0] = INFINITY;
  EXPECT_THROW(forest.fit(s.x, with_inf, 1), std::invalid_argument);
  forest.fit(s.x, s.y, 1);
  EXPECT_THROW(forest.predict(s.x.leftCols(1)), std::invalid_argument);
  RandomForestOptions none;
  none.trees = 0;
  EXPECT_THROW(RandomForest{none}, std::invalid_argument);
  RandomForestOptions too_many;
  too_many.max_features = 1.5;
  EXPECT_THROW(RandomForest{too_many}, std::invalid_argument);
}

}  // namespace
}  // namespace elec::eval
