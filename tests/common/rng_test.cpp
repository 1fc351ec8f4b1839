#include "elec/common/rng.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace elec::common {
namespace {

TEST(CounterRng, StreamsAreReproducibleAndDistinct) {
  CounterRng a(1, Purpose::Bootstrap, 3), b(1, Purpose::Bootstrap, 3), c(1, Purpose::Initialise, 3);
  for (int i = 0; i < 10; ++i) {
    const auto x = a.next_u32();
    EXPECT_EQ(x, b.next_u32());
    EXPECT_NE(x, c.next_u32());
  }
}

TEST(CounterRng, UniformAndNormalMoments) {
  CounterRng rng(42, Purpose::Experiment, 0);
  const int n = 200000;
  double su = 0, sn = 0, sn2 = 0;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    su += u;
    const double z = rng.normal();
    sn += z;
    sn2 += z * z;
  }
  EXPECT_NEAR(su / n, 0.5, 0.005);
  EXPECT_NEAR(sn / n, 0.0, 0.01);
  EXPECT_NEAR(sn2 / n, 1.0, 0.01);
}

TEST(CounterRng, BelowCoversTheRange) {
  CounterRng rng(9, Purpose::Experiment, 1);
  std::vector<int> hits(7, 0);
  for (int i = 0; i < 7000; ++i) ++hits[rng.below(7)];
  for (int h : hits) EXPECT_GT(h, 850);
}

}  // namespace
}  // namespace elec::common
