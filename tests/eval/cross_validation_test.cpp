#include "elec/eval/cross_validation.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "elec/common/rng.hpp"

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

// Each fold's progress carries what that fold's own schedule selection chose (cv prints it), and nothing when the
// schedule is not selected per fold (automatic selection off, or one selection given for every fold).
TEST(CrossValidate, EachFoldReportsTheSelectionItRan) {
  common::CounterRng rng(9, common::Purpose::Experiment, 1);
  data::Dataset d;
  d.descriptors.resize(30, 2);
  d.endpoints.resize(30, 2);
  for (int i = 0; i < 30; ++i) {
    const double a = rng.uniform(), b = rng.uniform();
    d.descriptors.row(i) << a, b;
    d.endpoints.row(i) << a - b + 0.1 * rng.normal(), i % 2 ? a * b : std::nan("");
    d.row_ids.push_back("c" + std::to_string(i));
  }
  d.descriptor_names = {"a", "b"}, d.descriptor_units = {"", ""};
  d.endpoint_names = {"y", "z"}, d.endpoint_units = {"", ""};
  data::StudyConfig config;
  config.members = 4, config.hidden_units = 3, config.max_passes = 1, config.seed = 4;
  config.selection_members = 2, config.selection_max_epochs = 40, config.selection_check_every = 20;
  config.selection_l2_decades = 0, config.selection_input_penalty = 0;
  const std::vector<int> folds = assign_folds({}, d.rows(), 3, config.seed);
  std::vector<model::ScheduleSelection> reported;
  const auto keep = [&](const FoldProgress& p) {
    if (p.selection) reported.push_back(*p.selection);
  };
  cross_validate(d, {}, config, model::SingleProcess(), folds, 3, keep);
  ASSERT_EQ(reported.size(), 3u);
  for (const auto& s : reported) {
    EXPECT_FALSE(s.initial.empty());
    EXPECT_EQ(s.initial.back().epochs, 40);
    EXPECT_GT(s.held_out_cells, 0u);
  }

  const model::ScheduleSelection given = reported[0];  // one selection for every fold: nothing selected per fold
  reported.clear();
  cross_validate(d, {}, config, model::SingleProcess(), folds, 3, keep, &given);
  EXPECT_TRUE(reported.empty());
  config.auto_schedule = false;
  reported.clear();
  cross_validate(d, {}, config, model::SingleProcess(), folds, 3, keep);
  EXPECT_TRUE(reported.empty());
}

}  // namespace
}  // namespace elec::eval
