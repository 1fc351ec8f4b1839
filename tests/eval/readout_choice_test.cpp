#include "elec/eval/readout_choice.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "elec/common/rng.hpp"
#include "elec/eval/metrics.hpp"

namespace elec::eval {
namespace {

using model::Readout;

// 40 cells, three endpoints and forecasts constructed for each: endpoint 0's ensemble forecast is right and the
// neighbours' wrong, endpoint 1 the other way round, and on endpoint 2 the two err by opposite amounts, so only
// their average is right.
struct Forecasts {
  data::Dataset dataset;
  Matrix ensemble, neighbours;
  model::ReadoutForecasts offered() const { return {neighbours, {}}; }
};

Forecasts constructed(int rows) {
  common::CounterRng rng(3, common::Purpose::Experiment, 0);
  Forecasts f;
  f.dataset.descriptors = Vector::LinSpaced(rows, 0, rows - 1);  // every cell its own recipe
  f.dataset.endpoints.resize(rows, 3);
  f.ensemble.resize(rows, 3), f.neighbours.resize(rows, 3);
  f.dataset.endpoint_names = {"a", "b", "c"};
  for (int i = 0; i < rows; ++i) {
    f.dataset.row_ids.push_back("c" + std::to_string(i));
    for (int j = 0; j < 3; ++j) f.dataset.endpoints(i, j) = rng.normal();
    const double e = rng.normal(), n = rng.normal();
    f.ensemble.row(i) << f.dataset.endpoints(i, 0), f.dataset.endpoints(i, 1) + n, f.dataset.endpoints(i, 2) + e;
    f.neighbours.row(i) << f.dataset.endpoints(i, 0) + n, f.dataset.endpoints(i, 1), f.dataset.endpoints(i, 2) - e;
  }
  return f;
}

TEST(ReadoutChoice, EachTargetTakesTheReadOutThatPredictsItBest) {
  const Forecasts f = constructed(40);
  EXPECT_EQ(choose_readouts(f.dataset, f.ensemble, f.offered(), std::vector<bool>(40, true)),
            (std::vector<Readout>{Readout::Ensemble, Readout::Neighbours, Readout::Average}));
}

TEST(ReadoutChoice, TooFewScoredValuesKeepTheEnsemble) {
  Forecasts f = constructed(40);
  std::vector<bool> use(40, false);
  for (int i = 0; i < kWellMeasuredValues - 1; ++i) use[static_cast<std::size_t>(i)] = true;
  EXPECT_EQ(choose_readouts(f.dataset, f.ensemble, f.offered(), use), std::vector<Readout>(3, Readout::Ensemble));
  use[static_cast<std::size_t>(kWellMeasuredValues - 1)] = true;
  EXPECT_EQ(choose_readouts(f.dataset, f.ensemble, f.offered(), use)[1], Readout::Neighbours);
  // A cell the neighbours cannot forecast is not scored: back to too few.
  f.neighbours(0, 1) = std::nan("");
  EXPECT_EQ(choose_readouts(f.dataset, f.ensemble, f.offered(), use)[1], Readout::Ensemble);
}

TEST(ReadoutChoice, ReplicatesOfTooFewRecipesKeepTheEnsemble) {
  Forecasts f = constructed(40);
  for (int i = 0; i < 40; ++i) f.dataset.descriptors(i, 0) = i % (kWellMeasuredValues - 1);  // 9 recipes
  EXPECT_EQ(choose_readouts(f.dataset, f.ensemble, f.offered(), std::vector<bool>(40, true)),
            std::vector<Readout>(3, Readout::Ensemble));
  f.dataset.descriptors(0, 0) = 100;  // a tenth
  EXPECT_EQ(choose_readouts(f.dataset, f.ensemble, f.offered(), std::vector<bool>(40, true))[1], Readout::Neighbours);
}

TEST(ReadoutChoice, EachFoldIsReadOutAsTheOtherFoldsChoose) {
  Forecasts f = constructed(60);
  // Fold 0 (rows 0-19): on endpoint 0 its neighbours are exact and its ensemble a little off, the reverse of the
  // other folds. Chosen on its own rows it would take the neighbours; chosen on the others it keeps the ensemble.
  std::vector<int> fold_of_row(60);
  std::vector<bool> fold_0(60, false);
  for (int i = 0; i < 60; ++i)
    fold_of_row[static_cast<std::size_t>(i)] = i / 20, fold_0[static_cast<std::size_t>(i)] = i < 20;
  for (int i = 0; i < 20; ++i) {
    f.ensemble(i, 0) += 0.1 * (f.neighbours(i, 0) - f.ensemble(i, 0));
    f.neighbours(i, 0) = f.dataset.endpoints(i, 0);
  }
  ASSERT_EQ(choose_readouts(f.dataset, f.ensemble, f.offered(), fold_0)[0], Readout::Neighbours);
  std::vector<std::vector<Readout>> chosen;
  const Matrix out = cross_fitted_readout(f.dataset, f.ensemble, f.offered(), fold_of_row, 3, chosen);
  ASSERT_EQ(chosen.size(), 3u);
  for (const auto& fold : chosen) EXPECT_EQ(fold[0], Readout::Ensemble);
  EXPECT_EQ(out.col(0), f.ensemble.col(0));
  EXPECT_EQ(out.col(1), f.neighbours.col(1));
  EXPECT_EQ(out.col(2), (0.5 * (f.ensemble.col(2) + f.neighbours.col(2))).eval());
}

// Beside the neighbours, a lasso: on endpoint 2 the ensemble and the lasso err by opposite amounts, so only
// their average is right there; endpoint 0 stays on the ensemble and endpoint 1 on the neighbours.
TEST(ReadoutChoice, TheLassoAverageIsChosenWhereItPredictsBest) {
  Forecasts f = constructed(40);
  model::ReadoutForecasts offered = f.offered();
  offered.lasso = f.ensemble;
  for (int i = 0; i < 40; ++i) {
    offered.neighbours(i, 2) = f.ensemble(i, 2);  // the neighbours' average no longer helps endpoint 2
    offered.lasso(i, 2) = 2.0 * f.dataset.endpoints(i, 2) - f.ensemble(i, 2);
    offered.lasso(i, 1) = f.dataset.endpoints(i, 1) + 10.0;  // far off endpoint 1
  }
  EXPECT_EQ(choose_readouts(f.dataset, f.ensemble, offered, std::vector<bool>(40, true)),
            (std::vector<Readout>{Readout::Ensemble, Readout::Neighbours, Readout::LassoAverage}));
  // Where the lasso is not offered, the average with it cannot be chosen.
  offered.lasso.resize(0, 0);
  EXPECT_NE(choose_readouts(f.dataset, f.ensemble, offered, std::vector<bool>(40, true))[2], Readout::LassoAverage);
}

// A lasso per column on its measured rows: a sparse linear column is recovered, a column measured nowhere has no
// fit, and out-of-fold forecasts come from the other folds (a fold's own values never reach its forecast).
TEST(ReadoutChoice, FitsALassoPerColumnOnItsMeasuredRows) {
  common::CounterRng rng(5, common::Purpose::Experiment, 0);
  data::Dataset d;
  d.descriptors.resize(60, 3);
  d.endpoints.resize(60, 2);
  d.endpoint_names = {"linear", "never"};
  for (int i = 0; i < 60; ++i) {
    d.row_ids.push_back("r" + std::to_string(i));
    for (int c = 0; c < 3; ++c) d.descriptors(i, c) = rng.normal();
    d.endpoints(i, 0) = i % 7 == 0 ? std::nan("") : 2.0 + 3.0 * d.descriptors(i, 1);
    d.endpoints(i, 1) = std::nan("");
  }
  const model::LinearReadout fit = fit_lasso_readout(d.descriptors, d.endpoints);
  EXPECT_NEAR(fit.coefficients(0, 1), 3.0, 0.05);
  EXPECT_NEAR(fit.coefficients(0, 0), 0.0, 0.05);
  EXPECT_NEAR(fit.intercepts(0), 2.0, 0.05);
  EXPECT_TRUE(std::isnan(fit.intercepts(1)));
  std::vector<int> fold_of_row(60);
  for (int i = 0; i < 60; ++i) fold_of_row[static_cast<std::size_t>(i)] = i % 3;
  Matrix before = lasso_forecasts(d, fold_of_row, 3);
  for (int i = 0; i < 60; i += 3) d.endpoints(i, 0) = 1e6;  // fold 0's values changed
  const Matrix after = lasso_forecasts(d, fold_of_row, 3);
  for (int i = 0; i < 60; i += 3) EXPECT_EQ(after(i, 0), before(i, 0)) << i;
  EXPECT_NE(after(1, 0), before(1, 0));
}

TEST(ReadoutChoice, NeighbourForecastsOfAFoldComeFromTheOtherFoldsOnly) {
  data::Dataset d;
  d.descriptors.resize(4, 1);
  d.descriptors << 0, 0, 5, 5;  // rows 0 and 1 are the same recipe, as are rows 2 and 3
  d.endpoints.resize(4, 1);
  d.endpoints << 1, 2, 3, 4;
  d.row_ids = {"a", "b", "c", "d"};
  // Each recipe's two cells in different folds: a cell is forecast by its twin, never by itself.
  const Matrix near = neighbour_forecasts(d, {0, 1, 0, 1}, 2, 1);
  EXPECT_TRUE(near.isApprox((Matrix(4, 1) << 2, 1, 4, 3).finished(), 1e-14)) << near;
  // Both cells of a recipe in one fold: the nearest other-fold cells are the other recipe's.
  const Matrix far = neighbour_forecasts(d, {0, 0, 1, 1}, 2, 2);
  EXPECT_TRUE(far.isApprox((Matrix(4, 1) << 3.5, 3.5, 1.5, 1.5).finished(), 1e-14)) << far;
}

}  // namespace
}  // namespace elec::eval
