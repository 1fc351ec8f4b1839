#pragma once
// One bootstrap member of the ensemble: its network, its optimiser state and the rows it trains on. A member's
// results depend only on (seed, member index, the table), never on which rank or thread trains it.
#include <cstdint>
#include <vector>

#include "elec/common/rng.hpp"
#include "elec/data/matrix.hpp"
#include "elec/model/adam.hpp"
#include "elec/model/network.hpp"

namespace elec::model {

// The training table as every member sees it (standardised), shared read-only by all members.
template <class T>
struct TrainingTable {
  MatrixT<T> inputs;   // rows x shape.inputs(): descriptors, current endpoint estimates, confidences
  MatrixT<T> targets;  // rows x endpoints: measured values, 0 where not measured
  MatrixT<T> weights;  // rows x endpoints: > 0 where a measured value is a training target, 0 elsewhere
  // The loss group of each endpoint: a scalar endpoint is a group of its own, a curve's points form one group (and
  // a cell's points share its weight). Empty: every endpoint its own group.
  std::vector<int> group_of;

  int group(Eigen::Index endpoint) const {
    return group_of.empty() ? static_cast<int>(endpoint) : group_of[static_cast<std::size_t>(endpoint)];
  }
};

// How much each measured cell counts as a training target (0 where not measured): 1 for a scalar endpoint; for a
// curve's points (one loss group), 1 / (number of the cell's measured points in the group), so a cell counts once
// whatever its number of points. `groups` empty: every endpoint its own group.
Matrix target_weights(const Matrix& measured, const std::vector<int>& groups);

// Per-thread scratch for training one member at a time; sized once, reused for every member and epoch.
template <class T>
struct TrainingWorkspace {
  MatrixT<T> inputs, targets, weights, d_output;
  MatrixT<T> shown;                         // the inputs of one epoch with input dropout applied
  std::vector<MatrixT<T>> shown_otherwise;  // the same at each other rate of input_dropout_by_endpoint
  std::vector<double> group_totals;
  NetworkWorkspace<T> network;
  NetworkParams<T> grads;
};

struct TrainingSettings {
  double learning_rate = 0.01;
  double l2 = 1e-4;
  double input_dropout = 0.0;  // probability of hiding a cell's endpoint group from the inputs in an epoch
  double cell_dropout = 0.0;   // probability of hiding all of a cell's endpoints (a new cell's view) in an epoch
  // The L2 penalty of each endpoint's network (endpoints entries), chosen per target by the schedule selection;
  // empty: `l2` for every endpoint.
  std::vector<double> l2_by_endpoint;
  // The group-lasso penalty on each input's weights into an endpoint's network (Adam::step), the same for every
  // endpoint or, when input_penalty_by_endpoint is not empty, chosen per endpoint; 0: none.
  double input_penalty = 0.0;
  std::vector<double> input_penalty_by_endpoint;
  // The input dropout each endpoint's network trains with, chosen per target by the schedule selection; empty:
  // `input_dropout` for every endpoint.
  std::vector<double> input_dropout_by_endpoint;
};

template <class T>
class Member {
 public:
  Member(const NetworkShape& shape, std::uint64_t seed, std::size_t index, std::size_t rows);
  // A trained member that only predicts: its weights as given, no bootstrap rows, no random initialisation and no
  // optimiser state (building those for every member was a third of the time of a design batch).
  static Member trained(const NetworkShape& shape, std::size_t index, NetworkParams<T> params);

  // Runs full-batch Adam for `epochs` on this member's bootstrap rows of `table`, continuing from the current
  // weights and optimiser state. Returns the final training loss (weighted mean squared error + L2 term).
  double train(int epochs, const TrainingSettings& settings, const TrainingTable<T>& table, TrainingWorkspace<T>& ws);

  // output (rows x endpoints) = this member's prediction for every row of inputs.
  void predict(const MatrixT<T>& inputs, NetworkWorkspace<T>& ws, MatrixT<T>& output) const;

  // Everything training changes (weights, Adam's moments and step, the dropout stream's position), as
  // state_size(shape) doubles, exact in either precision: restore(save) continues the training bit for bit.
  static std::size_t state_size(const NetworkShape& shape);
  void save(std::vector<double>& out) const;
  void restore(const double* state);

  const NetworkParams<T>& params() const { return params_; }
  void set_params(NetworkParams<T> params) { params_ = std::move(params); }
  const std::vector<std::uint32_t>& bootstrap_rows() const { return rows_; }
  const std::vector<std::uint32_t>& bootstrap_counts() const { return counts_; }

 private:
  Member(const NetworkShape& shape, std::size_t index, NetworkParams<T> params);
  void gather_rows(const TrainingTable<T>& table, TrainingWorkspace<T>& ws) const;
  // shown = ws.inputs with each (row, endpoint group) hidden (value 0 = the column mean, confidence 0) with
  // probability input_dropout, and every group of a row with probability cell_dropout, from this member's own stream.
  void drop_inputs(double input_dropout, double cell_dropout, const TrainingTable<T>& table,
                   const TrainingWorkspace<T>& ws, MatrixT<T>& shown);
  // The blocks that train at another input dropout than settings.input_dropout, each reading its rate's copy of the
  // inputs, drawn after the common one (a rate without dropping reads ws.inputs).
  EndpointInputs<T> drop_inputs_per_endpoint(const TrainingSettings& settings, const TrainingTable<T>& table,
                                             TrainingWorkspace<T>& ws);
  // The penalty terms of the loss: settings.l2 |w|^2, or per unit with l2_of_unit (non-empty) as its penalty, plus
  // the group-lasso term of input_penalty_of_block (non-empty).
  double penalty(const TrainingSettings& settings, const VectorT<T>& l2_of_unit,
                 const VectorT<T>& input_penalty_of_block) const;

  NetworkShape shape_;
  NetworkParams<T> params_;
  Adam<T> adam_;
  std::vector<std::uint32_t> rows_;    // distinct rows drawn by the bootstrap, ascending
  std::vector<std::uint32_t> counts_;  // how often each was drawn
  common::CounterRng dropout_;         // continues across train() calls: the same sequence on any rank
};

}  // namespace elec::model
