#include "elec/opt/tpe.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>

namespace elec::opt {

int good_count(int finished) {
  if (finished <= 0) return 0;
  return std::min((finished + 9) / 10, 25);
}

std::vector<double> observation_weights(std::size_t n) {
  constexpr std::size_t kFlat = 25;
  std::vector<double> weights(n, 1.0);
  if (n <= kFlat) return weights;
  const std::size_t ramp = n - kFlat;
  const double first = 1.0 / static_cast<double>(n);
  for (std::size_t i = 0; i < ramp; ++i)
    weights[i] = ramp == 1 ? first : first + (1.0 - first) * static_cast<double>(i) / static_cast<double>(ramp - 1);
  return weights;
}

ObservationSplit split_observations(const std::vector<Trial>& trials, Direction direction, bool constant_liar) {
  const double sign = direction == Direction::Minimise ? 1.0 : -1.0;
  // Rank key: (pending?, loss) with NaN losses after every number; std::stable_sort keeps trial order for ties.
  std::vector<std::size_t> ranked;
  int finished = 0;
  for (std::size_t i = 0; i < trials.size(); ++i) {
    if (trials[i].value) ++finished;
    if (trials[i].value || constant_liar) ranked.push_back(i);
  }
  auto loss = [&](std::size_t i) {
    const double v = sign * *trials[i].value;
    return std::isnan(v) ? std::numeric_limits<double>::infinity() : v;
  };
  auto rank_key = [&](std::size_t i) { return trials[i].value ? std::make_pair(0, loss(i)) : std::make_pair(1, 0.0); };
  std::stable_sort(ranked.begin(), ranked.end(),
                   [&](std::size_t a, std::size_t b) { return rank_key(a) < rank_key(b); });
  const std::size_t n_good = static_cast<std::size_t>(good_count(finished));
  ObservationSplit split;
  split.good.assign(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(n_good));
  split.bad.assign(ranked.begin() + static_cast<std::ptrdiff_t>(n_good), ranked.end());
  std::sort(split.good.begin(), split.good.end());
  std::sort(split.bad.begin(), split.bad.end());
  return split;
}

Tpe::Tpe(SearchSpace space, TpeSettings settings, std::uint64_t seed)
    : space_(std::move(space)), settings_(settings), seed_(seed) {
  if (settings_.candidates < 1) throw std::invalid_argument("TPE needs at least one candidate per suggestion");
  if (settings_.startup_trials < 0) throw std::invalid_argument("TPE start-up trials must be >= 0");
  if (!(settings_.prior_weight > 0.0)) throw std::invalid_argument("TPE prior weight must be > 0");
  for (const Parameter& p : space_.parameters()) single_parameter_spaces_.emplace_back(std::vector<Parameter>{p});
}

std::vector<double> Tpe::best_candidate(const SearchSpace& space, const std::vector<std::vector<double>>& good,
                                        const std::vector<std::vector<double>>& bad, common::CounterRng& rng) const {
  ParzenSettings parzen;
  parzen.prior_weight = settings_.prior_weight;
  parzen.bandwidth = settings_.multivariate ? BandwidthRule::NormalReference : BandwidthRule::NeighbourDistance;
  const ParzenEstimator below(space, good, observation_weights(good.size()), parzen);
  const ParzenEstimator above(space, bad, observation_weights(bad.size()), parzen);
  std::vector<double> best;
  double best_score = -std::numeric_limits<double>::infinity();
  for (int c = 0; c < settings_.candidates; ++c) {
    std::vector<double> candidate = below.sample(rng);
    const double score = below.log_pdf(candidate) - above.log_pdf(candidate);
    // `best.empty()` keeps a candidate even if every score is NaN or -inf, which finite mixtures never give.
    if (best.empty() || score > best_score) {
      best_score = score;
      best = std::move(candidate);
    }
  }
  return best;
}

std::vector<double> Tpe::suggest(int trial_number, const std::vector<Trial>& history) const {
  if (trial_number < 0) throw std::invalid_argument("TPE trial numbers must be >= 0");
  std::vector<Trial> trials(history);
  std::sort(trials.begin(), trials.end(), [](const Trial& a, const Trial& b) { return a.number < b.number; });
  std::set<int> numbers{trial_number};
  int finished = 0;
  for (const Trial& t : trials) {
    if (!numbers.insert(t.number).second)
      throw std::invalid_argument("TPE history: trial number " + std::to_string(t.number) + " repeated");
    if (!space_.contains(t.point))
      throw std::invalid_argument("TPE history: trial " + std::to_string(t.number) + " lies outside the search space");
    if (t.value) ++finished;
  }

  common::CounterRng rng(seed_, common::Purpose::Tuning, static_cast<std::uint64_t>(trial_number));
  if (finished < settings_.startup_trials) return space_.sample_uniform(rng);

  const ObservationSplit split = split_observations(trials, settings_.direction, settings_.constant_liar);
  if (settings_.multivariate) {
    std::vector<std::vector<double>> good, bad;
    for (const std::size_t i : split.good) good.push_back(trials[i].point);
    for (const std::size_t i : split.bad) bad.push_back(trials[i].point);
    return best_candidate(space_, good, bad, rng);
  }
  std::vector<double> point(space_.size());
  for (std::size_t d = 0; d < space_.size(); ++d) {
    std::vector<std::vector<double>> good, bad;
    for (const std::size_t i : split.good) good.push_back({trials[i].point[d]});
    for (const std::size_t i : split.bad) bad.push_back({trials[i].point[d]});
    point[d] = best_candidate(single_parameter_spaces_[d], good, bad, rng)[0];
  }
  return point;
}

std::vector<std::vector<double>> Tpe::suggest_batch(int first_number, int count, std::vector<Trial> history) const {
  std::vector<std::vector<double>> batch;
  for (int i = 0; i < count; ++i) {
    batch.push_back(suggest(first_number + i, history));
    history.push_back(Trial{first_number + i, batch.back(), std::nullopt});
  }
  return batch;
}

}  // namespace elec::opt
