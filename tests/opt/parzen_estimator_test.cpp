#include "elec/opt/parzen_estimator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <utility>

namespace elec::opt {
namespace {

using Points = std::vector<std::vector<double>>;

std::vector<double> ones(std::size_t n) { return std::vector<double>(n, 1.0); }

ParzenSettings with(BandwidthRule rule) {
  ParzenSettings s;
  s.bandwidth = rule;
  return s;
}

// Trapezoid rule of exp(log_pdf) along the kernel coordinate of a one-parameter float space.
double integrate_1d(const ParzenEstimator& pe, const Parameter& p) {
  const int steps = 20000;
  const double lo = to_kernel_coordinate(p, p.low), hi = to_kernel_coordinate(p, p.high), h = (hi - lo) / steps;
  double sum = 0.0;
  for (int i = 0; i <= steps; ++i) {
    const double x = std::clamp(p.log ? std::exp(lo + i * h) : lo + i * h, p.low, p.high);
    sum += (i == 0 || i == steps ? 0.5 : 1.0) * std::exp(pe.log_pdf({x}));
  }
  return sum * h;
}

TEST(ParzenEstimator, FloatDensityIntegratesToOne) {
  for (const BandwidthRule rule : {BandwidthRule::NeighbourDistance, BandwidthRule::NormalReference}) {
    const Parameter linear = Parameter::floating("x", -1.0, 2.0);
    const Points xs{{-1.0}, {-0.95}, {0.3}, {0.31}, {1.9}, {2.0}};
    EXPECT_NEAR(integrate_1d(ParzenEstimator(SearchSpace({linear}), xs, ones(6), with(rule)), linear), 1.0, 1e-4);
    // Log scale: a density in log(value).
    const Parameter log = Parameter::floating("lr", 1e-4, 1.0, true);
    const Points ls{{1e-4}, {2e-4}, {0.05}, {0.9}};
    EXPECT_NEAR(integrate_1d(ParzenEstimator(SearchSpace({log}), ls, ones(4), with(rule)), log), 1.0, 1e-4);
    // No observations: the prior alone.
    EXPECT_NEAR(integrate_1d(ParzenEstimator(SearchSpace({linear}), {}, {}, with(rule)), linear), 1.0, 1e-4);
  }
}

TEST(ParzenEstimator, IntegerAndCategoricalMassesSumToOne) {
  for (const bool log : {false, true}) {
    const Parameter p = Parameter::integer("k", 1, 40, log);
    const ParzenEstimator pe(SearchSpace({p}), {{1}, {2}, {2}, {17}, {40}}, {0.5, 1, 1, 1, 1}, ParzenSettings{});
    double sum = 0.0;
    for (int k = 1; k <= 40; ++k) sum += std::exp(pe.log_pdf({double(k)}));
    EXPECT_NEAR(sum, 1.0, 1e-12) << log;
  }
  const Parameter c = Parameter::categorical("act", {"a", "b", "c", "d"});
  const ParzenEstimator pe(SearchSpace({c}), {{1}, {1}, {3}}, ones(3), ParzenSettings{});
  double sum = 0.0;
  for (int k = 0; k < 4; ++k) sum += std::exp(pe.log_pdf({double(k)}));
  EXPECT_NEAR(sum, 1.0, 1e-12);
  EXPECT_GT(pe.log_pdf({1}), pe.log_pdf({3}));
  EXPECT_GT(pe.log_pdf({3}), pe.log_pdf({0}));
  EXPECT_GT(pe.log_pdf({0}), -INFINITY);  // never-seen choices stay reachable
}

TEST(ParzenEstimator, JointDensityOverMixedKindsIntegratesToOne) {
  // Float x integer x categorical with product kernels: sum over the discrete axes of the integral over the float.
  const SearchSpace space(
      {Parameter::floating("x", 0.0, 1.0), Parameter::integer("k", 0, 4), Parameter::categorical("c", {"u", "v"})});
  const Points obs{{0.1, 0, 1}, {0.15, 3, 1}, {0.8, 4, 0}, {0.5, 2, 1}};
  for (const BandwidthRule rule : {BandwidthRule::NeighbourDistance, BandwidthRule::NormalReference}) {
    const ParzenEstimator pe(space, obs, ones(4), with(rule));
    const int steps = 4000;
    double total = 0.0;
    for (int k = 0; k <= 4; ++k)
      for (int c = 0; c <= 1; ++c)
        for (int i = 0; i <= steps; ++i)
          total += (i == 0 || i == steps ? 0.5 : 1.0) * std::exp(pe.log_pdf({double(i) / steps, double(k), double(c)}));
    EXPECT_NEAR(total / steps, 1.0, 1e-4);
  }
}

TEST(ParzenEstimator, NeighbourBandwidthsAreClippedAndThePriorSpansTheRange) {
  const Parameter p = Parameter::floating("x", 0.0, 1.0);
  const Points xs{{0.1}, {0.15}, {0.3}, {0.32}, {0.6}, {0.8}, {0.85}, {0.9}, {0.97}};
  const ParzenEstimator pe(SearchSpace({p}), xs, ones(9), ParzenSettings{});
  ASSERT_EQ(pe.kernel_count(), 10u);
  const auto& axis = pe.numeric_axis(0);
  const double narrowest = 1.0 / 11.0;  // range / min(100, 1 + kernels)
  // Larger neighbour gap, the outermost centres using their inner gap, then clipped to [range / 11, range].
  const double expected[] = {narrowest, 0.15, 0.15, 0.18, 0.2, 0.2, narrowest, narrowest, narrowest};
  for (std::size_t k = 0; k < 9; ++k) {
    EXPECT_DOUBLE_EQ(axis.centre[k], xs[k][0]);
    EXPECT_NEAR(axis.width[k], expected[k], 1e-12) << k;
  }
  EXPECT_DOUBLE_EQ(axis.centre[9], 0.5);
  EXPECT_DOUBLE_EQ(axis.width[9], 1.0);
  const auto& w = pe.kernel_weights();
  EXPECT_NEAR(std::accumulate(w.begin(), w.end(), 0.0), 1.0, 1e-15);
  EXPECT_DOUBLE_EQ(w[9], 0.1);

  // Normal reference rule: one width for all observations, 1.06 sd n^(-1/(d+4)), here d = 1 (and the same clip).
  double mean = 0.0, squares = 0.0;
  for (const auto& x : xs) mean += x[0] / 9;
  for (const auto& x : xs) squares += (x[0] - mean) * (x[0] - mean);
  const double expected_width = 1.06 * std::sqrt(squares / 8) * std::pow(9.0, -0.2);
  ASSERT_GT(expected_width, narrowest);
  const ParzenEstimator reference(SearchSpace({p}), xs, ones(9), with(BandwidthRule::NormalReference));
  for (std::size_t k = 0; k < 9; ++k) EXPECT_NEAR(reference.numeric_axis(0).width[k], expected_width, 1e-12);
  EXPECT_DOUBLE_EQ(reference.numeric_axis(0).width[9], 1.0);
  // One observation has no spread: the clip's floor, range / (1 + 2 kernels).
  const ParzenEstimator single(SearchSpace({p}), {{0.3}}, ones(1), with(BandwidthRule::NormalReference));
  EXPECT_DOUBLE_EQ(single.numeric_axis(0).width[0], 1.0 / 3.0);
}

TEST(ParzenEstimator, KernelsOfLogIntegersLiveInLogSpaceWithHalfStepMargins) {
  const Parameter p = Parameter::integer("width", 2, 64, true);
  const ParzenEstimator pe(SearchSpace({p}), {{2}, {64}, {8}}, ones(3), ParzenSettings{});
  const auto& axis = pe.numeric_axis(0);
  EXPECT_DOUBLE_EQ(axis.low, std::log(1.5));
  EXPECT_DOUBLE_EQ(axis.high, std::log(64.5));
  EXPECT_DOUBLE_EQ(axis.centre[2], std::log(8.0));
  EXPECT_DOUBLE_EQ(axis.centre[3], 0.5 * (std::log(1.5) + std::log(64.5)));
  for (const double w : axis.width) {
    EXPECT_GE(w, (axis.high - axis.low) / 5.0 - 1e-12);
    EXPECT_LE(w, axis.high - axis.low + 1e-12);
  }
}

TEST(ParzenEstimator, SamplesFollowTheDensityAndStayInTheSpace) {
  // Frequencies of sampled integers and choices match exp(log_pdf): sample() and log_pdf() describe one mixture.
  const SearchSpace space({Parameter::integer("k", 0, 9), Parameter::categorical("c", {"a", "b", "c"})});
  const Points obs{{0, 2}, {1, 2}, {1, 0}, {7, 2}};
  const ParzenEstimator pe(space, obs, {1.0, 1.0, 0.5, 1.0}, ParzenSettings{});
  common::CounterRng rng(4, common::Purpose::Experiment, 1);
  const int n = 60000;
  std::map<std::pair<int, int>, int> counts;
  for (int i = 0; i < n; ++i) {
    const auto x = pe.sample(rng);
    ASSERT_TRUE(space.contains(x));
    ++counts[{int(x[0]), int(x[1])}];
  }
  for (int k = 0; k <= 9; ++k)
    for (int c = 0; c <= 2; ++c) {
      const double p = std::exp(pe.log_pdf({double(k), double(c)}));
      const double frequency = counts[std::make_pair(k, c)] / double(n);
      EXPECT_NEAR(frequency, p, 4 * std::sqrt(p * (1 - p) / n) + 1e-4) << k << " " << c;
    }
}

TEST(ParzenEstimator, RejectsObservationsOutsideTheSpaceAndBadWeights) {
  const SearchSpace space({Parameter::floating("x", 0.0, 1.0)});
  EXPECT_THROW(ParzenEstimator(space, {{1.5}}, ones(1), ParzenSettings{}), std::invalid_argument);
  EXPECT_THROW(ParzenEstimator(space, {{0.5}}, ones(2), ParzenSettings{}), std::invalid_argument);
  EXPECT_THROW(ParzenEstimator(space, {{0.5}}, {-1.0}, ParzenSettings{}), std::invalid_argument);
  EXPECT_THROW(ParzenEstimator(space, {{0.5}}, {0.0}, ParzenSettings{}), std::invalid_argument);
}

}  // namespace
}  // namespace elec::opt
