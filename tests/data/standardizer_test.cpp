#include "elec/data/standardizer.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace elec::data {
namespace {

Matrix table() {
  Matrix m(4, 3);
  m << 1.0, 5.0, 2.0,          //
      3.0, std::nan(""), 2.0,  //
      5.0, 7.0, 2.0,           //
      7.0, 9.0, 2.0;
  return m;
}

TEST(Standardizer, FitsOnMeasuredValuesAndKeepsConstantColumnsFinite) {
  const Standardizer s = Standardizer::fit(table());
  EXPECT_DOUBLE_EQ(s.mean(0), 4.0);
  EXPECT_DOUBLE_EQ(s.scale(0), std::sqrt(5.0));
  EXPECT_DOUBLE_EQ(s.mean(1), 7.0);  // the blank does not count
  EXPECT_DOUBLE_EQ(s.scale(1), std::sqrt(8.0 / 3.0));
  EXPECT_DOUBLE_EQ(s.mean(2), 2.0);
  EXPECT_EQ(s.scale(2), 1.0);  // constant: scale 1, not 0
  const Matrix z = s.apply(table());
  EXPECT_TRUE(std::isnan(z(1, 1)));
  EXPECT_DOUBLE_EQ(z(3, 0), 3.0 / std::sqrt(5.0));
}

TEST(Standardizer, RestoresWhatItStandardisedInEveryLayout) {
  const Standardizer s = Standardizer::fit(table());
  Matrix full = table();
  full(1, 1) = 6.0;
  const Matrix back = s.restore(s.apply(full));
  for (Eigen::Index i = 0; i < 4; ++i)
    for (Eigen::Index j = 0; j < 3; ++j) EXPECT_NEAR(back(i, j), full(i, j), 1e-12);
  EXPECT_DOUBLE_EQ(s.restore_spread(Matrix::Ones(1, 3))(0, 0), std::sqrt(5.0));

  // Two "members" x 4 rows x 3 columns, the column index running fastest: the same numbers as restore().
  const Matrix z = s.apply(full);
  std::vector<double> members;
  for (int member = 0; member < 2; ++member)
    for (Eigen::Index i = 0; i < 4; ++i)
      for (Eigen::Index j = 0; j < 3; ++j) members.push_back(z(i, j) + member);
  s.restore_in_place(members);
  const Matrix second = s.restore(z.array() + 1.0);
  for (Eigen::Index i = 0; i < 4; ++i)
    for (Eigen::Index j = 0; j < 3; ++j) {
      EXPECT_EQ(members[static_cast<std::size_t>(i * 3 + j)], s.restore(z)(i, j));
      EXPECT_EQ(members[static_cast<std::size_t>(12 + i * 3 + j)], second(i, j));
    }
}

}  // namespace
}  // namespace elec::data
