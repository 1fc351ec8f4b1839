#pragma once
// k-fold cross-validation of the whole method (the paper's model-selection protocol): each fold trains on the
// other folds' cells and predicts its own cells' endpoints from their descriptors alone. Replicate cells of one
// manufacturing case can be kept together (a group per case), so a fold never sees a replicate of a cell it is
// scored on. Scores: per endpoint R^2, RMSE and calibration (measured values within +-1 and +-2 predicted std),
// a curve scored point by point as one target, and the median R^2 over the targets.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "elec/data/csv.hpp"
#include "elec/data/dataset.hpp"
#include "elec/data/schema.hpp"
#include "elec/data/study_config.hpp"
#include "elec/model/distribution.hpp"

namespace elec::eval {

// The label of each row from a column of the cell table (any role, typically an ignored "case" column); "" = no
// groups. Throws InputError naming the file when the column is absent.
std::vector<std::string> group_labels(const data::CsvDocument& table, const std::string& column);

// Fold of each row: groups (one label per row; empty = each row its own group) are shuffled reproducibly from the
// seed and dealt to the folds in turn, so the assignment is a pure function of (labels, folds, seed).
std::vector<int> assign_folds(const std::vector<std::string>& groups, std::size_t rows, int folds, std::uint64_t seed);

// One target: a scalar endpoint, or a whole curve (all its points pooled).
struct TargetScore {
  std::string name;
  double r_squared = 0.0;  // NaN when undefined (fewer than two values or no variance)
  double rmse = 0.0;
  double within_1std = 0.0, within_2std = 0.0;  // fraction of measured values
  int values = 0;
};

struct CrossValidation {
  int folds = 0;
  std::vector<int> fold_of_row;
  Matrix mean, spread;  // rows x endpoints, out-of-fold predictions (data units)
  std::vector<TargetScore> targets;
  double median_r_squared = 0.0;  // over targets with a defined R^2
};

struct FoldProgress {
  int fold = 0, folds = 0;
  double seconds = 0.0;
};

CrossValidation cross_validate(const data::Dataset& dataset, const data::Schema& schema,
                               const data::StudyConfig& config, const model::MemberDistribution& distribution,
                               const std::vector<int>& fold_of_row, int folds,
                               const std::function<void(const FoldProgress&)>& progress = nullptr);

// Scores out-of-fold predictions against the measured values (NaN = not measured).
std::vector<TargetScore> score_targets(const data::Dataset& dataset, const Matrix& mean, const Matrix& spread);
double median_r_squared(const std::vector<TargetScore>& targets);

}  // namespace elec::eval
