#include "elec/eval/lasso.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "elec/common/rng.hpp"

namespace elec::eval {
namespace {

// 60 cells, 8 descriptors of very different scales (0/1 flags, gaps in um, fractions), y = 3 x0 - 2 x3 + noise.
struct SparseProblem {
  Matrix x;
  Vector y;
};

SparseProblem sparse_problem(int rows, double noise) {
  const double scales[8] = {1.0, 200.0, 0.01, 5.0, 1.0, 50.0, 0.5, 3.0};
  common::CounterRng rng(2024, common::Purpose::Experiment, 0);
  SparseProblem p{Matrix(rows, 8), Vector(rows)};
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < 8; ++j) p.x(i, j) = j == 4 ? (rng.uniform() < 0.5 ? 1.0 : 0.0) : scales[j] * rng.uniform();
    p.y[i] = 3.0 * p.x(i, 0) - 2.0 * p.x(i, 3) + noise * rng.normal();
  }
  return p;
}

double population_std(const Matrix& x, int column) {
  const double mean = x.col(column).mean();
  return std::sqrt((x.col(column).array() - mean).square().mean());
}

TEST(Lasso, RecoversASparseLinearModel) {
  const SparseProblem p = sparse_problem(60, 0.05);
  Lasso lasso;
  lasso.fit(p.x, p.y, 1);
  const Vector& c = lasso.coefficients();
  ASSERT_EQ(c.size(), 8);
  EXPECT_NEAR(c[0], 3.0, 0.05 * 3.0);
  EXPECT_NEAR(c[3], -2.0, 0.05 * 2.0);
  // The other columns' effect on y over one standard deviation of the column: zero or far below the noise.
  for (int j : {1, 2, 4, 5, 6, 7}) EXPECT_LT(std::abs(c[j]) * population_std(p.x, j), 0.01) << "column " << j;
  const RegressorPrediction fitted = lasso.predict(p.x);
  EXPECT_EQ(fitted.std.size(), 0);
  EXPECT_LT((fitted.mean - p.y).cwiseAbs().maxCoeff(), 0.3);
}

TEST(Lasso, ChoosesAnAlphaOfThePath) {
  const SparseProblem p = sparse_problem(60, 0.5);
  Lasso lasso;
  lasso.fit(p.x, p.y, 1);
  // alpha_max on the standardised columns: every coefficient is 0 at and above it.
  const Vector y_centred = p.y.array() - p.y.mean();
  double alpha_max = 0.0;
  for (int j = 0; j < 8; ++j) {
    const Vector z = (p.x.col(j).array() - p.x.col(j).mean()) / population_std(p.x, j);
    alpha_max = std::max(alpha_max, std::abs(z.dot(y_centred)) / 60.0);
  }
  const std::vector<double> path = lasso_alpha_path(alpha_max, 100, 1e-3);
  bool on_path = false;
  for (const double a : path) on_path = on_path || std::abs(a - lasso.chosen_alpha()) <= 1e-12 * alpha_max;
  EXPECT_TRUE(on_path) << "chosen alpha " << lasso.chosen_alpha() << ", alpha_max " << alpha_max;
  EXPECT_LT(lasso.chosen_alpha(), 0.5 * alpha_max);  // y depends on two columns: not the all-zero end
}

TEST(Lasso, AlphaPathAndFoldsFollowScikitLearn) {
  // np.logspace(np.log10(2e-3), np.log10(2), 100)[::-1]: 2 down to 2e-3, evenly spaced in log.
  const std::vector<double> path = lasso_alpha_path(2.0, 100, 1e-3);
  ASSERT_EQ(path.size(), 100u);
  EXPECT_NEAR(path.front(), 2.0, 1e-15);
  EXPECT_NEAR(path.back(), 2e-3, 1e-17);
  for (std::size_t a = 1; a < path.size(); ++a) EXPECT_NEAR(path[a - 1] / path[a], std::pow(1e3, 1.0 / 99), 1e-12);
  // KFold(5).split(range(12)): test folds [0, 3), [3, 6), [6, 8), [8, 10), [10, 12).
  const std::vector<RowRange> folds = contiguous_folds(12, 5);
  ASSERT_EQ(folds.size(), 5u);
  const Eigen::Index begins[] = {0, 3, 6, 8, 10}, ends[] = {3, 6, 8, 10, 12};
  for (int f = 0; f < 5; ++f) {
    EXPECT_EQ(folds[f].begin, begins[f]);
    EXPECT_EQ(folds[f].end, ends[f]);
  }
}

