#pragma once
// A simulated study as a lab would record it: every planned cell simulated (graphite_physics), then what was not
// measured left blank, a few defective cells among them. Manufactured proposals are recorded completely.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "elec/synth/graphite_design.hpp"

namespace elec::synth {

// The scalar endpoints of cells.csv, in column order.
enum class Endpoint : std::size_t {
  Thickness,
  CoatWeight,
  ActiveMass,
  Porosity,
  Adhesion,
  IrDrop,
  Viscosity0_1,
  Viscosity1,
  Viscosity10,
  Viscosity100
};
inline constexpr std::size_t kEndpointCount = 10;

struct CellRecord {
  PlannedCell cell;
  std::array<std::optional<double>, kEndpointCount> endpoints;  // nullopt = not measured
  std::vector<double> capacity_mAh_g;                           // cycles 1..size(); empty = not cycled
  bool outlier = false;

  const std::optional<double>& operator[](Endpoint e) const { return endpoints[static_cast<std::size_t>(e)]; }
  std::optional<double>& operator[](Endpoint e) { return endpoints[static_cast<std::size_t>(e)]; }
};

// How often the lab did not measure something (per cell unless said otherwise). Rheology is a property of the
// slurry: it is measured once, on the first case made from each formulation (the paper's Figure 2 series), and
// in a random design also on a share of the other batches.
struct MeasurementGaps {
  double outlier = 0.03;     // defective cell (fast fade, high resistance)
  double not_cycled = 0.05;  // no capacity curve and no IR drop
  double cut_short = 0.10;   // cycling stopped between cycles 10 and 45
  double no_ir_drop = 0.08;
  double no_adhesion = 0.15;
  double no_thickness = 0.03;  // thickness and porosity (porosity is computed from it)
  double no_coat_weight = 0.02;
  double slurry_remeasured = 0.0;  // share of later batches of a formulation whose rheology is measured again
};

struct SimulatedStudy {
  std::uint64_t seed = 1;
  std::string design;  // "27-case study design" or "random design, N cells"
  std::vector<CellRecord> cells;
};

// The paper-like study: the 27 cases of study_cases(), 85 cells.
SimulatedStudy simulate_study(std::uint64_t seed);
// `cells` cells in random cases of 3-5 replicates over the same factors and ranges; cell k is the same for any
// `cells` > k (its case, batch and own noise are drawn from streams keyed by case and cell index).
SimulatedStudy simulate_random_study(std::uint64_t seed, std::size_t cells);
// Shared by both: `cases` planned into cells c001...
SimulatedStudy simulate_cases(std::uint64_t seed, const std::vector<ManufacturingCase>& cases,
                              const MeasurementGaps& gaps, std::string design);

// Each proposal made once and measured completely (no gaps, no outliers), with batch and replicate noise drawn
// from a stream keyed by (seed, the proposal's id): the same proposal and seed give the same cell wherever it
// stands in the file; a new seed is a new batch.
std::vector<CellRecord> manufacture(std::uint64_t seed, const std::vector<PlannedCell>& proposals);

// Facts about a study, for the command's summary and the tests.
struct StudyFacts {
  std::size_t cells = 0, cases = 0, outliers = 0, cycled = 0, full_curves = 0;
  std::array<double, kEndpointCount> blank_fraction{};
  double d30_min = 0, d30_max = 0;  // over cells cycled to 30 or more
  std::size_t d30_cells = 0;
};
StudyFacts describe(const std::vector<CellRecord>& cells);

// D(cycle) of a recorded curve, nullopt when the curve is shorter.
std::optional<double> capacity_at(const CellRecord& cell, int cycle);
// Where the curve first falls to `fraction` of its maximum, interpolated linearly between cycles; nullopt when it
// never gets there.
std::optional<double> cycle_at_fraction(const CellRecord& cell, double fraction);

}  // namespace elec::synth
