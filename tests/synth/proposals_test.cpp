#include "elec/synth/proposals.hpp"

#include <gtest/gtest.h>

#include "../support/temp_dir.hpp"

namespace elec::synth {
namespace {

using elec::test_support::relative;
using elec::test_support::Strings;
using elec::test_support::TempDir;

const char* kHeader = "id,cmc_sbr,additive,gap_um,speed_m_min,drying_first_C,drying_second_C,calendered\n";

TEST(ReadProposals, ReadsRecipesAndIgnoresOtherColumns) {
  TempDir dir;
  const auto file =
      dir.write("p.csv",
                "note,id,cmc_sbr,additive,gap_um,speed_m_min,drying_first_C,drying_second_C,calendered,case\n"
                "best guess,p1,2:1,long_cnt,140,0.2,80,100,1,\n"
                ",p2, 1:3 ,none,70,0.5,60,60,0,7\n");
  data::Diagnostics diag;
  const auto cells = read_proposals(file, diag);
  ASSERT_TRUE(diag.empty()) << diag.format();
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[0].id, "p1");
  EXPECT_EQ(cells[0].case_number, 0);
  EXPECT_EQ(cells[0].recipe.cmc_sbr, CmcSbr::R2_1);
  EXPECT_EQ(cells[0].recipe.additive, Additive::LongCnt);
  EXPECT_EQ(cells[0].recipe.gap_um, 140.0);
  EXPECT_EQ(cells[0].recipe.drying.first_C, 80.0);
  EXPECT_EQ(cells[0].recipe.drying.second_C, 100.0);
  EXPECT_TRUE(cells[0].recipe.calendered);
  EXPECT_EQ(cells[1].recipe.cmc_sbr, CmcSbr::R1_3);
  EXPECT_EQ(cells[1].case_number, 7);
  EXPECT_FALSE(cells[1].recipe.calendered);
}

TEST(ReadProposals, ReportsEveryBadFieldWithLineAndColumn) {
  TempDir dir;
  const auto file = dir.write("p.csv", std::string(kHeader) +
                                           "p1,2:3,long_cnt,140,0.2,80,80,1\n"
                                           "p2,3:2,graphene,400,0.2,100,80,2\n"
                                           "p1,2:1,none,,0.2,80,80,0\n"
                                           "p3,2:1,none,100,fast,80,80,0\n");
  data::Diagnostics diag;
  const auto cells = read_proposals(file, diag);
  EXPECT_EQ(relative(diag, file),
            (Strings{":3:4: CMC:SBR ratio \"3:2\"; expected 2:1, 1:3 or 2:3",
                     ":3:8: additive \"graphene\"; expected long_cnt, short_cnt, carbon_fibre, dsa or none",
                     ":3:17: coating gap (um) 400 is outside the simulated range; expected 70 to 300",
                     ":3:29: second drying step 80 C is below the first (100 C); expected a second step at least as "
                     "hot (equal for one-step drying)",
                     ":3:32: calendered \"2\"; expected 0 or 1",
                     ":4:1: id \"p1\" already used on line 2; expected unique ids",
                     ":4:13: blank coating gap (um); expected a number from 70 to 300 (descriptors must be given)",
                     ":5:17: coating speed (m/min) \"fast\"; expected a number"}));
}

TEST(ReadProposals, ReportsMissingColumnsOnTheHeaderLine) {
  TempDir dir;
  const auto file =
      dir.write("p.csv", "id,cmc_sbr,additive,gap_um,speed_m_min,drying_first_C\np1,2:3,none,100,0.2,80\n");
  data::Diagnostics diag;
  EXPECT_TRUE(read_proposals(file, diag).empty());
  ASSERT_EQ(diag.size(), 2u);
  EXPECT_EQ(relative(diag, file)[0].rfind(":1: no column \"drying_second_C\"; expected the columns id,", 0), 0u)
      << diag.format();
  EXPECT_EQ(relative(diag, file)[1].rfind(":1: no column \"calendered\"", 0), 0u) << diag.format();
}

TEST(ReadProposals, ReportsAFileWithoutCells) {
  TempDir dir;
  const auto file = dir.write("p.csv", kHeader);
  data::Diagnostics diag;
  EXPECT_TRUE(read_proposals(file, diag).empty());
  EXPECT_EQ(relative(diag, file), (Strings{":1: no proposed cells; expected one row per cell after the header"}));
}

}  // namespace
}  // namespace elec::synth
