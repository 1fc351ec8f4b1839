#include "elec/model/pipeline.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "elec/data/study_inputs.hpp"

namespace elec::model {
namespace {

const std::string kFixtures = std::string(ELEC_SOURCE_DIR) + "/tests/fixtures/";

// The small fixture study, with a fixed schedule (no selection) to stay quick.
data::StudyInputs fixture_study() {
  data::StudyInputs in =
      data::load_study_inputs(kFixtures + "cells.csv", kFixtures + "schema.toml", kFixtures + "quick.toml");
  data::resolve_auto(in.config, data::Purpose::PredictNewCells, data::count_recipes(in.dataset.descriptors));
  in.config.auto_schedule = false;
  in.config.members = 8;
  in.config.max_passes = 2;
  return in;
}

// The same with a quick automatic selection (4 members, 100 epochs scored every 50).
data::StudyInputs selecting_study() {
  data::StudyInputs in = fixture_study();
  in.config.auto_schedule = true;
  in.config.selection_members = 4;
  in.config.selection_max_epochs = 100;
  in.config.selection_check_every = 50;
  return in;
}

TEST(Pipeline, TrainsInDataUnitsAndKeepsTheMeasuredValues) {
  const data::StudyInputs in = fixture_study();
  const SingleProcess one;
  const TrainedModel m = train_model(in.dataset, in.schema, in.config, one, {});
  ASSERT_EQ(m.members.size(), 8u);
  EXPECT_EQ(m.config.epochs, in.config.epochs);
  EXPECT_EQ(m.history.front().pass, 0);
  const Matrix& measured = in.dataset.endpoints;
  for (Eigen::Index i = 0; i < measured.rows(); ++i)
    for (Eigen::Index j = 0; j < measured.cols(); ++j) {
      if (std::isnan(measured(i, j))) {
        EXPECT_EQ(m.training_measured(i, j), 0.0);
        EXPECT_EQ(m.training_values(i, j), m.training_prediction(i, j));  // a blank takes the ensemble mean
      } else {
        EXPECT_EQ(m.training_measured(i, j), 1.0);
        EXPECT_NEAR(m.training_values(i, j), measured(i, j), 1e-12 * (1.0 + std::abs(measured(i, j))));
      }
      EXPECT_GT(m.training_spread(i, j), 0.0);
    }
  // The same study and seed give the same model.
  EXPECT_EQ(checksum(train_model(in.dataset, in.schema, in.config, one, {}).members), checksum(m.members));
}

TEST(Pipeline, PredictsNewCellsAsTheMeanAndSpreadOfEveryMember) {
  const data::StudyInputs in = fixture_study();
  const SingleProcess one;
  const TrainedModel m = train_model(in.dataset, in.schema, in.config, one, {});
  const Eigen::Index rows = 5, E = in.dataset.endpoints.cols();
  const Matrix descriptors = in.dataset.descriptors.topRows(rows);
  Matrix endpoints = Matrix::Constant(rows, E, std::nan(""));
  endpoints(0, 0) = in.dataset.endpoints.col(0).array().isNaN().select(0.0, in.dataset.endpoints.col(0)).maxCoeff();
  const CellPredictions p = predict_cells(m, descriptors, endpoints, one, nullptr, true);
  ASSERT_EQ(p.members.size(), static_cast<std::size_t>(8 * rows * E));
  EXPECT_EQ(p.values(0, 0), endpoints(0, 0));  // a given value is kept
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index j = 0; j < E; ++j) {
      double sum = 0.0, squares = 0.0;
      for (std::size_t k = 0; k < 8; ++k) {
        const double v =
            p.members[(k * static_cast<std::size_t>(rows) + static_cast<std::size_t>(i)) * static_cast<std::size_t>(E) +
                      static_cast<std::size_t>(j)];
        sum += v, squares += v * v;
      }
      const double mean = sum / 8.0, scale = 1e-9 * (1.0 + std::abs(mean));
      EXPECT_NEAR(p.prediction(i, j), mean, scale);  // members in data units, the mean of them
      EXPECT_NEAR(p.raw_spread(i, j), std::sqrt(std::max(0.0, squares / 8.0 - mean * mean)), 1e-6 * (1.0 + mean));
      EXPECT_EQ(p.spread(i, j), p.raw_spread(i, j));  // no calibration in this model
      if (i > 0 || j > 0) EXPECT_EQ(p.values(i, j), p.prediction(i, j));
    }
}

// With centre = "median" the model's prediction of a new cell is its members' median, and the training table's
// blanks take it too; the mean of the same members is another number.
TEST(Pipeline, MedianCentrePredictsTheMembersMedian) {
  data::StudyInputs in = fixture_study();
  in.config.centre = "median";
  const SingleProcess one;
  const TrainedModel m = train_model(in.dataset, in.schema, in.config, one, {});
  EXPECT_EQ(m.config.centre, "median");
  const Eigen::Index rows = 5, E = in.dataset.endpoints.cols();
  const CellPredictions p = predict_cells(m, in.dataset.descriptors.topRows(rows),
                                          Matrix::Constant(rows, E, std::nan("")), one, nullptr, true);
  int differs_from_mean = 0;
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index j = 0; j < E; ++j) {
      std::vector<double> v;
      for (std::size_t k = 0; k < 8; ++k)
        v.push_back(
            p.members[(k * static_cast<std::size_t>(rows) + static_cast<std::size_t>(i)) * static_cast<std::size_t>(E) +
                      static_cast<std::size_t>(j)]);
      std::sort(v.begin(), v.end());
      const double median = 0.5 * (v[3] + v[4]), mean = std::accumulate(v.begin(), v.end(), 0.0) / 8.0;
      const double scale = 1e-9 * (1.0 + std::abs(median));
      EXPECT_NEAR(p.prediction(i, j), median, scale);
      if (std::abs(mean - median) > 1e3 * scale) ++differs_from_mean;
    }
  EXPECT_GT(differs_from_mean, 0);
  // A different model from the mean's: the blanks it imputes feed its later passes.
  EXPECT_NE(checksum(m.members), checksum(train_model(in.dataset, in.schema, fixture_study().config, one, {}).members));
}

