// elec_hpc train: validate the study, train the imputing ensemble across ranks, write the model (rank 0).
#include "elec/cli/command.hpp"
#include "elec/cli/outputs.hpp"
#include "elec/cli/reporter.hpp"
#include "elec/cli/training_run.hpp"
#include "elec/io/model_file.hpp"

namespace elec::cli {
namespace {

struct TrainOptions {
  StudyFiles study;
  std::string out = "model.h5";
};

int run_train(const TrainOptions& o, const RunContext& context) {
  Reporter report(context, "train");
  const TrainingRun run = load_and_train(o.study, {{o.out, "--out"}}, context, report, TrainingPurpose::PredictNewCells);
  write_on_root(context, {{o.out, [&](const std::string& temp) {
                             io::write_model(temp, run.model, provenance(context));
                           }}});

  summarise_training(report, run, context);
  report.add_summary("output", o.out);
  report.print_summary();
  return 0;
}

}  // namespace

Command add_train_command(CLI::App& parent) {
  auto options = std::make_shared<TrainOptions>();
  CLI::App* app = parent.add_subcommand(
      "train", "Train the imputing network ensemble on a cell table and write the model (HDF5).");
  app->add_option("--data", options->study.table, "cell table (CSV, header row, blanks = not measured)")
      ->required();
  app->add_option("--schema", options->study.schema, "column roles, units and bounds (TOML); default: all endpoints");
  app->add_option("--config", options->study.config, "study hyperparameters (TOML); default: documented defaults");
  app->add_option("--out", options->out, "model file to write")->capture_default_str();
  app->add_option("--seed", options->study.seed, "override the study seed");
  return {app, [options](const RunContext& context) { return run_train(*options, context); }};
}

}  // namespace elec::cli
