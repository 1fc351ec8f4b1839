#include "elec/io/evaluation_file.hpp"

#include "elec/eval/head_to_head.hpp"
#include "elec/io/hdf5.hpp"

namespace elec::io {
namespace {

// The read-out of a cross-validation: what each fold read each endpoint off (chosen on the other folds), the
// forecasts it chose between, and the ensemble's own R^2 per target.
void write_readout(Group group, const eval::CrossValidation& cv, const std::vector<double>& ensemble_r2) {
  std::vector<std::int64_t> chosen;
  for (const auto& fold : cv.readout_by_fold)
    for (model::Readout r : fold) chosen.push_back(static_cast<std::int64_t>(r));
  group.write("by_fold", chosen, {cv.readout_by_fold.size(), static_cast<hsize_t>(cv.mean.cols())});
  group.set_attribute("codes",
                      "0 = ensemble, 1 = neighbours, 2 = their average, 3 = the average of the ensemble and the lasso "
                      "(folds x endpoints)");
  group.write("ensemble_mean", cv.ensemble_mean);
  if (cv.forecasts.neighbours.size() > 0) group.write("neighbour_mean", cv.forecasts.neighbours);
  if (cv.forecasts.lasso.size() > 0) group.write("lasso_mean", cv.forecasts.lasso);
  group.write("ensemble_r2", ensemble_r2, {ensemble_r2.size()});
  group.set_attribute("ensemble_median_r2_well_measured", cv.ensemble_median_r_squared_well_measured);
}

// One row per score (a target, or the average): ten-level coverage curves, +-1/+-2 std, log loss, sharpness.
void write_calibration_scores(Group group, const std::vector<eval::CalibrationScore>& scores) {
  const std::size_t n = scores.size(), L = eval::kLevels;
  std::vector<double> gaussian, members, within1, within2, loss, sharpness;
  for (const auto& s : scores) {
    gaussian.insert(gaussian.end(), s.gaussian_coverage.begin(), s.gaussian_coverage.end());
    members.insert(members.end(), s.member_coverage.begin(), s.member_coverage.end());
    within1.push_back(s.within_1std), within2.push_back(s.within_2std);
    loss.push_back(s.log_loss), sharpness.push_back(s.sharpness);
  }
  group.write("gaussian_coverage", gaussian, {n, L});
  group.write("member_coverage", members, {n, L});
  group.write("within_1std", within1, {n});
  group.write("within_2std", within2, {n});
  group.write("log_loss", loss, {n});
  group.write("median_std", sharpness, {n});
}

}  // namespace

void write_cross_validation(const std::string& path, const data::Dataset& dataset, const eval::CrossValidation& cv,
                            const std::string& config_text, const Provenance& provenance) {
  File file = File::create(path);
  {
    write_provenance(file, "elec_hpc cross-validation", kCrossValidationFormatVersion, provenance);
    file.set_attribute("folds", static_cast<std::int64_t>(cv.folds));
    file.set_attribute("median_r2", cv.median_r_squared);
    file.set_attribute("median_r2_well_measured", cv.median_r_squared_well_measured);
    file.set_attribute("well_measured_values", static_cast<std::int64_t>(eval::kWellMeasuredValues));
    file.set_attribute("config_text", config_text);
    file.write("levels", std::vector<double>(eval::kCoverageLevels.begin(), eval::kCoverageLevels.end()),
               {eval::kLevels});
    std::vector<std::string> names;
    std::vector<double> r2, rmse, mae, values, scale, ensemble_r2;
    std::vector<eval::CalibrationScore> raw{cv.raw}, calibrated{cv.calibrated};  // row 0: the average over targets
    for (const auto& t : cv.targets) {
      names.push_back(t.name), r2.push_back(t.r_squared), rmse.push_back(t.rmse), values.push_back(t.values);
      mae.push_back(t.mae);
      scale.push_back(t.scale), raw.push_back(t.raw), calibrated.push_back(t.calibrated);
      ensemble_r2.push_back(t.ensemble_r_squared);
    }
    auto targets = file.create_group("targets");
    targets.write("names", names);
    targets.write("r2", r2, {r2.size()});
    targets.write("rmse", rmse, {rmse.size()});
    targets.write("mae", mae, {mae.size()});
    targets.write("values", values, {values.size()});
    targets.write("scale", scale, {scale.size()});
    write_calibration_scores(file.create_group("raw"), raw);
    write_calibration_scores(file.create_group("calibrated"), calibrated);
    auto cells = file.create_group("cells");
    cells.write("row_ids", dataset.row_ids);
    cells.write("endpoint_names", dataset.endpoint_names);
    std::vector<std::int64_t> fold(cv.fold_of_row.begin(), cv.fold_of_row.end());
    cells.write("fold", fold, {fold.size()});
    cells.write("mean", cv.mean);
    cells.write("std", cv.spread);
    cells.write("scale", cv.scale);
    cells.write("measured", dataset.endpoints);
    if (!cv.members.offsets.empty())
      cells.write("member_intervals", cv.members.offsets, {cv.members.rows, cv.members.endpoints, 2, eval::kLevels});
    if (!cv.readout_by_fold.empty()) write_readout(file.create_group("readout"), cv, ensemble_r2);
  }
  file.close();
}

namespace {

void write_model_row(Group group, const eval::ModelRow& m) {
  group.set_attribute("has_uncertainty", static_cast<std::int64_t>(m.has_uncertainty));
  group.set_attribute("uses_endpoints", static_cast<std::int64_t>(m.uses_endpoints));
  group.set_attribute("median_r2", m.median_r_squared);
  group.set_attribute("median_r2_well_measured", m.median_r_squared_well_measured);
  group.write("mean", m.mean);
  group.write("std", m.spread);
  std::vector<double> r2, rmse, mae, values;
  std::vector<eval::CalibrationScore> calibration{m.calibration};  // row 0: the average over targets
  for (const auto& t : m.targets) {
    r2.push_back(t.r_squared), rmse.push_back(t.rmse), mae.push_back(t.mae), values.push_back(t.values);
    calibration.push_back(t.raw);
  }
  group.write("r2", r2, {r2.size()});
  group.write("rmse", rmse, {rmse.size()});
  group.write("mae", mae, {mae.size()});
  group.write("values", values, {values.size()});
  write_calibration_scores(group.create_group("calibration"), calibration);
}

// The ensemble against each other model (eval/head_to_head.hpp), one entry per model.
void write_head_to_head(Group group, const std::vector<eval::HeadToHead>& rows) {
  std::vector<std::string> models;
  std::vector<std::int64_t> targets, ahead;
  std::vector<double> margin;
  for (const eval::HeadToHead& h : rows)
    models.push_back(h.model), targets.push_back(h.targets), ahead.push_back(h.ensemble_better),
        margin.push_back(h.mean_difference);
  group.set_attribute("well_measured_values", static_cast<std::int64_t>(eval::kWellMeasuredValues));
  group.write("models", models);
  group.write("targets", targets, {targets.size()});
  group.write("ensemble_better", ahead, {ahead.size()});
  group.write("mean_r2_difference", margin, {margin.size()});
}

}  // namespace

void write_comparison(const std::string& path, const data::Dataset& dataset, const eval::Comparison& comparison,
                      const ComparisonInfo& info, const Provenance& provenance) {
  File file = File::create(path);
  {
    write_provenance(file, "elec_hpc comparison", kComparisonFormatVersion, provenance);
    file.set_attribute("folds", static_cast<std::int64_t>(comparison.folds));
    file.set_attribute("group", info.group);
    file.set_attribute("seed", static_cast<std::int64_t>(info.seed));
    file.set_attribute("config_text", info.config_text);
    file.set_attribute("note", info.note);
    file.set_attribute("well_measured_values", static_cast<std::int64_t>(eval::kWellMeasuredValues));
    file.write("levels", std::vector<double>(eval::kCoverageLevels.begin(), eval::kCoverageLevels.end()),
               {eval::kLevels});
    std::vector<std::string> names, model_names;
    std::vector<std::int64_t> target_of_column(static_cast<std::size_t>(dataset.endpoints.cols()));
    for (const auto& [name, columns] : eval::targets_of(dataset)) {
      for (Eigen::Index j : columns)
        target_of_column[static_cast<std::size_t>(j)] = static_cast<std::int64_t>(names.size());
      names.push_back(name);
    }
    auto targets = file.create_group("targets");
    targets.write("names", names);
    auto models = file.create_group("models");
    for (const auto& m : comparison.models) {
      model_names.push_back(m.name);
      write_model_row(models.create_group(m.name), m);
    }
    file.write("model_names", model_names);
    // Only beside an ensemble row (`--models` may leave it out).
    if (const auto rows = eval::head_to_head(comparison); !rows.empty())
      write_head_to_head(file.create_group("head_to_head"), rows);
    auto cells = file.create_group("cells");
    cells.write("row_ids", dataset.row_ids);
    cells.write("endpoint_names", dataset.endpoint_names);
    cells.write("endpoint_units", dataset.endpoint_units);
    cells.write("target", target_of_column, {target_of_column.size()});
    std::vector<std::int64_t> fold(comparison.fold_of_row.begin(), comparison.fold_of_row.end());
    cells.write("fold", fold, {fold.size()});
    cells.write("measured", dataset.endpoints);
    // What the baselines saw, so that a peer (bench/compare_sklearn.py) can fit on exactly the same inputs.
    cells.write("descriptor_names", dataset.descriptor_names);
    cells.write("descriptors", dataset.descriptors);
  }
  file.close();
}

}  // namespace elec::io
