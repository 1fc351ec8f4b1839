#pragma once
// Tree-structured Parzen Estimator (Bergstra et al. 2011), the variant Optuna's TPESampler runs. Each suggestion:
//   1. split the finished trials into the gamma(n) best ("good") and the rest ("bad"); trials suggested but not
//      finished count as bad (the constant liar), so a batch spreads out instead of piling on one spot;
//   2. fit a Parzen estimator l(x) to the good points and g(x) to the bad ones;
//   3. draw candidates from l(x);
//   4. score each by log l(x) - log g(x);
//   5. return the best.
// Per parameter (independent mode) or over all parameters jointly (multivariate mode).
//
// A suggestion is a pure function of (seed, trial number, history): its random numbers come from the stream
// (seed, Purpose::Tuning, trial number), and the history is put in trial-number order first, so ranks that
// evaluate trials in any order or number agree on every suggestion.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "elec/opt/parzen_estimator.hpp"
#include "elec/opt/search_space.hpp"

namespace elec::opt {

enum class Direction { Minimise, Maximise };

struct TpeSettings {
  int startup_trials = 10;  // finished trials before TPE takes over from uniform sampling
  int candidates = 24;      // draws from l(x) per suggestion (per parameter in independent mode)
  // One joint kernel per observation instead of one estimator per parameter, so interactions between parameters
  // count; it beat the independent mode (and Optuna's TPE) on every function of bench/tpe_functions. Off by
  // default as in Optuna; `tune` should turn it on.
  bool multivariate = false;
  bool constant_liar = true;  // pending trials count as the worst observations; false ignores them
  double prior_weight = 1.0;
  Direction direction = Direction::Minimise;
};

// A trial of the history: finished when it has a value (a NaN value counts as the worst finished result),
// pending (suggested, being evaluated) when it has none.
struct Trial {
  int number = 0;
  std::vector<double> point;
  std::optional<double> value;
};

// gamma(n): how many of n finished trials form the good set, min(ceil(n / 10), 25).
int good_count(int finished);

// Mixture weights of n observations in trial-number order: equal up to 25; past that the oldest n - 25 ramp
// linearly from 1/n up to 1 and the newest 25 keep 1, so old bad trials fade (Bergstra et al. 2013).
std::vector<double> observation_weights(std::size_t n);

// Indices into `trials` (which must be in trial-number order) of the good and bad sets, each in trial-number
// order. Finished trials are ranked by value (by its negation when maximising), ties by trial number; pending
// trials rank last when constant_liar is set and are left out otherwise.
struct ObservationSplit {
  std::vector<std::size_t> good, bad;
};
ObservationSplit split_observations(const std::vector<Trial>& trials, Direction direction, bool constant_liar);

class Tpe {
 public:
  // Throws std::invalid_argument on non-positive candidates, negative startup trials or prior weight <= 0.
  Tpe(SearchSpace space, TpeSettings settings, std::uint64_t seed);

  // The point to evaluate as trial `trial_number` (>= 0), given the finished and pending trials so far.
  // Throws std::invalid_argument if a history point lies outside the space, or if trial numbers repeat or
  // include trial_number itself.
  std::vector<double> suggest(int trial_number, const std::vector<Trial>& history) const;

  // Suggestions for trials first_number .. first_number + count - 1 to run at once: each one is suggested
  // with the ones before it in the batch pending, exactly as if they had been suggested one by one.
  std::vector<std::vector<double>> suggest_batch(int first_number, int count, std::vector<Trial> history) const;

  const SearchSpace& space() const { return space_; }
  const TpeSettings& settings() const { return settings_; }

 private:
  std::vector<double> best_candidate(const SearchSpace& space, const std::vector<std::vector<double>>& good,
                                     const std::vector<std::vector<double>>& bad, common::CounterRng& rng) const;

  SearchSpace space_;
  TpeSettings settings_;
  std::uint64_t seed_;
  std::vector<SearchSpace> single_parameter_spaces_;  // independent mode fits one estimator per parameter
};

}  // namespace elec::opt
