#include "elec/opt/parzen_estimator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <tuple>

#include "elec/opt/truncated_normal.hpp"

namespace elec::opt {

double to_kernel_coordinate(const Parameter& p, double value) { return p.log ? std::log(value) : value; }

double from_kernel_coordinate(const Parameter& p, double coordinate) {
  double value = p.log ? std::exp(coordinate) : coordinate;
  if (p.kind != ParameterKind::Float) value = std::round(value);
  return std::clamp(value, p.low, p.high);
}

namespace {

constexpr double kHalfLogTwoPi = 0.91893853320467274178;  // log(sqrt(2 pi))

// Bounds of the kernel coordinate: an integer k owns [k - 1/2, k + 1/2], so the range reaches half a step past
// the extreme integers and every integer gets a cell of the same width (in log space for log scales).
std::pair<double, double> kernel_bounds(const Parameter& p) {
  if (p.kind == ParameterKind::Integer)
    return {to_kernel_coordinate(p, p.low - 0.5), to_kernel_coordinate(p, p.high + 0.5)};
  return {to_kernel_coordinate(p, p.low), to_kernel_coordinate(p, p.high)};
}

std::vector<double> neighbour_widths(const std::vector<double>& centres, double low, double high) {
  const std::size_t n = centres.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return centres[a] < centres[b]; });
  std::vector<double> width(n);
  for (std::size_t r = 0; r < n; ++r) {
    const double here = centres[order[r]];
    const double left = r == 0 ? low : centres[order[r - 1]];
    const double right = r + 1 == n ? high : centres[order[r + 1]];
    double w = std::max(here - left, right - here);
    // The outermost centres ignore the distance to the bound: a good point near a bound should not get a kernel
    // as wide as its distance from the far side of the data.
    if (n >= 2 && r == 0) w = centres[order[1]] - here;
    if (n >= 2 && r + 1 == n) w = here - centres[order[n - 2]];
    width[order[r]] = w;
  }
  return width;
}

// Width shared by the kernels of the first n centres, in d dimensions (see BandwidthRule::NormalReference).
double normal_reference_width(const std::vector<double>& centres, std::size_t n, std::size_t d) {
  if (n < 2) return 0.0;  // no spread to measure: the clip's floor decides (a third of the range for one point)
  const double shrink = std::pow(static_cast<double>(n), -1.0 / (static_cast<double>(d) + 4.0));
  double mean = 0.0;
  for (std::size_t k = 0; k < n; ++k) mean += centres[k];
  mean /= static_cast<double>(n);
  double squares = 0.0;
  for (std::size_t k = 0; k < n; ++k) squares += (centres[k] - mean) * (centres[k] - mean);
  return 1.06 * std::sqrt(squares / static_cast<double>(n - 1)) * shrink;
}

}  // namespace

ParzenEstimator::ParzenEstimator(const SearchSpace& space, const std::vector<std::vector<double>>& observations,
                                 const std::vector<double>& weights, const ParzenSettings& settings)
    : space_(space) {
  const std::size_t n = observations.size(), d = space.size();
  if (weights.size() != n) throw std::invalid_argument("ParzenEstimator: one weight per observation expected");
  for (const auto& x : observations)
    if (!space.contains(x)) throw std::invalid_argument("ParzenEstimator: an observation lies outside the space");
  double weight_sum = 0.0;
  for (const double w : weights) {
    if (!(w >= 0.0) || !std::isfinite(w)) throw std::invalid_argument("ParzenEstimator: weights must be finite, >= 0");
    weight_sum += w;
  }
  if (n > 0 && weight_sum <= 0.0) throw std::invalid_argument("ParzenEstimator: all observation weights are zero");
  if (!(settings.prior_weight > 0.0)) throw std::invalid_argument("ParzenEstimator: prior weight must be > 0");

  const std::size_t kernels = n + 1;
  weights_ = weights;
  weights_.push_back(settings.prior_weight);
  const double total = std::accumulate(weights_.begin(), weights_.end(), 0.0);
  log_weights_.resize(kernels);
  cumulative_weights_.resize(kernels);
  double running = 0.0;
  for (std::size_t k = 0; k < kernels; ++k) {
    weights_[k] /= total;
    log_weights_[k] = std::log(weights_[k]);
    running += weights_[k];
    cumulative_weights_[k] = running;
  }

  numeric_.resize(d);
  log_choice_prob_.resize(d);
  log_kernel_mass_.resize(d);
  log_density_offset_.resize(d);
  for (std::size_t i = 0; i < d; ++i) {
    const Parameter& p = space[i];
    if (p.kind == ParameterKind::Categorical) {
      // Each observation's kernel spreads prior_weight / (n + 1) on every choice and 1 on its own, so with few
      // observations every choice stays reachable; the prior kernel is uniform.
      const std::size_t choices = p.choices.size();
      auto& table = log_choice_prob_[i];
      table.assign(kernels * choices, 0.0);
      const double floor = settings.prior_weight / static_cast<double>(kernels);
      for (std::size_t k = 0; k < kernels; ++k) {
        const double own = k < n ? 1.0 : 0.0;
        const double row_sum = floor * static_cast<double>(choices) + own;
        for (std::size_t c = 0; c < choices; ++c) {
          const bool observed = k < n && static_cast<std::size_t>(observations[k][i]) == c;
          table[k * choices + c] = std::log((floor + (observed ? own : 0.0)) / row_sum);
        }
      }
      continue;
    }
    NumericAxis& axis = numeric_[i];
    std::tie(axis.low, axis.high) = kernel_bounds(p);
    const double range = axis.high - axis.low;
    axis.centre.resize(kernels);
    for (std::size_t k = 0; k < n; ++k) axis.centre[k] = to_kernel_coordinate(p, observations[k][i]);
    axis.centre[n] = 0.5 * (axis.low + axis.high);
    if (settings.bandwidth == BandwidthRule::NeighbourDistance) {
      axis.width = neighbour_widths(axis.centre, axis.low, axis.high);
    } else {
      axis.width.assign(kernels, normal_reference_width(axis.centre, n, d));
    }
    // Bandwidths stay between a share of the range that shrinks with the data (so that a few close points cannot
    // make a spike that the ratio l/g would chase forever) and the whole range.
    const double narrowest = range / std::min(100.0, 1.0 + static_cast<double>(kernels));
    for (double& w : axis.width) w = std::clamp(w, narrowest, range);
    axis.width[n] = range;  // the prior: centred, as wide as the range
    auto& mass = log_kernel_mass_[i];
    auto& offset = log_density_offset_[i];
    mass.resize(kernels);
    offset.resize(kernels);
    for (std::size_t k = 0; k < kernels; ++k) {
      mass[k] =
          log_normal_mass((axis.low - axis.centre[k]) / axis.width[k], (axis.high - axis.centre[k]) / axis.width[k]);
      offset[k] = kHalfLogTwoPi + std::log(axis.width[k]) + mass[k];
    }
  }
}

