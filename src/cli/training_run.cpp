#include "elec/cli/training_run.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "elec/eval/calibrated_training.hpp"
#include "elec/eval/metrics.hpp"
#include "elec/model/pipeline.hpp"

namespace elec::cli {
namespace {

long measured_cells(const Matrix& endpoints) { return (endpoints.array() == endpoints.array()).count(); }

// "cells.csv: 40 rows, 5 descriptor features, 4 endpoints, 120 measured / 40 blank cells"
std::string describe_table(const data::StudyInputs& in) {
  const auto& d = in.dataset;
  const long measured = measured_cells(d.endpoints);
  std::string curves;
  for (const auto& c : d.curves)
    curves += (curves.empty() ? " (incl. curve " : ", ") + c.name + " at " + std::to_string(c.points()) + " " +
              c.abscissa + " values";
  if (!curves.empty()) curves += ")";
  return in.table.file + ": " + std::to_string(d.rows()) + " rows, " + std::to_string(d.descriptors.cols()) +
         " descriptor features, " + std::to_string(d.endpoints.cols()) + " endpoints" + curves + ", " +
         std::to_string(measured) + " measured / " + std::to_string(d.endpoints.size() - measured) + " blank cells";
}

// One line for rank 0 before the heavy work: the table, then the ensemble and ranks x threads.
std::string describe_run(const data::StudyInputs& in, const RunContext& context) {
  return describe_table(in) + "; " + std::to_string(in.config.members) + " members on " +
         std::to_string(context.comm.size()) + " ranks x " + std::to_string(context.threads) + " threads, " +
         in.config.precision;
}

}  // namespace

TrainingRun load_and_train(const StudyFiles& files, const std::vector<io::NamedPath>& outputs,
                           const RunContext& context, Reporter& report, data::Purpose purpose,
                           const TrainingCheckpoint* checkpoint) {
  TrainingRun run;
  run.inputs = load_study(files, outputs, context, purpose);
  report.line(describe_run(run.inputs, context));
  std::optional<Checkpointer> checkpointer;
  if (checkpoint)
    checkpointer.emplace(context, report, checkpoint->options, checkpoint->out,
                         "train " + data::study_fingerprint(run.inputs));
  const model::SafePointScope safe{checkpointer ? &*checkpointer : nullptr, ""};
  const CommDistribution distribution(context.comm);
  report.set_pass_limit(run.inputs.config.max_passes);
  const model::Progress progress{report.pass_observer(), report.score_observer(),
                                 [&report](const model::ScheduleSelection& s) {
                                   report.line(describe_selection(s));
                                   report.set_pass_limit(s.chosen.passes);
                                 }};
  const data::StudyConfig& c = run.inputs.config;
  if (c.calibration_folds > 0)
    report.line("calibration: " + std::to_string(c.calibration_folds) + "-fold cross-validation by " +
                (c.calibration_group.empty() ? "recipe" : c.calibration_group) +
                " with the model's schedule, before the final model");
  eval::CalibratedTraining trained = eval::train_calibrated(
      run.inputs.dataset, run.inputs.schema, c, distribution, eval::group_labels(run.inputs.table, c.calibration_group),
      progress,
      [&report](const eval::FoldProgress& p) {
        report.line("calibration fold " + std::to_string(p.fold) + "/" + std::to_string(p.folds) + " done, " +
                    format_fixed(p.seconds, 1) + " s");
      },
      safe);
  run.model = std::move(trained.model);
  run.calibration = std::move(trained.inner);
  if (checkpointer) run.resumed_from = checkpointer->resumed_from();
  return run;
}

// "variance scales 1.9-4.9 over 11 targets (out-of-fold +-1 std coverage 0.34 raw; fitted on ...)", or why none.
std::string describe_calibration(const TrainingRun& run) {
  const model::Calibration& c = run.model.calibration;
  if (c.empty())
    return "none: std = the raw ensemble spread ([calibration] folds = 0; by default 5 for a model of new cells from "
           "at least " +
           std::to_string(data::kMinRecipesToCalibrate) + " recipes)";
  double low = c.scale.front(), high = c.scale.front();
  for (double s : c.scale) low = std::min(low, s), high = std::max(high, s);
  return "variance scales " + format_fixed(low, 2) + "-" + format_fixed(high, 2) + " over " +
         std::to_string(run.calibration.targets.size()) + " targets (out-of-fold +-1/+-2 std coverage raw " +
         format_fixed(run.calibration.raw.within_1std, 2) + "/" + format_fixed(run.calibration.raw.within_2std, 2) +
         "); " + c.fitted_on;
}

// What each target is read off, and the inner cross-validation's evidence for it; or why the ensemble alone.
std::string describe_readout(const TrainingRun& run) {
  const model::TrainedModel& m = run.model;
  if (m.calibration.readout.empty())
    return "the ensemble for every target (no calibration folds to choose a read-out on)";
  return model::describe_readouts(m.calibration.readout, m.calibration.neighbours, m.endpoint_names, m.curves) +
         " (chosen on the calibration folds; their median R^2 over targets with >= " +
         std::to_string(eval::kWellMeasuredValues) + " values: ensemble alone " +
         format_fixed(run.calibration.ensemble_median_r_squared_well_measured, 3) +
         ", read out as the other folds choose " + format_fixed(run.calibration.median_r_squared_well_measured, 3) +
         ")";
}

void summarise_training(Reporter& report, const TrainingRun& run, const RunContext& context) {
  const data::StudyInputs& in = run.inputs;
  const model::TrainedModel& trained = run.model;
  report.add_summary("data", describe_table(in));
  const auto& c = trained.config;
  report.add_summary("ensemble", std::to_string(c.members) + " members x " + std::to_string(c.hidden_units) +
                                     " hidden/endpoint, " + std::to_string(c.epochs) + "+" +
                                     std::to_string(c.pass_epochs) + "/pass epochs, " + c.precision + ", seed " +
                                     std::to_string(c.seed) + ", " + std::to_string(context.comm.size()) + " ranks x " +
                                     std::to_string(context.threads) + " threads");
  const auto& last = trained.history.back();
  const int passes = last.pass;
  const bool converged = passes > 0 && last.max_change < c.tolerance;
  report.add_summary("imputation", passes == 0 ? std::string("no passes (blanks kept at the column means as inputs)")
                                               : std::to_string(passes) + " passes, " +
                                                     (converged ? "converged" : "stopped at the pass limit") +
                                                     " (last max change " + format_sci(last.max_change) +
                                                     ", tolerance " + format_sci(c.tolerance) + ")");
  if (!trained.selection.initial.empty()) report.add_summary("selection", describe_selection(trained.selection));
  const auto scores =
      eval::score_columns(trained.training_prediction, trained.training_values, trained.training_measured);
  report.add_summary("fit", "median R^2 " + format_fixed(eval::median_r_squared(scores), 4) +
                                " over endpoints (measured cells predicted from the others, in-sample)");
  report.add_summary("calibration", describe_calibration(run));
  if (data::offers_readout(in.config)) report.add_summary("read-out", describe_readout(run));
  if (!run.resumed_from.empty()) report.add_summary("resumed", run.resumed_from);
  report.add_summary("model checksum", model::checksum_hex(model::checksum(trained.members)));
}

}  // namespace elec::cli
