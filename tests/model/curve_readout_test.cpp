#include "elec/model/curve_readout.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "elec/model/member.hpp"

namespace elec::model {
namespace {

const std::vector<double> kGrid{1, 2, 3, 4, 5};

TEST(CurveReadout, ValueAtInterpolatesBetweenGridPointsAndClampsOutside) {
  const double curve[] = {10, 20, 30, 40, 50};
  EXPECT_EQ(curve_value(kGrid, curve, 2.5), 25);
  EXPECT_EQ(curve_value(kGrid, curve, 0), 10);
  EXPECT_EQ(curve_value(kGrid, curve, 9), 50);
  const data::DerivedSpec d3{"D3", "c", data::DerivedKind::ValueAt, 3, 0.5, {}};
  EXPECT_EQ(derived_value(d3, kGrid, curve), 30);
}

TEST(CurveReadout, CrossingIsTheFirstFallBelowTheFractionOfTheMaximumAfterIt) {
  const data::DerivedSpec half{"c50", "c", data::DerivedKind::Crossing, 0, 0.5, {}};
  const double fading[] = {300, 320, 200, 100, 50};  // 50% of 320 = 160: between cycle 3 (200) and 4 (100)
  EXPECT_DOUBLE_EQ(derived_value(half, kGrid, fading), 3.4);
  const double rising[] = {100, 150, 200, 250, 300};  // never falls: censored at the end of the grid
  EXPECT_EQ(derived_value(half, kGrid, rising), 5);
}

TEST(CurveReadout, DerivedScalarsAreComputedPerMemberThenReduced) {
  // 2 members x 1 cell x (1 scalar + a 5-point curve).
  const std::vector<double> values{7, 10, 20, 30, 40, 50,   // member 0: D3 = 30
                                   7, 30, 40, 50, 60, 70};  // member 1: D3 = 50
  const MemberValues all{values, 2, 1, 6};
  const std::vector<data::CurveBlock> curves{{"c", "", "cycle", kGrid, 1}};
  const MemberSpread d = derived_scalars(all, curves, {{"D3", "c", data::DerivedKind::ValueAt, 3, 0.5, {}}});
  EXPECT_EQ(d.members, (std::vector<double>{30, 50}));
  EXPECT_EQ(d.mean(0, 0), 40);
  EXPECT_EQ(d.spread(0, 0), 10);
  const MemberSpread on = curve_on(all, curves[0], {1.5, 5});
  EXPECT_EQ(on.mean(0, 0), 25);
  EXPECT_EQ(on.mean(0, 1), 60);
  EXPECT_EQ(on.spread(0, 0), 10);
}

TEST(CurveReadout, WithTheMedianCentreAFarMemberDoesNotMoveTheReading) {
  // 3 members x 1 cell x a 5-point curve; member 2 far above the others.
  const std::vector<double> values{10, 20, 30, 40, 50,  //
                                   12, 22, 32, 42, 52,  //
                                   90, 90, 90, 90, 90};
  const MemberValues all{values, 3, 1, 5, Centre::Median};
  const std::vector<data::CurveBlock> curves{{"c", "", "cycle", kGrid, 0}};
  const MemberSpread on = curve_on(all, curves[0], {3});
  EXPECT_EQ(on.mean(0, 0), 32);
  EXPECT_DOUBLE_EQ(on.spread(0, 0), std::sqrt((2.0 * 2.0 + 0.0 + 58.0 * 58.0) / 3.0));
  const MemberSpread d = derived_scalars(all, curves, {{"D3", "c", data::DerivedKind::ValueAt, 3, 0.5, {}}});
  EXPECT_EQ(d.mean(0, 0), 32);
}

TEST(TargetWeights, EachCellCountsOnceInACurveWhateverItsNumberOfPoints) {
  Matrix measured(2, 4);
  measured << 1, 1, 1, 1,  // scalar + 3 points
      0, 1, 0, 0;          // no scalar, 1 point
  const Matrix w = target_weights(measured, {0, 1, 1, 1});
  EXPECT_EQ(w(0, 0), 1);
  EXPECT_DOUBLE_EQ(w(0, 1) + w(0, 2) + w(0, 3), 1.0);
  EXPECT_EQ(w(1, 1), 1);
  EXPECT_EQ(w(1, 0), 0);
  EXPECT_EQ(target_weights(measured, {}), measured);
}

}  // namespace
}  // namespace elec::model
