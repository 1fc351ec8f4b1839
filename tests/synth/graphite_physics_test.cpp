// The noise-free trend model on a grid of recipes: the shapes the paper describes, without sampling error.
#include "elec/synth/graphite_physics.hpp"

#include <gtest/gtest.h>

namespace elec::synth {
namespace {

CellRecipe recipe(double gap, double drying, bool calendered = false, CmcSbr ratio = CmcSbr::R2_3,
                  Additive additive = Additive::None) {
  return CellRecipe{ratio, additive, gap, 0.2, Drying{drying, drying}, calendered};
}

TEST(TrendModel, PorosityFallsWithDryingTemperatureAtEveryGap) {
  for (double gap = 70; gap <= 300; gap += 10)
    for (double t = 60; t < 120; t += 10)
      EXPECT_GT(expected_cell(recipe(gap, t)).porosity_pct, expected_cell(recipe(gap, t + 10)).porosity_pct)
          << gap << " um, " << t << " C";
}

TEST(TrendModel, PorosityRegimesOfTheCoatingGapSeries) {
  for (double t = 60; t <= 120; t += 10) {
    EXPECT_GT(expected_cell(recipe(210, t)).porosity_pct, 50.5) << t;  // over 200 um: above 50%
    EXPECT_NEAR(expected_cell(recipe(250, t)).porosity_pct, expected_cell(recipe(250, 60)).porosity_pct, 2.0);
  }
  EXPECT_NEAR(expected_cell(recipe(100, 80)).porosity_pct, 35.0, 2.0);  // "the 35% porosity aim ... around 100 um"
  EXPECT_NEAR(expected_cell(recipe(70, 120)).porosity_pct, 25.0, 1.5);  // "as low as 25%"
  for (double target : {25.0, 33.0, 42.0}) {
    const double p = expected_cell(recipe(200, 80, true), target).porosity_pct;
    EXPECT_NEAR(p, target, 1e-9);
  }
  EXPECT_GE(expected_cell(recipe(70, 120, true), 25.0).porosity_pct, 24.0);  // already dense: hardly compressed
}

TEST(TrendModel, AdhesionPeaksNear140umAnd80C) {
  double best = 0, best_gap = 0, best_t = 0;
  for (double gap = 70; gap <= 200; gap += 10)
    for (const auto& d : drying_programmes()) {
      const double t = 0.5 * (d.first_C + d.second_C);
      const double a = expected_cell(recipe(gap, t)).adhesion_N_m;
      if (a > best) best = a, best_gap = gap, best_t = t;
    }
  EXPECT_NEAR(best_gap, 140.0, 10.0);
  EXPECT_NEAR(best_t, 80.0, 10.0);
  for (double gap = 210; gap <= 300; gap += 10)
    EXPECT_LT(expected_cell(recipe(gap, 80, true, CmcSbr::R1_3, Additive::LongCnt), 25.0).adhesion_N_m, 8.0) << gap;
}

TEST(TrendModel, CycleLifeFollowsTheFormulationAtTheReference) {
  for (const CmcSbr r : kAllCmcSbr)
    for (const Additive a : kAllAdditives)
      EXPECT_NEAR(expected_cell(reference_recipe(r, a)).cycles_to_half, reference_cycles_to_half(r, a), 1e-9);
  EXPECT_DOUBLE_EQ(reference_cycles_to_half(CmcSbr::R2_1, Additive::None), 44.0);
  EXPECT_DOUBLE_EQ(reference_cycles_to_half(CmcSbr::R1_3, Additive::None), 24.0);
  EXPECT_DOUBLE_EQ(reference_cycles_to_half(CmcSbr::R2_3, Additive::None), 12.0);
  EXPECT_NEAR(retention(12, 12), 0.5, 1e-12);
}

TEST(TrendModel, ThinCoatingsOfThe2To3SeriesReach300AndThickOnesStayBelow100) {
  // "Below 150 um, high D30 values were achieved that mostly exceeded 300 mA.h/g"; "above 200 um gives D30
  // values below 100 mA.h/g"
  for (double gap : {70.0, 100.0, 140.0})
    for (double t : {60.0, 80.0, 120.0}) EXPECT_GT(expected_cell(recipe(gap, t)).d(30), 280.0) << gap << " " << t;
  for (double gap : {250.0, 300.0})
    for (double t : {60.0, 80.0, 100.0}) EXPECT_LT(expected_cell(recipe(gap, t)).d(30), 100.0) << gap << " " << t;
  // "at high thicknesses, it is observable that the D30 values are 4 times higher at 120 C than at 80 C"
  const double ratio = expected_cell(recipe(250, 120)).d(30) / expected_cell(recipe(250, 80)).d(30);
  EXPECT_GT(ratio, 2.5);
  EXPECT_LT(ratio, 6.0);
}

TEST(TrendModel, CalenderingExtendsCycleLife) {
  // "calendaring decreases significantly the porosity values and increases the cycle life of the cells"; for 1:3
  // and 2:1 "at the 50th cycle, over double values" (Figure 4A-B). At the reference conditions the simulator
  // gives x3 for 1:3 but only x1.6 for 2:1: the thick coating dried at 80 C still limits it (SOURCE.md).
  for (const CmcSbr r : kAllCmcSbr) {
    CellRecipe calendered = reference_recipe(r, Additive::None);
    calendered.calendered = true;
    const auto open = expected_cell(reference_recipe(r, Additive::None));
    const auto dense = expected_cell(calendered, 30.0);
    EXPECT_LT(dense.porosity_pct, open.porosity_pct - 15.0);
    EXPECT_GT(dense.d(30), 1.2 * open.d(30)) << to_string(r);
    EXPECT_GT(dense.d(50), (r == CmcSbr::R1_3 ? 2.0 : r == CmcSbr::R2_1 ? 1.5 : 1.1) * open.d(50)) << to_string(r);
  }
}

TEST(TrendModel, ResistanceFallsWithAdhesionAndWithConductiveAdditives) {
  const auto weak = expected_cell(recipe(250, 80)), strong = expected_cell(recipe(140, 80));
  EXPECT_LT(weak.adhesion_N_m, strong.adhesion_N_m);
  EXPECT_GT(weak.ir_drop_ohm, 2.0 * strong.ir_drop_ohm);
  EXPECT_LT(expected_cell(recipe(140, 80, false, CmcSbr::R2_3, Additive::LongCnt)).ir_drop_ohm, strong.ir_drop_ohm);
}

}  // namespace
}  // namespace elec::synth
