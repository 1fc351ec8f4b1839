#include "elec/synth/graphite_design.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace elec::synth {
namespace {

TEST(StudyDesign, Has27CasesOf3To5ReplicatesAnd85Cells) {
  const auto& cases = study_cases();
  ASSERT_EQ(cases.size(), 27u);
  std::set<int> numbers;
  int cells = 0;
  for (const auto& c : cases) {
    EXPECT_TRUE(numbers.insert(c.number).second) << "case " << c.number << " twice";
    EXPECT_GE(c.replicates, 3) << "case " << c.number;
    EXPECT_LE(c.replicates, 5) << "case " << c.number;
    cells += c.replicates;
  }
  EXPECT_EQ(cells, 85);  // "A data model was trained on the data from 85 cells"
  EXPECT_EQ(numbers.count(16), 0u) << "16 is the paper's test case, not a training case";
}

TEST(StudyDesign, CoversEveryFactorLevelAndRange) {
  std::set<CmcSbr> ratios;
  std::set<Additive> additives;
  std::set<std::pair<double, double>> dryings;
  std::set<bool> calendering;
  double gap_min = 1e9, gap_max = 0, speed_min = 1e9, speed_max = 0;
  for (const auto& c : study_cases()) {
    const auto& r = c.recipe;
    ratios.insert(r.cmc_sbr);
    additives.insert(r.additive);
    dryings.insert({r.drying.first_C, r.drying.second_C});
    calendering.insert(r.calendered);
    gap_min = std::min(gap_min, r.gap_um), gap_max = std::max(gap_max, r.gap_um);
    speed_min = std::min(speed_min, r.speed_m_min), speed_max = std::max(speed_max, r.speed_m_min);
    EXPECT_TRUE(kGapUm.contains(r.gap_um) && kSpeedMPerMin.contains(r.speed_m_min)) << "case " << c.number;
  }
  EXPECT_EQ(ratios.size(), 3u);
  EXPECT_EQ(additives.size(), 5u);
  EXPECT_EQ(dryings.size(), drying_programmes().size());
  EXPECT_EQ(calendering.size(), 2u);
  EXPECT_EQ(gap_min, 70.0);
  EXPECT_EQ(gap_max, 300.0);
  EXPECT_EQ(speed_min, 0.1);
  EXPECT_EQ(speed_max, 0.5);
}

TEST(StudyDesign, PlansReplicatesConsecutivelyWithNumberedIds) {
  const auto cells = plan_cells(study_cases());
  ASSERT_EQ(cells.size(), 85u);
  EXPECT_EQ(cells.front().id, "c001");
  EXPECT_EQ(cells.back().id, "c085");
  std::set<int> finished;
  for (std::size_t i = 1; i < cells.size(); ++i)
    if (cells[i].case_number != cells[i - 1].case_number) {
      EXPECT_TRUE(finished.insert(cells[i - 1].case_number).second) << "case " << cells[i - 1].case_number << " split";
    }
  EXPECT_EQ(cell_id(999), "c1000");
}

TEST(RandomDesign, CaseDependsOnlyOnSeedAndNumber) {
  const auto small = random_cases(5, 100);
  const auto large = random_cases(5, 1000);
  int total = 0;
  for (const auto& c : small) total += c.replicates;
  EXPECT_EQ(total, 100);
  ASSERT_LE(small.size(), large.size());
  for (std::size_t i = 0; i < small.size(); ++i) {
    const auto& a = small[i].recipe;
    const auto& b = large[i].recipe;
    EXPECT_EQ(small[i].number, large[i].number);
    EXPECT_TRUE(a.cmc_sbr == b.cmc_sbr && a.additive == b.additive && a.gap_um == b.gap_um &&
                a.speed_m_min == b.speed_m_min && a.drying.first_C == b.drying.first_C &&
                a.drying.second_C == b.drying.second_C && a.calendered == b.calendered)
        << "case " << i;
    if (i + 1 < small.size()) {
      EXPECT_EQ(small[i].replicates, large[i].replicates);  // the last one is cut to fit
    }
  }
  const auto other_seed = random_cases(6, 100);
  bool differs = false;
  for (std::size_t i = 0; i < std::min(small.size(), other_seed.size()); ++i)
    differs = differs || small[i].recipe.gap_um != other_seed[i].recipe.gap_um;
  EXPECT_TRUE(differs);
}

TEST(RandomDesign, StaysInsideTheStudiedRanges) {
  std::set<Additive> additives;
  for (const auto& c : random_cases(3, 3000)) {
    const auto& r = c.recipe;
    EXPECT_TRUE(kGapUm.contains(r.gap_um)) << r.gap_um;
    EXPECT_TRUE(kSpeedMPerMin.contains(r.speed_m_min)) << r.speed_m_min;
    EXPECT_TRUE(kDryingC.contains(r.drying.first_C) && r.drying.second_C >= r.drying.first_C);
    additives.insert(r.additive);
  }
  EXPECT_EQ(additives.size(), 5u);
}

TEST(FactorText, RoundTrips) {
  for (const CmcSbr r : kAllCmcSbr) EXPECT_EQ(parse_cmc_sbr(to_string(r)), r);
  for (const Additive a : kAllAdditives) EXPECT_EQ(parse_additive(to_string(a)), a);
  EXPECT_FALSE(parse_cmc_sbr("3:2"));
  EXPECT_FALSE(parse_additive("graphene"));
}

}  // namespace
}  // namespace elec::synth
