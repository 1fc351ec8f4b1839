#pragma once
// Counter-based randomness (Philox4x32-10): a stream is named by (study seed, purpose, index) and never by rank,
// thread or time, so member 17's bootstrap is the same whichever rank trains it.
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace elec::common {

enum class Purpose : std::uint32_t {
  Bootstrap = 1,     // which rows a member trains on
  Initialise = 2,    // a member's starting weights
  HoldOut = 3,       // cells hidden for internal validation
  InputDropout = 4,  // inputs hidden during an epoch
  Tuning = 5,        // hyperparameter suggestions, one stream per trial number
  // elec_hpc synth (simulated graphite study): one stream per random case, per case's slurry and calendering
  // batch, per cell (replicate noise and gaps), and per manufactured proposal (keyed by its id).
  SynthDesign = 6,
  SynthBatch = 7,
  SynthCell = 8,
  SynthProposal = 9,
  Folds = 10,        // which cells go to which cross-validation fold
  Baseline = 11,     // a baseline regressor's randomness (forest bootstraps and splits, GP restarts), index = fit
  Experiment = 100,  // tests and benchmarks that need their own reproducible noise
};

class CounterRng {
 public:
  CounterRng(std::uint64_t seed, Purpose purpose, std::uint64_t index);
  std::uint32_t next_u32();
  double uniform();                      // [0, 1), 53 random bits
  double normal();                       // standard normal (Box-Muller, exact same sequence everywhere)
  std::uint64_t below(std::uint64_t n);  // uniform integer in [0, n)

  // The stream's position as doubles (each exact), to save a training and continue it later.
  static constexpr std::size_t kStateSize = 13;
  void save(std::vector<double>& out) const;
  void restore(const double* state);  // what save wrote

 private:
  void refill();
  std::array<std::uint32_t, 2> key_{};
  std::array<std::uint32_t, 4> counter_{};
  std::array<std::uint32_t, 4> block_{};
  int used_ = 4;
  bool has_spare_normal_ = false;
  double spare_normal_ = 0.0;
};

}  // namespace elec::common
