#pragma once
// Each subcommand lives in its own file and registers itself with the CLI11 application; main() runs the one the
// user named.
#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "elec/par/comm.hpp"

namespace elec::cli {

struct RunContext {
  par::Comm comm;
  std::string command_line;
  int threads = 1;        // OpenMP threads per rank
  int ranks_on_node = 1;  // ranks sharing this rank's node (and its memory)
};

struct Command {
  CLI::App* app = nullptr;
  std::function<int(const RunContext&)> run;  // returns the process exit status
};

Command add_train_command(CLI::App& parent);
Command add_predict_command(CLI::App& parent);
Command add_impute_command(CLI::App& parent);
Command add_cv_command(CLI::App& parent);
Command add_compare_command(CLI::App& parent);
Command add_tune_command(CLI::App& parent);
Command add_synth_command(CLI::App& parent);
Command add_design_command(CLI::App& parent);

}  // namespace elec::cli
