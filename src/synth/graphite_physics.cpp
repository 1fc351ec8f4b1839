#include "elec/synth/graphite_physics.hpp"

#include <algorithm>
#include <cmath>

namespace elec::synth {
namespace {

double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Replicate-to-replicate variation is bounded: the paper tested only "electrodes with similar coat weights,
// thicknesses, and porosities ... (maximum 10% difference)", so draws beyond 2.5 standard deviations are clipped.
double bounded_normal(common::CounterRng& rng) { return std::clamp(rng.normal(), -2.5, 2.5); }
double lognormal_factor(common::CounterRng& rng, double sigma) { return std::exp(sigma * bounded_normal(rng)); }

// --- composition: "graphite (BTR) and carbon black (C45) concentrations at 94.5% w/w and 2.5% w/w", binder 3%,
// an additive at 0.5% w/w (assumption: it replaces graphite, so that the electrode sums to 100%).
constexpr double kC45 = 0.025, kBinder = 0.03, kAdditive = 0.005;
constexpr double kSlurrySolids = 0.55;  // "slurry formulations (55% w/w solid)"

double graphite_fraction(Additive additive) { return additive == Additive::None ? 0.945 : 0.945 - kAdditive; }

// Skeletal density of the dry coating (g/cm3), rule of mixtures: graphite 2.26, C45 1.9, CMC/SBR ~1.3, additive 2.0.
double solid_density(Additive additive) {
  const double additive_share = additive == Additive::None ? 0.0 : kAdditive;
  return 1.0 / (graphite_fraction(additive) / 2.26 + kC45 / 1.9 + kBinder / 1.3 + additive_share / 2.0);
}

double drying_temperature(const Drying& drying) { return 0.5 * (drying.first_C + drying.second_C); }

// --- coating: "as the blade gap increases, the thickness and coat weight of the coating also increases, as more
// slurry is deposited onto the current collector". The wet film is a fraction of the gap that falls slightly with
// speed (assumption: 0.80 at 0.1 m/min, 0.70 at 0.5 m/min).
double coat_weight(const CellRecipe& r) {
  const double solids_density = solid_density(r.additive);
  const double slurry_density = 1.0 / (kSlurrySolids / solids_density + (1.0 - kSlurrySolids) / 1.0);
  const double wet_film_cm = r.gap_um * 1e-4 * (0.80 - 0.25 * (r.speed_m_min - 0.1));
  return wet_film_cm * slurry_density * kSlurrySolids * 1000.0;  // mg/cm2
}

double active_mass(double coat_weight_mg_cm2, Additive additive) {
  return coat_weight_mg_cm2 * graphite_fraction(additive) * kElectrodeAreaCm2;
}

// --- porosity of the dried coating: "by the drying temperatures to 120 C, the porosity (and thickness)
// decreases", "porosity values as low as 25% can be achieved ... this effect is limited with higher coatweights,
// and for gap sizes over 200 um, the porosity values are almost independent of temperature and exceed 50%",
// "The 35% porosity aim was observed in the gap size range of around 100 um", and "Below 150 um ... the low
// porosity". Table 1 has 52-54% at 150 um whatever the drying, so thin coatings (which densify, more so when
// hotter) turn into thick ones (near 53%) sharply, between 140 and 150 um.
double uncalendered_porosity(const CellRecipe& r) {
  const double t = drying_temperature(r.drying);
  const double thick = 54.0 - 1.5 * (t - 60.0) / 60.0;
  const double thin = 38.0 + 0.04 * (r.gap_um - 100.0) - 12.0 * (t - 60.0) / 60.0;
  const double thin_weight = logistic(-(r.gap_um - 142.0) / 4.0);
  return thick - (thick - thin) * thin_weight + 2.5 * (r.speed_m_min - 0.2);  // faster coating: a little more open
}

// "the porosity values after calendaring vary a lot (from 25% to 42%)": the batch's target, but calendering
// compresses an already dense coating only a little (at least 4 points, never below 25%).
double calendered_porosity(double uncalendered_pct, double target_pct) {
  return std::min(uncalendered_pct, std::max(25.0, std::min(target_pct, uncalendered_pct - 4.0)));
}

double thickness(double coat_weight_mg_cm2, double porosity_pct, Additive additive) {
  return coat_weight_mg_cm2 * 10.0 / (solid_density(additive) * (1.0 - porosity_pct / 100.0));  // um
}

// --- adhesion (180-degree peel): "For gap sizes above 200 um, the adhesion normal force values are low (below
// 10 N/m)", "Below 200 um, the highest adhesion normal forces were observed at 80 C and 140 um", "The low adhesion
// normal forces are directly related to high porosity values". SBR is the adhesive part of the binder and the
// fibrous additives add "mechanical durability, adhesion properties" (Introduction); both are mild assumptions.
double adhesion(const CellRecipe& r, double porosity_pct) {
  const double t = drying_temperature(r.drying);
  // Centred a little above 140 um because the denser coatings just below it adhere better anyway.
  const double gap_width = r.gap_um < 145.0 ? 30.0 : 25.0;
  const double gap_term = std::exp(-0.5 * std::pow((r.gap_um - 145.0) / gap_width, 2));
  const double temperature_term = std::exp(-0.5 * std::pow((t - 80.0) / 35.0, 2));
  const double sbr = 1.0 - cmc_share(r.cmc_sbr);
  const double binder = 0.8 + 0.2 * (sbr - 1.0 / 3.0) / (3.0 / 4.0 - 1.0 / 3.0);
  double additive = 1.0;
  if (r.additive == Additive::LongCnt) additive = 1.08;
  if (r.additive == Additive::ShortCnt) additive = 1.06;
  if (r.additive == Additive::CarbonFibre) additive = 1.04;
  return (3.0 + 45.0 * gap_term * temperature_term) * binder * additive * std::exp(-0.02 * (porosity_pct - 45.0));
}

// --- ohmic resistance from the IR drop at the first cycle after formation (ohm): "the adhesion can be directly
// related to the contact resistance of the coating and hence polarization ... (IR drop)", "cells with higher
// thicknesses have a higher internal resistance", resistance rises with porosity (Figure 8C), and "the CNTs
// containing cell exhibiting a reduced resistance".
double ir_resistance(Additive additive, double thickness_um, double porosity_pct, double adhesion_N_m) {
  double conductive = 1.0;
  if (additive == Additive::LongCnt) conductive = 0.75;
  if (additive == Additive::ShortCnt) conductive = 0.80;
  if (additive == Additive::CarbonFibre) conductive = 0.88;
  if (additive == Additive::Dsa) conductive = 0.95;  // better-dispersed C45
  const double contact = 40.0 / (1.0 + adhesion_N_m / 3.0);
  return (2.0 + 0.05 * thickness_um + contact) * conductive * (1.0 + 0.015 * (porosity_pct - 40.0));
}

// --- slurry rheology (shear-thinning power law): "with increasing CMC content, the viscosity of the slurry
// increases", the dispersive and conductive additives "increase the viscosity of the slurry", CNTs most ("increase
// the slurry viscosity due to their mechanical durability"); "viscosity values ... decrease with increasing shear
// rates".
double viscosity(CmcSbr ratio, Additive additive, double shear_rate_per_s) {
  const double cmc_pct = 100.0 * kBinder * cmc_share(ratio);
  double thickening = 1.0, thinning = 0.0;
  if (additive == Additive::LongCnt) thickening = 1.8, thinning = 0.05;
  if (additive == Additive::ShortCnt) thickening = 1.5, thinning = 0.05;
  if (additive == Additive::CarbonFibre) thickening = 1.3;
  if (additive == Additive::Dsa) thickening = 1.15;
  const double at_0_1 = 8.0 * std::exp(1.1 * cmc_pct) * thickening;
  const double flow_index = 0.45 - 0.05 * cmc_pct - thinning;
  return at_0_1 * std::pow(shear_rate_per_s / 0.1, flow_index - 1.0);
}

// --- cycle life. Each way a cell can fail adds to its fade rate, and the cycles to 50% scale as 1 / rate
// (relative to the same formulation at the reference conditions). Adding rates makes the worst problem dominate:
// an open, porous coating fades fast however light it is (Table 1: case 40, 150 um at 52% porosity, D30 197),
// and a dense light one lasts (case 48, D30 322).
//  - porosity: performance "significantly deteriorates after the critical point of 50%"; "Below 37% porosity, a
//    slight decrease is also observable";
//  - adhesion: "The relationship between D30 and logF is close to linear", "high adhesion forces to yield low
//    internal cell resistances";
//  - drying of thick coatings: "at high thicknesses ... D30 values are 4 times higher at 120 C than at 80 C ...
//    more efficient solvent evaporation at higher temperatures", while at low gaps drying "does not appear to
//    contribute much" (the coating as dried counts, before any calendering);
//  - active mass: "current cells with active mass greater than 20 mg are unable to achieve D30 of over 150";
//    together with the terms above, which rise with the gap, D30 falls sigmoidally with active mass and thickness.
struct PhysicalState {
  double porosity_pct, adhesion_N_m, dried_thickness_um, active_mass_mg, drying_C;
};

double fade_rate(const PhysicalState& s) {
  const double open_pores = logistic((s.porosity_pct - 50.0) / 1.0);
  const double small_pores = std::max(0.0, 37.0 - s.porosity_pct) / 10.0;
  const double poor_contact = 1.0 / (1.0 + s.adhesion_N_m / 5.0);
  const double wet_solvent = (120.0 - s.drying_C) / 60.0 * logistic((s.dried_thickness_um - 110.0) / 20.0);
  const double heavy = logistic((s.active_mass_mg - 21.0) / 2.0);
  return 0.04 + 0.40 * open_pores + 0.05 * small_pores + 0.25 * poor_contact + 0.66 * wet_solvent + 0.15 * heavy;
}

constexpr double kFadeShape = 1.8;              // Weibull shape: 2:3 at 12 cycles to 50% keeps ~10% at cycle 25
constexpr double kCapacityFloor = 0.04;         // fraction a failed cell still delivers
constexpr double kBestInitialCapacity = 352.0;  // mAh/g, below graphite's 372 ("A solid line at 372 mA.h/g")

// Everything but the capacity, for a given porosity (so that noise can enter the porosity first).
struct Physical {
  double coat_weight, active_mass, porosity, thickness, dried_thickness, adhesion;
};

Physical physical_state(const CellRecipe& r, double coat_weight_mg_cm2, double porosity_pct) {
  Physical p{};
  p.coat_weight = coat_weight_mg_cm2;
  p.active_mass = active_mass(coat_weight_mg_cm2, r.additive);
  p.porosity = porosity_pct;
  p.thickness = thickness(coat_weight_mg_cm2, porosity_pct, r.additive);
  p.dried_thickness = r.calendered ? thickness(coat_weight_mg_cm2, uncalendered_porosity(r), r.additive) : p.thickness;
  p.adhesion = adhesion(r, porosity_pct);
  return p;
}

double expected_porosity(const CellRecipe& r, double calendered_target_pct) {
  const double dried = uncalendered_porosity(r);
  return r.calendered ? calendered_porosity(dried, calendered_target_pct) : dried;
}

double fade_rate_of(const CellRecipe& r, const Physical& p) {
  return fade_rate({p.porosity, p.adhesion, p.dried_thickness, p.active_mass, drying_temperature(r.drying)});
}

// The same formulation at the reference conditions, where the paper's cycle-life figures hold.
double reference_fade_rate(CmcSbr ratio, Additive additive) {
  const CellRecipe ref = reference_recipe(ratio, additive);
  return fade_rate_of(ref, physical_state(ref, coat_weight(ref), uncalendered_porosity(ref)));
}

double cycles_to_half(const CellRecipe& r, const Physical& p) {
  return reference_cycles_to_half(r.cmc_sbr, r.additive) * reference_fade_rate(r.cmc_sbr, r.additive) /
         fade_rate_of(r, p);
}

// Chosen so that D5 at the reference conditions is the paper's; an additive on 2:1 or 1:3 (not in the paper)
// would go beyond the best cells the paper saw ("D30 values that range from 350"), so capacity is capped there.
double initial_capacity(CmcSbr ratio, Additive additive) {
  const double c0 = reference_d5(ratio, additive) / retention(5, reference_cycles_to_half(ratio, additive));
  return std::min(c0, kBestInitialCapacity);
}

}  // namespace

CellRecipe reference_recipe(CmcSbr ratio, Additive additive) {
  return CellRecipe{ratio, additive, 250.0, 0.2, Drying{80.0, 80.0}, false};
}

double reference_cycles_to_half(CmcSbr ratio, Additive additive) {
  double binder = 12.0;
  if (ratio == CmcSbr::R2_1) binder = 44.0;
  if (ratio == CmcSbr::R1_3) binder = 24.0;
  double on_2_3 = 12.0;
  if (additive == Additive::LongCnt) on_2_3 = 32.0;
  if (additive == Additive::ShortCnt) on_2_3 = 26.0;
  if (additive == Additive::CarbonFibre) on_2_3 = 20.0;
  if (additive == Additive::Dsa) on_2_3 = 16.0;
  return binder * on_2_3 / 12.0;
}

double reference_d5(CmcSbr ratio, Additive additive) {
  double binder = 300.0;
  if (ratio == CmcSbr::R2_1) binder = 320.0;
  if (ratio == CmcSbr::R1_3) binder = 310.0;
  double gain = 0.0;  // over 2:3 without additive
  if (additive == Additive::LongCnt) gain = 50.0;
  if (additive == Additive::ShortCnt) gain = 35.0;
  if (additive == Additive::CarbonFibre) gain = 20.0;
  if (additive == Additive::Dsa) gain = 10.0;
  return binder + gain;
}

double retention(double cycle, double cycles_to_half) {
  // Weibull part w(n) = exp(-lambda (n / n50)^k) with lambda chosen so that floor + (1 - floor) w = 1/2 at n50.
  const double lambda = std::log((1.0 - kCapacityFloor) / (0.5 - kCapacityFloor));
  const double weibull = std::exp(-lambda * std::pow(cycle / cycles_to_half, kFadeShape));
  return kCapacityFloor + (1.0 - kCapacityFloor) * weibull;
}

ExpectedCell expected_cell(const CellRecipe& r, double calendered_porosity_pct) {
  const Physical p = physical_state(r, coat_weight(r), expected_porosity(r, calendered_porosity_pct));
  ExpectedCell e;
  e.coat_weight_mg_cm2 = p.coat_weight;
  e.active_mass_mg = p.active_mass;
  e.porosity_pct = p.porosity;
  e.thickness_um = p.thickness;
  e.adhesion_N_m = p.adhesion;
  e.ir_drop_ohm = ir_resistance(r.additive, p.thickness, p.porosity, p.adhesion);
  for (std::size_t i = 0; i < kShearRatesPerS.size(); ++i)
    e.viscosity_Pa_s[i] = viscosity(r.cmc_sbr, r.additive, kShearRatesPerS[i]);
  e.initial_capacity_mAh_g = initial_capacity(r.cmc_sbr, r.additive);
  e.cycles_to_half = cycles_to_half(r, p);
  return e;
}

BatchDraws draw_batch(common::CounterRng& rng) {
  BatchDraws b;
  b.calendered_porosity_pct = 25.0 + 17.0 * rng.uniform();
  const double slurry = lognormal_factor(rng, 0.06);
  for (auto& f : b.viscosity_factor) f = slurry * lognormal_factor(rng, 0.03);
  b.cycle_life_factor = lognormal_factor(rng, 0.06);
  return b;
}

SimulatedCell simulate_cell(const CellRecipe& r, const BatchDraws& batch, common::CounterRng& rng, bool outlier) {
  // The draw-down coating deposits "a slight variability in coat weight ... [which] affects the calendering
  // pressure across the electrode and hence the porosities": coat weight varies first, porosity with it.
  const double coat = coat_weight(r) * lognormal_factor(rng, 0.03);
  const double porosity_sd = r.calendered ? 1.2 : 0.8;
  const double porosity = expected_porosity(r, batch.calendered_porosity_pct) + porosity_sd * bounded_normal(rng);
  Physical p = physical_state(r, coat, porosity);
  p.thickness *= lognormal_factor(rng, 0.01);  // micrometer reading
  p.adhesion *= lognormal_factor(rng, 0.08);

  SimulatedCell cell;
  cell.coat_weight_mg_cm2 = p.coat_weight;
  cell.active_mass_mg = p.active_mass;
  cell.porosity_pct = p.porosity;
  cell.thickness_um = p.thickness;
  cell.adhesion_N_m = p.adhesion;
  cell.ir_drop_ohm = ir_resistance(r.additive, p.thickness, p.porosity, p.adhesion) * lognormal_factor(rng, 0.10) *
                     (outlier ? 2.5 : 1.0);
  for (std::size_t i = 0; i < kShearRatesPerS.size(); ++i)
    cell.viscosity_Pa_s[i] = viscosity(r.cmc_sbr, r.additive, kShearRatesPerS[i]) * batch.viscosity_factor[i];

  cell.cycles_to_half =
      cycles_to_half(r, p) * batch.cycle_life_factor * lognormal_factor(rng, 0.08) * (outlier ? 0.12 : 1.0);
  const double first = initial_capacity(r.cmc_sbr, r.additive) * lognormal_factor(rng, 0.015);
  cell.capacity_mAh_g.resize(kCycles);
  for (int n = 1; n <= kCycles; ++n)
    cell.capacity_mAh_g[n - 1] = first * retention(n, cell.cycles_to_half) * (1.0 + 0.006 * bounded_normal(rng));
  return cell;
}

}  // namespace elec::synth
