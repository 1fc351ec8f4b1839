#pragma once
// The ensemble against each other model of a comparison, target by target. A median R^2 over a dozen targets
// turns on the sixth and seventh of them, so two models a few hundredths apart can each be the better one on half
// the targets: the count of targets won and the mean difference show what the median hides.
#include <string>
#include <vector>

#include "elec/eval/comparison.hpp"

namespace elec::eval {

struct HeadToHead {
  std::string model;         // the other model
  int targets = 0;           // well-measured targets (kWellMeasuredValues) where both R^2 are defined
  int ensemble_better = 0;   // of those, where the ensemble's R^2 is higher
  double mean_difference{};  // mean over those of (ensemble R^2 - the other's); NaN without targets
};

// One entry per model of `c` other than the ensemble and its raw row (which share the ensemble's means), in the
// comparison's order; empty without an ensemble row.
std::vector<HeadToHead> head_to_head(const Comparison& c);

}  // namespace elec::eval
