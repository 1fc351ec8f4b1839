#include "elec/eval/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace elec::eval {
namespace {

TEST(Metrics, ScoresEachColumnOverItsMaskedCellsOnly) {
  // Column 0: measured 1, 2, 3, 4 predicted 1, 2, 3, 6 -> residual 4 over total 5: R^2 0.2, RMSE sqrt(4/4) = 1.
  // Column 1: the last cell is masked out (its wild prediction must not count): perfect on the other three.
  const Matrix measured = (Matrix(4, 2) << 1, 10, 2, 20, 3, 30, 4, 40).finished();
  const Matrix predicted = (Matrix(4, 2) << 1, 10, 2, 20, 3, 30, 6, -1000).finished();
  const Matrix mask = (Matrix(4, 2) << 1, 1, 1, 1, 1, 1, 1, 0).finished();
  const std::vector<Score> s = score_columns(predicted, measured, mask);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].cells, 4);
  EXPECT_DOUBLE_EQ(s[0].r_squared, 0.2);
  EXPECT_DOUBLE_EQ(s[0].rmse, 1.0);
  EXPECT_EQ(s[1].cells, 3);
  EXPECT_DOUBLE_EQ(s[1].r_squared, 1.0);
  EXPECT_DOUBLE_EQ(s[1].rmse, 0.0);
}

TEST(Metrics, PoolsTheMaskedCellsOfSeveralColumnsAsOneTarget) {
  // The points of a curve score as one target: columns 0 and 2 pooled, column 1 not asked for.
  // Measured 1, 2, 3, 5 (mean 2.75, total 8.75); errors 0, 1, -1, 2 -> residual 6, R^2 1 - 6/8.75, MAE 1.
  const Matrix measured = (Matrix(2, 3) << 1, 100, 3, 2, 200, 5).finished();
  const Matrix predicted = (Matrix(2, 3) << 1, 0, 2, 3, 0, 7).finished();
  const Score s = score(predicted, measured, Matrix::Ones(2, 3), {0, 2});
  EXPECT_EQ(s.cells, 4);
  EXPECT_DOUBLE_EQ(s.r_squared, 1.0 - 6.0 / 8.75);
  EXPECT_DOUBLE_EQ(s.rmse, std::sqrt(6.0 / 4.0));
  EXPECT_DOUBLE_EQ(s.mae, 1.0);
}

TEST(Metrics, RSquaredIsUndefinedWithoutTwoCellsOrWithoutVariance) {
  const Matrix measured = (Matrix(3, 3) << 5, 1, 7, 5, 2, 8, 5, 3, 9).finished();
  const Matrix predicted = measured.array() + 1.0;
  const Matrix mask = (Matrix(3, 3) << 1, 1, 0, 1, 0, 0, 1, 0, 0).finished();
  const std::vector<Score> s = score_columns(predicted, measured, mask);
  EXPECT_TRUE(std::isnan(s[0].r_squared));  // three equal values: no variance
  EXPECT_DOUBLE_EQ(s[0].rmse, 1.0);
  EXPECT_TRUE(std::isnan(s[1].r_squared));  // one cell
  EXPECT_DOUBLE_EQ(s[1].rmse, 1.0);
  EXPECT_EQ(s[2].cells, 0);  // nothing scored
  EXPECT_TRUE(std::isnan(s[2].rmse));
  EXPECT_TRUE(std::isnan(median_r_squared(s)));
}

TEST(Metrics, MedianSkipsNaNAndAveragesTheTwoMiddleValues) {
  const double nan = std::nan("");
  EXPECT_DOUBLE_EQ(median({3, nan, 1, 2}), 2.0);
  EXPECT_DOUBLE_EQ(median({4, 1, nan, 3, 2}), 2.5);
  EXPECT_TRUE(std::isnan(median({nan, nan})));
  EXPECT_TRUE(std::isnan(median({})));
  std::vector<Score> scores(3);
  scores[0].r_squared = 0.9, scores[1].r_squared = nan, scores[2].r_squared = 0.1;
  EXPECT_DOUBLE_EQ(median_r_squared(scores), 0.5);
}

TEST(Metrics, MedianOfWellMeasuredTargetsLeavesOutThoseWithFewValues) {
  struct Target {
    double r_squared;
    int values;
  };
  const std::vector<Target> targets{{0.9, 500}, {0.2, 4}, {0.1, 4}, {0.5, 10}, {0.3, 9}};
  EXPECT_DOUBLE_EQ(median_r_squared(targets), 0.3);
  EXPECT_DOUBLE_EQ(median_r_squared(targets, 10), 0.7);  // 0.9 and 0.5
  EXPECT_DOUBLE_EQ(median_r_squared(targets, 5), 0.5);   // 0.9, 0.5, 0.3
  EXPECT_TRUE(std::isnan(median_r_squared(targets, 501)));
}

}  // namespace
}  // namespace elec::eval
