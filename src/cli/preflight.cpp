#include "elec/cli/preflight.hpp"

#include "elec/common/atomic_output.hpp"
#include "elec/par/node_memory.hpp"

namespace elec::cli {

std::vector<io::NamedPath> study_input_paths(const StudyFiles& files, const data::Schema& schema) {
  std::vector<io::NamedPath> paths{{files.table, files.table_option}};
  if (!files.schema.empty()) paths.push_back({files.schema, "--schema"});
  if (!files.config.empty()) paths.push_back({files.config, "--config"});
  for (const auto& column : schema.columns)
    if (!column.file.empty()) paths.push_back({column.file, "the curve file of " + column.name});
  return paths;
}

void check_outputs(const RunContext& context, const std::vector<io::NamedPath>& outputs,
                   const std::vector<io::NamedPath>& inputs, data::Diagnostics& problems) {
  if (!context.comm.is_root()) return;
  io::check_output_paths(outputs, inputs, problems);
  // Before anything else reads or replaces them: complete an earlier run's interrupted commit, clear its litter.
  for (const auto& output : outputs) common::remove_stale_temporaries(output.path);
}

void check_memory(const RunContext& context, const model::MemoryEstimate& estimate) {
  const par::MemoryLimit limit = par::memory_limit(context.ranks_on_node);
  const std::string refusal = model::memory_refusal(estimate, limit.bytes_per_rank, limit.source);
  if (!refusal.empty()) throw data::InputError("elec_hpc: " + refusal + "\n");
}

data::StudyInputs read_study(const StudyFiles& files, const std::vector<io::NamedPath>& outputs,
                             const RunContext& context, data::Purpose purpose, data::Diagnostics& problems) {
  data::StudyInputs in = data::read_study_inputs(files.table, files.schema, files.config, {}, problems);
  if (files.seed >= 0) in.config.seed = static_cast<std::uint64_t>(files.seed);
  data::resolve_auto(in.config, purpose, data::count_recipes(in.dataset.descriptors));
  check_outputs(context, outputs, study_input_paths(files, in.schema), problems);
  return in;
}

data::StudyInputs load_study(const StudyFiles& files, const std::vector<io::NamedPath>& outputs,
                             const RunContext& context, data::Purpose purpose) {
  return validated_on_every_rank(context, [&] {
    data::Diagnostics problems;
    data::StudyInputs in = read_study(files, outputs, context, purpose, problems);
    problems.throw_if_any();
    check_memory(context, model::training_memory(training_size(in, context, in.config.members)));
    return in;
  });
}

model::RunSize training_size(const data::StudyInputs& in, const RunContext& context, std::size_t members) {
  model::RunSize size;
  size.shape = {static_cast<int>(in.dataset.descriptors.cols()), static_cast<int>(in.dataset.endpoints.cols()),
                in.config.hidden_units, in.config.confidence_inputs};
  size.members = members;
  size.rows = in.dataset.rows();
  size.ranks = context.comm.size();
  size.threads = context.threads;
  size.float32 = in.config.precision == "float32";
  return size;
}

void add_study_options(CLI::App* app, StudyFiles& study, const std::string& config_help) {
  app->add_option("--data", study.table, "cell table (CSV, header row, blanks = not measured)")->required();
  app->add_option("--schema", study.schema, "column roles, units and bounds (TOML); default: all endpoints");
  app->add_option("--config", study.config, config_help);
  app->add_option("--seed", study.seed, "override the study seed");
}

void add_fold_options(CLI::App* app, int& folds, std::string& group) {
  app->add_option("--folds", folds, "number of folds")->capture_default_str();
  app->add_option("--group", group, "column whose equal values stay in one fold (e.g. the manufacturing case)");
}

}  // namespace elec::cli
