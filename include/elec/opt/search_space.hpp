#pragma once
// What a tuner may choose: named parameters, each a float (linear or log scale), an integer (optionally log scale)
// or one of a list of choices. A point holds one double per parameter: the value itself for floats and integers,
// the choice's index for categoricals, so every point fits one flat vector whatever the mix of kinds.
#include <string>
#include <vector>

#include "elec/common/rng.hpp"

namespace elec::opt {

enum class ParameterKind { Float, Integer, Categorical };

struct Parameter {
  std::string name;
  ParameterKind kind = ParameterKind::Float;
  double low = 0.0;                  // categorical: 0
  double high = 1.0;                 // categorical: number of choices - 1
  bool log = false;                  // sample and model log(value) rather than value
  std::vector<std::string> choices;  // categorical only

  static Parameter floating(std::string name, double low, double high, bool log = false);
  static Parameter integer(std::string name, long low, long high, bool log = false);
  static Parameter categorical(std::string name, std::vector<std::string> choices);

  // Whether `value` is a value this parameter can take (within bounds; integral for integers and categoricals).
  bool admits(double value) const;
};

class SearchSpace {
 public:
  // Throws std::invalid_argument on an empty or inconsistent parameter (low >= high for floats, low > high for
  // integers, a non-positive log-scale bound, an integer log scale starting below 1, fewer than one choice, or a
  // repeated name).
  explicit SearchSpace(std::vector<Parameter> parameters);

  std::size_t size() const { return parameters_.size(); }
  const Parameter& operator[](std::size_t i) const { return parameters_[i]; }
  const std::vector<Parameter>& parameters() const { return parameters_; }

  bool contains(const std::vector<double>& point) const;

  // One point drawn uniformly: uniform in value for linear floats, in log(value) for log floats, over the
  // integers for linear integers, over log(k - 1/2 .. k + 1/2) intervals for log integers (so each integer gets
  // the share of the log range that rounds to it), and over the choices for categoricals.
  std::vector<double> sample_uniform(common::CounterRng& rng) const;

 private:
  std::vector<Parameter> parameters_;
};

}  // namespace elec::opt
