#include "elec/eval/cross_validation.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

namespace elec::eval {
namespace {

TEST(AssignFolds, KeepsEachGroupInOneFoldAndUsesEveryFold) {
  std::vector<std::string> groups;
  for (int g = 0; g < 27; ++g)
    for (int r = 0; r < 3 + g % 3; ++r) groups.push_back("case" + std::to_string(g));
  const std::vector<int> folds = assign_folds(groups, groups.size(), 5, 1);
  std::map<std::string, std::set<int>> folds_of_group;
  std::map<int, int> groups_per_fold;
  for (std::size_t r = 0; r < groups.size(); ++r) folds_of_group[groups[r]].insert(folds[r]);
  for (const auto& [group, set] : folds_of_group) {
    EXPECT_EQ(set.size(), 1u) << group;
    ++groups_per_fold[*set.begin()];
  }
  ASSERT_EQ(groups_per_fold.size(), 5u);
  for (const auto& [fold, count] : groups_per_fold) EXPECT_TRUE(count == 5 || count == 6) << fold;  // 27 = 5x5 + 2
  EXPECT_EQ(folds, assign_folds(groups, groups.size(), 5, 1));
  EXPECT_NE(folds, assign_folds(groups, groups.size(), 5, 2));
}

TEST(AssignFolds, WithoutGroupsEachRowIsItsOwnGroup) {
  const std::vector<int> folds = assign_folds({}, 10, 3, 4);
  std::map<int, int> count;
  for (int f : folds) ++count[f];
  EXPECT_EQ(count, (std::map<int, int>{{0, 4}, {1, 3}, {2, 3}}));
}

TEST(ScoreTargets, ScalarsAloneAndCurvesPooledWithCalibration) {
  data::Dataset d;
  d.endpoint_names = {"p", "c@1", "c@2"};
  d.curves = {{"c", "", "cycle", {1, 2}, 1}};
  d.endpoints.resize(4, 3);
  d.endpoints << 1, 10, 20,  //
      2, 11, NAN,            //
      3, 12, 22,             //
      NAN, 13, 23;
  Matrix mean = d.endpoints, spread = Matrix::Constant(4, 3, 0.5);
  mean(0, 0) = 2;     // p: errors 1, 0, 0 -> R^2 = 1 - 1/2 = 0.5
  mean(0, 1) = 10.4;  // inside 1 std; the other curve values exact
  CrossValidation cv;
  cv.folds = 2;
  cv.fold_of_row = {0, 1, 0, 1};
  cv.mean = mean;
  cv.spread = spread;
  score_cross_validation(d, cv);
  const std::vector<TargetScore>& s = cv.targets;
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].name, "p");
  EXPECT_EQ(s[0].values, 3);
  EXPECT_DOUBLE_EQ(s[0].r_squared, 0.5);
  EXPECT_DOUBLE_EQ(s[0].rmse, std::sqrt(1.0 / 3));
  EXPECT_DOUBLE_EQ(s[0].raw.within_1std, 2.0 / 3);
  EXPECT_EQ(s[1].name, "c");
  EXPECT_EQ(s[1].values, 7);
  EXPECT_DOUBLE_EQ(s[1].raw.within_2std, 1.0);
  EXPECT_GT(s[1].r_squared, 0.99);
  EXPECT_DOUBLE_EQ(median_r_squared(s), 0.5 * (0.5 + s[1].r_squared));
  EXPECT_DOUBLE_EQ(cv.median_r_squared, median_r_squared(s));
  EXPECT_TRUE(std::isnan(cv.median_r_squared_well_measured));  // 3 and 7 values: neither has kWellMeasuredValues
  EXPECT_DOUBLE_EQ(cv.raw.within_1std, 0.5 * (s[0].raw.within_1std + s[1].raw.within_1std));
}

}  // namespace
}  // namespace elec::eval
