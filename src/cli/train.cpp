// elec_hpc train: validate the study, train the imputing ensemble across ranks, write the model (rank 0).
#include <omp.h>

#include "elec/cli/command.hpp"
#include "elec/cli/reporter.hpp"
#include "elec/cli/summaries.hpp"
#include "elec/data/study_inputs.hpp"
#include "elec/io/model_file.hpp"
#include "elec/model/pipeline.hpp"

namespace elec::cli {
namespace {

struct TrainOptions {
  std::string data, schema, config, out = "model.h5";
  long long seed = -1;
};

int run_train(const TrainOptions& o, const RunContext& context) {
  Reporter report(context, "train");
  auto in = data::load_study_inputs(o.data, o.schema, o.config);
  if (o.seed >= 0) in.config.seed = static_cast<std::uint64_t>(o.seed);
  report.line(describe_run(in, context));

  const auto members = static_cast<std::size_t>(in.config.members);
  const model::TrainedModel trained =
      model::train_model(in.dataset, in.schema, in.config, owned_members(context.comm, members),
                         member_gather(context.comm, members), report.pass_observer(in.config.max_passes));
  if (context.comm.is_root())
    io::write_model(o.out, trained, {context.command_line, context.comm.size(), context.threads});
  context.comm.barrier();

  summarise_training(report, in, trained, context);
  report.add_summary("output", o.out);
  report.print_summary();
  return 0;
}

}  // namespace

Command add_train_command(CLI::App& parent) {
  auto options = std::make_shared<TrainOptions>();
  CLI::App* app = parent.add_subcommand(
      "train", "Train the imputing network ensemble on a cell table and write the model (HDF5).");
  app->add_option("--data", options->data, "cell table (CSV, header row, blanks = not measured)")
      ->required();
  app->add_option("--schema", options->schema, "column roles, units and bounds (TOML); default: all endpoints");
  app->add_option("--config", options->config, "study hyperparameters (TOML); default: documented defaults");
  app->add_option("--out", options->out, "model file to write")->capture_default_str();
  app->add_option("--seed", options->seed, "override the study seed");
  return {app, [options](const RunContext& context) { return run_train(*options, context); }};
}

}  // namespace elec::cli
