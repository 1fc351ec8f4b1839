#include "elec/eval/knn_imputer.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace elec::eval {
namespace {

TEST(KnnImputer, MatchesScikitLearnOnAWorkedExample) {
  // scikit-learn 1.2 KNNImputer(n_neighbors=2) on this table gives [[1, 2, 4], [3, 4, 3], [5.5, 6, 5], [8, 8, 7]]
  // (its documentation example).
  Matrix x(4, 3);
  x << 1, 2, NAN, 3, 4, 3, NAN, 6, 5, 8, 8, 7;
  const Matrix out = knn_impute(x, 2);
  EXPECT_DOUBLE_EQ(out(0, 2), 4.0);
  EXPECT_DOUBLE_EQ(out(2, 0), 5.5);
  EXPECT_DOUBLE_EQ(out(1, 1), 4.0);  // measured cells untouched
}

TEST(KnnImputer, DonorsWithoutSharedColumnsRankLastAsInScikitLearn) {
  // scikit-learn 1.2 KNNImputer(n_neighbors=5) gives [[1, 5], [2, 4], [3, 6]].
  Matrix x(3, 2);
  x << 1, NAN, NAN, 4, 3, 6;
  const Matrix out = knn_impute(x, 5);
  EXPECT_DOUBLE_EQ(out(0, 1), 5.0);
  EXPECT_DOUBLE_EQ(out(1, 0), 2.0);
  Matrix lonely(2, 2);
  lonely << 1, NAN, NAN, 4;  // no donor shares a column: column means
  EXPECT_DOUBLE_EQ(knn_impute(lonely, 5)(0, 1), 4.0);
  const Matrix means = mean_impute(x);
  EXPECT_DOUBLE_EQ(means(0, 1), 5.0);
  EXPECT_DOUBLE_EQ(means(1, 0), 2.0);
}

}  // namespace
}  // namespace elec::eval