TEST(Pipeline, SelectionTriesTheInputPenaltyBesideEveryL2AndRecordsEachTargetsChoice) {
  data::StudyInputs in = selecting_study();
  in.config.selection_l2_decades = 1;
  ASSERT_EQ(in.config.selection_input_penalty, -1.0);  // by purpose: new cells try 3e-2
  const SingleProcess one;
  const TrainedModel m = train_model(in.dataset, in.schema, in.config, one, {});
  const double l2 = in.config.l2;
  EXPECT_EQ(m.selection.l2_candidates, (std::vector<double>{l2, 10 * l2, l2, 10 * l2}));
  EXPECT_EQ(m.selection.input_penalty_candidates, (std::vector<double>{0.0, 0.0, 3e-2, 3e-2}));
  const auto& chosen = m.selection.chosen;
  ASSERT_EQ(chosen.l2_by_endpoint.size(), static_cast<std::size_t>(in.dataset.endpoints.cols()));
  ASSERT_EQ(chosen.input_penalty_by_endpoint.size(), chosen.l2_by_endpoint.size());
  // Every endpoint's pair is one of the candidates that were run.
  for (std::size_t j = 0; j < chosen.l2_by_endpoint.size(); ++j) {
    bool run = false;
    for (std::size_t c = 0; c < m.selection.l2_candidates.size(); ++c)
      run |= chosen.l2_by_endpoint[j] == m.selection.l2_candidates[c] &&
             chosen.input_penalty_by_endpoint[j] == m.selection.input_penalty_candidates[c];
    EXPECT_TRUE(run) << "endpoint " << j;
  }
  // With 0, or by default when single cells are hidden (imputing the table), the selection runs the L2 candidates
  // only and records no input penalty.
  for (const bool cells : {false, true}) {
    in.config.selection_input_penalty = cells ? -1.0 : 0.0;
    in.config.holdout = cells ? "cells" : "auto";
    const TrainedModel plain = train_model(in.dataset, in.schema, in.config, one, {});
    EXPECT_EQ(plain.selection.l2_candidates, (std::vector<double>{l2, 10 * l2})) << "cells " << cells;
    EXPECT_TRUE(plain.selection.chosen.input_penalty_by_endpoint.empty()) << "cells " << cells;
  }
}

// selection.input_dropout = 0: one more run A without input dropout, and each target keeps the dropout that scores
// best on the hidden recipes (a curve's points all the same); equal to the model's, nothing more is run.
TEST(Pipeline, SelectionTriesAnotherInputDropoutPerTarget) {
  data::StudyInputs in = selecting_study();
  in.config.selection_l2_decades = 1;
  in.config.selection_input_penalty = 0;
  in.config.selection_input_dropout = 0;
  const SingleProcess one;
  const TrainedModel m = train_model(in.dataset, in.schema, in.config, one, {});
  const double model_rate = data::input_dropout_for(in.config);
  ASSERT_GT(model_rate, 0.0);
  EXPECT_EQ(m.selection.input_dropout_candidates, (std::vector<double>{model_rate, 0.0}));
  const auto& chosen = m.selection.chosen.input_dropout_by_endpoint;
  ASSERT_EQ(chosen.size(), static_cast<std::size_t>(in.dataset.endpoints.cols()));
  const std::vector<int> target = data::endpoint_groups(chosen.size(), in.dataset.curves);
  for (std::size_t j = 0; j < chosen.size(); ++j) {
    EXPECT_TRUE(chosen[j] == model_rate || chosen[j] == 0.0) << "endpoint " << j;
    if (j > 0 && target[j] == target[j - 1]) EXPECT_EQ(chosen[j], chosen[j - 1]) << "a curve shares one choice";
  }
  // The choice changes the final training only where a target took the other rate.
  in.config.selection_input_dropout = model_rate;
  const TrainedModel same = train_model(in.dataset, in.schema, in.config, one, {});
  EXPECT_TRUE(same.selection.input_dropout_candidates.empty());
  EXPECT_TRUE(same.selection.chosen.input_dropout_by_endpoint.empty());
  const bool any_other = std::count(chosen.begin(), chosen.end(), 0.0) > 0;
  EXPECT_EQ(checksum(m.members) != checksum(same.members), any_other);
}

}  // namespace
}  // namespace elec::model