TEST(Lasso, MatchesScikitLearnBehindAStandardScaler) {
  // Columns: a 0/1 flag, a gap in um, a fraction, a constant, pure noise. scikit-learn 1.2.1:
  //   m = make_pipeline(StandardScaler(), LassoCV(cv=5)).fit(x, y)
  //   m[1].alpha_, m[1].coef_ / m[0].scale_, m[1].intercept_ - (m[1].coef_ / m[0].scale_) @ m[0].mean_,
  //   m.predict([[1, 150, .002, 2.5, 0]])
  // gives 0.07169920240496655, [1.2114776629904782, 0.020314760671867417, -120.32866500538897, 0, -0],
  // -0.4573609815175246, [3.560673452242288].
  Matrix x(20, 5);
  x << 1, 139.7, .003, 2.5, 2, 1, 134, .002, 2.5, .76, 1, 128.6, .001, 2.5, -1.2, 1, 172.4, .0018, 2.5, .07, 1, 186,
      .0038, 2.5, .58, 1, 197.3, .0018, 2.5, -.19, 1, 299, .0025, 2.5, .68, 0, 252.3, .001, 2.5, -.07, 0, 213.1, .0043,
      2.5, .67, 0, 297.5, .0016, 2.5, 1.44, 0, 119.5, .0021, 2.5, -.68, 1, 106.8, .0045, 2.5, .2, 1, 210.9, .003, 2.5,
      -.46, 0, 80.1, .0044, 2.5, .13, 0, 78.2, .0036, 2.5, -1.19, 1, 188.4, .004, 2.5, -.58, 0, 177.2, .0014, 2.5, -.2,
      1, 280.9, .0032, 2.5, .9, 0, 214.7, .003, 2.5, 1.15, 0, 188.2, .0045, 2.5, -1.32;
  Vector y(20);
  y << 2.76, 4.1, 2.18, 4.04, 4, 5.91, 7.28, 4.48, 2.68, 5.27, 2.98, 1.94, 4.58, .56, .39, 3.91, 2.23, 6.15, 3.04, 3.35;
  // Same penalties, folds and coordinate-descent steps: the numbers agree to rounding, not just to tolerance.
  Lasso lasso;
  lasso.fit(x, y, 1);
  EXPECT_NEAR(lasso.chosen_alpha(), 0.07169920240496655, 1e-12);
  const Vector& c = lasso.coefficients();
  EXPECT_NEAR(c[0], 1.2114776629904782, 1e-9);
  EXPECT_NEAR(c[1], 0.020314760671867417, 1e-11);
  EXPECT_NEAR(c[2], -120.32866500538897, 1e-7);
  EXPECT_EQ(c[3], 0.0);  // constant: dropped
  EXPECT_EQ(c[4], 0.0);  // noise: shrunk to exactly 0
  EXPECT_NEAR(lasso.intercept(), -0.4573609815175246, 1e-9);
  Matrix cell(1, 5);
  cell << 1, 150, .002, 2.5, 0;
  EXPECT_NEAR(lasso.predict(cell).mean[0], 3.560673452242288, 1e-9);
}

TEST(Lasso, ConstantOrSingleTargetsPredictTheirMean) {
  const SparseProblem p = sparse_problem(10, 0.1);
  Lasso lasso;
  lasso.fit(p.x, Vector::Constant(10, 4.25), 1);
  EXPECT_EQ(lasso.chosen_alpha(), 0.0);
  const Vector constant = lasso.predict(p.x).mean;
  for (int i = 0; i < 10; ++i) EXPECT_DOUBLE_EQ(constant[i], 4.25);
  lasso.fit(p.x.topRows(1), Vector::Constant(1, -7.0), 1);
  EXPECT_DOUBLE_EQ(lasso.predict(p.x).mean[3], -7.0);
}

TEST(Lasso, FewerRowsThanFoldsLeavesOneOut) {
  const SparseProblem p = sparse_problem(4, 0.01);
  Lasso lasso;
  lasso.fit(p.x, p.y, 1);
  EXPECT_GT(lasso.chosen_alpha(), 0.0);
  EXPECT_TRUE(lasso.predict(p.x).mean.allFinite());
}

TEST(Lasso, IsDeterministicAndIgnoresTheSeed) {
  const SparseProblem p = sparse_problem(60, 0.5);
  Lasso first, second;
  first.fit(p.x, p.y, 1);
  second.fit(p.x, p.y, 99);
  const Vector a = first.predict(p.x).mean, b = second.predict(p.x).mean;
  EXPECT_EQ(std::memcmp(a.data(), b.data(), sizeof(double) * 60), 0);
  EXPECT_EQ(first.chosen_alpha(), second.chosen_alpha());
}

TEST(Lasso, RejectsBadInput) {
  const SparseProblem p = sparse_problem(10, 0.1);
  Lasso lasso;
  EXPECT_THROW(lasso.predict(p.x), std::logic_error);
  EXPECT_THROW(lasso.fit(p.x, p.y.head(9), 1), std::invalid_argument);
  Vector with_nan = p.y;
  with_nan[2] = NAN;
  EXPECT_THROW(lasso.fit(p.x, with_nan, 1), std::invalid_argument);
  lasso.fit(p.x, p.y, 1);
  EXPECT_THROW(lasso.predict(p.x.leftCols(7)), std::invalid_argument);
  EXPECT_THROW(Lasso(LassoOptions{1}), std::invalid_argument);
}

}  // namespace
}  // namespace elec::eval
