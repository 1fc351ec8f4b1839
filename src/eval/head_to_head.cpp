#include "elec/eval/head_to_head.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "elec/eval/metrics.hpp"

namespace elec::eval {

std::vector<HeadToHead> head_to_head(const Comparison& c) {
  const auto ensemble =
      std::find_if(c.models.begin(), c.models.end(), [](const ModelRow& m) { return m.name == kEnsembleName; });
  if (ensemble == c.models.end()) return {};
  std::vector<HeadToHead> out;
  for (const ModelRow& other : c.models) {
    if (other.name == kEnsembleName || other.name == kEnsembleRawName) continue;
    HeadToHead h{other.name, 0, 0, 0.0};
    for (std::size_t t = 0; t < ensemble->targets.size(); ++t) {
      const double mine = ensemble->targets[t].r_squared, theirs = other.targets[t].r_squared;
      if (ensemble->targets[t].values < kWellMeasuredValues || std::isnan(mine) || std::isnan(theirs)) continue;
      ++h.targets;
      h.ensemble_better += mine > theirs;
      h.mean_difference += mine - theirs;
    }
    h.mean_difference = h.targets ? h.mean_difference / h.targets : std::numeric_limits<double>::quiet_NaN();
    out.push_back(h);
  }
  return out;
}

}  // namespace elec::eval
