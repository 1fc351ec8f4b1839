#include "elec/model/imputation_loop.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "elec/common/rng.hpp"
#include "elec/model/trained_model.hpp"

namespace elec::model {
namespace {

const NetworkShape kShape{1, 2, 4, true};  // one descriptor, two endpoints, 4 hidden units each, confidences

// A standardised table the networks can learn: y0 = x, y1 = -x (small noise); every fourth y1 blank.
struct Table {
  Matrix descriptors, endpoints;
};

Table small_table(int rows, std::uint64_t stream) {
  common::CounterRng rng(5, common::Purpose::Experiment, stream);
  Table t{Matrix(rows, 1), Matrix(rows, 2)};
  for (int i = 0; i < rows; ++i) {
    const double x = rng.normal();
    t.descriptors(i, 0) = x;
    t.endpoints(i, 0) = x + 0.05 * rng.normal();
    t.endpoints(i, 1) = i % 4 == 0 ? std::nan("") : -x + 0.05 * rng.normal();
  }
  return t;
}

LoopSettings settings(double tolerance) {
  LoopSettings s;
  s.training = {0.02, 1e-4, 0.0, 0.0, {}};
  s.softening = 0.5;
  s.tolerance = tolerance;
  return s;
}

TEST(ImputationLoop, MeasuredCellsStayAndEachBlankTakesTheEnsembleMean) {
  const Table t = small_table(40, 1);
  SingleProcess one;
  Ensemble<double> ensemble(kShape, 6, one, 3, 40);
  const ImputationResult r =
      ImputationLoop<double>(ensemble, t.descriptors, t.endpoints, settings(0.0), nullptr).train({200, 2, 50, {}}, {});
  ASSERT_EQ(r.history.size(), 3u);  // the initial training's record, then one per pass
  EXPECT_EQ(r.history[0].pass, 0);
  EXPECT_EQ(r.history[2].pass, 2);
  EXPECT_FALSE(r.converged);
  for (Eigen::Index i = 0; i < t.endpoints.rows(); ++i)
    for (Eigen::Index j = 0; j < 2; ++j) {
      if (std::isnan(t.endpoints(i, j)))
        EXPECT_EQ(r.values(i, j), r.prediction(i, j));
      else
        EXPECT_EQ(r.values(i, j), t.endpoints(i, j));
      EXPECT_GT(r.spread(i, j), 0.0);
    }
  // The blanks of y1 = -x are imputed from the descriptor and y0, not left at the column mean (0).
  double error = 0.0;
  for (Eigen::Index i = 0; i < t.endpoints.rows(); i += 4) error += std::abs(r.values(i, 1) + t.descriptors(i, 0));
  EXPECT_LT(error / 10.0, 0.3);
}

TEST(ImputationLoop, StopsAtThePassWhoseLargestChangeIsBelowTheTolerance) {
  const Table t = small_table(40, 1);
  SingleProcess one;
  Ensemble<double> ensemble(kShape, 4, one, 3, 40);
  std::vector<PassRecord> observed;
  const ImputationResult r =
      ImputationLoop<double>(ensemble, t.descriptors, t.endpoints, settings(1e9), [&](const PassRecord& p) {
        observed.push_back(p);
      }).train({50, 4, 20, {}}, {});
  EXPECT_TRUE(r.converged);
  ASSERT_EQ(r.history.size(), 2u);  // the first pass's change is below 1e9: no further pass
  ASSERT_EQ(observed.size(), 2u);
  EXPECT_EQ(observed[1].pass, 1);
  EXPECT_GT(observed[1].max_change, 0.0);
}

TEST(ImputationLoop, HeldOutCellsAreScoredAtEveryCheckEachPassAndTheReadOut) {
  Table t = small_table(40, 2);
  HeldOut held;
  for (Eigen::Index i : {1, 6, 11, 17, 23}) {
    held.cells.push_back({i, 0});
    held.truth.push_back(t.endpoints(i, 0));
    t.endpoints(i, 0) = std::nan("");
  }
  held.check_every = 20;
  SingleProcess one;
  Ensemble<double> ensemble(kShape, 4, one, 3, 40);
  TrainingOptions options;
  options.held_out = &held;
  int calls = 0;
  options.scored = [&](const ValidationPoint&) { ++calls; };
  const ImputationResult r = ImputationLoop<double>(ensemble, t.descriptors, t.endpoints, settings(0.0), nullptr)
                                 .train({60, 1, 20, {}}, options);
  // Epochs 20 and 40 during the initial training, 60 before the pass, 60 + the pass at the read-out.
  ASSERT_EQ(r.validation.size(), 4u);
  EXPECT_EQ(calls, 4);
  const std::vector<std::pair<int, int>> expected{{20, 0}, {40, 0}, {60, 0}, {60, 1}};
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_EQ(r.validation[k].epochs, expected[k].first);
    EXPECT_EQ(r.validation[k].passes, expected[k].second);
  }
  double squares = 0.0;
  for (std::size_t k = 0; k < held.cells.size(); ++k) {
    const double e = r.prediction(held.cells[k].row, 0) - held.truth[k];
    squares += e * e;
  }
  EXPECT_DOUBLE_EQ(r.validation.back().rmse, std::sqrt(squares / 5.0));
  EXPECT_DOUBLE_EQ(r.validation.back().squared_error[0], squares);
  EXPECT_EQ(r.validation.back().squared_error[1], 0.0);
}

TEST(ImputationLoop, ImputingNewRowsFillsTheirBlanksWithoutTrainingTheMembers) {
  const Table t = small_table(40, 1);
  SingleProcess one;
  Ensemble<double> trained(kShape, 5, one, 3, 40);
  ImputationLoop<double>(trained, t.descriptors, t.endpoints, settings(0.0), nullptr).train({100, 1, 20, {}}, {});
  const std::vector<NetworkParams<double>> params = trained.all_params();

  const Table fresh = small_table(12, 9);
  Ensemble<double> predicting(kShape, one, params);
  const ImputationResult r =
      ImputationLoop<double>(predicting, fresh.descriptors, fresh.endpoints, settings(0.0), nullptr).impute(3, true);
  EXPECT_EQ(checksum(predicting.all_params()), checksum(params));
  EXPECT_EQ(r.history.size(), 3u);  // passes only: no initial training record
  EXPECT_EQ(r.history[0].pass, 1);
  ASSERT_EQ(r.member_predictions.size(), 5u * 12u * 2u);
  for (Eigen::Index i = 0; i < 12; ++i) {
    if (std::isnan(fresh.endpoints(i, 1))) EXPECT_EQ(r.values(i, 1), r.prediction(i, 1));
    EXPECT_EQ(r.values(i, 0), fresh.endpoints(i, 0));
  }
}

}  // namespace
}  // namespace elec::model
