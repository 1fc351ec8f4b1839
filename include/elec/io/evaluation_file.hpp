#pragma once
// The evaluation results file formats (HDF5) of `elec_hpc cv` and `elec_hpc compare`. Layout documented in
// README.md ("HDF5 layout"). Written like the model file (io/model_file): at the path given, flush and close checked.
#include <cstdint>
#include <string>

#include "elec/data/dataset.hpp"
#include "elec/eval/comparison.hpp"
#include "elec/eval/cross_validation.hpp"
#include "elec/io/model_file.hpp"

namespace elec::io {

inline constexpr int kCrossValidationFormatVersion = 2;  // 2: calibration scores, raw and cross-fitted

// Cross-validation results (elec_hpc cv): per-target scores; /raw and /calibrated: calibration scores (row 0 the
// average over targets, then one row per target); every cell's out-of-fold prediction, std, the scale fitted on
// the other folds, and the members' central intervals (offsets from the mean: cells x endpoints x {low, high} x
// levels).
void write_cross_validation(const std::string& path, const data::Dataset& dataset, const eval::CrossValidation& cv,
                            const std::string& config_text, const Provenance& provenance);

inline constexpr int kComparisonFormatVersion = 1;

// What a comparison file records besides the results: the fold grouping, the seed, the config text and the note
// that the baselines see the descriptors only.
struct ComparisonInfo {
  std::string group;
  std::uint64_t seed = 0;
  std::string config_text, note;
};

// The comparison of elec_hpc compare: /levels, /targets (names, endpoint columns of each), per model
// /models/<name> (attributes has_uncertainty, uses_endpoints, median_r2; mean and std of every cell out of fold,
// r2, rmse, mae, values per target, /calibration as in a cross-validation file: row 0 the average over targets,
// then one row per target), /cells (row_ids, endpoint_names, fold, measured).
void write_comparison(const std::string& path, const data::Dataset& dataset, const eval::Comparison& comparison,
                      const ComparisonInfo& info, const Provenance& provenance);

}  // namespace elec::io
