// Functional endpoints as inputs: the measured start of a cell's curve tells the network about what the
// descriptors do not (here a hidden per-cell factor that shifts the whole curve), so a cell with its first points
// measured is predicted better over the rest of its curve than the same cell predicted from its descriptors alone.
#include <gtest/gtest.h>

#include <cmath>

#include "elec/common/rng.hpp"
#include "elec/model/pipeline.hpp"

namespace elec::model {
namespace {

constexpr int kPoints = 20, kGiven = 5;

// rows cells: descriptor x, scalar endpoint (depends on x), and a capacity-like curve over cycles 1..20 that fades
// with x and is shifted by a hidden factor h. As in real studies, a third of the curves stop early.
data::Dataset simulated_cells(int rows, std::uint64_t stream) {
  common::CounterRng rng(11, common::Purpose::Experiment, stream);
  data::Dataset d;
  d.descriptors.resize(rows, 1);
  d.endpoints.resize(rows, 1 + kPoints);
  for (int i = 0; i < rows; ++i) {
    const double x = rng.uniform(), h = rng.normal();
    d.descriptors(i, 0) = x;
    d.endpoints(i, 0) = 40 + 10 * x + rng.normal();
    const int last = rng.uniform() < 1.0 / 3 ? 3 + static_cast<int>(rng.below(12)) : kPoints;
    for (int c = 1; c <= kPoints; ++c)
      d.endpoints(i, c) = c <= last ? 300 + 25 * h - (4 + 6 * x) * c + 2 * rng.normal() : std::nan("");
    d.row_ids.push_back(std::to_string(i));
  }
  d.descriptor_names = {"x"};
  d.endpoint_names = {"porosity"};
  std::vector<double> grid;
  for (int c = 1; c <= kPoints; ++c) grid.push_back(c), d.endpoint_names.push_back("capacity@" + std::to_string(c));
  d.curves = {{"capacity", "mAh/g", "cycle", grid, 1}};
  return d;
}

double rmse_after_given(const Matrix& predicted, const Matrix& truth) {
  double sum = 0.0;
  int count = 0;
  for (Eigen::Index i = 0; i < truth.rows(); ++i)
    for (Eigen::Index c = 1 + kGiven; c <= kPoints; ++c)
      if (!std::isnan(truth(i, c))) sum += (predicted(i, c) - truth(i, c)) * (predicted(i, c) - truth(i, c)), ++count;
  return std::sqrt(sum / count);
}

TEST(CurveInputs, TheFirstMeasuredCyclesImproveThePredictionOfTheRest) {
  data::StudyConfig config;
  config.members = 16;
  config.epochs = 400;
  config.max_passes = 4;
  config.pass_epochs = 100;
  config.auto_schedule = false;
  const TrainedModel model = train_model(simulated_cells(80, 0), {}, config, SingleProcess(), {});

  const data::Dataset test = simulated_cells(30, 1);
  Matrix descriptors_only = Matrix::Constant(test.endpoints.rows(), test.endpoints.cols(), std::nan(""));
  Matrix first_cycles = descriptors_only;
  first_cycles.middleCols(1, kGiven) = test.endpoints.middleCols(1, kGiven);  // test cells stop at cycle 3 or later
  const auto blind = predict_cells(model, test.descriptors, descriptors_only, SingleProcess(), nullptr, false);
  const auto informed = predict_cells(model, test.descriptors, first_cycles, SingleProcess(), nullptr, false);
  const double without = rmse_after_given(blind.prediction, test.endpoints);
  const double with = rmse_after_given(informed.prediction, test.endpoints);
  std::printf("RMSE over cycles %d-%d: descriptors only %.2f, with cycles 1-%d given %.2f\n", kGiven + 1, kPoints,
              without, kGiven, with);
  EXPECT_LT(with, 0.6 * without);
}

}  // namespace
}  // namespace elec::model
