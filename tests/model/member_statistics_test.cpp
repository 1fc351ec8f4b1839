#include "elec/model/member_statistics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace elec::model {
namespace {

// Members x values, member-major: value v of member m at m * per_member + v.
const std::vector<double> kFourMembersTwoValues = {1.0,   -3.0,  //
                                                   2.0,   5.0,   //
                                                   3.0,   1.0,   //
                                                   100.0, 0.0};

TEST(MemberStatistics, MeanAndStandardDeviationOverMembers) {
  std::vector<double> centre, spread;
  member_statistics(kFourMembersTwoValues, 4, 2, Centre::Mean, centre, spread);
  EXPECT_DOUBLE_EQ(centre[0], 26.5);
  EXPECT_DOUBLE_EQ(centre[1], 0.75);
  EXPECT_DOUBLE_EQ(spread[0], std::sqrt((25.5 * 25.5 + 24.5 * 24.5 + 23.5 * 23.5 + 73.5 * 73.5) / 4.0));
  EXPECT_DOUBLE_EQ(spread[1], std::sqrt((3.75 * 3.75 + 4.25 * 4.25 + 0.25 * 0.25 + 0.75 * 0.75) / 4.0));
}

TEST(MemberStatistics, MedianIsNotDraggedByOneFarMemberAndTheSpreadIsMeasuredFromIt) {
  std::vector<double> centre, spread;
  member_statistics(kFourMembersTwoValues, 4, 2, Centre::Median, centre, spread);
  EXPECT_DOUBLE_EQ(centre[0], 2.5);  // even count: the two middle members averaged; 100 does not move it
  EXPECT_DOUBLE_EQ(centre[1], 0.5);
  EXPECT_DOUBLE_EQ(spread[0], std::sqrt((1.5 * 1.5 + 0.5 * 0.5 + 0.5 * 0.5 + 97.5 * 97.5) / 4.0));
  EXPECT_DOUBLE_EQ(spread[1], std::sqrt((3.5 * 3.5 + 4.5 * 4.5 + 0.5 * 0.5 + 0.5 * 0.5) / 4.0));

  member_statistics({4.0, 9.0, -1.0}, 3, 1, Centre::Median, centre, spread);  // odd count: the middle member
  EXPECT_DOUBLE_EQ(centre[0], 4.0);
  member_statistics({7.0}, 1, 1, Centre::Median, centre, spread);
  EXPECT_DOUBLE_EQ(centre[0], 7.0);
  EXPECT_DOUBLE_EQ(spread[0], 0.0);
}

TEST(MemberStatistics, CentreNamesAreTheConfigValues) {
  EXPECT_EQ(centre_named("mean"), Centre::Mean);
  EXPECT_EQ(centre_named("median"), Centre::Median);
  EXPECT_THROW(centre_named("mode"), std::invalid_argument);
}

}  // namespace
}  // namespace elec::model
