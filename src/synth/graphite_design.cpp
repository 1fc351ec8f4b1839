#include "elec/synth/graphite_design.hpp"

#include <cstdio>

#include "elec/common/rng.hpp"

namespace elec::synth {

const char* to_string(CmcSbr ratio) {
  switch (ratio) {
    case CmcSbr::R2_1:
      return "2:1";
    case CmcSbr::R1_3:
      return "1:3";
    case CmcSbr::R2_3:
      return "2:3";
  }
  return "?";
}

const char* to_string(Additive additive) {
  switch (additive) {
    case Additive::LongCnt:
      return "long_cnt";
    case Additive::ShortCnt:
      return "short_cnt";
    case Additive::CarbonFibre:
      return "carbon_fibre";
    case Additive::Dsa:
      return "dsa";
    case Additive::None:
      return "none";
  }
  return "?";
}

std::optional<CmcSbr> parse_cmc_sbr(std::string_view text) {
  for (const CmcSbr ratio : kAllCmcSbr)
    if (text == to_string(ratio)) return ratio;
  return std::nullopt;
}

std::optional<Additive> parse_additive(std::string_view text) {
  for (const Additive additive : kAllAdditives)
    if (text == to_string(additive)) return additive;
  return std::nullopt;
}

double cmc_share(CmcSbr ratio) {
  switch (ratio) {
    case CmcSbr::R2_1:
      return 2.0 / 3.0;
    case CmcSbr::R1_3:
      return 1.0 / 4.0;
    case CmcSbr::R2_3:
      return 2.0 / 5.0;
  }
  return 0.0;
}

namespace {

ManufacturingCase make_case(int number, CmcSbr ratio, Additive additive, double gap, double speed, Drying drying,
                            bool calendered, int replicates = 3) {
  return {number, CellRecipe{ratio, additive, gap, speed, drying, calendered}, replicates};
}

}  // namespace

const std::vector<ManufacturingCase>& study_cases() {
  using A = Additive;
  using R = CmcSbr;
  // The formulation series is made at the reference conditions (graphite_physics.hpp: 250 um, 0.2 m/min, 80 C,
  // not calendered), where the paper's cycle-life figures for the binder ratios and additives hold.
  const Drying d60{60, 60}, d80{80, 80}, d100{100, 100}, d120{120, 120}, d60_80{60, 80}, d80_100{80, 100};
  static const std::vector<ManufacturingCase> cases = {
      // Formulation series (Figure 2): "manufactured at the same conditions", none calendered.
      make_case(1, R::R2_1, A::None, 250, 0.2, d80, false),
      make_case(2, R::R1_3, A::None, 250, 0.2, d80, false),
      make_case(3, R::R2_3, A::None, 250, 0.2, d80, false, 4),
      make_case(4, R::R2_3, A::LongCnt, 250, 0.2, d80, false),
      make_case(5, R::R2_3, A::ShortCnt, 250, 0.2, d80, false),
      make_case(6, R::R2_3, A::CarbonFibre, 250, 0.2, d80, false),
      make_case(7, R::R2_3, A::Dsa, 250, 0.2, d80, false),
      // Coating gap x drying series (Figure 3): CMC:SBR 2:3, C45 only, none calendered.
      make_case(8, R::R2_3, A::None, 70, 0.2, d80, false),
      make_case(9, R::R2_3, A::None, 70, 0.3, d120, false),
      make_case(10, R::R2_3, A::None, 100, 0.2, d60, false),
      make_case(11, R::R2_3, A::None, 100, 0.4, d100, false),
      make_case(12, R::R2_3, A::None, 140, 0.2, d80, false, 5),
      make_case(13, R::R2_3, A::None, 140, 0.1, d120, false),
      make_case(14, R::R2_3, A::None, 200, 0.2, d60_80, false),
      make_case(15, R::R2_3, A::None, 200, 0.2, d120, false),
      make_case(17, R::R2_3, A::None, 250, 0.2, d120, false),
      make_case(18, R::R2_3, A::None, 300, 0.5, d80_100, false),
      make_case(19, R::R2_3, A::None, 300, 0.2, d60, false),
      make_case(20, R::R2_3, A::None, 170, 0.3, d100, false),
      make_case(21, R::R2_3, A::None, 120, 0.5, d60_80, false),
      // Calendering series (Figure 4) and mixed cases.
      make_case(22, R::R2_1, A::None, 250, 0.2, d80, true),
      make_case(23, R::R1_3, A::None, 250, 0.2, d80, true),
      make_case(24, R::R2_3, A::None, 250, 0.2, d80, true, 4),
      make_case(25, R::R2_3, A::LongCnt, 100, 0.3, d80_100, true),
      make_case(26, R::R2_3, A::ShortCnt, 200, 0.4, d100, true),
      make_case(27, R::R2_1, A::None, 140, 0.1, d60, true),
      make_case(28, R::R1_3, A::Dsa, 180, 0.25, d100, false),
  };
  return cases;
}

std::string cell_id(std::size_t index) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "c%03zu", index + 1);
  return buffer;
}

std::vector<PlannedCell> plan_cells(const std::vector<ManufacturingCase>& cases) {
  std::vector<PlannedCell> cells;
  for (const auto& c : cases)
    for (int r = 0; r < c.replicates; ++r) cells.push_back({cell_id(cells.size()), c.number, c.recipe});
  return cells;
}

std::vector<ManufacturingCase> random_cases(std::uint64_t seed, std::size_t cells) {
  std::vector<ManufacturingCase> cases;
  std::size_t planned = 0;
  for (std::uint64_t c = 0; planned < cells; ++c) {
    // Every draw of case c comes from its own stream, in a fixed order, so case c is the same for any `cells`.
    common::CounterRng rng(seed, common::Purpose::SynthDesign, c);
    ManufacturingCase mc;
    mc.number = static_cast<int>(c + 1);
    mc.recipe.cmc_sbr = kAllCmcSbr[rng.below(3)];
    mc.recipe.additive = kAllAdditives[rng.below(5)];
    mc.recipe.gap_um = 70.0 + 10.0 * static_cast<double>(rng.below(24));         // 70, 80, ..., 300
    mc.recipe.speed_m_min = static_cast<double>(10 + 5 * rng.below(9)) / 100.0;  // 0.10, 0.15, ..., 0.50
    mc.recipe.drying = drying_programmes()[rng.below(drying_programmes().size())];
    mc.recipe.calendered = rng.uniform() < 0.4;
    mc.replicates = 3 + static_cast<int>(rng.below(3));
    const std::size_t room = cells - planned;
    if (static_cast<std::size_t>(mc.replicates) > room) mc.replicates = static_cast<int>(room);
    planned += static_cast<std::size_t>(mc.replicates);
    cases.push_back(mc);
  }
  return cases;
}

}  // namespace elec::synth
