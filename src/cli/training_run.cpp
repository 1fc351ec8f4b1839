#include "elec/cli/training_run.hpp"

#include <cmath>

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
    curves += (curves.empty() ? " (incl. curve " : ", ") + c.name + " at " + std::to_string(c.points()) + " " + c.abscissa + " values";
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
                           const RunContext& context, Reporter& report) {
  TrainingRun run;
  run.inputs = load_study(files, outputs, context);
  report.line(describe_run(run.inputs, context));
  const CommDistribution distribution(context.comm);
  report.set_pass_limit(run.inputs.config.max_passes);
  const model::Progress progress{report.pass_observer(), report.score_observer(),
                                 [&report](const model::ScheduleSelection& s) {
                                   report.line(describe_selection(s));
                                   report.set_pass_limit(s.chosen.passes);
                                 }};
  run.model = model::train_model(run.inputs.dataset, run.inputs.schema, run.inputs.config, distribution, progress);
  return run;
}

void summarise_training(Reporter& report, const data::StudyInputs& in, const model::TrainedModel& trained,
                        const RunContext& context) {
  report.add_summary("data", describe_table(in));
  const auto& c = trained.config;
  report.add_summary("ensemble", std::to_string(c.members) + " members x " + std::to_string(c.hidden_units) +
                                     " hidden/endpoint, " + std::to_string(c.epochs) + "+" +
                                     std::to_string(c.pass_epochs) + "/pass epochs, " + c.precision + ", seed " +
                                     std::to_string(c.seed) + ", " + std::to_string(context.comm.size()) +
                                     " ranks x " + std::to_string(context.threads) + " threads");
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
  report.add_summary("model checksum", model::checksum_hex(model::checksum(trained.members)));
}

}  // namespace elec::cli
