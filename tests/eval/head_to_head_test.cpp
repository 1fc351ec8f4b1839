#include "elec/eval/head_to_head.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace elec::eval {
namespace {

// A model's row with the given R^2 per target (a, b, c, d); a, b and d have 20 held-out values, c only 5.
ModelRow row(const std::string& name, std::vector<double> r_squared) {
  ModelRow m;
  m.name = name;
  const std::vector<int> values = {20, 20, 5, 20};
  for (std::size_t t = 0; t < r_squared.size(); ++t) {
    TargetScore s;
    s.name = std::string(1, static_cast<char>('a' + t));
    s.r_squared = r_squared[t];
    s.values = values[t];
    m.targets.push_back(s);
  }
  return m;
}

TEST(HeadToHead, CountsTheWellMeasuredTargetsWhereBothModelsHaveAnRSquared) {
  Comparison c;
  c.models = {row("ensemble", {0.9, 0.5, 0.8, NAN}), row("ensemble_raw", {0.9, 0.5, 0.8, NAN}),
              row("lasso", {0.95, 0.3, 0.1, 0.4}), row("gpr", {0.5, NAN, 0.9, 0.2})};
  const std::vector<HeadToHead> h = head_to_head(c);
  ASSERT_EQ(h.size(), 2u);  // the raw row shares the ensemble's means: not a rival
  EXPECT_EQ(h[0].model, "lasso");
  EXPECT_EQ(h[0].targets, 2);  // c has too few values, d no ensemble R^2
  EXPECT_EQ(h[0].ensemble_better, 1);
  EXPECT_NEAR(h[0].mean_difference, ((0.9 - 0.95) + (0.5 - 0.3)) / 2, 1e-15);
  EXPECT_EQ(h[1].model, "gpr");
  EXPECT_EQ(h[1].targets, 1);  // and b no GP R^2
  EXPECT_EQ(h[1].ensemble_better, 1);
  EXPECT_NEAR(h[1].mean_difference, 0.4, 1e-15);
}

TEST(HeadToHead, AnEqualRSquaredIsNotAWinAndNoSharedTargetGivesNaN) {
  Comparison c;
  c.models = {row("ensemble", {0.7, NAN}), row("forest", {0.7, 0.2}), row("gpr", {NAN, 0.1})};
  const std::vector<HeadToHead> h = head_to_head(c);
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].targets, 1);
  EXPECT_EQ(h[0].ensemble_better, 0);
  EXPECT_EQ(h[0].mean_difference, 0.0);
  EXPECT_EQ(h[1].targets, 0);
  EXPECT_TRUE(std::isnan(h[1].mean_difference));
}

TEST(HeadToHead, WithoutAnEnsembleRowThereIsNothingToSet) {
  Comparison c;
  c.models = {row("lasso", {0.1}), row("gpr", {0.2})};
  EXPECT_TRUE(head_to_head(c).empty());
}

}  // namespace
}  // namespace elec::eval
