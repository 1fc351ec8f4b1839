#include "elec/model/network.hpp"

#include <gtest/gtest.h>

#include "elec/common/rng.hpp"
#include "elec/model/member.hpp"

namespace elec::model {
namespace {

NetworkShape small_shape() { return {3, 4, 5, true}; }

MatrixT<double> random_inputs(const NetworkShape& shape, int rows, std::uint64_t seed) {
  common::CounterRng rng(seed, common::Purpose::Experiment, 0);
  MatrixT<double> x(rows, shape.inputs());
  for (Eigen::Index k = 0; k < x.size(); ++k) x.data()[k] = rng.normal();
  return x;
}

// A trained member: the mask must survive training, not just initialisation.
Member<double> trained_member(const NetworkShape& shape, const MatrixT<double>& x) {
  Member<double> member(shape, 7, 0, static_cast<std::size_t>(x.rows()));
  TrainingTable<double> table{x, x.middleCols(shape.descriptors, shape.endpoints),
                              MatrixT<double>::Ones(x.rows(), shape.endpoints)};
  TrainingWorkspace<double> ws;
  member.train(50, {0.01, 1e-4}, table, ws);
  return member;
}

TEST(Network, OutputNeverDependsOnItsOwnColumnOrConfidence) {
  const NetworkShape shape = small_shape();
  const MatrixT<double> x = random_inputs(shape, 20, 1);
  const Member<double> member = trained_member(shape, x);
  NetworkWorkspace<double> ws;
  MatrixT<double> base, perturbed;
  member.predict(x, ws, base);
  for (int j = 0; j < shape.endpoints; ++j) {
    MatrixT<double> changed = x;
    changed.col(shape.value_input(j)).array() += 3.0;
    changed.col(shape.confidence_input(j)).array() -= 0.7;
    member.predict(changed, ws, perturbed);
    EXPECT_EQ(perturbed.col(j), base.col(j)) << "output " << j << " saw its own column";
    // ... while the other outputs do see column j.
    double moved = 0.0;
    for (int k = 0; k < shape.endpoints; ++k)
      if (k != j) moved += (perturbed.col(k) - base.col(k)).cwiseAbs().sum();
    EXPECT_GT(moved, 1e-6);
  }
}

// A cell's prediction is a function of the cell alone, not of how many are predicted with it (Eigen takes another
// product kernel for a single row): the resumed design batch with one candidate left depends on it.
template <class T>
void expect_rows_independent_of_the_batch(const NetworkShape& shape) {
  const MatrixT<double> x = random_inputs(shape, 37, 3);
  const Member<double> trained = trained_member(shape, x);
  const NetworkParams<double>& p = trained.params();
  const Member<T> member = Member<T>::trained(
      shape, 0, {p.W1.template cast<T>(), p.b1.template cast<T>(), p.w2.template cast<T>(), p.b2.template cast<T>()});
  const MatrixT<T> xt = x.cast<T>();
  NetworkWorkspace<T> ws;
  MatrixT<T> batch, part;
  member.predict(xt, ws, batch);
  for (const Eigen::Index rows : {1, 2, 3, 5, 8}) {
    for (Eigen::Index first = 0; first + rows <= xt.rows(); first += 7) {
      NetworkWorkspace<T> alone;
      member.predict(xt.middleRows(first, rows), alone, part);
      int differing = 0;
      for (Eigen::Index i = 0; i < rows; ++i)
        for (Eigen::Index j = 0; j < part.cols(); ++j) differing += part(i, j) != batch(first + i, j);
      EXPECT_EQ(differing, 0) << sizeof(T) << "-byte values, " << rows << " rows from row " << first;
    }
  }
}

// Double precision only: Eigen's float GEMM tail kernels sum in another order, so float32 ensembles keep their
// bits across ranks and threads (the batch is the same on every rank) but not across batch sizes.
TEST(Network, ACellsPredictionDoesNotDependOnTheRowsPredictedWithIt) {
  expect_rows_independent_of_the_batch<double>({13, 10, 8, true});
  expect_rows_independent_of_the_batch<double>({13, 60, 8, true});
  expect_rows_independent_of_the_batch<double>(small_shape());
}

TEST(Network, BackwardMatchesFiniteDifferences) {
  const NetworkShape shape{2, 3, 4, true};
  const MatrixT<double> x = random_inputs(shape, 6, 2);
  const MatrixT<double> mask = self_exclusion_mask<double>(shape);
  Member<double> member(shape, 3, 1, 6);
  NetworkParams<double> params = member.params();
  params.b1.setConstant(0.1);
  params.b2.setConstant(-0.2);
  common::CounterRng rng(5, common::Purpose::Experiment, 1);
  MatrixT<double> d_output(6, shape.endpoints);
  for (Eigen::Index k = 0; k < d_output.size(); ++k) d_output.data()[k] = rng.normal();

  // Loss L = sum(d_output .* output): its gradient is exactly what backward() computes for that d_output.
  auto loss = [&](const NetworkParams<double>& p) {
    NetworkWorkspace<double> ws;
    ws.reserve(shape, 6);
    forward(shape, p, x, ws);
    return (ws.output.array() * d_output.array()).sum();
  };
  NetworkWorkspace<double> ws;
  ws.reserve(shape, 6);
  forward(shape, params, x, ws);
  NetworkParams<double> grads = NetworkParams<double>::zeros(shape);
  backward(shape, params, x, d_output, ws, grads);

  const double h = 1e-6;
  for (Eigen::Index r = 0; r < params.W1.rows(); ++r)
    for (Eigen::Index c = 0; c < params.W1.cols(); ++c) {
      if (mask(r, c) == 0.0) {
        EXPECT_EQ(grads.W1(r, c), 0.0);
        continue;
      }
      NetworkParams<double> up = params, down = params;
      up.W1(r, c) += h;
      down.W1(r, c) -= h;
      EXPECT_NEAR(grads.W1(r, c), (loss(up) - loss(down)) / (2 * h), 1e-6);
    }
  for (Eigen::Index u = 0; u < params.w2.size(); ++u) {
    NetworkParams<double> up = params, down = params;
    up.w2[u] += h;
    down.w2[u] -= h;
    EXPECT_NEAR(grads.w2[u], (loss(up) - loss(down)) / (2 * h), 1e-6);
    up = params, down = params;
    up.b1[u] += h;
    down.b1[u] -= h;
    EXPECT_NEAR(grads.b1[u], (loss(up) - loss(down)) / (2 * h), 1e-6);
  }
  for (int j = 0; j < shape.endpoints; ++j) EXPECT_NEAR(grads.b2[j], d_output.col(j).sum(), 1e-12);
}

TEST(Network, MaskZeroesExactlyTheSelfBlocks) {
  const NetworkShape shape{2, 3, 2, false};
  const MatrixT<float> mask = self_exclusion_mask<float>(shape);
  ASSERT_EQ(mask.rows(), 5);
  ASSERT_EQ(mask.cols(), 6);
  EXPECT_EQ(mask.sum(), 30.0f - 3 * 2);
  EXPECT_EQ(mask(2, 0), 0.0f);  // endpoint 0's value, block 0
  EXPECT_EQ(mask(2, 2), 1.0f);  // endpoint 0's value feeds block 1
  EXPECT_EQ(mask(4, 5), 0.0f);
}

}  // namespace
}  // namespace elec::model
