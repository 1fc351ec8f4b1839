#include "elec/model/readout.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace elec::model {
namespace {

const double kNaN = std::nan("");

// Four training cells on a line, x = 0..3; column 0 measured everywhere (10 x + 10), column 1 at the ends only,
// column 2 never.
void line(Matrix& descriptors, Matrix& endpoints) {
  descriptors.resize(4, 1);
  descriptors << 0, 1, 2, 3;
  endpoints.resize(4, 3);
  endpoints << 10, 1, kNaN,  //
      20, kNaN, kNaN,        //
      30, kNaN, kNaN,        //
      40, 7, kNaN;
}

TEST(Readout, WeighsTheKNearestDonorsOfEachColumnByInverseDistance) {
  Matrix x, y;
  line(x, y);
  Matrix query(3, 1);
  query << 0.25, 1.5, 1.0;
  const Matrix p = neighbour_predictions(x, y, query, 2);
  // 0.25: rows 0 and 1 at 0.25 and 0.75 (any common scale), weights 4 and 4/3.
  EXPECT_NEAR(p(0, 0), (4 * 10 + 4.0 / 3 * 20) / (4 + 4.0 / 3), 1e-12);
  EXPECT_NEAR(p(1, 0), 25.0, 1e-12);  // equidistant from rows 1 and 2
  EXPECT_EQ(p(2, 0), 20.0);           // a donor at distance 0 alone gives the value
  // Column 1's donors are the two measured rows only, whatever lies nearer.
  EXPECT_NEAR(p(1, 1), 4.0, 1e-12);
  EXPECT_NEAR(p(0, 1), (1 / 0.25 * 1 + 1 / 2.75 * 7) / (1 / 0.25 + 1 / 2.75), 1e-12);
  for (Eigen::Index i = 0; i < 3; ++i) EXPECT_TRUE(std::isnan(p(i, 2))) << "a column without donors has no value";
}

TEST(Readout, UsesFewerDonorsWhenFewerAreMeasuredAndScalesEachDescriptor) {
  Matrix x(3, 2), y(3, 1);
  // The second descriptor spans 100 times the first: unscaled, it would decide alone who is near.
  x << 0, 0, 1, 100, 2, 0;
  y << 0, 10, 20;
  Matrix query(1, 2);
  query << 1.0, 40;
  const Matrix p = neighbour_predictions(x, y, query, 1);
  // Unscaled, rows 0 and 2 are nearest (40.0 against 60); z-scored (deviations 0.82 and 47.1), row 1 is (1.27
  // against 1.49).
  EXPECT_EQ(p(0, 0), 10.0);
  EXPECT_NEAR(neighbour_predictions(x, y, query, 10)(0, 0), neighbour_predictions(x, y, query, 3)(0, 0),
              1e-15);  // k above the donors: all of them
}

TEST(Readout, ScalesTheDescriptorsOverEachColumnsOwnDonors) {
  // The column is measured on rows 0-2 only; rows 3 and 4 spread the second descriptor over +-1000. Scaled over the
  // whole table that descriptor would hardly count and row 1 would be nearest (first descriptor equal); scaled over
  // the donors (deviations 0.82 and 0.47), rows 0 and 2 are (1.22 against 2.12), and the tie goes to row 0.
  Matrix x(5, 2), y(5, 1);
  x << 0, 0, 1, 1, 2, 0, 1, 1000, 1, -1000;
  y << 10, 20, 30, kNaN, kNaN;
  Matrix query(1, 2);
  query << 1, 0;
  EXPECT_EQ(neighbour_predictions(x, y, query, 1)(0, 0), 10.0);
}

TEST(Readout, ReadsEachColumnOffItsChoiceAndKeepsTheEnsembleWhereNeighboursHaveNone) {
  Matrix ensemble(2, 3), near(2, 3);
  ensemble << 1, 2, 3, 4, 5, 6;
  near << 11, 12, 13, kNaN, 15, kNaN;
  const Matrix out =
      read_out({Readout::Ensemble, Readout::Neighbours, Readout::Average}, ensemble, ReadoutForecasts{near, {}});
  Matrix expected(2, 3);
  expected << 1, 12, 8, 4, 15, 6;
  EXPECT_EQ(out, expected);
}

TEST(Readout, MovesEveryMemberByTheChangeOfItsCentre) {
  Matrix from(2, 1), to(2, 1);
  from << 1, 2;
  to << 3, -2;
  std::vector<double> members = {0, 1, 2, 3};  // 2 members x 2 rows x 1 column
  move_members(from, to, members);
  EXPECT_EQ(members, (std::vector<double>{2, -3, 4, -1}));
}

TEST(Readout, NamesRoundTrip) {
  for (Readout r : {Readout::Ensemble, Readout::Neighbours, Readout::Average, Readout::LassoAverage}) {
    Readout back = Readout::Ensemble;
    ASSERT_TRUE(readout_named(readout_name(r), back));
    EXPECT_EQ(back, r);
  }
  Readout unchanged = Readout::Average;
  EXPECT_FALSE(readout_named("kriging", unchanged));
  EXPECT_EQ(unchanged, Readout::Average);
}

TEST(Readout, DescribesEachTargetOnceWithACurveNamedAfterItself) {
  data::CurveBlock capacity;
  capacity.name = "capacity";
  capacity.grid = {1, 2, 3};
  capacity.first_endpoint = 1;
  const std::vector<std::string> names = {"porosity", "capacity@1", "capacity@2", "capacity@3", "adhesion", "ir"};
  using R = Readout;
  EXPECT_EQ(describe_readouts({R::Neighbours, R::Average, R::Average, R::Average, R::Ensemble, R::Neighbours}, 10,
                              names, {capacity}),
            "neighbours (k = 10) for porosity, ir; average for capacity; the ensemble for the other 1 target");
  EXPECT_EQ(describe_readouts(std::vector<R>(6, R::Ensemble), 10, names, {capacity}), "the ensemble for every target");
  EXPECT_EQ(describe_readouts(std::vector<R>(6, R::Average), 5, names, {capacity}),
            "average for porosity, capacity, adhesion, ir");
  EXPECT_EQ(describe_readouts({R::LassoAverage, R::Ensemble, R::Ensemble, R::Ensemble, R::Average, R::Ensemble}, 10,
                              names, {capacity}),
            "average for adhesion; lasso_average for porosity; the ensemble for the other 2 targets");
}

TEST(Readout, AveragesAColumnWithTheLassoOnlyWhereItReadsLassoAverageAndTheLassoHasAFit) {
  LinearReadout lasso;
  lasso.coefficients = Matrix(3, 2);
  lasso.coefficients << 1, 2, 0, 0, 3, -1;
  lasso.intercepts = Vector(3);
  lasso.intercepts << 10, kNaN, 0;
  Matrix query(2, 2);
  query << 1, 1, 2, 0;
  const Matrix linear = lasso.predict(query);
  EXPECT_EQ(linear(0, 0), 13.0);
  EXPECT_EQ(linear(1, 0), 12.0);
  EXPECT_TRUE(std::isnan(linear(0, 1)));  // a column without a fit
  EXPECT_EQ(linear(1, 2), 6.0);
  Matrix ensemble(2, 3);
  ensemble << 1, 2, 3, 4, 5, 6;
  Matrix near = Matrix::Constant(2, 3, 100.0);
  using R = Readout;
  const Matrix out = read_out({R::LassoAverage, R::LassoAverage, R::Average}, ensemble, ReadoutForecasts{near, linear});
  Matrix expected(2, 3);
  expected << 7, 2, 51.5, 8, 5, 53;
  EXPECT_EQ(out, expected);
  // Nothing offered: every column keeps the ensemble, whatever it reads.
  EXPECT_EQ(read_out({R::LassoAverage, R::Neighbours, R::Average}, ensemble, ReadoutForecasts{}), ensemble);
}

}  // namespace
}  // namespace elec::model
