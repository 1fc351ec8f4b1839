// The files `synth` writes: format, determinism, gaps, the shipped study, manufactured cells.
#include "study_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "../support/temp_dir.hpp"
#include "elec/data/study_inputs.hpp"
#include "elec/synth/graphite_physics.hpp"
#include "elec/synth/study_writer.hpp"

namespace elec::synth {
namespace {

using elec::test_support::TempDir;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Provenance provenance_of(std::uint64_t seed) { return {"elec_hpc synth --seed " + std::to_string(seed), "test", seed}; }

TEST(StudyFiles, HeaderAndSchemaDeclareEveryColumn) {
  TempDir dir;
  write_study(dir.path("s"), simulate_study(1), provenance_of(1));
  const auto study = test_support::read_study_files(dir.path("s"));
  EXPECT_EQ(study.header,
            (std::vector<std::string>{
                "id", "case", "cmc_sbr", "additive", "gap_um", "speed_m_min", "drying_first_C", "drying_second_C",
                "calendered", "thickness_um", "coat_weight_mg_cm2", "active_mass_mg", "porosity_pct", "adhesion_N_m",
                "ir_drop_ohm", "viscosity_0_1_Pa_s", "viscosity_1_Pa_s", "viscosity_10_Pa_s", "viscosity_100_Pa_s"}));
  const std::string schema = slurp(dir.path("s/schema.toml"));
  for (const auto& column : study.header)
    EXPECT_NE(schema.find("name = \"" + column + "\""), std::string::npos) << column;
  EXPECT_NE(schema.find("SIMULATED"), std::string::npos);
  EXPECT_NE(schema.find("`elec_hpc synth --seed 1`"), std::string::npos);
  EXPECT_NE(schema.find("type = \"functional\"\nabscissa = \"cycle\"\nfile = \"capacity.csv\""), std::string::npos);
  EXPECT_NE(schema.find("name = \"case\"\nrole = \"ignore\""), std::string::npos);
  for (const char* derived : {"D5_mAh_g", "D30_mAh_g", "cycle_at_50pct"})
    EXPECT_NE(schema.find("[[derived]]\nname = \"" + std::string(derived) + "\""), std::string::npos) << derived;
}

TEST(StudyFiles, ScalarColumnsLoadWithTodaysTableReader) {
  // The curve and the derived scalars need the functional-column reader; everything before them is the format
  // train and impute read today, with the shipped study config.
  TempDir dir;
  const auto study = simulate_study(1);
  write_study(dir.path("s"), study, study_provenance(study, 0));
  const std::string schema = slurp(dir.path("s/schema.toml"));
  const auto curve = schema.find("# Discharge capacity");
  ASSERT_NE(curve, std::string::npos);
  const auto scalar_schema = dir.write("scalar_schema.toml", schema.substr(0, curve));
  const auto inputs = data::load_study_inputs(dir.path("s/cells.csv"), scalar_schema,
                                              std::string(ELEC_SOURCE_DIR) + "/inputs/graphite/study.toml");
  EXPECT_EQ(inputs.dataset.rows(), 85u);
  EXPECT_EQ(inputs.dataset.endpoint_names.size(), kEndpointCount);
  EXPECT_EQ(inputs.dataset.descriptor_names.size(), 5u + 3u + 5u);  // numeric + CMC:SBR levels + additive levels
}

TEST(StudyFiles, SameSeedSameBytesOtherSeedOtherValues) {
  TempDir dir;
  write_study(dir.path("a"), simulate_study(4), provenance_of(4));
  write_study(dir.path("b"), simulate_study(4), provenance_of(4));
  write_study(dir.path("c"), simulate_study(5), provenance_of(5));
  for (const char* file : {"cells.csv", "capacity.csv", "test_cells.csv", "schema.toml"})
    EXPECT_EQ(slurp(dir.path("a/") + file), slurp(dir.path("b/") + file)) << file;
  EXPECT_NE(slurp(dir.path("a/cells.csv")), slurp(dir.path("c/cells.csv")));
  EXPECT_NE(slurp(dir.path("a/capacity.csv")), slurp(dir.path("c/capacity.csv")));
}

TEST(StudyFiles, CellKIsTheSameForAnyNumberOfCells) {
  TempDir dir;
  write_study(dir.path("small"), simulate_random_study(9, 100), provenance_of(9));
  write_study(dir.path("large"), simulate_random_study(9, 1000), provenance_of(9));
  const auto small = test_support::read_study_files(dir.path("small"));
  const auto large = test_support::read_study_files(dir.path("large"));
  ASSERT_EQ(small.cells.size(), 100u);
  ASSERT_EQ(large.cells.size(), 1000u);
  for (std::size_t k = 0; k < small.cells.size(); ++k) {
    EXPECT_EQ(small.cells[k].text, large.cells[k].text) << "cell " << k;
    const auto& id = small.cells[k]["id"];
    const auto s = small.curves.find(id), l = large.curves.find(id);
    ASSERT_EQ(s == small.curves.end(), l == large.curves.end()) << id;
    if (s != small.curves.end()) {
      EXPECT_EQ(s->second, l->second) << id;
    }
  }
}

TEST(StudyFiles, ShippedStudyIsWhatTheGeneratorWritesWithTheDefaultSeed) {
  TempDir dir;
  const auto study = simulate_study(1);
  write_study(dir.path("s"), study, study_provenance(study, 0));
  const std::string shipped = std::string(ELEC_SOURCE_DIR) + "/inputs/graphite/";
  for (const char* file : {"cells.csv", "capacity.csv", "test_cells.csv", "schema.toml"})
    EXPECT_EQ(slurp(dir.path("s/") + file), slurp(shipped + file))
        << file << " differs: regenerate with `elec_hpc synth --out inputs/graphite`";
}

TEST(StudyFiles, PaperStudyHasRealisticGaps) {
  TempDir dir;
  write_study(dir.path("s"), simulate_study(1), provenance_of(1));
  const auto study = test_support::read_study_files(dir.path("s"));
  ASSERT_EQ(study.cells.size(), 85u);
  std::set<std::string> cases;
  std::map<std::string, std::set<std::string>> rheology_cases;  // formulation -> cases with viscosities
  std::map<std::string, std::size_t> measured_in_case, cells_in_case;
  std::size_t adhesion_blank = 0, ir_blank = 0, cut = 0, not_cycled = 0;
  for (const auto& r : study.cells) {
    cases.insert(r["case"]);
    ++cells_in_case[r["case"]];
    // Descriptors are always given.
    for (const char* d :
         {"cmc_sbr", "additive", "gap_um", "speed_m_min", "drying_first_C", "drying_second_C", "calendered"})
      EXPECT_FALSE(r[d].empty()) << r["id"] << " " << d;
    if (r.number("viscosity_0_1_Pa_s")) {
      rheology_cases[r["cmc_sbr"] + " " + r["additive"]].insert(r["case"]);
      ++measured_in_case[r["case"]];
    }
    adhesion_blank += r.number("adhesion_N_m") ? 0 : 1;
    ir_blank += r.number("ir_drop_ohm") ? 0 : 1;
    const auto curve = study.curves.find(r["id"]);
    if (curve == study.curves.end())
      ++not_cycled;
    else if (curve->second.size() < static_cast<std::size_t>(kCycles))
      ++cut;
  }
  EXPECT_EQ(cases.size(), 27u);
  // Rheology once per formulation (8 are used), on every replicate of that one case.
  EXPECT_EQ(rheology_cases.size(), 8u);
  for (const auto& [formulation, in_cases] : rheology_cases) EXPECT_EQ(in_cases.size(), 1u) << formulation;
  for (const auto& [c, measured] : measured_in_case) EXPECT_EQ(measured, cells_in_case[c]) << "case " << c;
  EXPECT_GT(adhesion_blank, 3u);
  EXPECT_GT(ir_blank, 2u);
  EXPECT_GT(cut, 2u);
  EXPECT_GT(not_cycled, 0u);
  EXPECT_GT(study.curves.size(), 70u);
}

TEST(Manufacture, ProposalsAreMeasuredCompletelyWithReplicateNoise) {
  const CellRecipe good{CmcSbr::R2_1, Additive::LongCnt, 120, 0.2, {80, 80}, true};
  const std::vector<PlannedCell> proposals = {{"p1", 0, good}, {"p2", 0, good}};
  const auto cells = manufacture(1, proposals);
  ASSERT_EQ(cells.size(), 2u);
  for (const auto& c : cells) {
    for (const auto& e : c.endpoints) EXPECT_TRUE(e.has_value()) << c.cell.id;
    EXPECT_EQ(c.capacity_mAh_g.size(), static_cast<std::size_t>(kCycles));
    EXPECT_FALSE(c.outlier);
  }
  EXPECT_NE(cells[0].capacity_mAh_g, cells[1].capacity_mAh_g);  // two cells, two draws
  EXPECT_NEAR(*cells[0][Endpoint::Porosity], *cells[1][Endpoint::Porosity], 8.0);
  // A proposal's cell depends on its id and the seed, not on its place in the file.
  const auto reversed = manufacture(1, {proposals[1], proposals[0]});
  EXPECT_EQ(reversed[1].capacity_mAh_g, cells[0].capacity_mAh_g);
  EXPECT_NE(manufacture(2, proposals)[0].capacity_mAh_g, cells[0].capacity_mAh_g);
}

TEST(Manufacture, WritesCellsAndCurvesWithoutBlanks) {
  TempDir dir;
  const CellRecipe r{CmcSbr::R2_3, Additive::Dsa, 200, 0.3, {60, 80}, false};
  write_measurements(dir.path("m"), manufacture(3, {{"x1", 12, r}, {"x2", 0, r}}));
  const auto files = test_support::read_study_files(dir.path("m"));
  ASSERT_EQ(files.cells.size(), 2u);
  EXPECT_EQ(files.cells[0]["case"], "12");
  EXPECT_EQ(files.cells[1]["case"], "");
  for (const auto& row : files.cells)
    for (const auto& column : files.header) {
      if (column != "case") {
        EXPECT_FALSE(row[column].empty()) << row["id"] << " " << column;
      }
    }
  EXPECT_EQ(files.curves.at("x2").size(), static_cast<std::size_t>(kCycles));
  EXPECT_FALSE(std::filesystem::exists(dir.path("m/test_cells.csv")));
}

}  // namespace
}  // namespace elec::synth
