#include "elec/opt/search_space.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <utility>

namespace elec::opt {

Parameter Parameter::floating(std::string name, double low, double high, bool log) {
  Parameter p;
  p.name = std::move(name);
  p.kind = ParameterKind::Float;
  p.low = low;
  p.high = high;
  p.log = log;
  return p;
}

Parameter Parameter::integer(std::string name, long low, long high, bool log) {
  Parameter p;
  p.name = std::move(name);
  p.kind = ParameterKind::Integer;
  p.low = static_cast<double>(low);
  p.high = static_cast<double>(high);
  p.log = log;
  return p;
}

Parameter Parameter::categorical(std::string name, std::vector<std::string> choices) {
  Parameter p;
  p.name = std::move(name);
  p.kind = ParameterKind::Categorical;
  p.low = 0.0;
  p.high = static_cast<double>(choices.size()) - 1.0;
  p.choices = std::move(choices);
  return p;
}

bool Parameter::admits(double value) const {
  if (!(value >= low && value <= high)) return false;  // also rejects NaN
  return kind == ParameterKind::Float || value == std::round(value);
}

namespace {

void check(const Parameter& p) {
  const std::string where = "search space parameter '" + p.name + "': ";
  if (p.name.empty()) throw std::invalid_argument("search space parameter without a name");
  if (!std::isfinite(p.low) || !std::isfinite(p.high)) throw std::invalid_argument(where + "bounds must be finite");
  switch (p.kind) {
    case ParameterKind::Float:
      if (!(p.low < p.high)) throw std::invalid_argument(where + "needs low < high");
      if (p.log && p.low <= 0.0) throw std::invalid_argument(where + "a log scale needs low > 0");
      break;
    case ParameterKind::Integer:
      if (p.low != std::round(p.low) || p.high != std::round(p.high))
        throw std::invalid_argument(where + "integer bounds must be integers");
      if (p.low > p.high) throw std::invalid_argument(where + "needs low <= high");
      // The estimator works on log(k - 1/2), which must exist for the lowest k.
      if (p.log && p.low < 1.0) throw std::invalid_argument(where + "a log-scale integer needs low >= 1");
      break;
    case ParameterKind::Categorical:
      if (p.choices.empty()) throw std::invalid_argument(where + "needs at least one choice");
      if (p.log) throw std::invalid_argument(where + "a categorical has no log scale");
      if (p.low != 0.0 || p.high != static_cast<double>(p.choices.size()) - 1.0)
        throw std::invalid_argument(where + "categorical bounds must be 0 and the last choice's index");
      break;
  }
}

}  // namespace

SearchSpace::SearchSpace(std::vector<Parameter> parameters) : parameters_(std::move(parameters)) {
  if (parameters_.empty()) throw std::invalid_argument("search space without parameters");
  std::set<std::string> names;
  for (const auto& p : parameters_) {
    check(p);
    if (!names.insert(p.name).second) throw std::invalid_argument("search space parameter '" + p.name + "' repeated");
  }
}

bool SearchSpace::contains(const std::vector<double>& point) const {
  if (point.size() != parameters_.size()) return false;
  for (std::size_t i = 0; i < point.size(); ++i)
    if (!parameters_[i].admits(point[i])) return false;
  return true;
}

std::vector<double> SearchSpace::sample_uniform(common::CounterRng& rng) const {
  std::vector<double> point(parameters_.size());
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    const Parameter& p = parameters_[i];
    double value = 0.0;
    if (p.kind == ParameterKind::Float) {
      const double u = rng.uniform();
      value =
          p.log ? std::exp(std::log(p.low) + u * (std::log(p.high) - std::log(p.low))) : p.low + u * (p.high - p.low);
    } else if (p.kind == ParameterKind::Integer && p.log) {
      const double lo = std::log(p.low - 0.5), hi = std::log(p.high + 0.5);
      value = std::round(std::exp(lo + rng.uniform() * (hi - lo)));
    } else {
      value = p.low + static_cast<double>(rng.below(static_cast<std::uint64_t>(p.high - p.low) + 1));
    }
    // exp(log(x)) can land an ulp outside the bounds; the point must still be admitted.
    point[i] = std::clamp(value, p.low, p.high);
  }
  return point;
}

}  // namespace elec::opt
