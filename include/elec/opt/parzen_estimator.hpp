#pragma once
// A Parzen estimator over a search space: a weighted mixture with one kernel per observed point plus one broad
// prior kernel, each kernel a product over parameters of
//   - a normal truncated to the parameter's range (floats), in log(value) for log-scale parameters;
//   - the same normal's mass on [k - 1/2, k + 1/2] (integers, in log space for log-scale ones), so the estimator is a
//     proper distribution over the integers rather than a density read at integer points;
//   - a categorical distribution leaning towards the observed choice (categoricals).
// TPE fits one to the good trials, l(x), and one to the rest, g(x).
#include <cstddef>
#include <vector>

#include "elec/common/rng.hpp"
#include "elec/opt/search_space.hpp"

namespace elec::opt {

enum class BandwidthRule {
  // Per parameter, each kernel is as wide as the larger gap to its neighbours among the sorted centres (the
  // outermost ones use their inner gap only): dense regions get narrow kernels. Suits one parameter at a time.
  NeighbourDistance,
  // One width for all kernels of a parameter, from the spread of the observations along it: the normal reference
  // rule 1.06 * sd * n^(-1/(d+4)) for n observations in d parameters (as BOHB's multivariate KDE uses it; a
  // single observation, with no spread, gets the narrowest width the clip allows). Neighbour gaps along one axis say
  // little about a
  // joint density; the spread of the good points shrinks as they close in on an optimum, and the kernels follow.
  NormalReference,
};

struct ParzenSettings {
  double prior_weight = 1.0;  // mixture weight of the prior kernel, against 1 for a (recent) observation
  BandwidthRule bandwidth = BandwidthRule::NeighbourDistance;
};

class ParzenEstimator {
 public:
  // One numeric parameter of the mixture, in the coordinate the kernels live in: value, or log(value) for
  // log-scale parameters. Integers span [k_low - 1/2, k_high + 1/2] in that coordinate.
  struct NumericAxis {
    double low = 0.0, high = 0.0;
    std::vector<double> centre, width;  // per kernel; the last kernel is the prior
  };

  // observations: points of `space` (checked); weights: one non-negative weight per observation, not all zero
  // unless there are no observations. Throws std::invalid_argument on a mismatch.
  ParzenEstimator(const SearchSpace& space, const std::vector<std::vector<double>>& observations,
                  const std::vector<double>& weights, const ParzenSettings& settings);

  // A point drawn from the mixture (integers rounded, categoricals as indices); always inside the space.
  std::vector<double> sample(common::CounterRng& rng) const;

  // Log of the mixture's density at a point of the space, with respect to: the value (linear floats), log(value)
  // (log-scale floats), counting measure (integers and categoricals); a product of these over parameters.
  double log_pdf(const std::vector<double>& point) const;

  std::size_t kernel_count() const { return log_weights_.size(); }
  const std::vector<double>& kernel_weights() const { return weights_; }  // normalised; the last is the prior's
  // Parameter i's kernels; valid for numeric parameters only.
  const NumericAxis& numeric_axis(std::size_t i) const { return numeric_[i]; }
  // Kernel k's probabilities over parameter i's choices; valid for categorical parameters only.
  std::vector<double> choice_probabilities(std::size_t i, std::size_t k) const;

 private:
  SearchSpace space_;
  std::vector<double> weights_, log_weights_;
  std::vector<double> cumulative_weights_;
  std::vector<NumericAxis> numeric_;                  // indexed by parameter (empty entries for categoricals)
  std::vector<std::vector<double>> log_choice_prob_;  // indexed by parameter: kernels x choices, row-major
  std::vector<std::vector<double>> log_kernel_mass_;  // indexed by parameter: each kernel's log mass inside the range
  std::vector<std::vector<double>> log_density_offset_;  // per parameter and kernel: log(sqrt(2 pi) width) + mass
};

// Coordinate the kernels of `p` live in: log(value) for log-scale parameters, the value otherwise.
double to_kernel_coordinate(const Parameter& p, double value);
double from_kernel_coordinate(const Parameter& p, double coordinate);  // rounded and clamped into p's values

}  // namespace elec::opt
