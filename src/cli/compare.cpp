// elec_hpc compare: the ensemble against the paper's baselines (lasso, random forest, gradient-boosted trees,
// Gaussian-process regression) on the folds of `elec_hpc cv` (same seed, same --group): per target and model R^2,
// RMSE, MAE and, for models with an uncertainty, coverage and log loss; everything to HDF5
// (scripts/compare_figures.py draws the figures from it).
#include <cmath>
#include <cstdio>
#include <memory>
#include <sstream>
#include <utility>

#include "elec/cli/command.hpp"
#include "elec/cli/outputs.hpp"
#include "elec/cli/preflight.hpp"
#include "elec/cli/reporter.hpp"
#include "elec/data/study_inputs.hpp"
#include "elec/eval/comparison.hpp"
#include "elec/eval/head_to_head.hpp"
#include "elec/io/evaluation_file.hpp"

namespace elec::cli {
namespace {

struct CompareOptions {
  StudyFiles study;
  std::string out = "compare.h5", group;
  std::string models = "ensemble,lasso,random_forest,gradient_boosting,gpr";
  int folds = 5;
};

const char* const kBaselineNote = "baselines see the descriptors only; the ensemble also imputes sparse endpoints";

std::vector<std::string> split_names(const std::string& list) {
  std::vector<std::string> names;
  std::stringstream in(list);
  for (std::string name; std::getline(in, name, ',');) names.push_back(name);
  return names;
}

// A number in `width` characters (at least one space before it), or blanks where the model has none (no
// uncertainty, or no value). Beyond 1e5 in scientific notation: a forest whose trees all agree has a zero std,
// and its log loss can reach 1e10, which must not run into the next column.
std::string cell(double value, int decimals, int width) {
  char text[64];
  if (std::isnan(value))
    std::snprintf(text, sizeof text, "%*s", width, "");
  else if (std::abs(value) >= 1e5)
    std::snprintf(text, sizeof text, "%*.2e", width, value);
  else
    std::snprintf(text, sizeof text, "%*.*f", width, decimals, value);
  return text;
}

// RMSE and MAE in data units of any size: four significant digits.
std::string cell_g(double value, int width) {
  char text[64];
  if (std::isnan(value))
    std::snprintf(text, sizeof text, "%*s", width, "");
  else
    std::snprintf(text, sizeof text, "%*.4g", width, value);
  return text;
}

void print_row(const std::string& label, double r2, double rmse, double mae, const eval::CalibrationScore& c) {
  std::printf("  %-20s%s%s%s%s%s%s\n", label.c_str(), cell(r2, 3, 8).c_str(), cell_g(rmse, 11).c_str(),
              cell_g(mae, 11).c_str(), cell(c.within_1std, 2, 9).c_str(), cell(c.within_2std, 2, 9).c_str(),
              cell(c.log_loss, 2, 10).c_str());
}

void print_header(const std::string& first) {
  std::printf("  %-20s%8s%11s%11s%9s%9s%10s\n", first.c_str(), "R^2", "RMSE", "MAE", "in 1std", "in 2std", "log loss");
}

void print_head_to_head(const std::vector<eval::HeadToHead>& rows) {
  if (rows.empty()) return;
  std::printf("\nthe ensemble against each model, target by target (at least %d held-out values)\n",
              eval::kWellMeasuredValues);
  std::printf("  %-20s%16s%18s\n", "model", "ensemble ahead", "mean R^2 margin");
  for (const eval::HeadToHead& h : rows)
    std::printf("  %-20s%16s%s\n", h.model.c_str(),
                (std::to_string(h.ensemble_better) + " of " + std::to_string(h.targets)).c_str(),
                cell(h.mean_difference, 3, 18).c_str());
}

// Per target one row per model, then the median R^2 and the average calibration per model, then the calibration
// curves. Deterministic text (no timings): the same on any number of ranks.
void print_table(const eval::Comparison& c, const data::StudyConfig& config) {
  std::printf("\n%s\n", kBaselineNote);
  if (config.calibration_neighbours > 0)
    std::printf(
        "ensemble: each target read off the networks, its %d nearest training cells or their average, as "
        "the other folds choose ([calibration] neighbours)\n",
        config.calibration_neighbours);
  if (config.calibration_lasso)
    std::printf(
        "ensemble: a target may be read off the average of the networks and a lasso on the descriptors, as the "
        "other folds choose ([calibration] lasso)\n");
  std::printf(
      "ensemble: std = members' spread x variance scale fitted on the other folds; ensemble_raw: the spread as "
      "it is\ncoverage = fraction of measured values within +-1/+-2 std (expected 0.68/0.95); log loss: "
      "standardised, below 0 beats the training folds' mean\n");
  for (std::size_t t = 0; t < c.models.front().targets.size(); ++t) {
    std::printf("\n%s (%d values)\n", c.models.front().targets[t].name.c_str(), c.models.front().targets[t].values);
    print_header("model");
    for (const eval::ModelRow& m : c.models) {
      const eval::TargetScore& s = m.targets[t];
      print_row(m.name, s.r_squared, s.rmse, s.mae, s.raw);
    }
  }
  std::printf("\nall targets (median R^2; coverage and log loss averaged over targets)\n");
  print_header("model");
  for (const eval::ModelRow& m : c.models) print_row(m.name, m.median_r_squared, NAN, NAN, m.calibration);
  std::printf("\ntargets with at least %d held-out values (median R^2)\n", eval::kWellMeasuredValues);
  for (const eval::ModelRow& m : c.models)
    std::printf("  %-20s%s\n", m.name.c_str(), cell(m.median_r_squared_well_measured, 3, 8).c_str());
  print_head_to_head(eval::head_to_head(c));
  std::printf("\ncoverage of central Gaussian intervals (average over targets; expected = level)\n  %-20s", "level");
  for (double level : eval::kCoverageLevels) std::printf(" %5.2f", level);
  for (const eval::ModelRow& m : c.models) {
    if (!m.has_uncertainty) continue;
    std::printf("\n  %-20s", m.name.c_str());
    for (double v : m.calibration.gaussian_coverage) std::printf(" %5.2f", v);
  }
  std::printf("\n\n");
  std::fflush(stdout);
}

// One of the models' medians (`median`: over all targets, or over the well-measured ones), model by model.
std::string median_r2_summary(const eval::Comparison& c, double eval::ModelRow::*median) {
  std::string text;
  for (const eval::ModelRow& m : c.models) {
    if (m.name == eval::kEnsembleRawName) continue;  // the ensemble's means again
    text += (text.empty() ? "" : ", ") + m.name + " " + format_fixed(m.*median, 3);
  }
  return text;
}

// "lasso 5/11, random_forest 7/11, ... targets with >= 10 values"; empty without an ensemble row.
std::string head_to_head_summary(const eval::Comparison& c) {
  std::string text;
  for (const eval::HeadToHead& h : eval::head_to_head(c))
    text += (text.empty() ? "" : ", ") + h.model + " " + std::to_string(h.ensemble_better) + "/" +
            std::to_string(h.targets);
  return text.empty() ? text : text + " targets with >= " + std::to_string(eval::kWellMeasuredValues) + " values";
}

int run_compare(const CompareOptions& o, const RunContext& context) {
  Reporter report(context, "compare");
  const std::vector<std::string> models = split_names(o.models);
  eval::check_model_names(models);  // before any file is read: a typo costs nothing
  const data::StudyInputs in = load_study(o.study, {{o.out, "--out"}}, context, data::Purpose::PredictNewCells);
  if (o.folds < 2 || static_cast<std::size_t>(o.folds) > in.dataset.rows())
    throw data::InputError("--folds " + std::to_string(o.folds) + ": expected 2 to " +
                           std::to_string(in.dataset.rows()) + " (the number of cells)\n");
  const std::vector<int> folds =
      eval::assign_folds(eval::group_labels(in.table, o.group), in.dataset.rows(), o.folds, in.config.seed);
  report.line(in.table.file + ": " + std::to_string(in.dataset.rows()) + " cells in " + std::to_string(o.folds) +
              " folds" + (o.group.empty() ? "" : " (replicates of one " + o.group + " kept together)") + "; models " +
              o.models + " on " + std::to_string(context.comm.size()) + " ranks x " + std::to_string(context.threads) +
              " threads");
  const eval::Comparison comparison = eval::compare_models(
      in.dataset, in.schema, in.config, CommDistribution(context.comm), folds, o.folds, models,
      [&](const eval::ComparisonProgress& p) {
        const std::string what = p.stage == "ensemble" ? "ensemble: fold " : "baselines: fit ";
        report.line(what + std::to_string(p.done) + "/" + std::to_string(p.total) +
                    (p.stage == "ensemble" ? "" : " of rank 0") + " done, " + format_fixed(p.seconds, 1) + " s");
      });
  const io::ComparisonInfo info{o.group, in.config.seed, in.config.text, kBaselineNote};
  write_on_root(context, {{o.out, [&](const std::string& temp) {
                             io::write_comparison(temp, in.dataset, comparison, info, provenance(context));
                           }}});
  if (context.comm.is_root()) print_table(comparison, in.config);
  report.add_summary("data", in.table.file + ", " + std::to_string(in.dataset.rows()) + " cells, " +
                                 std::to_string(comparison.models.front().targets.size()) + " targets");
  report.add_summary("protocol", std::to_string(o.folds) + " folds" + (o.group.empty() ? "" : " by " + o.group) +
                                     " (those of elec_hpc cv), held-out cells predicted from descriptors alone, seed " +
                                     std::to_string(in.config.seed));
  std::string names;
  for (const eval::ModelRow& m : comparison.models) names += (names.empty() ? "" : ", ") + m.name;
  report.add_summary("models", names + "; " + std::to_string(comparison.baseline_fits) + " baseline fits");
  report.add_summary("median R^2", median_r2_summary(comparison, &eval::ModelRow::median_r_squared));
  report.add_summary("median R^2 of targets with >= " + std::to_string(eval::kWellMeasuredValues) + " values",
                     median_r2_summary(comparison, &eval::ModelRow::median_r_squared_well_measured));
  if (const std::string ahead = head_to_head_summary(comparison); !ahead.empty())
    report.add_summary("ensemble ahead on", ahead);
  report.add_summary("output", o.out);
  report.print_summary();
  return 0;
}

}  // namespace

Command add_compare_command(CLI::App& parent) {
  auto options = std::make_shared<CompareOptions>();
  CLI::App* app = parent.add_subcommand(
      "compare",
      "the ensemble against lasso, random forest, XGBoost and GPR on the folds of cv: R^2, RMSE, MAE, calibration.");
  add_study_options(app, options->study);
  add_fold_options(app, options->folds, options->group);
  app->add_option("--models", options->models, "comma-separated models to compare")->capture_default_str();
  app->add_option("--out", options->out, "results file to write (HDF5)")->capture_default_str();
  return {app, [options](const RunContext& context) { return run_compare(*options, context); }};
}

}  // namespace elec::cli
