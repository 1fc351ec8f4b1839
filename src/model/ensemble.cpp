#include "elec/model/ensemble.hpp"

#include <omp.h>

#include <chrono>
#include <cmath>

#include "elec/model/imputation_state.hpp"

namespace elec::model {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Mean and standard deviation over members of every value, summed in member order.
void member_statistics(const std::vector<double>& all, std::size_t members, std::size_t per_member,
                       std::vector<double>& mean, std::vector<double>& spread) {
  mean.assign(per_member, 0.0);
  spread.assign(per_member, 0.0);
  for (std::size_t m = 0; m < members; ++m)
    for (std::size_t v = 0; v < per_member; ++v) mean[v] += all[m * per_member + v];
  for (std::size_t v = 0; v < per_member; ++v) mean[v] /= static_cast<double>(members);
  for (std::size_t m = 0; m < members; ++m)
    for (std::size_t v = 0; v < per_member; ++v) {
      const double d = all[m * per_member + v] - mean[v];
      spread[v] += d * d;
    }
  for (std::size_t v = 0; v < per_member; ++v) spread[v] = std::sqrt(spread[v] / static_cast<double>(members));
}

template <class T>
TrainingTable<T> training_table(const ImputationState& state) {
  const Matrix& measured = state.measured_mask();
  TrainingTable<T> table{state.inputs<T>(), state.endpoints().cast<T>(), measured.cast<T>()};
  table.targets.array() *= table.weights.array();  // imputed values are inputs, never targets
  return table;
}

}  // namespace

template <class T>
Ensemble<T>::Ensemble(const NetworkShape& shape, std::size_t members, std::size_t first, std::size_t last,
                      std::uint64_t seed, std::size_t rows)
    : shape_(shape), members_(members), first_(first), mask_(self_exclusion_mask<T>(shape)) {
  owned_.reserve(last - first);
  for (std::size_t m = first; m < last; ++m) owned_.emplace_back(shape, seed, m, rows);
}

template <class T>
Ensemble<T>::Ensemble(const NetworkShape& shape, std::size_t members, std::size_t first,
                      std::vector<NetworkParams<T>> owned_params)
    : shape_(shape), members_(members), first_(first), mask_(self_exclusion_mask<T>(shape)) {
  owned_.reserve(owned_params.size());
  for (std::size_t k = 0; k < owned_params.size(); ++k) {
    owned_.emplace_back(shape, 0, first + k, 0);
    owned_.back().set_params(std::move(owned_params[k]));
  }
}

template <class T>
void Ensemble<T>::train_owned(int epochs, const TrainingSettings& settings, const TrainingTable<T>& table) {
  if (epochs <= 0) return;
  std::vector<TrainingWorkspace<T>> workspaces(static_cast<std::size_t>(omp_get_max_threads()));
  const auto count = static_cast<long>(owned_.size());
  // Members are independent and each one's arithmetic is sequential, so the schedule cannot change results.
#pragma omp parallel for schedule(dynamic, 1)
  for (long k = 0; k < count; ++k)
    owned_[k].train(epochs, settings, table, mask_, workspaces[omp_get_thread_num()]);
}

template <class T>
std::vector<double> Ensemble<T>::predict_owned(const MatrixT<T>& inputs) const {
  const auto rows = static_cast<std::size_t>(inputs.rows());
  const std::size_t per_member = rows * static_cast<std::size_t>(shape_.endpoints);
  std::vector<double> values(owned_.size() * per_member);
  const auto count = static_cast<long>(owned_.size());
#pragma omp parallel
  {
    NetworkWorkspace<T> ws;
    MatrixT<T> output;
#pragma omp for schedule(dynamic, 1)
    for (long k = 0; k < count; ++k) {
      owned_[k].predict(inputs, ws, output);
      double* out = values.data() + static_cast<std::size_t>(k) * per_member;
      for (std::size_t v = 0; v < per_member; ++v) out[v] = static_cast<double>(output.data()[v]);
    }
  }
  return values;
}

