#pragma once
// A run's safe points kept in memory, as cli::Checkpointer keeps them on disk: the tests stop a training at a
// chosen safe point (StopHere, after "saving") and resume a fresh run from what was saved.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "elec/model/safe_points.hpp"

namespace elec::testing {

struct StopHere {};

class MemorySafePoints final : public model::SafePoints {
 public:
  int stop_at = -1;  // the safe point (0-based, counted in this run) at which to save and stop; -1: never
  int reached_count = 0;
  std::map<std::string, std::vector<double>> units;
  std::optional<model::TrainingState> training;

  const std::vector<double>* recorded(const std::string& unit) const override {
    const auto found = units.find(unit);
    return found == units.end() ? nullptr : &found->second;
  }
  void record(const std::string& unit, const std::vector<double>& result) override { units[unit] = result; }
  const model::TrainingState* resumed(const std::string& scope) const override {
    return training && training->scope == scope ? &*training : nullptr;
  }
  void reached(const std::function<model::TrainingState()>& capture) override {
    if (reached_count++ != stop_at) return;
    if (capture)
      training = capture();
    else
      training.reset();
    throw StopHere{};
  }
  void finished(const std::string& scope) override {
    auto inside = [&](const std::string& name) {
      return name.size() > scope.size() && name.compare(0, scope.size(), scope) == 0 && name[scope.size()] == '/';
    };
    for (auto it = units.begin(); it != units.end();) it = inside(it->first) ? units.erase(it) : std::next(it);
    if (training && (training->scope == scope || inside(training->scope))) training.reset();
  }
  // What a resumed run starts from: what was saved, nothing of this run's counting.
  MemorySafePoints saved() const {
    MemorySafePoints next;
    next.units = units;
    next.training = training;
    return next;
  }
};

}  // namespace elec::testing
