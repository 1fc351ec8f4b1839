#include "elec/model/ensemble.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "elec/common/rng.hpp"

namespace elec::model {
namespace {

// A small standardised table the networks can fit: y0 = x, y1 = -x plus noise, a few blanks.
TrainingTable<double> small_table(int rows) {
  common::CounterRng rng(7, common::Purpose::Experiment, 1);
  TrainingTable<double> t;
  t.inputs.resize(rows, 1 + 2 * 2);  // one descriptor, two endpoints, their confidences
  t.targets.resize(rows, 2);
  t.weights = MatrixT<double>::Ones(rows, 2);
  for (int i = 0; i < rows; ++i) {
    const double x = rng.normal();
    t.targets(i, 0) = x + 0.1 * rng.normal();
    t.targets(i, 1) = -x + 0.1 * rng.normal();
    t.inputs.row(i) << x, t.targets(i, 0), t.targets(i, 1), 1.0, 1.0;
  }
  return t;
}

TEST(Ensemble, SavedStatesContinueTheTrainingBitForBit) {
  const NetworkShape shape{1, 2, 3, true};
  const TrainingTable<double> table = small_table(30);
  const TrainingSettings settings{0.01, 1e-3, 0.5, 0.1, {}};  // dropout streams must continue too
  SingleProcess one;
  Ensemble<double> straight(shape, 5, one, 11, 30);
  straight.train(40, settings, table);

  Ensemble<double> first(shape, 5, one, 11, 30);
  first.train(15, settings, table);
  const std::vector<double> saved = first.all_states();
  ASSERT_EQ(saved.size(), 5 * first.state_size());
  Ensemble<double> resumed(shape, 5, one, 11, 30);  // freshly initialised, then given the saved state
  resumed.restore_states(saved);
  resumed.train(25, settings, table);
  EXPECT_EQ(resumed.all_states(), straight.all_states());

  Ensemble<float> single(shape, 5, one, 11, 30);  // float32 states go through doubles exactly
  TrainingTable<float> table32{
      table.inputs.cast<float>(), table.targets.cast<float>(), table.weights.cast<float>(), {}};
  single.train(10, settings, table32);
  Ensemble<float> copy(shape, 5, one, 11, 30);
  copy.restore_states(single.all_states());
  single.train(10, settings, table32);
  copy.train(10, settings, table32);
  EXPECT_EQ(copy.all_states(), single.all_states());
  EXPECT_THROW(copy.restore_states(std::vector<double>(3)), std::invalid_argument);
}

TEST(Ensemble, StatisticsAreTheMeanAndSpreadOfEveryMembersPrediction) {
  const NetworkShape shape{1, 2, 3, true};
  const TrainingTable<double> table = small_table(20);
  SingleProcess one;
  Ensemble<double> ensemble(shape, 4, one, 3, 20);
  ensemble.train(30, {0.01, 1e-4, 0.0, 0.0, {}}, table);
  const std::vector<double> all = ensemble.predict_all(table.inputs);  // members x rows x endpoints
  ASSERT_EQ(all.size(), 4u * 20 * 2);
  const CellStatistics every = ensemble.statistics(table.inputs);
  const std::vector<std::size_t> picked = {3, 17, 38};
  const CellStatistics some = ensemble.statistics(table.inputs, picked);
  for (std::size_t k = 0; k < picked.size(); ++k) {
    const std::size_t cell = picked[k];
    double mean = 0.0, squares = 0.0;
    for (std::size_t m = 0; m < 4; ++m) mean += all[m * 40 + cell] / 4;
    for (std::size_t m = 0; m < 4; ++m) squares += (all[m * 40 + cell] - mean) * (all[m * 40 + cell] - mean) / 4;
    EXPECT_NEAR(some.mean[k], mean, 1e-12);
    EXPECT_NEAR(some.spread[k], std::sqrt(squares), 1e-12);
    EXPECT_EQ(some.mean[k], every.mean[cell]);
    EXPECT_EQ(some.spread[k], every.spread[cell]);
  }
  EXPECT_GT(every.spread[0], 0.0);  // bootstrap members differ
}

}  // namespace
}  // namespace elec::model
