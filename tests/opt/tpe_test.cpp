#include "elec/opt/tpe.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>

namespace elec::opt {
namespace {

using Objective = std::function<double(const std::vector<double>&)>;

// A finished history of `n` uniformly drawn points (trial numbers 0..n-1) scored by f.
std::vector<Trial> random_history(const SearchSpace& space, int n, const Objective& f, std::uint64_t seed = 77) {
  std::vector<Trial> history;
  for (int t = 0; t < n; ++t) {
    common::CounterRng rng(seed, common::Purpose::Experiment, static_cast<std::uint64_t>(t));
    auto x = space.sample_uniform(rng);
    const double v = f(x);
    history.push_back(Trial{t, std::move(x), v});
  }
  return history;
}

SearchSpace mixed_space() {
  return SearchSpace({Parameter::floating("a", -5.0, 5.0), Parameter::floating("b", 1e-3, 10.0, true),
                      Parameter::integer("k", 0, 8), Parameter::categorical("c", {"x", "y", "z"})});
}

// Minimum 0 at a = 1.3, b = 0.1, k = 3, c = "z".
double mixed_quadratic(const std::vector<double>& x) {
  const double lb = std::log10(x[1]) + 1.0;
  return (x[0] - 1.3) * (x[0] - 1.3) + lb * lb + 0.1 * (x[2] - 3) * (x[2] - 3) + (x[3] == 2 ? 0.0 : 1.0);
}

TEST(Tpe, GoodSetSizeIsATenthCappedAt25) {
  const std::pair<int, int> cases[] = {{0, 0}, {1, 1}, {10, 1}, {11, 2}, {20, 2}, {100, 10}, {241, 25}, {1000, 25}};
  for (const auto& [n, good] : cases) EXPECT_EQ(good_count(n), good) << n;
}

TEST(Tpe, OldObservationsFadeOnlyPast25) {
  EXPECT_EQ(observation_weights(25), std::vector<double>(25, 1.0));
  const auto w = observation_weights(30);
  ASSERT_EQ(w.size(), 30u);
  EXPECT_DOUBLE_EQ(w[0], 1.0 / 30);
  EXPECT_DOUBLE_EQ(w[2], 0.5 * (1.0 / 30 + 1.0));
  for (std::size_t i = 4; i < 30; ++i) EXPECT_DOUBLE_EQ(w[i], 1.0);
}

TEST(Tpe, SplitTakesTheBestFinishedAndCountsPendingAsBad) {
  // 20 finished (values 20 - t, so later is better), a NaN, and two pending.
  std::vector<Trial> trials;
  for (int t = 0; t < 20; ++t) trials.push_back(Trial{t, {0.0}, 20.0 - t});
  trials.push_back(Trial{20, {0.0}, std::nan("")});
  trials.push_back(Trial{21, {0.0}, std::nullopt});
  trials.push_back(Trial{22, {0.0}, std::nullopt});

  const auto minimise = split_observations(trials, Direction::Minimise, true);
  EXPECT_EQ(minimise.good, (std::vector<std::size_t>{17, 18, 19}));  // gamma(21 finished) = 3
  ASSERT_EQ(minimise.bad.size(), 20u);
  EXPECT_EQ(minimise.bad.back(), 22u);

  const auto maximise = split_observations(trials, Direction::Maximise, true);
  EXPECT_EQ(maximise.good, (std::vector<std::size_t>{0, 1, 2}));

  const auto no_liar = split_observations(trials, Direction::Minimise, false);
  EXPECT_EQ(no_liar.bad.size(), 18u);
  EXPECT_EQ(no_liar.bad.back(), 20u);  // the NaN trial is bad, the pending ones are left out

  // Equal values: the earlier trial is preferred.
  const std::vector<Trial> ties{{0, {0.0}, 1.0}, {1, {0.0}, 1.0}, {2, {0.0}, 1.0}};
  EXPECT_EQ(split_observations(ties, Direction::Minimise, true).good, (std::vector<std::size_t>{0}));
}

TEST(Tpe, StartUpTrialsAreUniformDrawsFromTheTrialsStream) {
  const SearchSpace space = mixed_space();
  const Tpe tpe(space, TpeSettings{}, 123);
  const auto history = random_history(space, 9, mixed_quadratic);
  common::CounterRng rng(123, common::Purpose::Tuning, 9);
  EXPECT_EQ(tpe.suggest(9, history), space.sample_uniform(rng));
  // Pending trials do not count towards the start-up.
  auto with_pending = history;
  with_pending.push_back(Trial{9, space.sample_uniform(rng), std::nullopt});
  common::CounterRng rng10(123, common::Purpose::Tuning, 10);
  EXPECT_EQ(tpe.suggest(10, with_pending), space.sample_uniform(rng10));
}

TEST(Tpe, SuggestionIsAFunctionOfSeedTrialNumberAndHistoryOnly) {
  const SearchSpace space = mixed_space();
  const auto history = random_history(space, 30, mixed_quadratic);
  for (const bool multivariate : {false, true}) {
    TpeSettings settings;
    settings.multivariate = multivariate;
    const Tpe a(space, settings, 5), b(space, settings, 5), other_seed(space, settings, 6);
    const auto x = a.suggest(30, history);
    EXPECT_TRUE(space.contains(x));
    EXPECT_EQ(x, b.suggest(30, history));
    EXPECT_EQ(x, a.suggest(30, history));
    auto shuffled = history;  // as if gathered from ranks in another order
    std::reverse(shuffled.begin(), shuffled.end());
    std::rotate(shuffled.begin(), shuffled.begin() + 7, shuffled.end());
    EXPECT_EQ(x, b.suggest(30, shuffled));
    EXPECT_NE(x, other_seed.suggest(30, history));
    EXPECT_NE(x, a.suggest(31, history));
    auto changed = history;
    changed[4].value = -1.0;  // a different result changes the good set, hence the suggestion
    EXPECT_NE(x, a.suggest(30, changed));
  }
}

TEST(Tpe, RejectsInconsistentHistories) {
  const SearchSpace space = mixed_space();
  const Tpe tpe(space, TpeSettings{}, 1);
  auto history = random_history(space, 12, mixed_quadratic);
  EXPECT_THROW(tpe.suggest(5, history), std::invalid_argument);  // 5 is already in the history
  history[3].number = 4;
  EXPECT_THROW(tpe.suggest(12, history), std::invalid_argument);
  history[3].number = 3;
  history[3].point[2] = 8.5;
  EXPECT_THROW(tpe.suggest(12, history), std::invalid_argument);
  EXPECT_THROW(Tpe(space, TpeSettings{10, 0}, 1), std::invalid_argument);
}

TEST(Tpe, ConstantLiarPushesTheNextSuggestionAwayFromAPendingPoint) {
  // One parameter, good region around 0.3. The suggestion for trial t is made pending; the next suggestion (same
  // random stream both ways) must land farther from it, on average, when the liar counts it as bad than when it
  // is ignored.
  const SearchSpace space({Parameter::floating("x", 0.0, 1.0)});
  const Objective f = [](const std::vector<double>& x) { return (x[0] - 0.3) * (x[0] - 0.3); };
  const auto history = random_history(space, 30, f);
  for (const bool multivariate : {false, true}) {
    TpeSettings liar, ignore;
    liar.multivariate = ignore.multivariate = multivariate;
    ignore.constant_liar = false;
    const Tpe with_liar(space, liar, 8), without_liar(space, ignore, 8);
    double distance_with = 0.0, distance_without = 0.0;
    const int streams = 100;
    for (int s = 0; s < streams; ++s) {
      const int t = 30 + 2 * s;
      const auto pending = with_liar.suggest(t, history);
      ASSERT_EQ(pending, without_liar.suggest(t, history));  // nothing pending yet: the liar plays no part
      auto with_pending = history;
      with_pending.push_back(Trial{t, pending, std::nullopt});
      distance_with += std::abs(with_liar.suggest(t + 1, with_pending)[0] - pending[0]);
      distance_without += std::abs(without_liar.suggest(t + 1, with_pending)[0] - pending[0]);
    }
    // Multivariate kernels are as wide as the spread of the bad points, so one more bad point moves g(x) less
    // (measured: 1.8x farther independent, 1.1x multivariate); without the liar both distances are equal.
    EXPECT_GT(distance_with, (multivariate ? 1.0 : 1.5) * distance_without)
        << "multivariate=" << multivariate << ": " << distance_with / streams << " vs " << distance_without / streams;
  }
}

TEST(Tpe, BatchIsSequentialSuggestionWithEarlierOnesPending) {
  const SearchSpace space = mixed_space();
  const auto history = random_history(space, 15, mixed_quadratic);
  const Tpe tpe(space, TpeSettings{}, 3);
  const auto batch = tpe.suggest_batch(15, 3, history);
  ASSERT_EQ(batch.size(), 3u);
  auto grown = history;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(batch[i], tpe.suggest(15 + i, grown));
    grown.push_back(Trial{15 + i, batch[i], std::nullopt});
  }
}

TEST(Tpe, BeatsRandomSearchOnAQuadraticOverMixedKinds) {
  // Median over seeds of the best value after 80 trials; a clear margin, not a coin toss.
  const SearchSpace space = mixed_space();
  const int trials = 80, seeds = 5;
  for (const bool multivariate : {false, true}) {
    TpeSettings settings;
    settings.multivariate = multivariate;
    std::vector<double> best_tpe, best_random;
    for (int seed = 0; seed < seeds; ++seed) {
      const Tpe tpe(space, settings, static_cast<std::uint64_t>(seed));
      std::vector<Trial> history;
      double best = INFINITY;
      for (int t = 0; t < trials; ++t) {
        auto x = tpe.suggest(t, history);
        const double v = mixed_quadratic(x);
        best = std::min(best, v);
        history.push_back(Trial{t, std::move(x), v});
      }
      best_tpe.push_back(best);
      double best_r = INFINITY;
      for (const auto& trial : random_history(space, trials, mixed_quadratic, 1000 + seed))
        best_r = std::min(best_r, *trial.value);
      best_random.push_back(best_r);
    }
    std::sort(best_tpe.begin(), best_tpe.end());
    std::sort(best_random.begin(), best_random.end());
    EXPECT_LT(best_tpe[seeds / 2], 0.3 * best_random[seeds / 2])
        << "multivariate=" << multivariate << ": TPE " << best_tpe[seeds / 2] << ", random " << best_random[seeds / 2];
  }
}

}  // namespace
}  // namespace elec::opt
