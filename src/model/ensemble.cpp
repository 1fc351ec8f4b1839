#include "elec/model/ensemble.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "elec/model/trained_model.hpp"

namespace elec::model {

template <class T>
Ensemble<T>::Ensemble(const NetworkShape& shape, std::size_t members, const MemberDistribution& distribution,
                      std::uint64_t seed, std::size_t rows)
    : shape_(shape), members_(members), distribution_(distribution) {
  const MemberRange mine = distribution.owned(members);
  owned_.reserve(mine.size());
  for (std::size_t m = mine.first; m < mine.last; ++m) owned_.emplace_back(shape, seed, m, rows);
}

template <class T>
Ensemble<T>::Ensemble(const NetworkShape& shape, const MemberDistribution& distribution,
                      const std::vector<NetworkParams<double>>& all_params)
    : shape_(shape), members_(all_params.size()), distribution_(distribution) {
  const MemberRange mine = distribution.owned(members_);
  owned_.reserve(mine.size());
  for (std::size_t m = mine.first; m < mine.last; ++m)
    owned_.push_back(Member<T>::trained(shape, m, from_double<T>(all_params[m])));
}

template <class T>
void Ensemble<T>::train(int epochs, const TrainingSettings& settings, const TrainingTable<T>& table) {
  if (epochs <= 0) return;
  std::vector<TrainingWorkspace<T>> workspaces(static_cast<std::size_t>(omp_get_max_threads()));
  const auto count = static_cast<long>(owned_.size());
  // Members are independent and each one's arithmetic is sequential, so the schedule cannot change results.
#pragma omp parallel for schedule(dynamic, 1)
  for (long k = 0; k < count; ++k) owned_[k].train(epochs, settings, table, workspaces[omp_get_thread_num()]);
}

template <class T>
std::vector<double> Ensemble<T>::predict_owned(const MatrixT<T>& inputs) const {
  const std::size_t per_member = static_cast<std::size_t>(inputs.rows()) * static_cast<std::size_t>(shape_.endpoints);
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
CellStatistics Ensemble<T>::statistics(const MatrixT<T>& inputs, const std::vector<std::size_t>& cells) const {
  const std::vector<double> owned = predict_owned(inputs);
  const std::size_t per_member = static_cast<std::size_t>(inputs.rows()) * static_cast<std::size_t>(shape_.endpoints);
  // Only the listed cells travel between ranks, a block of them at a time: a process never holds more than about
  // kGatherBytes of all members' values, however large the table or the ensemble.
  const std::size_t block = std::max<std::size_t>(1, kGatherBytes / (sizeof(double) * members_));
  CellStatistics out;
  out.mean.reserve(cells.size());
  out.spread.reserve(cells.size());
  std::vector<double> picked, mean, spread;
  for (std::size_t first = 0; first < cells.size(); first += block) {
    const std::size_t count = std::min(block, cells.size() - first);
    picked.resize(owned_.size() * count);
    for (std::size_t k = 0; k < owned_.size(); ++k)
      for (std::size_t c = 0; c < count; ++c) picked[k * count + c] = owned[k * per_member + cells[first + c]];
    member_statistics(distribution_.gather(picked, members_, count), members_, count, centre_, mean, spread);
    out.mean.insert(out.mean.end(), mean.begin(), mean.end());
    out.spread.insert(out.spread.end(), spread.begin(), spread.end());
  }
  return out;
}

template <class T>
CellStatistics Ensemble<T>::statistics(const MatrixT<T>& inputs) const {
  std::vector<std::size_t> every(static_cast<std::size_t>(inputs.rows()) * static_cast<std::size_t>(shape_.endpoints));
  std::iota(every.begin(), every.end(), std::size_t{0});
  return statistics(inputs, every);
}

template <class T>
std::vector<double> Ensemble<T>::predict_all(const MatrixT<T>& inputs) const {
  const std::size_t per_member = static_cast<std::size_t>(inputs.rows()) * static_cast<std::size_t>(shape_.endpoints);
  return distribution_.gather(predict_owned(inputs), members_, per_member);
}

namespace {

// Weights travel between ranks flattened, one fixed-size block per member.
template <class T>
void flatten(const NetworkParams<T>& p, std::vector<double>& out) {
  p.for_each_block([&](const T* x, Eigen::Index n) { out.insert(out.end(), x, x + n); });
}

NetworkParams<double> unflatten(const NetworkShape& shape, const double* x) {
  auto p = NetworkParams<double>::zeros(shape);
  p.for_each_block([&](double* block, Eigen::Index n) {
    std::copy_n(x, n, block);
    x += n;
  });
  return p;
}

}  // namespace

template <class T>
std::vector<NetworkParams<double>> Ensemble<T>::all_params() const {
  std::vector<double> owned_flat;
  for (const auto& member : owned_) flatten(member.params(), owned_flat);
  const auto size = static_cast<std::size_t>(NetworkParams<double>::zeros(shape_).size());
  const std::vector<double> all = distribution_.gather(owned_flat, members_, size);
  std::vector<NetworkParams<double>> out;
  for (std::size_t m = 0; m < members_; ++m) out.push_back(unflatten(shape_, all.data() + m * size));
  return out;
}

template <class T>
std::vector<double> Ensemble<T>::all_states() const {
  std::vector<double> owned_states;
  for (const auto& member : owned_) member.save(owned_states);
  return distribution_.gather(owned_states, members_, state_size());
}

template <class T>
void Ensemble<T>::restore_states(const std::vector<double>& all) {
  if (all.size() != members_ * state_size()) throw std::invalid_argument("Ensemble::restore_states: wrong size");
  const MemberRange mine = distribution_.owned(members_);
  for (std::size_t k = 0; k < owned_.size(); ++k) owned_[k].restore(all.data() + (mine.first + k) * state_size());
}

template class Ensemble<float>;
template class Ensemble<double>;

}  // namespace elec::model
