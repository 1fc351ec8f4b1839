#include "elec/opt/search_space.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

namespace elec::opt {
namespace {

SearchSpace mixed_space() {
  return SearchSpace({Parameter::floating("lr", 1e-4, 1e-1, true), Parameter::floating("x", -2.0, 3.0),
                      Parameter::integer("layers", 1, 4), Parameter::integer("width", 1, 100, true),
                      Parameter::categorical("act", {"tanh", "relu", "gelu"})});
}

TEST(SearchSpace, UniformSamplesStayInBoundsAndRespectKinds) {
  const SearchSpace space = mixed_space();
  common::CounterRng rng(5, common::Purpose::Experiment, 0);
  const int n = 20000;
  int lr_below_geometric_mid = 0, x_below_mid = 0, width_below_10 = 0;
  std::map<double, int> layers, act;
  for (int i = 0; i < n; ++i) {
    const auto p = space.sample_uniform(rng);
    ASSERT_TRUE(space.contains(p));
    lr_below_geometric_mid += p[0] < std::sqrt(1e-4 * 1e-1);
    x_below_mid += p[1] < 0.5;
    ++layers[p[2]];
    width_below_10 += p[3] < 10;
    ++act[p[4]];
  }
  // Log scale: half the draws below the geometric mean (a linear draw would put 3% there).
  EXPECT_NEAR(lr_below_geometric_mid / double(n), 0.5, 0.02);
  EXPECT_NEAR(x_below_mid / double(n), 0.5, 0.02);
  // Log integers: 1..9 own log(9.5 / 0.5) of log(100.5 / 0.5), 56%; uniform integers would give 9%.
  EXPECT_NEAR(width_below_10 / double(n), std::log(9.5 / 0.5) / std::log(100.5 / 0.5), 0.02);
  ASSERT_EQ(layers.size(), 4u);
  for (const auto& [value, count] : layers) EXPECT_NEAR(count / double(n), 0.25, 0.02) << value;
  ASSERT_EQ(act.size(), 3u);
  for (const auto& [value, count] : act) EXPECT_NEAR(count / double(n), 1.0 / 3.0, 0.02) << value;
}

TEST(SearchSpace, SamplingIsReproducibleFromTheStream) {
  const SearchSpace space = mixed_space();
  common::CounterRng a(9, common::Purpose::Tuning, 3), b(9, common::Purpose::Tuning, 3),
      c(9, common::Purpose::Tuning, 4);
  const auto pa = space.sample_uniform(a);
  EXPECT_EQ(pa, space.sample_uniform(b));
  EXPECT_NE(pa, space.sample_uniform(c));
}

TEST(SearchSpace, ContainsChecksSizeBoundsAndIntegrality) {
  const SearchSpace space = mixed_space();
  EXPECT_TRUE(space.contains({1e-3, 0.0, 2, 50, 1}));
  EXPECT_FALSE(space.contains({1e-3, 0.0, 2, 50}));
  EXPECT_FALSE(space.contains({1e-5, 0.0, 2, 50, 1}));
  EXPECT_FALSE(space.contains({1e-3, 0.0, 2.5, 50, 1}));
  EXPECT_FALSE(space.contains({1e-3, 0.0, 2, 50, 3}));
  EXPECT_FALSE(space.contains({1e-3, std::nan(""), 2, 50, 1}));
}

TEST(SearchSpace, RejectsInconsistentParameters) {
  EXPECT_THROW(SearchSpace(std::vector<Parameter>{}), std::invalid_argument);
  EXPECT_THROW(SearchSpace({Parameter::floating("a", 1.0, 1.0)}), std::invalid_argument);
  EXPECT_THROW(SearchSpace({Parameter::floating("a", 0.0, 1.0, true)}), std::invalid_argument);
  EXPECT_THROW(SearchSpace({Parameter::integer("a", 0, 5, true)}), std::invalid_argument);
  EXPECT_THROW(SearchSpace({Parameter::integer("a", 3, 2)}), std::invalid_argument);
  EXPECT_THROW(SearchSpace({Parameter::categorical("a", {})}), std::invalid_argument);
  EXPECT_THROW(SearchSpace({Parameter::floating("a", 0, 1), Parameter::integer("a", 0, 1)}), std::invalid_argument);
  EXPECT_NO_THROW(SearchSpace({Parameter::integer("a", 3, 3), Parameter::categorical("b", {"only"})}));
}

}  // namespace
}  // namespace elec::opt
