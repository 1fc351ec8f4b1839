#pragma once
// This process's share of a bootstrap ensemble: members [first, last) of `members`, trained with OpenMP over
// members. Predictions are returned for all members, in member order, through the distribution's gather, so every
// reduction over members is done in the same order whatever the number of ranks or threads.
#include <cstdint>
#include <vector>

#include "elec/model/distribution.hpp"
#include "elec/model/imputation_state.hpp"
#include "elec/model/member.hpp"
#include "elec/model/member_statistics.hpp"

namespace elec::model {

struct CellStatistics {
  std::vector<double> mean, spread;  // over members, per cell; `mean` is the centre (the median with Centre::Median)
};

template <class T>
class Ensemble {
 public:
  // Fresh members, initialised and bootstrapped from (seed, member index) over `rows` training rows.
  Ensemble(const NetworkShape& shape, std::size_t members, const MemberDistribution& distribution, std::uint64_t seed,
           std::size_t rows);
  // Trained members (e.g. read from a model file) that only predict: `all_params` holds every member, this process
  // keeps its own (without bootstrap rows or optimiser state: they cannot be trained further).
  Ensemble(const NetworkShape& shape, const MemberDistribution& distribution,
           const std::vector<NetworkParams<double>>& all_params);

  void train(int epochs, const TrainingSettings& settings, const TrainingTable<T>& table);
  // Mean and spread over all members of the listed cells (flat indices row * endpoints + endpoint), or of every
  // cell of the table.
  CellStatistics statistics(const MatrixT<T>& inputs, const std::vector<std::size_t>& cells) const;
  CellStatistics statistics(const MatrixT<T>& inputs) const;
  // members x rows x endpoints: every member's prediction of every cell, on every process (for writing them out;
  // the memory grows with members x cells).
  std::vector<double> predict_all(const MatrixT<T>& inputs) const;

  // The most a process holds of all members' values while reducing them to statistics.
  static constexpr std::size_t kGatherBytes = std::size_t{64} << 20;
  // Every member's weights, in member order, on every process.
  std::vector<NetworkParams<double>> all_params() const;

  // Every member's training state (Member::save), in member order, on every process; and back (each process
  // takes its own members, so a state saved on one number of processes continues on another).
  std::vector<double> all_states() const;
  void restore_states(const std::vector<double>& all);
  std::size_t state_size() const { return Member<T>::state_size(shape_); }

  const NetworkShape& shape() const { return shape_; }
  std::size_t members() const { return members_; }
  // The reduction of statistics(); Centre::Mean unless set.
  void set_centre(Centre centre) { centre_ = centre; }

 private:
  // Owned members' predictions of every cell, owned x rows x endpoints.
  std::vector<double> predict_owned(const MatrixT<T>& inputs) const;

  NetworkShape shape_;
  std::size_t members_ = 0;
  Centre centre_ = Centre::Mean;
  const MemberDistribution& distribution_;
  std::vector<Member<T>> owned_;
};

}  // namespace elec::model
