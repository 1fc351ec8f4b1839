#include "elec/model/member.hpp"

#include <algorithm>
#include <cmath>

#include "elec/common/rng.hpp"

namespace elec::model {

Matrix target_weights(const Matrix& measured, const std::vector<int>& groups) {
  Matrix weights = measured;
  if (groups.empty()) return weights;
  std::vector<double> points(groups.size());
  for (Eigen::Index i = 0; i < weights.rows(); ++i) {
    std::fill(points.begin(), points.end(), 0.0);
    for (Eigen::Index j = 0; j < weights.cols(); ++j) points[static_cast<std::size_t>(groups[j])] += measured(i, j);
    for (Eigen::Index j = 0; j < weights.cols(); ++j)
      if (measured(i, j) > 0.0) weights(i, j) = 1.0 / points[static_cast<std::size_t>(groups[j])];
  }
  return weights;
}

template <class T>
Member<T>::Member(const NetworkShape& shape, std::uint64_t seed, std::size_t index, std::size_t rows)
    : shape_(shape),
      params_(NetworkParams<T>::zeros(shape)),
      adam_(shape),
      dropout_(seed, common::Purpose::InputDropout, index) {
  common::CounterRng bootstrap(seed, common::Purpose::Bootstrap, index);
  std::vector<std::uint32_t> drawn(rows, 0);
  for (std::size_t i = 0; i < rows; ++i) ++drawn[bootstrap.below(rows)];
  for (std::size_t i = 0; i < rows; ++i)
    if (drawn[i] > 0) rows_.push_back(static_cast<std::uint32_t>(i)), counts_.push_back(drawn[i]);

  // Glorot-style scale over the inputs a unit can actually see.
  common::CounterRng init(seed, common::Purpose::Initialise, index);
  const int visible_inputs = shape.inputs() - (shape.confidence ? 2 : 1);
  const double scale1 = 1.0 / std::sqrt(static_cast<double>(std::max(visible_inputs, 1)));
  const MatrixT<T> mask = self_exclusion_mask<T>(shape);
  for (Eigen::Index r = 0; r < params_.W1.rows(); ++r)
    for (Eigen::Index c = 0; c < params_.W1.cols(); ++c)
      params_.W1(r, c) = static_cast<T>(init.normal() * scale1) * mask(r, c);
  const double scale2 = 1.0 / std::sqrt(static_cast<double>(shape.hidden));
  for (Eigen::Index u = 0; u < params_.w2.size(); ++u) params_.w2[u] = static_cast<T>(init.normal() * scale2);
}

template <class T>
Member<T> Member<T>::trained(const NetworkShape& shape, std::size_t index, NetworkParams<T> params) {
  return Member(shape, index, std::move(params));
}

template <class T>
Member<T>::Member(const NetworkShape& shape, std::size_t index, NetworkParams<T> params)
    : shape_(shape), params_(std::move(params)), dropout_(0, common::Purpose::InputDropout, index) {}

template <class T>
void Member<T>::gather_rows(const TrainingTable<T>& table, TrainingWorkspace<T>& ws) const {
  const auto n = static_cast<Eigen::Index>(rows_.size());
  ws.inputs.resize(n, table.inputs.cols());
  ws.targets.resize(n, table.targets.cols());
  ws.weights.resize(n, table.weights.cols());
  for (Eigen::Index r = 0; r < n; ++r) {
    const Eigen::Index source = rows_[r];
    ws.inputs.row(r) = table.inputs.row(source);
    ws.targets.row(r) = table.targets.row(source);
    ws.weights.row(r) = table.weights.row(source) * static_cast<T>(counts_[r]);
  }
  // Loss = sum over endpoint groups of the weighted mean squared error over the group's measured cells (bootstrap
  // counts as weights): a sparsely measured endpoint counts as much as a dense one, and a curve as much as a
  // scalar. The defaults were chosen with this loss (docs/defaults.md); L2 is relative to it.
  const Eigen::Index endpoints = ws.weights.cols();
  ws.group_totals.assign(static_cast<std::size_t>(endpoints), 0.0);
  for (Eigen::Index j = 0; j < endpoints; ++j)
    ws.group_totals[table.group(j)] += static_cast<double>(ws.weights.col(j).sum());
  for (Eigen::Index j = 0; j < endpoints; ++j) {
    const double total = ws.group_totals[table.group(j)];
    if (total > 0.0) ws.weights.col(j) *= static_cast<T>(1.0 / total);
  }
  ws.d_output.resize(n, table.targets.cols());
  if (ws.network.hidden.rows() < n) ws.network.reserve(shape_, n);
  if (ws.grads.W1.rows() != table.inputs.cols()) ws.grads = NetworkParams<T>::zeros(shape_);
}

template <class T>
void Member<T>::drop_inputs(double input_dropout, double cell_dropout, const TrainingTable<T>& table,
                            const TrainingWorkspace<T>& ws, MatrixT<T>& shown) {
  shown = ws.inputs;
  for (Eigen::Index i = 0; i < shown.rows(); ++i) {
    // The cell draw comes first and only when asked, so a config without cell dropout keeps its stream (and bits).
    const bool whole_cell = cell_dropout > 0.0 && dropout_.uniform() < cell_dropout;
    bool hidden = false;
    for (int j = 0; j < shape_.endpoints; ++j) {
      // A group's endpoints are consecutive: one draw at its first endpoint decides for all of it.
      if (j == 0 || table.group(j) != table.group(j - 1)) hidden = dropout_.uniform() < input_dropout || whole_cell;
      if (!hidden) continue;
      shown(i, shape_.value_input(j)) = T(0);
      if (shape_.confidence) shown(i, shape_.confidence_input(j)) = T(0);
    }
  }
}

template <class T>
EndpointInputs<T> Member<T>::drop_inputs_per_endpoint(const TrainingSettings& settings, const TrainingTable<T>& table,
                                                      TrainingWorkspace<T>& ws) {
  const std::vector<double>& rate = settings.input_dropout_by_endpoint;
  std::vector<double> others;  // the other rates, in endpoint order of first use
  for (const double r : rate)
    if (r != settings.input_dropout && std::find(others.begin(), others.end(), r) == others.end()) others.push_back(r);
  // A rate that hides nothing (and no cell dropout) reads the inputs as they are, drawing nothing.
  const auto hides = [&](double r) { return r > 0.0 || settings.cell_dropout > 0.0; };
  ws.shown_otherwise.resize(others.size());
  for (std::size_t k = 0; k < others.size(); ++k)
    if (hides(others[k])) drop_inputs(others[k], settings.cell_dropout, table, ws, ws.shown_otherwise[k]);
  EndpointInputs<T> own(rate.size(), nullptr);
  for (std::size_t j = 0; j < rate.size(); ++j) {
    if (rate[j] == settings.input_dropout) continue;
    const auto k = static_cast<std::size_t>(std::find(others.begin(), others.end(), rate[j]) - others.begin());
    own[j] = hides(others[k]) ? &ws.shown_otherwise[k] : &ws.inputs;
  }
  return own;
}

template <class T>
double Member<T>::penalty(const TrainingSettings& settings, const VectorT<T>& l2_of_unit,
                          const VectorT<T>& input_penalty_of_block) const {
  if (l2_of_unit.size() == 0)
    return settings.l2 * static_cast<double>(params_.W1.squaredNorm() + params_.w2.squaredNorm());
  const VectorT<T> per_unit = params_.W1.colwise().squaredNorm().transpose() + params_.w2.cwiseAbs2();
  double total = static_cast<double>(per_unit.dot(l2_of_unit));
  for (Eigen::Index b = 0; b < input_penalty_of_block.size(); ++b)
    total += static_cast<double>(input_penalty_of_block[b]) *
             static_cast<double>(params_.W1.middleCols(b * shape_.hidden, shape_.hidden).rowwise().norm().sum());
  return total;
}

namespace {

// A setting given once or per endpoint, as one value per endpoint.
double for_endpoint(double all, const std::vector<double>& by_endpoint, int endpoint) {
  return by_endpoint.empty() ? all : by_endpoint[static_cast<std::size_t>(endpoint)];
}

}  // namespace

template <class T>
double Member<T>::train(int epochs, const TrainingSettings& settings, const TrainingTable<T>& table,
                        TrainingWorkspace<T>& ws) {
  gather_rows(table, ws);
  const Eigen::Index n = ws.inputs.rows();
  double loss = 0.0;
  const bool dropping = settings.input_dropout > 0.0 || settings.cell_dropout > 0.0;
  const bool grouped = settings.input_penalty > 0.0 || !settings.input_penalty_by_endpoint.empty();
  // Without per-endpoint settings the single-penalty step runs, whose arithmetic (and bits) predate them.
  const bool per_endpoint = !settings.l2_by_endpoint.empty() || grouped;
  VectorT<T> l2_of_unit, input_penalty_of_block;
  if (per_endpoint) {
    l2_of_unit.resize(shape_.hidden_total());
    for (int u = 0; u < shape_.hidden_total(); ++u)
      l2_of_unit[u] = static_cast<T>(for_endpoint(settings.l2, settings.l2_by_endpoint, u / shape_.hidden));
  }
  if (grouped) {
    input_penalty_of_block.resize(shape_.endpoints);
    for (int j = 0; j < shape_.endpoints; ++j)
      input_penalty_of_block[j] =
          static_cast<T>(for_endpoint(settings.input_penalty, settings.input_penalty_by_endpoint, j));
  }
  for (int epoch = 0; epoch < epochs; ++epoch) {
    if (dropping) drop_inputs(settings.input_dropout, settings.cell_dropout, table, ws, ws.shown);
    const MatrixT<T>& inputs = dropping ? ws.shown : ws.inputs;
    const EndpointInputs<T> own = drop_inputs_per_endpoint(settings, table, ws);
    forward(shape_, params_, inputs, ws.network, own);
    const auto output = ws.network.output.topRows(n);
    ws.d_output.array() = T(2) * ws.weights.array() * (output - ws.targets).array();
    // The loss itself is only reported, so it is evaluated once, for the last epoch.
    if (epoch + 1 == epochs)
      loss = static_cast<double>((ws.weights.array() * (output - ws.targets).array().square()).sum()) +
             penalty(settings, l2_of_unit, input_penalty_of_block);
    backward(shape_, params_, inputs, ws.d_output, ws.network, ws.grads, own);
    if (per_endpoint)
      adam_.step(params_, ws.grads, settings.learning_rate, l2_of_unit, input_penalty_of_block, shape_.hidden);
    else
      adam_.step(params_, ws.grads, settings.learning_rate, settings.l2);
  }
  return loss;
}

template <class T>
std::size_t Member<T>::state_size(const NetworkShape& shape) {
  return 3 * static_cast<std::size_t>(NetworkParams<T>::zeros(shape).size()) + 1 + common::CounterRng::kStateSize;
}

template <class T>
void Member<T>::save(std::vector<double>& out) const {
  params_.for_each_block([&](const T* x, Eigen::Index n) { out.insert(out.end(), x, x + n); });
  adam_.save(out);
  dropout_.save(out);
}

template <class T>
void Member<T>::restore(const double* state) {
  params_.for_each_block([&](T* x, Eigen::Index n) {
    for (Eigen::Index k = 0; k < n; ++k) x[k] = static_cast<T>(*state++);
  });
  dropout_.restore(adam_.restore(state));
}

template <class T>
void Member<T>::predict(const MatrixT<T>& inputs, NetworkWorkspace<T>& ws, MatrixT<T>& output) const {
  if (ws.hidden.rows() < inputs.rows()) ws.reserve(shape_, inputs.rows());
  forward(shape_, params_, inputs, ws);
  output = ws.output.topRows(inputs.rows());
}

template class Member<float>;
template class Member<double>;

}  // namespace elec::model