template <class T>
EnsembleResult Ensemble<T>::run_passes(const Matrix& descriptors, const Matrix& endpoints,
                                       const data::StudyConfig& config, const GatherMembers& gather,
                                       const PassObserver& observe, bool keep_members,
                                       const std::function<void(const MatrixT<T>&)>& train_between) {
  const auto start = std::chrono::steady_clock::now();
  ImputationState state(shape_, descriptors, endpoints);
  const auto& blanks = state.blanks();
  const std::size_t rows = static_cast<std::size_t>(endpoints.rows());
  const std::size_t E = static_cast<std::size_t>(shape_.endpoints);
  EnsembleResult result;
  std::vector<double> mean, spread;
  for (int pass = 1; pass <= config.max_passes && !blanks.empty(); ++pass) {
    const std::vector<double> owned_all = predict_owned(state.inputs<T>());
    // Only the blanks travel between ranks: members x blanks values per pass.
    std::vector<double> owned_blanks(owned_.size() * blanks.size());
    for (std::size_t k = 0; k < owned_.size(); ++k)
      for (std::size_t b = 0; b < blanks.size(); ++b)
        owned_blanks[k * blanks.size() + b] =
            owned_all[k * rows * E + static_cast<std::size_t>(blanks[b].row) * E + blanks[b].endpoint];
    member_statistics(gather(owned_blanks, blanks.size()), members_, blanks.size(), mean, spread);
    const auto change = state.update(mean, spread, config.softening);
    result.history.push_back({pass, change.max, change.mean, seconds_since(start)});
    if (observe) observe(result.history.back());
    if (change.max < config.tolerance) {
      result.converged = true;
      break;
    }
    if (pass < config.max_passes && train_between) train_between(state.inputs<T>());
  }
  if (blanks.empty()) result.converged = true;

  // Final read-out: every member predicts every cell from the settled table.
  const std::vector<double> all = gather(predict_owned(state.inputs<T>()), rows * E);
  member_statistics(all, members_, rows * E, mean, spread);
  result.prediction = Eigen::Map<const Matrix>(mean.data(), static_cast<Eigen::Index>(rows), shape_.endpoints);
  result.spread = Eigen::Map<const Matrix>(spread.data(), static_cast<Eigen::Index>(rows), shape_.endpoints);
  result.values = state.endpoints();
  for (const auto& blank : blanks) result.values(blank.row, blank.endpoint) = result.prediction(blank.row, blank.endpoint);
  if (keep_members) result.member_predictions = all;
  return result;
}

template <class T>
EnsembleResult Ensemble<T>::fit(const Matrix& descriptors, const Matrix& endpoints,
                                const data::StudyConfig& config, const GatherMembers& gather,
                                const PassObserver& observe) {
  const auto start = std::chrono::steady_clock::now();
  const TrainingSettings settings{config.learning_rate, config.l2};
  ImputationState initial(shape_, descriptors, endpoints);
  TrainingTable<T> table = training_table<T>(initial);
  train_owned(config.epochs, settings, table);
  const PassRecord trained{0, 0.0, 0.0, seconds_since(start)};
  if (observe) observe(trained);
  auto keep_training = [&](const MatrixT<T>& inputs) {
    table.inputs = inputs;
    train_owned(config.pass_epochs, settings, table);
  };
  EnsembleResult result = run_passes(descriptors, endpoints, config, gather, observe, false, keep_training);
  result.history.insert(result.history.begin(), trained);
  return result;
}

template <class T>
EnsembleResult Ensemble<T>::predict(const Matrix& descriptors, const Matrix& endpoints,
                                    const data::StudyConfig& config, const GatherMembers& gather,
                                    const PassObserver& observe, bool keep_members) {
  return run_passes(descriptors, endpoints, config, gather, observe, keep_members, nullptr);
}

template class Ensemble<float>;
template class Ensemble<double>;

}  // namespace elec::model
