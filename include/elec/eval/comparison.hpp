#pragma once
// The imputing ensemble against the paper's baselines (lasso, random forest, gradient-boosted trees, Gaussian-
// process regression), on the same folds as `elec_hpc cv`: every model predicts each held-out cell, and every
// model is scored by the scorer of cv (score_forecasts). The baselines see the encoded descriptors only: a
// baseline is a single-output regressor, so it fits one endpoint column at a time on the cells where that column
// was measured and cannot use the other (sparse) endpoints as the ensemble does.
//
// Steps of compare_models:
//   1. checked_models: the names asked for, known and each named once;
//   2. ensemble_rows: eval::cross_validate (every fold's members spread over the processes), reported as two
//      rows with the same means: "ensemble", whose std is the members' spread times the variance scale fitted
//      on the other folds (the std a model trained with [calibration] reports), and "ensemble_raw", the
//      members' spread as it is;
//   3. baseline_items: one fit per (fold, endpoint column, baseline), in that order, so that a contiguous block
//      of items holds whole folds' worth of every baseline and the processes' shares cost about the same;
//   4. fit_owned_items: this process fits its block (MemberDistribution::owned), OpenMP over the items, each
//      writing its held-out rows' mean and std into its own slot (NaN elsewhere: a fixed size per item);
//   5. the slots gathered in item order (MemberDistribution::gather), so every process holds every fit;
//   6. baseline_rows: the items laid out as each baseline's rows x endpoints mean and std;
//   7. score_row: score_forecasts per target, the average calibration and the median R^2.
//
// Every fit's randomness comes from a seed derived from (study seed, baseline, column, fold), so a fit does not
// depend on the process or thread that runs it, nor on which other models were asked for: the comparison is the
// same bits on any number of processes and threads.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "elec/data/dataset.hpp"
#include "elec/data/schema.hpp"
#include "elec/data/study_config.hpp"
#include "elec/eval/cross_validation.hpp"
#include "elec/eval/regressor.hpp"
#include "elec/model/distribution.hpp"

namespace elec::eval {

// The models compare knows, in the order it reports them ("ensemble" also adds its "ensemble_raw" row).
const std::vector<std::string>& comparable_models();
inline const std::string kEnsembleName = "ensemble";
inline const std::string kEnsembleRawName = "ensemble_raw";

// Throws data::InputError naming the problem when a name is unknown or repeated, or the list is empty.
void check_model_names(const std::vector<std::string>& models);

// A fresh, unfitted baseline by name ("lasso", "random_forest", "gradient_boosting", "gpr"), with the options
// compare uses (each library's defaults). Throws std::invalid_argument on any other name.
std::unique_ptr<Regressor> make_baseline(const std::string& name);

// The seed of one baseline fit: a hash of (study seed, baseline name, endpoint column, fold).
std::uint64_t fit_seed(std::uint64_t study_seed, const std::string& baseline, int column, int fold);

// One row of the comparison: a model's out-of-fold forecasts of every cell and their scores.
struct ModelRow {
  std::string name;
  bool has_uncertainty = false;
  bool uses_endpoints = false;  // the ensemble imputes the sparse endpoints; the baselines see descriptors only
  Matrix mean, spread;          // rows x endpoints, out-of-fold (data units); spread NaN without uncertainty
  // Per target (targets_of): values, R^2, RMSE, MAE of the means, and in `raw` the calibration of `spread` as
  // this row reports it (NaN without uncertainty; `scale` and `calibrated` unused).
  std::vector<TargetScore> targets;
  CalibrationScore calibration;  // average over targets (NaN without uncertainty)
  double median_r_squared = 0.0;
  double median_r_squared_well_measured = 0.0;  // over targets with at least kWellMeasuredValues values
};

struct Comparison {
  int folds = 0;
  std::vector<int> fold_of_row;
  std::vector<ModelRow> models;  // in comparable_models() order, "ensemble_raw" right after "ensemble"
  int baseline_fits = 0;         // (fold, column, baseline) fits over all processes
};

struct ComparisonProgress {
  // "ensemble" (done/total = folds, after each fold) or "baselines" (done/total = this process's fits, about every
  // tenth of them and at least every 30 s)
  std::string stage;
  int done = 0, total = 0;
  double seconds = 0.0;  // since compare_models began
};

// Compares `models` (names of comparable_models(), in any order) on the folds of fold_of_row (assign_folds).
// Throws data::InputError on bad model names.
Comparison compare_models(const data::Dataset& dataset, const data::Schema& schema, const data::StudyConfig& config,
                          const model::MemberDistribution& distribution, const std::vector<int>& fold_of_row, int folds,
                          const std::vector<std::string>& models,
                          const std::function<void(const ComparisonProgress&)>& progress = nullptr);

}  // namespace elec::eval
