#pragma once
// k-fold cross-validation of the whole method (the paper's model-selection protocol): each fold trains on the
// other folds' cells and predicts its own cells' endpoints from their descriptors alone. Replicate cells of one
// manufacturing case can be kept together (a group per case), so a fold never sees a replicate of a cell it is
// scored on. Scores: per endpoint R^2, RMSE and calibration (eval/calibration: coverage curves, +-1/+-2 std,
// log loss, sharpness) of the raw ensemble spread and of the spread scaled by a variance scale fitted on the
// other folds; a curve scored point by point as one target; the median R^2 over the targets.
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "elec/data/csv.hpp"
#include "elec/data/dataset.hpp"
#include "elec/data/schema.hpp"
#include "elec/data/study_config.hpp"
#include "elec/eval/calibration.hpp"
#include "elec/eval/metrics.hpp"
#include "elec/model/distribution.hpp"
#include "elec/model/imputation_loop.hpp"
#include "elec/model/readout.hpp"
#include "elec/model/schedule_selection.hpp"

namespace elec::eval {

// The label of each row from a column of the cell table (any role, typically an ignored "case" column); "" = no
// groups. Throws InputError naming the file when the column is absent.
std::vector<std::string> group_labels(const data::CsvDocument& table, const std::string& column);

// Fold of each row: groups (one label per row; empty = each row its own group) are shuffled reproducibly from the
// seed and dealt to the folds in turn, so the assignment is a pure function of (labels, folds, seed).
std::vector<int> assign_folds(const std::vector<std::string>& groups, std::size_t rows, int folds, std::uint64_t seed);

// The rows of fold `fold` (held) and of every other fold (training), in row order.
void split_rows(const std::vector<int>& fold_of_row, int fold, std::vector<Eigen::Index>& training,
                std::vector<Eigen::Index>& held);
// The dataset of some rows of another (ids, descriptors, endpoints, given derived values), in the order given.
data::Dataset rows_of(const data::Dataset& all, const std::vector<Eigen::Index>& rows);

// One target: a scalar endpoint, or a whole curve (all its points pooled).
struct TargetScore {
  std::string name;
  double r_squared = 0.0;  // NaN when undefined (fewer than two values or no variance)
  double rmse = 0.0;
  double mae = 0.0;  // mean absolute error; NaN without values
  int values = 0;
  double scale = 1.0;  // variance scale fitted on every fold's out-of-fold predictions (what train stores)
  double ensemble_r_squared = std::nan("");  // with the neighbour read-out: the ensemble's own R^2 (else NaN)
  CalibrationScore raw;                      // the ensemble spread as it is
  CalibrationScore calibrated;               // each fold's spread scaled by the scale fitted on the other folds
};

struct CrossValidation {
  int folds = 0;
  std::vector<int> fold_of_row;
  Matrix mean, spread;  // rows x endpoints, out-of-fold predictions (data units), as read out
  // With [calibration] neighbours or lasso: the ensemble's own out-of-fold means, the out-of-fold forecasts offered
  // beside it (model/readout: the neighbours', the lasso's), and each fold's read-outs chosen on the other folds
  // (folds x endpoints), which made `mean`. Without: empty.
  Matrix ensemble_mean;
  model::ReadoutForecasts forecasts;
  std::vector<std::vector<model::Readout>> readout_by_fold;
  MemberIntervals members;  // the members' central intervals of every out-of-fold prediction
  Matrix scale;             // rows x endpoints: the scale fitted on the other folds
  std::vector<TargetScore> targets;
  CalibrationScore raw, calibrated;                               // averages over the targets (each target counts once)
  double median_r_squared = 0.0;                                  // over targets with a defined R^2
  double median_r_squared_well_measured = 0.0;                    // over those with at least kWellMeasuredValues values
  double ensemble_median_r_squared_well_measured = std::nan("");  // the same of the ensemble alone (read-out only)
};

struct FoldProgress {
  int fold = 0, folds = 0;
  double seconds = 0.0;
  // What the fold's own schedule selection chose (nullptr: it ran none in this run: given, not automatic, or the
  // fold taken from a checkpoint's record).
  const model::ScheduleSelection* selection = nullptr;
};

// `selected`: train every fold with this selection's schedule instead of selecting one per fold (see
// model::train_model). `safe`: each finished fold is a unit of these safe points ("<scope>/fold k"), and so is
// the training under way inside a fold ("<scope>/fold k/..."); a resumed run takes finished folds from the record.
CrossValidation cross_validate(const data::Dataset& dataset, const data::Schema& schema,
                               const data::StudyConfig& config, const model::MemberDistribution& distribution,
                               const std::vector<int>& fold_of_row, int folds,
                               const std::function<void(const FoldProgress&)>& progress = nullptr,
                               const model::ScheduleSelection* selected = nullptr,
                               const model::SafePointScope& safe = {},
                               const model::ReadoutForecasts* forecasts = nullptr);

// The scorer of any out-of-fold forecasts (cv's ensemble, compare's every model), per target (targets_of): the
// accuracy of `mean` (values, R^2, RMSE, MAE) and in `raw` the calibration of N(mean, (scale * spread)^2) and of
// the members' intervals (scaled alike), against the training folds' mean and variance (reference_forecasts).
// spread == nullptr: a model without uncertainty, `raw` left NaN with values 0; members, scale: optional
// (nullptr = none, 1). `scale` and `calibrated` of the results are left at their defaults.
std::vector<TargetScore> score_forecasts(const data::Dataset& dataset, const Matrix& mean, const Matrix* spread,
                                         const MemberIntervals* members, const Matrix* scale,
                                         const std::vector<int>& fold_of_row, int folds);

// The forecasts offered beside the ensemble, each fold's from the other folds: their k nearest cells when
// neighbours > 0, a lasso when `lasso`. They depend on the data and the folds only, so the trials of a tune study
// share one set.
model::ReadoutForecasts out_of_fold_forecasts(const data::Dataset& dataset, const std::vector<int>& fold_of_row,
                                              int folds, int neighbours, bool lasso);
// The read-out of cv's out-of-fold predictions: keeps the ensemble's means in ensemble_mean, takes `forecasts` (of
// cv's folds) and reads each fold out as the other folds choose.
void read_out_cross_fitted(const data::Dataset& dataset, model::ReadoutForecasts forecasts, CrossValidation& cv);

// Scores the out-of-fold predictions of cv (mean, spread, members, fold_of_row) against the measured values (NaN =
// not measured): fills scale, targets, raw, calibrated and median_r_squared.
void score_cross_validation(const data::Dataset& dataset, CrossValidation& cv);
// The average of per-target scores, each target counting once (targets without values are skipped).
CalibrationScore average_score(const std::vector<CalibrationScore>& scores);

}  // namespace elec::eval
