#pragma once
// The bootstrap ensemble and its self-consistent imputation loop (Drakopoulos et al. 2021, "Artificial
// intelligence"): train on the mean-filled table, then repeatedly predict every blank with every member, soften
// the estimate towards the ensemble mean, and keep training on the updated table until the blanks settle.
//
// This rank holds members [first, last) of `members`; the caller's gather function returns every member's values
// in member order (on one rank it is the identity), so means and spreads are summed in member order and do not
// depend on how members are spread over ranks or threads.
#include <cstdint>
#include <functional>
#include <vector>

#include "elec/data/matrix.hpp"
#include "elec/data/study_config.hpp"
#include "elec/model/member.hpp"

namespace elec::model {

struct PassRecord {
  int pass = 0;             // 0: initial training, 1..: imputation passes
  double max_change = 0.0;  // largest change of a blank, standardised units
  double mean_change = 0.0;
  double seconds = 0.0;     // wall time since the start of fit/predict
};

struct EnsembleResult {
  Matrix values;      // rows x E: measured where measured, ensemble mean elsewhere (standardised)
  Matrix spread;      // rows x E: standard deviation over members, every cell
  Matrix prediction;  // rows x E: ensemble mean for every cell; measured cells are predicted from the others
  std::vector<double> member_predictions;  // members x rows x E when asked for, else empty
  std::vector<PassRecord> history;
  bool converged = false;
};

using GatherMembers =
    std::function<std::vector<double>(const std::vector<double>& owned_values, std::size_t values_per_member)>;
using PassObserver = std::function<void(const PassRecord&)>;

template <class T>
class Ensemble {
 public:
  // Fresh members, initialised and bootstrapped from (seed, member index) over `rows` training rows.
  Ensemble(const NetworkShape& shape, std::size_t members, std::size_t first, std::size_t last,
           std::uint64_t seed, std::size_t rows);
  // Trained members [first, last), e.g. read from a model file.
  Ensemble(const NetworkShape& shape, std::size_t members, std::size_t first,
           std::vector<NetworkParams<T>> owned_params);

  // Trains with the imputation loop on a standardised table (endpoints NaN where blank).
  EnsembleResult fit(const Matrix& descriptors, const Matrix& endpoints, const data::StudyConfig& config,
                     const GatherMembers& gather, const PassObserver& observe);

  // Imputes the blanks of new rows with the trained members (no training).
  EnsembleResult predict(const Matrix& descriptors, const Matrix& endpoints, const data::StudyConfig& config,
                         const GatherMembers& gather, const PassObserver& observe, bool keep_members);

  const NetworkShape& shape() const { return shape_; }
  std::size_t members() const { return members_; }
  std::size_t first() const { return first_; }
  const std::vector<Member<T>>& owned() const { return owned_; }

 private:
  void train_owned(int epochs, const TrainingSettings& settings, const TrainingTable<T>& table);
  // Every owned member's prediction of every cell, member-major (owned x rows x E).
  std::vector<double> predict_owned(const MatrixT<T>& inputs) const;
  EnsembleResult run_passes(const Matrix& descriptors, const Matrix& endpoints, const data::StudyConfig& config,
                            const GatherMembers& gather, const PassObserver& observe, bool keep_members,
                            const std::function<void(const MatrixT<T>&)>& train_between);

  NetworkShape shape_;
  std::size_t members_ = 0;
  std::size_t first_ = 0;
  MatrixT<T> mask_;
  std::vector<Member<T>> owned_;
};

}  // namespace elec::model
