#include "elec/opt/truncated_normal.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace elec::opt {

namespace {

constexpr double kSqrtHalf = 0.70710678118654752440;
constexpr double kHalfLogTwoPi = 0.91893853320467274178;

// log(1 - exp(x)) for x <= 0, choosing the form that keeps its precision (Maechler's log1mexp note).
double log_one_minus_exp(double x) {
  if (x >= 0.0) return -std::numeric_limits<double>::infinity();
  return x > -M_LN2 ? std::log(-std::expm1(x)) : std::log1p(-std::exp(x));
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z * kSqrtHalf); }

}  // namespace

double log_normal_cdf(double z) {
  if (z > 0.0) return std::log1p(-0.5 * std::erfc(z * kSqrtHalf));
  // Past z = -20 the asymptotic series below is exact to about 1e-12 relative, and it keeps working where erfc
  // underflows (z < -38), which a kernel 100 bandwidths from a bound reaches.
  if (z > -20.0) return std::log(normal_cdf(z));
  const double r = 1.0 / (z * z);
  const double series = 1.0 - r * (1.0 - 3.0 * r * (1.0 - 5.0 * r * (1.0 - 7.0 * r * (1.0 - 9.0 * r))));
  return -0.5 * z * z - std::log(-z) - kHalfLogTwoPi + std::log(series);
}

double log_normal_mass(double a, double b) {
  if (!(a <= b)) throw std::invalid_argument("log_normal_mass needs a <= b");
  if (a == b) return -std::numeric_limits<double>::infinity();
  if (a >= 0.0) return log_normal_mass(-b, -a);  // reflect the right tail onto the left one
  if (b <= 0.0) {
    const double log_b = log_normal_cdf(b);
    return log_b + log_one_minus_exp(log_normal_cdf(a) - log_b);
  }
  // a < 0 < b: each tail left out is below one half, so one minus the tails keeps full precision.
  return std::log1p(-normal_cdf(a) - normal_cdf(-b));
}

double truncated_normal_log_pdf(double x, double mu, double sigma, double low, double high) {
  if (x < low || x > high) return -std::numeric_limits<double>::infinity();
  const double z = (x - mu) / sigma;
  return -0.5 * z * z - kHalfLogTwoPi - std::log(sigma) - log_normal_mass((low - mu) / sigma, (high - mu) / sigma);
}

double truncated_normal_log_mass(double from, double to, double mu, double sigma, double low, double high) {
  return log_normal_mass((from - mu) / sigma, (to - mu) / sigma) -
         log_normal_mass((low - mu) / sigma, (high - mu) / sigma);
}

double sample_truncated_normal(common::CounterRng& rng, double mu, double sigma, double low, double high) {
  if (!(mu >= low && mu <= high && sigma > 0.0 && sigma <= high - low))
    throw std::invalid_argument("sample_truncated_normal needs low <= mu <= high and 0 < sigma <= high - low");
  // With mu inside and sigma at most the width, the acceptance is at least Phi(1) - Phi(0) = 0.34.
  for (;;) {
    const double x = mu + sigma * rng.normal();
    if (x >= low && x <= high) return x;
  }
}

}  // namespace elec::opt
