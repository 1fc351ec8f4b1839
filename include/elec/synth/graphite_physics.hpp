#pragma once
// The trend model of `elec_hpc synth`: from a cell's recipe (formulation and process) to what the paper's lab
// measured on it. Every trend is taken from a statement of Drakopoulos et al. 2021 (cited where it is coded, and
// listed in inputs/graphite/SOURCE.md); numbers the paper does not give are assumptions, documented as such.
//
// Two layers: expected_cell() is the noise-free trend (used by tests and to calibrate), simulate_cell() adds the
// variation between slurry/coating batches (BatchDraws) and between replicate cells of one batch.
#include <array>
#include <vector>

#include "elec/common/rng.hpp"
#include "elec/synth/graphite_design.hpp"

namespace elec::synth {

inline constexpr std::array<double, 4> kShearRatesPerS = {0.1, 1.0, 10.0, 100.0};
inline constexpr int kCycles = 50;  // "fast cycling (50 cycles discharged at C/2 and charged at C rates)"
inline constexpr double kElectrodeAreaCm2 = 1.767;  // assumption: 15 mm coin-cell electrode disc

// The conditions at which the paper's formulation figures hold (Figure 2: "manufactured at the same conditions",
// "none of the electrodes were calendered", porosity "in the range of 50%"). The paper does not give them;
// 250 um / 0.2 m/min / 80 C is an assumption that puts them where the coating-gap series is poor, as the
// 2:3 no-additive cell there (50% at cycle 12, D30 near the paper's lowest, 15 mAh/g) requires.
CellRecipe reference_recipe(CmcSbr ratio, Additive additive);

// Cycle at which capacity falls to 50% of its maximum at the reference conditions: "2CMC:1SBR ... 50% of the
// initial capacity at 44 cycles", "1CMC:3SBR ... at 24 cycles", "2:3 ... 50% drop after 12 cycles", long CNT on
// 2:3 "half its initial capacity at the 32nd cycle"; short CNT, carbon fibre and DSA in the paper's order between
// (DSA "twice the D30 values than that of the no additive formulation"). An additive on another binder ratio
// scales that ratio's value by the same factor (assumption: the paper tested additives on 2:3 only).
double reference_cycles_to_half(CmcSbr ratio, Additive additive);
// D5 at the reference conditions: 2:1 "320 mA.h/g", 1:3 "approximately 310", long CNT "almost 350 against 300 of
// the electrode without the CNTs".
double reference_d5(CmcSbr ratio, Additive additive);

// Fraction of the first-cycle capacity left at `cycle` for a cell that reaches 50% at `cycles_to_half`: a Weibull
// fade whose shape puts the 2:3 cell's "90% drop from the maximum capacity at 25 cycles", on a floor of 4%
// (cells keep a little capacity: the paper's lowest D30 is 10-15 mAh/g).
double retention(double cycle, double cycles_to_half);

// The noise-free trend for one recipe.
struct ExpectedCell {
  double coat_weight_mg_cm2 = 0, active_mass_mg = 0, porosity_pct = 0, thickness_um = 0, adhesion_N_m = 0,
         ir_drop_ohm = 0;
  std::array<double, 4> viscosity_Pa_s{};  // at kShearRatesPerS
  double initial_capacity_mAh_g = 0;       // first cycle after formation
  double cycles_to_half = 0;
  double d(int cycle) const { return initial_capacity_mAh_g * retention(cycle, cycles_to_half); }
};
// `calendered_porosity_pct` is the degree of calendering of the batch (the paper varied it "to provide a greater
// range of values", 25-42%); ignored for uncalendered recipes. The default is the middle of that range.
ExpectedCell expected_cell(const CellRecipe& recipe, double calendered_porosity_pct = 33.5);

// What the cells of one case share: one slurry (its rheology is measured once), one coating and calendering run.
struct BatchDraws {
  double calendered_porosity_pct = 33.5;     // uniform in [25, 42]
  std::array<double, 4> viscosity_factor{};  // slurry-to-slurry variation times rheometer noise, per shear rate
  double cycle_life_factor = 1.0;            // batch-to-batch variation of cycle life
};
BatchDraws draw_batch(common::CounterRng& rng);

// One cell as measured, complete (the study decides later what was not measured).
struct SimulatedCell {
  double coat_weight_mg_cm2 = 0, active_mass_mg = 0, porosity_pct = 0, thickness_um = 0, adhesion_N_m = 0,
         ir_drop_ohm = 0;
  std::array<double, 4> viscosity_Pa_s{};
  std::vector<double> capacity_mAh_g;  // cycles 1..kCycles after formation
  double cycles_to_half = 0;           // the cell's own value (replicate noise included)
};
// An outlier is a defective cell ("open symbols ... cells that exhibited very low D30 values and thus deviated
// significantly from the trends"): it fades about eight times faster and its resistance is 2.5 times higher.
SimulatedCell simulate_cell(const CellRecipe& recipe, const BatchDraws& batch, common::CounterRng& rng, bool outlier);

}  // namespace elec::synth
