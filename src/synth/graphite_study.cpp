#include "elec/synth/graphite_study.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "elec/common/rng.hpp"
#include "elec/synth/graphite_physics.hpp"

namespace elec::synth {
namespace {

// Every value of a simulated cell, measured.
CellRecord complete_record(const PlannedCell& planned, const SimulatedCell& s, bool outlier) {
  CellRecord r;
  r.cell = planned;
  r.outlier = outlier;
  r[Endpoint::Thickness] = s.thickness_um;
  r[Endpoint::CoatWeight] = s.coat_weight_mg_cm2;
  r[Endpoint::ActiveMass] = s.active_mass_mg;
  r[Endpoint::Porosity] = s.porosity_pct;
  r[Endpoint::Adhesion] = s.adhesion_N_m;
  r[Endpoint::IrDrop] = s.ir_drop_ohm;
  r[Endpoint::Viscosity0_1] = s.viscosity_Pa_s[0];
  r[Endpoint::Viscosity1] = s.viscosity_Pa_s[1];
  r[Endpoint::Viscosity10] = s.viscosity_Pa_s[2];
  r[Endpoint::Viscosity100] = s.viscosity_Pa_s[3];
  r.capacity_mAh_g = s.capacity_mAh_g;
  return r;
}

// Blanks what this cell's lab record lacks. The draws come after the simulation on the cell's own stream, in a
// fixed order, so the measured values do not depend on which ones are blank.
void leave_gaps(CellRecord& r, const MeasurementGaps& gaps, common::CounterRng& rng) {
  const bool not_cycled = rng.uniform() < gaps.not_cycled;
  const bool cut_short = rng.uniform() < gaps.cut_short;
  const int last_cycle = 10 + static_cast<int>(rng.below(36));  // 10..45
  const bool no_ir = rng.uniform() < gaps.no_ir_drop;
  const bool no_adhesion = rng.uniform() < gaps.no_adhesion;
  const bool no_thickness = rng.uniform() < gaps.no_thickness;
  const bool no_coat_weight = rng.uniform() < gaps.no_coat_weight;
  if (not_cycled)
    r.capacity_mAh_g.clear();
  else if (cut_short)
    r.capacity_mAh_g.resize(static_cast<std::size_t>(last_cycle));
  // The IR drop is read from the first cycle after formation: no cycling, no IR drop.
  if (not_cycled || no_ir) r[Endpoint::IrDrop].reset();
  if (no_adhesion) r[Endpoint::Adhesion].reset();
  if (no_thickness) {
    r[Endpoint::Thickness].reset();
    r[Endpoint::Porosity].reset();
  }
  if (no_coat_weight) r[Endpoint::CoatWeight].reset();
}

void drop_rheology(CellRecord& r) {
  for (Endpoint e : {Endpoint::Viscosity0_1, Endpoint::Viscosity1, Endpoint::Viscosity10, Endpoint::Viscosity100})
    r[e].reset();
}

// 64-bit FNV-1a: a proposal's noise stream is named by its id.
std::uint64_t id_hash(const std::string& id) {
  std::uint64_t h = 1469598103934665603ull;
  for (const unsigned char c : id) h = (h ^ c) * 1099511628211ull;
  return h;
}

}  // namespace

SimulatedStudy simulate_cases(std::uint64_t seed, const std::vector<ManufacturingCase>& cases,
                              const MeasurementGaps& gaps, std::string design) {
  SimulatedStudy study;
  study.seed = seed;
  study.design = std::move(design);
  std::set<std::pair<CmcSbr, Additive>> formulations_measured;
  std::size_t index = 0;
  for (const auto& c : cases) {
    common::CounterRng batch_rng(seed, common::Purpose::SynthBatch, static_cast<std::uint64_t>(c.number));
    const BatchDraws batch = draw_batch(batch_rng);
    const bool first_of_formulation = formulations_measured.insert({c.recipe.cmc_sbr, c.recipe.additive}).second;
    const bool remeasured = batch_rng.uniform() < gaps.slurry_remeasured;
    const bool rheology_measured = first_of_formulation || remeasured;
    for (int replicate = 0; replicate < c.replicates; ++replicate, ++index) {
      const PlannedCell planned{cell_id(index), c.number, c.recipe};
      common::CounterRng rng(seed, common::Purpose::SynthCell, index);
      const bool outlier = rng.uniform() < gaps.outlier;
      CellRecord record = complete_record(planned, simulate_cell(c.recipe, batch, rng, outlier), outlier);
      leave_gaps(record, gaps, rng);
      if (!rheology_measured) drop_rheology(record);
      study.cells.push_back(std::move(record));
    }
  }
  return study;
}

SimulatedStudy simulate_study(std::uint64_t seed) {
  return simulate_cases(seed, study_cases(), MeasurementGaps{}, "27-case study design");
}

SimulatedStudy simulate_random_study(std::uint64_t seed, std::size_t cells) {
  MeasurementGaps gaps;
  gaps.slurry_remeasured = 0.2;
  return simulate_cases(seed, random_cases(seed, cells), gaps, "random design, " + std::to_string(cells) + " cells");
}

std::vector<CellRecord> manufacture(std::uint64_t seed, const std::vector<PlannedCell>& proposals) {
  std::vector<CellRecord> cells;
  cells.reserve(proposals.size());
  for (const auto& p : proposals) {
    // A proposal is a batch of one: its slurry, coating and cell come from one stream.
    common::CounterRng rng(seed, common::Purpose::SynthProposal, id_hash(p.id));
    const BatchDraws batch = draw_batch(rng);
    cells.push_back(complete_record(p, simulate_cell(p.recipe, batch, rng, false), false));
  }
  return cells;
}

std::optional<double> capacity_at(const CellRecord& cell, int cycle) {
  if (cycle < 1 || static_cast<std::size_t>(cycle) > cell.capacity_mAh_g.size()) return std::nullopt;
  return cell.capacity_mAh_g[static_cast<std::size_t>(cycle - 1)];
}

std::optional<double> cycle_at_fraction(const CellRecord& cell, double fraction) {
  const auto& c = cell.capacity_mAh_g;
  if (c.empty()) return std::nullopt;
  const double level = fraction * *std::max_element(c.begin(), c.end());
  for (std::size_t i = 1; i < c.size(); ++i)
    if (c[i] <= level) {
      const double t = (c[i - 1] - level) / (c[i - 1] - c[i]);  // c[i-1] > level >= c[i]
      return static_cast<double>(i) + t;                        // cycles are 1-based: c[i-1] is cycle i
    }
  return std::nullopt;
}

StudyFacts describe(const std::vector<CellRecord>& cells) {
  StudyFacts f;
  f.cells = cells.size();
  std::set<int> cases;
  std::array<std::size_t, kEndpointCount> blanks{};
  f.d30_min = 1e300;
  f.d30_max = -1e300;
  for (const auto& r : cells) {
    cases.insert(r.cell.case_number);
    f.outliers += r.outlier ? 1 : 0;
    f.cycled += r.capacity_mAh_g.empty() ? 0 : 1;
    f.full_curves += r.capacity_mAh_g.size() == static_cast<std::size_t>(kCycles) ? 1 : 0;
    for (std::size_t e = 0; e < kEndpointCount; ++e) blanks[e] += r.endpoints[e] ? 0 : 1;
    if (const auto d30 = capacity_at(r, 30)) {
      f.d30_min = std::min(f.d30_min, *d30);
      f.d30_max = std::max(f.d30_max, *d30);
      ++f.d30_cells;
    }
  }
  f.cases = cases.size();
  for (std::size_t e = 0; e < kEndpointCount; ++e)
    f.blank_fraction[e] = cells.empty() ? 0.0 : static_cast<double>(blanks[e]) / static_cast<double>(cells.size());
  if (f.d30_cells == 0) f.d30_min = f.d30_max = 0.0;
  return f;
}

}  // namespace elec::synth
