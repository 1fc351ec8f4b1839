// elec_hpc train: validate the study, train the imputing ensemble across ranks, write the model (rank 0).
#include "elec/cli/checkpointer.hpp"
#include "elec/cli/command.hpp"
#include "elec/cli/interruption.hpp"
#include "elec/cli/outputs.hpp"
#include "elec/cli/reporter.hpp"
#include "elec/cli/training_run.hpp"
#include "elec/io/model_file.hpp"

namespace elec::cli {
namespace {

struct TrainOptions {
  StudyFiles study;
  std::string out = "model.h5";
  CheckpointOptions checkpoint;
};

int run_train(const TrainOptions& o, const RunContext& context) {
  Reporter report(context, "train");
  const InterruptionScope signals;
  const TrainingCheckpoint checkpoint{o.checkpoint, o.out};
  const io::NamedPath checkpoint_file = checkpoint_output(o.checkpoint, o.out);
  TrainingRun run;
  try {
    run = load_and_train(o.study, {{o.out, "--out"}, checkpoint_file}, context, report, data::Purpose::PredictNewCells,
                         &checkpoint);
  } catch (const StoppedAtSafePoint& stop) {
    return report_stop(context, "train", stop, checkpoint_file.path);
  }
  write_on_root(context,
                {{o.out, [&](const std::string& temp) { io::write_model(temp, run.model, provenance(context)); }}});
  remove_checkpoint(context, checkpoint_file.path);

  summarise_training(report, run, context);
  report.add_summary("output", o.out);
  report.print_summary();
  return 0;
}

}  // namespace

Command add_train_command(CLI::App& parent) {
  auto options = std::make_shared<TrainOptions>();
  CLI::App* app =
      parent.add_subcommand("train", "Train the imputing network ensemble on a cell table and write the model (HDF5).");
  add_study_options(app, options->study);
  app->add_option("--out", options->out, "model file to write")->capture_default_str();
  add_checkpoint_options(app, options->checkpoint);
  return {app, [options](const RunContext& context) { return run_train(*options, context); }};
}

}  // namespace elec::cli
