#pragma once
// The normal distribution restricted to [low, high], computed in log space: a Parzen kernel centred at one bound
// with a bandwidth of a hundredth of the range puts the other bound 100 standard deviations away, where the plain
// probabilities underflow to zero.
#include "elec/common/rng.hpp"

namespace elec::opt {

// log Phi(z), the log of the standard normal CDF, to about 1e-12 relative for every finite z.
double log_normal_cdf(double z);

// log(Phi(b) - Phi(a)) for a < b, without cancellation in either tail; -infinity when a == b.
double log_normal_mass(double a, double b);

// Log density at x in [low, high] of N(mu, sigma^2) truncated to [low, high].
double truncated_normal_log_pdf(double x, double mu, double sigma, double low, double high);

// Log probability that N(mu, sigma^2) truncated to [low, high] falls in [from, to] (inside [low, high]).
double truncated_normal_log_mass(double from, double to, double mu, double sigma, double low, double high);

// One draw of N(mu, sigma^2) truncated to [low, high], by rejection. Requires mu in [low, high] and
// 0 < sigma <= high - low: then at least a third of the untruncated draws land inside, so the loop is short.
// Throws std::invalid_argument otherwise.
double sample_truncated_normal(common::CounterRng& rng, double mu, double sigma, double low, double high);

}  // namespace elec::opt
