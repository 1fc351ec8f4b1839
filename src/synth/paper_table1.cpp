#include "elec/synth/paper_table1.hpp"

#include <stdexcept>
#include <string>
#include <utility>

namespace elec::synth {

bool formulation_of(int number, CmcSbr& ratio, Additive& additive) {
  static const std::pair<CmcSbr, Additive> numbered[] = {
      {CmcSbr::R2_1, Additive::None},    {CmcSbr::R1_3, Additive::None},     {CmcSbr::R2_3, Additive::None},
      {CmcSbr::R2_3, Additive::LongCnt}, {CmcSbr::R2_3, Additive::ShortCnt}, {CmcSbr::R2_3, Additive::CarbonFibre},
      {CmcSbr::R2_3, Additive::Dsa}};
  if (number < 1 || number > 7) return false;
  ratio = numbered[number - 1].first;
  additive = numbered[number - 1].second;
  return true;
}

namespace {

// One row as printed; 0 / empty text means "empty in the table", i.e. the value of the row above.
struct PrintedRow {
  int case_number;
  int formulation;          // 0 = merged
  const char* drying;       // "" = merged
  double speed_m_min;       // 0 = merged
  double gap_um;            // 0 = merged
  const char* calendering;  // "" = merged
  double porosity_pct;
  double d30_experimental;
};

Drying parse_drying(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) return {std::stod(text), std::stod(text)};
  return {std::stod(text.substr(0, slash)), std::stod(text.substr(slash + 1))};
}

std::vector<Table1Cell> read_merged_rows() {
  static const PrintedRow printed[] = {
      {40, 6, "60", 0.2, 150, "NO", 52.3, 197.3}, {41, 0, "60/80", 0, 0, "", 54.3, 205.1},
      {47, 0, "80/100", 0.4, 0, "", 53.7, 241.1}, {48, 0, "", 0, 0, "YES", 32.0, 321.9},
      {60, 0, "60", 0.2, 200, "", 28.5, 109.5},   {16, 3, "80", 0.1, 140, "", 22.4, 310.2},
  };
  std::vector<Table1Cell> cells;
  int formulation = 0;
  std::string drying, calendering;
  double speed = 0, gap = 0;
  for (const auto& row : printed) {
    if (row.formulation) formulation = row.formulation;
    if (*row.drying) drying = row.drying;
    if (row.speed_m_min) speed = row.speed_m_min;
    if (row.gap_um) gap = row.gap_um;
    if (*row.calendering) calendering = row.calendering;
    Table1Cell cell;
    cell.case_number = row.case_number;
    cell.formulation = formulation;
    if (!formulation_of(formulation, cell.recipe.cmc_sbr, cell.recipe.additive))
      throw std::logic_error("paper_table1: formulation number without a mapping");
    cell.recipe.drying = parse_drying(drying);
    cell.recipe.speed_m_min = speed;
    cell.recipe.gap_um = gap;
    cell.recipe.calendered = calendering == "YES";
    cell.porosity_pct = row.porosity_pct;
    cell.d30_experimental_mAh_g = row.d30_experimental;
    cells.push_back(cell);
  }
  return cells;
}

}  // namespace

const std::vector<Table1Cell>& paper_table1() {
  static const std::vector<Table1Cell> cells = read_merged_rows();
  return cells;
}

}  // namespace elec::synth
