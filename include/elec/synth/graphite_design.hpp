#pragma once
// The manufacturing factors of Drakopoulos et al. 2021 (graphite anodes, CMC:SBR binder in water) and the cells
// that `elec_hpc synth` simulates: the 27-case study design, a random design over the same ranges for scaled-up
// studies, and the text forms the CSV files use.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace elec::synth {

// Binder at 3% w/w of the electrode, split between CMC and SBR ("mixed at various ratios (2:1, 1:3, and 2:3)").
enum class CmcSbr { R2_1, R1_3, R2_3 };
// 0.5% w/w additive ("long and short CNTs; carbon fibers; and DSA (hydrophobic dispersant)"), or none.
enum class Additive { LongCnt, ShortCnt, CarbonFibre, Dsa, None };

inline constexpr CmcSbr kAllCmcSbr[] = {CmcSbr::R2_1, CmcSbr::R1_3, CmcSbr::R2_3};
inline constexpr Additive kAllAdditives[] = {Additive::LongCnt, Additive::ShortCnt, Additive::CarbonFibre,
                                             Additive::Dsa, Additive::None};

const char* to_string(CmcSbr ratio);       // "2:1", "1:3", "2:3"
const char* to_string(Additive additive);  // "long_cnt", "short_cnt", "carbon_fibre", "dsa", "none"
std::optional<CmcSbr> parse_cmc_sbr(std::string_view text);
std::optional<Additive> parse_additive(std::string_view text);

double cmc_share(CmcSbr ratio);  // CMC fraction of the binder: 2/3, 1/4, 2/5

// The ranges the paper explored ("coating gap size (70-300 um), coating speeds (0.1-0.5 m/min), and drying
// temperature (60-120 C)"); the simulator is calibrated inside them and rejects proposals outside.
struct Range {
  double min, max;
  bool contains(double v) const { return v >= min && v <= max; }
};
inline constexpr Range kGapUm{70.0, 300.0};
inline constexpr Range kSpeedMPerMin{0.1, 0.5};
inline constexpr Range kDryingC{60.0, 120.0};

// Drying programmes of the study: one step at 60, 80, 100 or 120 C, or two steps 60/80 and 80/100 C.
struct Drying {
  double first_C = 80.0;
  double second_C = 80.0;  // equal to first_C for one-step drying
};
inline const std::vector<Drying>& drying_programmes() {
  static const std::vector<Drying> programmes = {{60, 60}, {80, 80}, {100, 100}, {120, 120}, {60, 80}, {80, 100}};
  return programmes;
}

// The descriptors of one cell: formulation and process, what a manufacturing proposal specifies.
struct CellRecipe {
  CmcSbr cmc_sbr = CmcSbr::R2_3;
  Additive additive = Additive::None;
  double gap_um = 150.0;
  double speed_m_min = 0.2;
  Drying drying;
  bool calendered = false;
};

// One manufacturing case: a recipe made several times (the paper tested "three to five cells ... from every
// manufacturing case").
struct ManufacturingCase {
  int number = 0;  // the `case` column, groups replicates
  CellRecipe recipe;
  int replicates = 3;
};

// One cell to simulate: its id, its case and its recipe.
struct PlannedCell {
  std::string id;
  int case_number = 0;
  CellRecipe recipe;
};

// The 27 cases (85 cells) modelled on the paper's study: a formulation series at the reference conditions
// (Figure 2), a coating-gap x drying series on CMC:SBR 2:3 without additive (Figure 3) and a calendering series
// (Figure 4). Case numbers are the simulator's own (1-28 without 16, which is a test cell of the paper's Table 1).
const std::vector<ManufacturingCase>& study_cases();

// Cells c001, c002, ... in case order, replicates consecutive.
std::vector<PlannedCell> plan_cells(const std::vector<ManufacturingCase>& cases);

// Random cases over the same factors and ranges (replicates 3-5 each), numbered 1, 2, ...; case c depends only on
// (seed, c). Enough cases to hold `cells` cells; the last one is cut to fit.
std::vector<ManufacturingCase> random_cases(std::uint64_t seed, std::size_t cells);

std::string cell_id(std::size_t index);  // 0 -> "c001"; at least three digits

}  // namespace elec::synth
