// elec_hpc cv: k-fold cross-validation of the method on a study, the held-out cells predicted from their
// descriptors alone; per-target R^2, RMSE and calibration, and the median R^2 (the paper's tuning objective).
#include <cstdio>
#include <utility>
#include <vector>

#include "elec/cli/checkpointer.hpp"
#include "elec/cli/command.hpp"
#include "elec/cli/interruption.hpp"
#include "elec/cli/outputs.hpp"
#include "elec/cli/preflight.hpp"
#include "elec/cli/reporter.hpp"
#include "elec/data/study_inputs.hpp"
#include "elec/eval/cross_validation.hpp"
#include "elec/io/evaluation_file.hpp"

namespace elec::cli {
namespace {

struct CvOptions {
  StudyFiles study;
  std::string out = "cv.h5", group;
  int folds = 5;
  CheckpointOptions checkpoint;
};

std::string arrow(double raw, double calibrated, int decimals) {
  return format_fixed(raw, decimals) + " -> " + format_fixed(calibrated, decimals);
}

// Accuracy and calibration per target (raw ensemble spread -> spread scaled by the scale fitted on the other
// folds), then the calibration curves averaged over targets.
void print_scores(const eval::CrossValidation& cv) {
  std::printf("%-24s %7s %10s %6s %6s  %-14s %-14s %-16s %s\n", "target", "R^2", "RMSE", "values", "scale", "in 1std",
              "in 2std", "log loss", "median std");
  for (const auto& t : cv.targets)
    std::printf("%-24s %7.3f %10.4g %6d %6.2f  %-14s %-14s %-16s %.4g -> %.4g\n", t.name.c_str(), t.r_squared, t.rmse,
                t.values, t.scale, arrow(t.raw.within_1std, t.calibrated.within_1std, 2).c_str(),
                arrow(t.raw.within_2std, t.calibrated.within_2std, 2).c_str(),
                arrow(t.raw.log_loss, t.calibrated.log_loss, 2).c_str(), t.raw.sharpness, t.calibrated.sharpness);
  std::printf("%-24s %7s %10s %6s %6s  %-14s %-14s %-16s\n", "average over targets", "", "", "", "",
              arrow(cv.raw.within_1std, cv.calibrated.within_1std, 2).c_str(),
              arrow(cv.raw.within_2std, cv.calibrated.within_2std, 2).c_str(),
              arrow(cv.raw.log_loss, cv.calibrated.log_loss, 2).c_str());
  std::printf("\ncoverage of central intervals (average over targets; expected = level)\n%-31s", "level");
  for (double level : eval::kCoverageLevels) std::printf(" %5.2f", level);
  const std::pair<const char*, const std::array<double, eval::kLevels>*> rows[] = {
      {"Gaussian, raw spread", &cv.raw.gaussian_coverage},
      {"Gaussian, calibrated", &cv.calibrated.gaussian_coverage},
      {"members' quantiles, raw", &cv.raw.member_coverage},
      {"members' quantiles, calibrated", &cv.calibrated.member_coverage}};
  for (const auto& [label, values] : rows) {
    std::printf("\n%-31s", label);
    for (double v : *values) std::printf(" %5.2f", v);
  }
  std::printf("\n");
  std::fflush(stdout);
}

// With the neighbour read-out: each target's R^2 from the ensemble alone and as read out, and what each fold read
// it off (chosen on the other folds).
void print_readout(const data::Dataset& dataset, const eval::CrossValidation& cv) {
  if (cv.readout_by_fold.empty()) return;
  std::printf(
      "\nread-out of each fold, chosen on the other folds (e = ensemble, n = neighbours, a = their average, l = the "
      "average of the ensemble and the lasso)\n"
      "%-24s %9s %9s  %s\n",
      "target", "ensemble", "read out", "folds");
  const auto targets = eval::targets_of(dataset);
  for (std::size_t k = 0; k < cv.targets.size(); ++k) {
    std::string folds;
    for (const auto& fold : cv.readout_by_fold)
      folds += model::readout_name(fold[static_cast<std::size_t>(targets[k].second.front())]).front();
    std::printf("%-24s %9.3f %9.3f  %s\n", cv.targets[k].name.c_str(), cv.targets[k].ensemble_r_squared,
                cv.targets[k].r_squared, folds.c_str());
  }
  std::fflush(stdout);
}

std::string describe_readout(const eval::CrossValidation& cv, const data::StudyConfig& config) {
  if (cv.readout_by_fold.empty()) return "the ensemble ([calibration] neighbours = 0, lasso = false)";
  std::size_t moved = 0;
  for (std::size_t j = 0; j < cv.readout_by_fold.front().size(); ++j)
    for (const auto& fold : cv.readout_by_fold)
      if (fold[j] != model::Readout::Ensemble) {
        ++moved;
        break;
      }
  const int k = config.calibration_neighbours;
  std::vector<std::string> offered = {"ensemble"};
  if (k > 0) offered.insert(offered.end(), {std::to_string(k) + " nearest cells", "their average"});
  if (config.calibration_lasso) offered.push_back("its average with a lasso");
  std::string listed = offered.front();  // "a, b, c or d"
  for (std::size_t i = 1; i < offered.size(); ++i) listed += (i + 1 < offered.size() ? ", " : " or ") + offered[i];
  return listed + " per target, chosen on the other folds (" + std::to_string(moved) + " of " +
         std::to_string(cv.readout_by_fold.front().size()) +
         " columns off the ensemble in some fold); median R^2 (>= " + std::to_string(eval::kWellMeasuredValues) +
         " values) ensemble alone " + format_fixed(cv.ensemble_median_r_squared_well_measured, 4) + " -> read out " +
         format_fixed(cv.median_r_squared_well_measured, 4);
}

int run_cv(const CvOptions& o, const RunContext& context) {
  Reporter report(context, "cv");
  const InterruptionScope signals;
  const io::NamedPath checkpoint_file = checkpoint_output(o.checkpoint, o.out);
  const data::StudyInputs in =
      load_study(o.study, {{o.out, "--out"}, checkpoint_file}, context, data::Purpose::PredictNewCells);
  if (o.folds < 2 || static_cast<std::size_t>(o.folds) > in.dataset.rows())
    throw data::InputError("--folds " + std::to_string(o.folds) + ": expected 2 to " +
                           std::to_string(in.dataset.rows()) + " (the number of cells)\n");
  const std::vector<int> folds =
      eval::assign_folds(eval::group_labels(in.table, o.group), in.dataset.rows(), o.folds, in.config.seed);
  report.line(in.table.file + ": " + std::to_string(in.dataset.rows()) + " cells in " + std::to_string(o.folds) +
              " folds" + (o.group.empty() ? "" : " (replicates of one " + o.group + " kept together)") + "; " +
              std::to_string(in.config.members) + " members per fold on " + std::to_string(context.comm.size()) +
              " ranks x " + std::to_string(context.threads) + " threads");
  // The folds belong to the checkpoint's fingerprint: a resumed run must cut the table the same way.
  Checkpointer checkpointer(
      context, report, o.checkpoint, o.out,
      "cv --folds " + std::to_string(o.folds) + " --group '" + o.group + "' " + data::study_fingerprint(in));
  eval::CrossValidation cv;
  try {
    cv = eval::cross_validate(in.dataset, in.schema, in.config, CommDistribution(context.comm), folds, o.folds,
                              [&](const eval::FoldProgress& p) {
                                report.line("fold " + std::to_string(p.fold) + "/" + std::to_string(p.folds) +
                                            " done, " + format_fixed(p.seconds, 1) + " s" +
                                            (p.selection ? "; " + describe_selection(*p.selection) : ""));
                              },
                              nullptr, {&checkpointer, ""});
  } catch (const StoppedAtSafePoint& stop) {
    return report_stop(context, "cv", stop, checkpoint_file.path);
  }
  write_on_root(context, {{o.out, [&](const std::string& temp) {
                             io::write_cross_validation(temp, in.dataset, cv, in.config.text, provenance(context));
                           }}});
  remove_checkpoint(context, checkpoint_file.path);
  if (context.comm.is_root()) print_scores(cv), print_readout(in.dataset, cv);
  report.add_summary("data", in.table.file + ", " + std::to_string(in.dataset.rows()) + " cells, " +
                                 std::to_string(cv.targets.size()) + " targets");
  report.add_summary("protocol", std::to_string(o.folds) + " folds" + (o.group.empty() ? "" : " by " + o.group) +
                                     ", held-out cells predicted from descriptors alone, seed " +
                                     std::to_string(in.config.seed));
  report.add_summary("median R^2", format_fixed(cv.median_r_squared, 4) + " over all targets, " +
                                       format_fixed(cv.median_r_squared_well_measured, 4) + " over those with >= " +
                                       std::to_string(eval::kWellMeasuredValues) + " held-out values");
  report.add_summary("calibration", "+-1/+-2 std coverage (average over targets) " +
                                        arrow(cv.raw.within_1std, cv.calibrated.within_1std, 3) + " / " +
                                        arrow(cv.raw.within_2std, cv.calibrated.within_2std, 3) +
                                        " (raw -> variance scale fitted on the other folds)");
  report.add_summary("read-out", describe_readout(cv, in.config));
  if (!checkpointer.resumed_from().empty()) report.add_summary("resumed", checkpointer.resumed_from());
  report.add_summary("output", o.out);
  report.print_summary();
  return 0;
}

}  // namespace

Command add_cv_command(CLI::App& parent) {
  auto options = std::make_shared<CvOptions>();
  CLI::App* app =
      parent.add_subcommand("cv", "k-fold cross-validation: per-target R^2, RMSE, calibration, median R^2.");
  add_study_options(app, options->study);
  add_fold_options(app, options->folds, options->group);
  app->add_option("--out", options->out, "results file to write (HDF5)")->capture_default_str();
  add_checkpoint_options(app, options->checkpoint);
  return {app, [options](const RunContext& context) { return run_cv(*options, context); }};
}

}  // namespace elec::cli
