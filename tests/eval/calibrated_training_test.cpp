#include "elec/eval/calibrated_training.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "../support/memory_safe_points.hpp"
#include "elec/common/rng.hpp"

namespace elec::eval {
namespace {

// y = sin(3x) + noise of sd 0.3 over x in [0, 1]: the members agree closely on the trend, so their spread alone
// misses most of the noise, which is what the calibration must learn.
data::Dataset noisy_cells(int rows, std::uint64_t stream) {
  common::CounterRng rng(5, common::Purpose::Experiment, stream);
  data::Dataset d;
  d.descriptors.resize(rows, 1);
  d.endpoints.resize(rows, 2);
  for (int i = 0; i < rows; ++i) {
    const double x = rng.uniform();
    d.descriptors(i, 0) = x;
    d.endpoints(i, 0) = std::sin(3 * x) + 0.3 * rng.normal();
    d.endpoints(i, 1) = 2 * x + 0.1 * rng.normal();
    d.row_ids.push_back("c" + std::to_string(i));
  }
  d.descriptor_names = {"x"};
  d.endpoint_names = {"y", "z"};
  return d;
}

data::StudyConfig small_config(int folds) {
  data::StudyConfig c;
  c.members = 8;
  c.epochs = 300;
  c.max_passes = 1;
  c.pass_epochs = 50;
  c.auto_schedule = false;
  c.calibration_folds = folds;
  c.calibration_neighbours = 0;  // the variance scale alone; read-outs are offered where a test says so
  c.calibration_lasso = false;
  return c;
}

TEST(CalibratedTraining, WithoutAGroupColumnKeepsEachRecipesReplicatesInOneFold) {
  data::Dataset cells = noisy_cells(40, 2);
  for (Eigen::Index i = 1; i < cells.descriptors.rows(); i += 2) cells.descriptors(i, 0) = cells.descriptors(i - 1, 0);
  data::StudyConfig config = small_config(4);
  config.epochs = 20;
  config.max_passes = 0;
  const CalibratedTraining t = train_calibrated(cells, {}, config, model::SingleProcess(), {}, {});
  ASSERT_EQ(t.inner.fold_of_row.size(), 40u);
  std::set<int> folds_used;
  for (std::size_t i = 0; i < 40; i += 2) {
    EXPECT_EQ(t.inner.fold_of_row[i], t.inner.fold_of_row[i + 1]) << "replicates of recipe " << i / 2 << " split";
    folds_used.insert(t.inner.fold_of_row[i]);
  }
  EXPECT_EQ(folds_used.size(), 4u);
  // A group column given by the caller is used as it is: here every cell alone, so some pair is split.
  std::vector<std::string> each_alone;
  for (int i = 0; i < 40; ++i) each_alone.push_back(std::to_string(i));
  const CalibratedTraining alone = train_calibrated(cells, {}, config, model::SingleProcess(), each_alone, {});
  int split = 0;
  for (std::size_t i = 0; i < 40; i += 2) split += alone.inner.fold_of_row[i] != alone.inner.fold_of_row[i + 1];
  EXPECT_GT(split, 0);
}

TEST(CalibratedTraining, FitsAScalePerTargetAndPredictionsReportTheCalibratedStd) {
  const data::Dataset train = noisy_cells(60, 0);
  const CalibratedTraining t = train_calibrated(train, {}, small_config(3), model::SingleProcess(), {}, {});
  ASSERT_EQ(t.model.calibration.scale.size(), 2u);
  EXPECT_EQ(t.inner.folds, 3);
  EXPECT_GT(t.model.calibration.scale[0], 1.5);  // the spread alone is too narrow
  EXPECT_NE(t.model.calibration.fitted_on.find("3-fold cross-validation by recipe of 60 cells"), std::string::npos)
      << t.model.calibration.fitted_on;
  // The same weights as a model trained without calibration: the calibration changes the reported std only.
  const model::TrainedModel plain = model::train_model(train, {}, small_config(0), model::SingleProcess(), {});
  EXPECT_EQ(model::checksum(plain.members), model::checksum(t.model.members));

  const data::Dataset test = noisy_cells(400, 1);
  const Matrix blank = Matrix::Constant(400, 2, std::nan(""));
  const model::CellPredictions p =
      model::predict_cells(t.model, test.descriptors, blank, model::SingleProcess(), nullptr, true);
  const model::CellPredictions raw =
      model::predict_cells(plain, test.descriptors, blank, model::SingleProcess(), nullptr, true);
  EXPECT_EQ(p.prediction, raw.prediction);
  EXPECT_EQ(p.raw_spread, raw.spread);
  for (Eigen::Index j = 0; j < 2; ++j) {
    const double s = t.model.calibration.scale[static_cast<std::size_t>(j)];
    EXPECT_NEAR((p.spread.col(j) - s * raw.spread.col(j)).cwiseAbs().maxCoeff(), 0.0, 1e-12);
    // The members are stretched about their mean: same mean, std = the calibrated std.
    double mean = 0.0, squares = 0.0;
    for (int m = 0; m < 8; ++m) mean += p.members[static_cast<std::size_t>(m * 400 * 2 + j)] / 8;
    for (int m = 0; m < 8; ++m) squares += std::pow(p.members[static_cast<std::size_t>(m * 400 * 2 + j)] - mean, 2) / 8;
    EXPECT_NEAR(mean, p.prediction(0, j), 1e-9);
    EXPECT_NEAR(std::sqrt(squares), p.spread(0, j), 1e-9);
  }
  // On new cells the calibrated +-2 std covers about what it promises, the raw spread far less.
  auto within_2std = [&](const Matrix& spread) {
    double inside = 0.0;
    for (Eigen::Index i = 0; i < 400; ++i)
      inside += std::abs(test.endpoints(i, 0) - p.prediction(i, 0)) <= 2 * spread(i, 0);
    return inside / 400;
  };
  EXPECT_LT(within_2std(p.raw_spread), 0.8);
  EXPECT_GT(within_2std(p.spread), 0.88);
}

TEST(CalibratedTraining, WithoutFoldsTheModelHasNoCalibrationAndReportsTheRawSpread) {
  const data::Dataset train = noisy_cells(30, 2);
  const CalibratedTraining t = train_calibrated(train, {}, small_config(0), model::SingleProcess(), {}, {});
  EXPECT_TRUE(t.model.calibration.empty());
  EXPECT_EQ(t.inner.folds, 0);
  const model::CellPredictions p = model::predict_cells(
      t.model, train.descriptors, Matrix::Constant(30, 2, std::nan("")), model::SingleProcess(), nullptr, false);
  EXPECT_EQ(p.spread, p.raw_spread);
}

// y = a square wave of x (period 0.31), which small networks trained briefly smooth away and ten neighbours follow;
// z = 2 x, which they fit.
data::Dataset square_wave_cells(int rows, std::uint64_t stream) {
  data::Dataset d = noisy_cells(rows, stream);
  for (int i = 0; i < rows; ++i) d.endpoints(i, 0) = std::sin(20 * d.descriptors(i, 0)) > 0 ? 1.0 : -1.0;
  return d;
}

double r_squared(const Matrix& predicted, const Matrix& measured, Eigen::Index column) {
  const double mean = measured.col(column).mean();
  return 1 - (measured.col(column) - predicted.col(column)).squaredNorm() /
                 (measured.col(column).array() - mean).square().sum();
}

TEST(CalibratedTraining, ReadsALocalTargetOffItsNeighboursAndMovesTheMembersThere) {
  const data::Dataset train = square_wave_cells(150, 4);
  data::StudyConfig config = small_config(3);
  config.calibration_neighbours = 10;
  const CalibratedTraining t = train_calibrated(train, {}, config, model::SingleProcess(), {}, {});
  const model::Calibration& c = t.model.calibration;
  ASSERT_EQ(c.readout.size(), 2u);
  EXPECT_NE(c.readout[0], model::Readout::Ensemble);
  EXPECT_EQ(c.neighbours, 10);
  EXPECT_NE(c.fitted_on.find("read-out and variance scale"), std::string::npos) << c.fitted_on;
  // The inner cross-validation scored the read-out on folds that did not choose it, and it beat the ensemble.
  EXPECT_GT(t.inner.targets[0].r_squared, t.inner.targets[0].ensemble_r_squared + 0.2);

  const model::TrainedModel plain = model::train_model(train, {}, small_config(0), model::SingleProcess(), {});
  EXPECT_EQ(model::checksum(plain.members), model::checksum(t.model.members));  // the networks are the same
  const data::Dataset test = square_wave_cells(300, 5);
  Matrix inputs = Matrix::Constant(300, 2, std::nan(""));
  inputs.topRows(1) = test.endpoints.topRows(1);  // the first new cell gives its endpoints
  const model::CellPredictions p =
      model::predict_cells(t.model, test.descriptors, inputs, model::SingleProcess(), nullptr, true);
  const model::CellPredictions ensemble =
      model::predict_cells(plain, test.descriptors, inputs, model::SingleProcess(), nullptr, true);
  EXPECT_GT(r_squared(p.prediction, test.endpoints, 0), r_squared(ensemble.prediction, test.endpoints, 0) + 0.2);
  EXPECT_EQ(p.prediction.row(0), ensemble.prediction.row(0)) << "a cell giving endpoints keeps the ensemble";
  EXPECT_EQ(p.raw_spread, ensemble.spread);
  for (Eigen::Index i : {1, 150, 299}) {
    // The members were moved to the read-out and stretched about it: their mean is the prediction, their
    // deviation the calibrated std.
    double mean = 0.0, squares = 0.0;
    for (int m = 0; m < 8; ++m) mean += p.members[static_cast<std::size_t>((m * 300 + i) * 2)] / 8;
    for (int m = 0; m < 8; ++m)
      squares += std::pow(p.members[static_cast<std::size_t>((m * 300 + i) * 2)] - mean, 2) / 8;
    EXPECT_NEAR(mean, p.prediction(i, 0), 1e-9);
    EXPECT_NEAR(std::sqrt(squares), p.spread(i, 0), 1e-9);
    EXPECT_EQ(p.values(i, 0), p.prediction(i, 0));
  }
}

// A selection (2 penalties, scored runs), 2 calibration folds and the final model: every kind of safe point.
data::StudyConfig resumable_config() {
  data::StudyConfig c = small_config(2);
  c.auto_schedule = true;
  c.selection_max_epochs = 100;
  c.selection_check_every = 25;
  c.selection_members = 4;
  c.selection_l2_decades = 1;
  c.holdout = "rows";
  return c;
}

CalibratedTraining train_with(const data::Dataset& d, testing::MemorySafePoints* points) {
  return train_calibrated(d, {}, resumable_config(), model::SingleProcess(), {}, {}, nullptr, {points, ""});
}

TEST(CalibratedTraining, AStopAtAnySafePointResumesToTheModelOfAnUninterruptedRun) {
  const data::Dataset d = noisy_cells(40, 3);
  const CalibratedTraining reference = train_with(d, nullptr);
  testing::MemorySafePoints counting;  // with safe points the training runs in chunks: still the same model
  const CalibratedTraining chunked = train_with(d, &counting);
  EXPECT_EQ(model::checksum(chunked.model.members), model::checksum(reference.model.members));
  const int safe_points = counting.reached_count;
  ASSERT_GT(safe_points, 10);
  for (int stop : {0, 1, safe_points / 3, safe_points / 2, safe_points - 2, safe_points - 1}) {
    testing::MemorySafePoints first;
    first.stop_at = stop;
    EXPECT_THROW(train_with(d, &first), testing::StopHere) << "stop at " << stop;
    // Stopped again a few safe points after the resume, then resumed to the end.
    testing::MemorySafePoints second = first.saved();
    second.stop_at = 3;
    if (stop + 4 < safe_points) {
      EXPECT_THROW(train_with(d, &second), testing::StopHere);
    }
    testing::MemorySafePoints last = (stop + 4 < safe_points ? second : first).saved();
    const CalibratedTraining resumed = train_with(d, &last);
    EXPECT_EQ(model::checksum(resumed.model.members), model::checksum(reference.model.members)) << "stop at " << stop;
    EXPECT_EQ(resumed.model.calibration.scale, reference.model.calibration.scale) << "stop at " << stop;
    EXPECT_EQ(resumed.model.selection.chosen.epochs, reference.model.selection.chosen.epochs);
    EXPECT_EQ(resumed.model.selection.chosen.l2_by_endpoint, reference.model.selection.chosen.l2_by_endpoint);
    EXPECT_EQ(resumed.model.training_values, reference.model.training_values);
    EXPECT_EQ(resumed.inner.mean, reference.inner.mean);
  }
}

}  // namespace
}  // namespace elec::eval