std::vector<double> ParzenEstimator::sample(common::CounterRng& rng) const {
  const double u = rng.uniform();
  const std::size_t k = std::min<std::size_t>(
      static_cast<std::size_t>(std::upper_bound(cumulative_weights_.begin(), cumulative_weights_.end(), u) -
                               cumulative_weights_.begin()),
      kernel_count() - 1);  // the running sum can end an ulp below 1
  std::vector<double> point(space_.size());
  for (std::size_t i = 0; i < space_.size(); ++i) {
    const Parameter& p = space_[i];
    if (p.kind == ParameterKind::Categorical) {
      const std::size_t choices = p.choices.size();
      const double v = rng.uniform();
      double running = 0.0;
      std::size_t c = 0;
      for (; c + 1 < choices; ++c) {
        running += std::exp(log_choice_prob_[i][k * choices + c]);
        if (v < running) break;
      }
      point[i] = static_cast<double>(c);
    } else {
      const NumericAxis& axis = numeric_[i];
      point[i] =
          from_kernel_coordinate(p, sample_truncated_normal(rng, axis.centre[k], axis.width[k], axis.low, axis.high));
    }
  }
  return point;
}

double ParzenEstimator::log_pdf(const std::vector<double>& point) const {
  if (!space_.contains(point)) return -std::numeric_limits<double>::infinity();
  std::vector<double> log_terms(log_weights_);
  for (std::size_t i = 0; i < space_.size(); ++i) {
    const Parameter& p = space_[i];
    if (p.kind == ParameterKind::Categorical) {
      const std::size_t choices = p.choices.size(), c = static_cast<std::size_t>(point[i]);
      for (std::size_t k = 0; k < log_terms.size(); ++k) log_terms[k] += log_choice_prob_[i][k * choices + c];
      continue;
    }
    const NumericAxis& axis = numeric_[i];
    const auto& mass = log_kernel_mass_[i];
    if (p.kind == ParameterKind::Integer) {
      const double from = to_kernel_coordinate(p, point[i] - 0.5), to = to_kernel_coordinate(p, point[i] + 0.5);
      for (std::size_t k = 0; k < log_terms.size(); ++k) {
        const double c = axis.centre[k], w = axis.width[k];
        log_terms[k] += log_normal_mass((from - c) / w, (to - c) / w) - mass[k];
      }
    } else {
      const double y = to_kernel_coordinate(p, point[i]);
      const auto& offset = log_density_offset_[i];
      for (std::size_t k = 0; k < log_terms.size(); ++k) {
        const double z = (y - axis.centre[k]) / axis.width[k];
        log_terms[k] += -0.5 * z * z - offset[k];
      }
    }
  }
  const double top = *std::max_element(log_terms.begin(), log_terms.end());
  if (!std::isfinite(top)) return top;
  double sum = 0.0;
  for (const double t : log_terms) sum += std::exp(t - top);
  return top + std::log(sum);
}

std::vector<double> ParzenEstimator::choice_probabilities(std::size_t i, std::size_t k) const {
  const std::size_t choices = space_[i].choices.size();
  std::vector<double> probabilities(choices);
  for (std::size_t c = 0; c < choices; ++c) probabilities[c] = std::exp(log_choice_prob_[i][k * choices + c]);
  return probabilities;
}

}  // namespace elec::opt
