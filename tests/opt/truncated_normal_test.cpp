#include "elec/opt/truncated_normal.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace elec::opt {
namespace {

double phi(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

TEST(TruncatedNormal, LogCdfMatchesErfcAndItsTail) {
  for (const double z : {-35.0, -20.5, -19.5, -8.0, -1.0, 0.0, 0.7, 5.0})
    EXPECT_NEAR(log_normal_cdf(z), std::log(phi(z)), 1e-10 * std::abs(std::log(phi(z))) + 1e-14) << z;
  // Far past erfc's range the value follows -z^2/2 - log(-z) - log(sqrt(2 pi)) to leading order.
  const double z = -200.0;
  EXPECT_NEAR(log_normal_cdf(z), -0.5 * z * z - std::log(-z) - 0.5 * std::log(2 * M_PI), 1e-4);
}

TEST(TruncatedNormal, LogMassAgreesWithDirectDifferencesAndStaysFiniteInTails) {
  const double cases[][2] = {{-1.0, 2.0}, {0.5, 1.5}, {-3.0, -2.0}, {-0.2, 0.1}, {2.0, 6.0}};
  for (const auto& c : cases)
    EXPECT_NEAR(log_normal_mass(c[0], c[1]), std::log(phi(c[1]) - phi(c[0])), 1e-12) << c[0] << " " << c[1];
  // A kernel at one bound of a range 100 bandwidths wide: direct differences give log(0).
  const double far = log_normal_mass(99.5, 100.5);
  EXPECT_TRUE(std::isfinite(far));
  EXPECT_NEAR(far, log_normal_cdf(-99.5), 0.01);
  EXPECT_EQ(log_normal_mass(60.0, 70.0), log_normal_mass(-70.0, -60.0));
}

TEST(TruncatedNormal, DensityIntegratesToOneOnItsRange) {
  const double low = -1.0, high = 3.0;
  for (const double mu : {-1.0, 0.4, 3.0})
    for (const double sigma : {0.04, 0.5, 4.0}) {
      const int steps = 40000;
      const double h = (high - low) / steps;
      double integral = 0.0;
      for (int i = 0; i <= steps; ++i)
        integral +=
            (i == 0 || i == steps ? 0.5 : 1.0) * std::exp(truncated_normal_log_pdf(low + i * h, mu, sigma, low, high));
      EXPECT_NEAR(integral * h, 1.0, 1e-4) << mu << " " << sigma;
    }
  EXPECT_EQ(truncated_normal_log_pdf(3.1, 0.0, 1.0, low, high), -INFINITY);
}

TEST(TruncatedNormal, SamplesStayInsideWithTheRightMean) {
  common::CounterRng rng(2, common::Purpose::Experiment, 0);
  const double low = 0.0, high = 1.0, mu = 0.0, sigma = 0.5;
  const int n = 50000;
  double sum = 0.0;
  for (int i = 0; i < n; ++i) {
    const double x = sample_truncated_normal(rng, mu, sigma, low, high);
    ASSERT_GE(x, low);
    ASSERT_LE(x, high);
    sum += x;
  }
  // Mean of N(0, 0.5^2) truncated to [0, 1]: sigma (pdf(0) - pdf(2)) / (Phi(2) - Phi(0)).
  const double pdf0 = 1 / std::sqrt(2 * M_PI), pdf2 = std::exp(-2.0) / std::sqrt(2 * M_PI);
  EXPECT_NEAR(sum / n, sigma * (pdf0 - pdf2) / (phi(2.0) - 0.5), 0.005);
  EXPECT_THROW(sample_truncated_normal(rng, 1.5, 0.1, low, high), std::invalid_argument);
  EXPECT_THROW(sample_truncated_normal(rng, 0.5, 2.0, low, high), std::invalid_argument);
}

}  // namespace
}  // namespace elec::opt
