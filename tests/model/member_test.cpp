#include "elec/model/member.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

#include "elec/common/rng.hpp"

namespace elec::model {
namespace {

TEST(Member, BootstrapDependsOnlyOnSeedAndIndex) {
  const NetworkShape shape{1, 2, 3, true};
  Member<double> a(shape, 11, 4, 50), b(shape, 11, 4, 50), c(shape, 11, 5, 50), d(shape, 12, 4, 50);
  EXPECT_EQ(a.bootstrap_rows(), b.bootstrap_rows());
  EXPECT_EQ(a.bootstrap_counts(), b.bootstrap_counts());
  EXPECT_EQ(a.params().W1, b.params().W1);
  EXPECT_NE(a.bootstrap_rows(), c.bootstrap_rows());
  EXPECT_NE(a.bootstrap_rows(), d.bootstrap_rows());
  const auto& counts = a.bootstrap_counts();
  EXPECT_EQ(std::accumulate(counts.begin(), counts.end(), 0u), 50u);  // n draws with replacement
  EXPECT_LT(a.bootstrap_rows().size(), 50u);
}

TEST(Member, TrainingLearnsALinearRelationAndIgnoresBlankTargets) {
  // y = 2 x: the network for y sees x and must learn it; blank targets (weight 0) must not pull it.
  const NetworkShape shape{0, 2, 4, false};
  const int rows = 40;
  common::CounterRng rng(3, common::Purpose::Experiment, 0);
  MatrixT<double> inputs(rows, 2), weights = MatrixT<double>::Ones(rows, 2);
  for (int i = 0; i < rows; ++i) {
    inputs(i, 0) = rng.uniform() * 2 - 1;
    inputs(i, 1) = 2 * inputs(i, 0);
  }
  MatrixT<double> targets = inputs;
  for (int i = 0; i < rows; i += 4) targets(i, 1) = 100.0, weights(i, 1) = 0.0;
  targets.array() *= weights.array();
  Member<double> member(shape, 1, 0, rows);
  TrainingWorkspace<double> ws;
  const double first = member.train(1, {0.01, 0.0}, {inputs, targets, weights}, ws);
  const double last = member.train(1500, {0.01, 0.0}, {inputs, targets, weights}, ws);
  EXPECT_LT(last, first / 50);
  NetworkWorkspace<double> nws;
  MatrixT<double> out;
  member.predict(inputs, nws, out);
  for (int i = 0; i < rows; i += 4) EXPECT_NEAR(out(i, 1), inputs(i, 1), 0.15);
}

TEST(Member, Float32TracksFloat64) {
  const NetworkShape shape{1, 2, 3, true};
  Member<float> single(shape, 5, 2, 10);
  Member<double> dbl(shape, 5, 2, 10);
  EXPECT_TRUE(single.params().W1.cast<double>().isApprox(dbl.params().W1, 1e-6));
}

// Two endpoints that predict each other (y = 2 x), as in the test above.
TrainingTable<double> linear_pair(int rows) {
  common::CounterRng rng(3, common::Purpose::Experiment, 0);
  MatrixT<double> inputs(rows, 2);
  for (int i = 0; i < rows; ++i) inputs(i, 0) = rng.uniform() * 2 - 1, inputs(i, 1) = 2 * inputs(i, 0);
  return {inputs, inputs, MatrixT<double>::Ones(rows, 2), {}};
}

// One member per entry of `each`, all from the same start, trained 300 epochs on linear_pair(40).
std::vector<Member<double>> trained_on_linear_pair(const std::vector<TrainingSettings>& each) {
  const NetworkShape shape{0, 2, 4, false};
  const TrainingTable<double> table = linear_pair(40);
  TrainingWorkspace<double> ws;
  std::vector<Member<double>> members;
  for (const TrainingSettings& settings : each) {
    members.emplace_back(shape, 1, 0, 40);
    members.back().train(300, settings, table, ws);
  }
  return members;
}

TEST(Member, L2PerEndpointPenalisesOnlyItsOwnNetwork) {
  TrainingSettings single{0.01, 1e-3}, same_per_endpoint = single, heavy_on_1 = single;
  same_per_endpoint.l2_by_endpoint = {1e-3, 1e-3};
  heavy_on_1.l2_by_endpoint = {1e-3, 10.0};
  const auto trained = trained_on_linear_pair({single, same_per_endpoint, heavy_on_1});
  const Member<double>&scalar = trained[0], &uniform = trained[1], &heavy = trained[2];
  // The same penalty everywhere is the scalar penalty.
  EXPECT_TRUE(uniform.params().W1.isApprox(scalar.params().W1, 1e-10));
  EXPECT_TRUE(uniform.params().w2.isApprox(scalar.params().w2, 1e-10));
  // Endpoint 0's network (units 0..3) trains exactly as before; endpoint 1's (units 4..7) is shrunk.
  EXPECT_TRUE(heavy.params().W1.leftCols(4).isApprox(scalar.params().W1.leftCols(4), 1e-10));
  EXPECT_TRUE(heavy.params().w2.head(4).isApprox(scalar.params().w2.head(4), 1e-10));
  EXPECT_LT(heavy.params().w2.tail(4).norm(), 0.2 * scalar.params().w2.tail(4).norm());
}

// y = 1.5 x0 from two descriptors, x1 unrelated noise: what an endpoint's network must learn to ignore.
TrainingTable<double> one_relevant_descriptor(int rows) {
  common::CounterRng rng(7, common::Purpose::Experiment, 0);
  MatrixT<double> inputs = MatrixT<double>::Zero(rows, 3), targets(rows, 1);
  for (int i = 0; i < rows; ++i) {
    inputs(i, 0) = rng.uniform() * 2 - 1, inputs(i, 1) = rng.uniform() * 2 - 1;
    targets(i, 0) = 1.5 * inputs(i, 0);
  }
  return {inputs, targets, MatrixT<double>::Ones(rows, 1), {}};
}

TEST(Member, InputPenaltySwitchesOffAnInputTheEndpointDoesNotNeed) {
  const NetworkShape shape{2, 1, 4, false};
  const TrainingTable<double> table = one_relevant_descriptor(60);
  TrainingWorkspace<double> ws;
  Member<double> plain(shape, 1, 0, 60), grouped(shape, 1, 0, 60);
  TrainingSettings settings{0.01, 1e-4};
  const double plain_loss = plain.train(1500, settings, table, ws);
  settings.input_penalty = 0.02;
  const double grouped_loss = grouped.train(1500, settings, table, ws);
  // Row r of W1 holds input r's weights into the endpoint's four units.
  const double plain_noise = plain.params().W1.row(1).norm(), grouped_noise = grouped.params().W1.row(1).norm();
  EXPECT_GT(plain_noise, 0.1);
  EXPECT_LT(grouped_noise, 0.02 * plain_noise);
  EXPECT_GT(grouped.params().W1.row(0).norm(), 10 * grouped_noise);
  // The relation is still learned: the loss (error + penalty) stays small.
  EXPECT_LT(grouped_loss, 0.1);
  EXPECT_LT(plain_loss, grouped_loss);
}

TEST(Member, InputPenaltyPerEndpointPenalisesOnlyItsOwnNetwork) {
  TrainingSettings no_group{0.01, 1e-3};
  no_group.l2_by_endpoint = {1e-3, 1e-3};
  TrainingSettings zero_group = no_group, heavy_on_1 = no_group;
  zero_group.input_penalty_by_endpoint = {0.0, 0.0};
  heavy_on_1.input_penalty_by_endpoint = {0.0, 1.0};
  const auto trained = trained_on_linear_pair({no_group, zero_group, heavy_on_1});
  const Member<double>&l2_only = trained[0], &uniform = trained[1], &heavy = trained[2];
  // A zero group penalty is no penalty; a strong one on endpoint 1 leaves endpoint 0's network as it was. (It
  // shrinks the first layer only, and the second grows to make up: a relative switch, as ARD's is.)
  EXPECT_TRUE(uniform.params().W1.isApprox(l2_only.params().W1, 1e-12));
  EXPECT_TRUE(heavy.params().W1.leftCols(4).isApprox(l2_only.params().W1.leftCols(4), 1e-10));
  EXPECT_LT(heavy.params().W1.rightCols(4).norm(), 0.3 * l2_only.params().W1.rightCols(4).norm());
}

// Blocks are independent networks, so an endpoint trained at its own input dropout trains exactly as in a member
// where every endpoint has that dropout: endpoint 0 at 0.5 as under input_dropout = 0.5 (the same draws: a rate of
// 0 draws nothing), endpoint 1 at 0 as without dropout.
TEST(Member, InputDropoutPerEndpointTrainsEachNetworkAsItsOwnRateWould) {
  const TrainingSettings without{0.01, 1e-3};
  TrainingSettings half = without, mixed = without, same = without;
  half.input_dropout = 0.5;
  mixed.input_dropout = 0.5;
  mixed.input_dropout_by_endpoint = {0.5, 0.0};
  same.input_dropout = 0.5;
  same.input_dropout_by_endpoint = {0.5, 0.5};
  const auto trained = trained_on_linear_pair({without, half, mixed, same});
  const Member<double>&none = trained[0], &all_half = trained[1], &per_endpoint = trained[2], &uniform = trained[3];
  ASSERT_FALSE(none.params().W1.isApprox(all_half.params().W1, 1e-3));  // the dropout makes a difference here
  EXPECT_TRUE(per_endpoint.params().W1.leftCols(4).isApprox(all_half.params().W1.leftCols(4), 1e-10));
  EXPECT_TRUE(per_endpoint.params().w2.head(4).isApprox(all_half.params().w2.head(4), 1e-10));
  EXPECT_TRUE(per_endpoint.params().W1.rightCols(4).isApprox(none.params().W1.rightCols(4), 1e-10));
  EXPECT_TRUE(per_endpoint.params().w2.tail(4).isApprox(none.params().w2.tail(4), 1e-10));
  EXPECT_EQ(uniform.params().W1, all_half.params().W1);  // one rate for all is the common path, bit for bit
}

}  // namespace
}  // namespace elec::model
