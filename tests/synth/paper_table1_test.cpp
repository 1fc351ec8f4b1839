#include "elec/synth/paper_table1.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "../support/temp_dir.hpp"
#include "elec/synth/study_writer.hpp"

namespace elec::synth {
namespace {

// Table 1 of the paper with its merged cells expanded by hand (an empty cell repeats the value above it), the
// formulations mapped as documented (6 -> 2:3 + carbon fibre, 3 -> 2:3 without additive), and every endpoint
// except porosity blank.
const char* kExpectedTestCells =
    "id,case,cmc_sbr,additive,gap_um,speed_m_min,drying_first_C,drying_second_C,calendered,thickness_um,"
    "coat_weight_mg_cm2,active_mass_mg,porosity_pct,adhesion_N_m,ir_drop_ohm,viscosity_0_1_Pa_s,viscosity_1_Pa_s,"
    "viscosity_10_Pa_s,viscosity_100_Pa_s,D30_mAh_g\n"
    "case40,40,2:3,carbon_fibre,150,0.2,60,60,0,,,,52.3,,,,,,,197.3\n"
    "case41,41,2:3,carbon_fibre,150,0.2,60,80,0,,,,54.3,,,,,,,205.1\n"
    "case47,47,2:3,carbon_fibre,150,0.4,80,100,0,,,,53.7,,,,,,,241.1\n"
    "case48,48,2:3,carbon_fibre,150,0.4,80,100,1,,,,32.0,,,,,,,321.9\n"
    "case60,60,2:3,carbon_fibre,200,0.2,60,60,1,,,,28.5,,,,,,,109.5\n"
    "case16,16,2:3,none,140,0.1,80,80,1,,,,22.4,,,,,,,310.2\n";

TEST(PaperTable1, TestCellsFileHoldsExactlyThePapersValues) {
  test_support::TempDir dir;
  const auto study = simulate_study(1);
  write_study(dir.path("study"), study, study_provenance(study, 0));
  std::ifstream in(dir.path("study/test_cells.csv"), std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), kExpectedTestCells);
}

TEST(PaperTable1, AllSixCellsAreCmcSbr2To3) {
  ASSERT_EQ(paper_table1().size(), 6u);
  for (const auto& cell : paper_table1()) EXPECT_EQ(cell.recipe.cmc_sbr, CmcSbr::R2_3) << "case " << cell.case_number;
}

TEST(PaperTable1, FormulationNumbersFollowThePapersListingOrder) {
  CmcSbr ratio{};
  Additive additive{};
  ASSERT_TRUE(formulation_of(6, ratio, additive));
  EXPECT_EQ(ratio, CmcSbr::R2_3);
  EXPECT_EQ(additive, Additive::CarbonFibre);
  ASSERT_TRUE(formulation_of(3, ratio, additive));
  EXPECT_EQ(ratio, CmcSbr::R2_3);
  EXPECT_EQ(additive, Additive::None);
  ASSERT_TRUE(formulation_of(1, ratio, additive));
  EXPECT_EQ(ratio, CmcSbr::R2_1);
  EXPECT_FALSE(formulation_of(8, ratio, additive));
  EXPECT_FALSE(formulation_of(0, ratio, additive));
}

}  // namespace
}  // namespace elec::synth
