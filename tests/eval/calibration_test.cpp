#include "elec/eval/calibration.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "elec/common/rng.hpp"
#include "elec/eval/cross_validation.hpp"

namespace elec::eval {
namespace {

data::Dataset one_endpoint(const Vector& measured) {
  data::Dataset d;
  d.endpoint_names = {"y"};
  d.endpoints = measured;
  return d;
}

TEST(Calibration, CoverageCountsValuesInsideEachInterval) {
  // Errors of 0.5, 1.5 and 2.5 std: inside +-1 std 1 of 3, inside +-2 std 2 of 3; the 10% interval (+-0.126 std)
  // holds none and the 95% one (+-1.96 std) two.
  Matrix measured(3, 1), mean(3, 1), spread(3, 1);
  measured << 0.5, -1.5, 2.5;
  mean.setZero();
  spread.setOnes();
  const CalibrationScore s = score_calibration({measured, mean, spread}, {0});
  EXPECT_EQ(s.values, 3);
  EXPECT_DOUBLE_EQ(s.within_1std, 1.0 / 3);
  EXPECT_DOUBLE_EQ(s.within_2std, 2.0 / 3);
  EXPECT_DOUBLE_EQ(s.gaussian_coverage[0], 0.0);
  EXPECT_DOUBLE_EQ(s.gaussian_coverage[4], 1.0 / 3);  // 50%: +-0.674 std
  EXPECT_DOUBLE_EQ(s.gaussian_coverage[9], 2.0 / 3);
  EXPECT_DOUBLE_EQ(s.sharpness, 1.0);
  EXPECT_TRUE(std::isnan(s.log_loss));            // no reference forecast given
  EXPECT_TRUE(std::isnan(s.member_coverage[0]));  // no members given
}

TEST(Calibration, GaussianErrorsThreeTimesTheSpreadGetAScaleOfThreeAndThenCoverWhatTheyPromise) {
  const int n = 20000;
  Vector y(n);
  Matrix mean = Matrix::Zero(n, 1), spread = Matrix::Constant(n, 1, 2.0);
  common::CounterRng rng(7, common::Purpose::Experiment, 0);
  for (int i = 0; i < n; ++i) y(i) = 3.0 * 2.0 * rng.normal();
  const data::Dataset d = one_endpoint(y);
  const std::vector<double> scale = fit_variance_scales(d, mean, spread, std::vector<bool>(n, true));
  ASSERT_EQ(scale.size(), 1u);
  EXPECT_NEAR(scale[0], 3.0, 0.05);
  const Matrix scales = Matrix::Constant(n, 1, scale[0]);
  const CalibrationScore raw = score_calibration({d.endpoints, mean, spread}, {0});
  ForecastSet calibrated{d.endpoints, mean, spread};
  calibrated.scale = &scales;
  const CalibrationScore after = score_calibration(calibrated, {0});
  EXPECT_NEAR(raw.within_1std, 0.261, 0.02);  // P(|z| < 1/3)
  EXPECT_NEAR(after.within_1std, 0.683, 0.02);
  EXPECT_NEAR(after.within_2std, 0.954, 0.01);
  for (std::size_t l = 0; l < kLevels; ++l) EXPECT_NEAR(after.gaussian_coverage[l], kCoverageLevels[l], 0.02) << l;
  EXPECT_NEAR(after.sharpness, 6.0, 0.1);
}

TEST(Calibration, LogLossIsZeroForTheReferenceAndNegativeForABetterForecast) {
  Matrix measured(4, 1), mean(4, 1), spread(4, 1), ref_mean(4, 1), ref_var(4, 1);
  measured << 1, 2, 3, 4;
  ref_mean.setConstant(2.5);
  ref_var.setConstant(1.25);
  ForecastSet same{measured, ref_mean, spread, nullptr, &ref_mean, &ref_var};
  spread.setConstant(std::sqrt(1.25));
  EXPECT_NEAR(score_calibration(same, {0}).log_loss, 0.0, 1e-12);
  mean = measured.array() + 0.1;
  spread.setConstant(0.2);
  ForecastSet sharp{measured, mean, spread, nullptr, &ref_mean, &ref_var};
  EXPECT_LT(score_calibration(sharp, {0}).log_loss, -1.0);
  mean = measured.array() + 2.0;  // confidently wrong: worse than the reference
  EXPECT_GT(score_calibration(sharp, {0}).log_loss, 10.0);
}

TEST(Calibration, MemberIntervalsAreTheMembersQuantilesAroundTheMean) {
  // 101 members predicting 0, 1, ..., 100 for one cell: mean 50, the 50% interval is [25, 75] -> offsets -25, +25.
  std::vector<double> members(101);
  for (int m = 0; m < 101; ++m) members[static_cast<std::size_t>(m)] = 100 - m;  // unsorted on purpose
  const Matrix mean = Matrix::Constant(1, 1, 50.0);
  const MemberIntervals intervals = member_intervals(members, mean);
  ASSERT_EQ(intervals.offsets.size(), 2 * kLevels);
  EXPECT_DOUBLE_EQ(intervals.at(0, 0)[4], -25.0);
  EXPECT_DOUBLE_EQ(intervals.at(0, 0)[kLevels + 4], 25.0);
  EXPECT_DOUBLE_EQ(intervals.at(0, 0)[kLevels + 9], 47.5);  // 97.5th percentile
  // A measured 70 lies inside the 50% interval and outside the 30% one ([35, 65]); scaled by 2 the 30% one holds it.
  Matrix measured = Matrix::Constant(1, 1, 70.0), spread = Matrix::Constant(1, 1, 29.0);
  ForecastSet f{measured, mean, spread, &intervals};
  const CalibrationScore s = score_calibration(f, {0});
  EXPECT_DOUBLE_EQ(s.member_coverage[4], 1.0);
  EXPECT_DOUBLE_EQ(s.member_coverage[2], 0.0);
  const Matrix two = Matrix::Constant(1, 1, 2.0);
  f.scale = &two;
  EXPECT_DOUBLE_EQ(score_calibration(f, {0}).member_coverage[2], 1.0);
}

TEST(Calibration, CrossFittedScalesComeFromTheOtherFoldsOnly) {
  // Fold 0's errors are 1 spread, fold 1's are 5 spreads: fold 0 is scaled by 5 and fold 1 by 1.
  Vector y(4);
  y << 1, -1, 5, -5;
  const data::Dataset d = one_endpoint(y);
  const Matrix mean = Matrix::Zero(4, 1), spread = Matrix::Ones(4, 1);
  const Matrix scale = cross_fitted_scales(d, mean, spread, {0, 0, 1, 1}, 2);
  EXPECT_DOUBLE_EQ(scale(0, 0), 5.0);
  EXPECT_DOUBLE_EQ(scale(1, 0), 5.0);
  EXPECT_DOUBLE_EQ(scale(2, 0), 1.0);
  EXPECT_DOUBLE_EQ(scale(3, 0), 1.0);
}

TEST(Calibration, OneScalePerTargetSharedByACurvesPoints) {
  data::Dataset d;
  d.endpoint_names = {"p", "c@1", "c@2"};
  d.curves = {{"c", "", "cycle", {1, 2}, 1}};
  d.endpoints.resize(2, 3);
  d.endpoints << 2, 3, NAN,  //
      -2, NAN, -1;
  const Matrix mean = Matrix::Zero(2, 3), spread = Matrix::Ones(2, 3);
  const std::vector<double> scale = fit_variance_scales(d, mean, spread, {true, true});
  EXPECT_DOUBLE_EQ(scale[0], 2.0);
  EXPECT_DOUBLE_EQ(scale[1], std::sqrt(5.0));  // (9 + 1) / 2
  EXPECT_DOUBLE_EQ(scale[2], scale[1]);
  const std::vector<double> none = fit_variance_scales(d, mean, spread, {false, false});
  EXPECT_EQ(none, std::vector<double>(3, 1.0));  // nothing to fit on: unscaled
}

TEST(Calibration, ReferenceForecastIsTheTrainingFoldsMeanAndVariance) {
  Matrix measured(4, 1), mean, variance;
  measured << 1, 3, 10, NAN;
  reference_forecasts(measured, {0, 0, 1, 1}, 2, mean, variance);
  EXPECT_DOUBLE_EQ(mean(0, 0), 10.0);       // fold 0 is forecast from fold 1's single value
  EXPECT_TRUE(std::isnan(variance(0, 0)));  // ... which has no variance
  EXPECT_DOUBLE_EQ(mean(2, 0), 2.0);
  EXPECT_DOUBLE_EQ(variance(3, 0), 2.0);
}

}  // namespace
}  // namespace elec::eval
