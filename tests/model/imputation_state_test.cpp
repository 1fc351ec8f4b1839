#include "elec/model/imputation_state.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace elec::model {
namespace {

TEST(ImputationState, BlanksStartAtTheMeanWithNoConfidenceAndSoften) {
  const NetworkShape shape{1, 2, 3, true};
  Matrix descriptors(3, 1);
  descriptors << 0.5, -1, 2;
  Matrix endpoints(3, 2);
  endpoints << 1, NAN, NAN, 2, 3, 4;
  ImputationState state(shape, descriptors, endpoints);
  ASSERT_EQ(state.blanks().size(), 2u);
  auto x = state.inputs<double>();
  EXPECT_EQ(x(0, 2), 0.0);  // blank value = column mean (0 standardised)
  EXPECT_EQ(x(0, 4), 0.0);  // and no confidence
  EXPECT_EQ(x(0, 3), 1.0);  // measured: full confidence
  EXPECT_EQ(x(0, 1), 1.0);

  const auto change = state.update({2.0, -4.0}, {0.0, 1.0}, 0.25);  // z = 0.25 z + 0.75 y
  EXPECT_DOUBLE_EQ(state.endpoints()(0, 1), 1.5);
  EXPECT_DOUBLE_EQ(state.endpoints()(1, 0), -3.0);
  EXPECT_DOUBLE_EQ(change.max, 3.0);
  EXPECT_DOUBLE_EQ(change.mean, 2.25);
  x = state.inputs<double>();
  EXPECT_DOUBLE_EQ(x(0, 4), confidence_from_spread(0.0));
  EXPECT_DOUBLE_EQ(x(1, 3), confidence_from_spread(1.0));
  EXPECT_LT(confidence_from_spread(1.0), confidence_from_spread(0.1));
  EXPECT_EQ(state.endpoints()(2, 1), 4.0);  // measured cells never move
}

}  // namespace
}  // namespace elec::model
