#pragma once
// What every command does before heavy work: read and validate its inputs on every rank; on rank 0, check that
// its outputs can be written and are none of its inputs; check the memory it will need; then agree across ranks,
// so that a problem any rank found stops every rank with the same report (exit 2), instead of leaving the others
// waiting forever in the next collective.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "elec/cli/command.hpp"
#include "elec/data/diagnostics.hpp"
#include "elec/data/study_inputs.hpp"
#include "elec/io/output_paths.hpp"
#include "elec/model/memory_estimate.hpp"

namespace elec::cli {

// A study's files as the user named them on the command line.
struct StudyFiles {
  std::string table, table_option = "--data";  // e.g. impute names its table "IN"
  std::string schema, config;                  // "" = all endpoints / documented defaults
  long long seed = -1;                         // >= 0 overrides the config's seed
};

// --data, --schema, --config and --seed of a command that reads a study; `config_help` says what the config is for.
void add_study_options(CLI::App* app, StudyFiles& study,
                       const std::string& config_help = "study hyperparameters (TOML); default: documented defaults");
// --folds and --group of a command that cross-validates (cv, compare).
void add_fold_options(CLI::App* app, int& folds, std::string& group);

// The files a study was read from: the table, the schema and config when given, and the curve files the schema
// names.
std::vector<io::NamedPath> study_input_paths(const StudyFiles& files, const data::Schema& schema);

// On rank 0: adds the problems of `outputs` (io::check_output_paths) to `problems`.
void check_outputs(const RunContext& context, const std::vector<io::NamedPath>& outputs,
                   const std::vector<io::NamedPath>& inputs, data::Diagnostics& problems);

// Reads and validates the study's files and checks `outputs` against them, adding every problem to `problems`;
// applies the seed override and resolves the config's "auto" settings for `purpose`. Call inside
// validated_on_every_rank (or use load_study).
data::StudyInputs read_study(const StudyFiles& files, const std::vector<io::NamedPath>& outputs,
                             const RunContext& context, data::Purpose purpose, data::Diagnostics& problems);

// Throws data::InputError when `estimate` (per rank) exceeds what this node gives each of its ranks.
void check_memory(const RunContext& context, const model::MemoryEstimate& estimate);

// The size of training the study on this run's ranks and threads.
model::RunSize training_size(const data::StudyInputs& in, const RunContext& context, std::size_t members);

// Runs `validate` on every rank and agrees on the outcome (`validate` must make no collective call: a rank that
// failed early would be in another collective than the rest): if any rank threw data::InputError, every rank throws
// the lowest failing rank's error (rank 0 reports it). Returns what `validate` returned.
template <class Validate>
auto validated_on_every_rank(const RunContext& context, Validate&& validate) -> decltype(validate()) {
  std::optional<decltype(validate())> result;
  std::string failure;
  try {
    result.emplace(validate());
  } catch (const data::InputError& e) {
    failure = e.what();
  }
  const std::string first = context.comm.first_failure(failure);
  if (!first.empty()) throw data::InputError(first);
  return std::move(*result);
}

// read_study and a check of the memory training `members` members needs, agreed on every rank; throws
// data::InputError with every problem.
data::StudyInputs load_study(const StudyFiles& files, const std::vector<io::NamedPath>& outputs,
                             const RunContext& context, data::Purpose purpose);

}  // namespace elec::cli
