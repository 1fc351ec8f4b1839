// elec_hpc: data-driven design of battery electrodes (Drakopoulos et al. 2021), as an MPI + OpenMP batch program.
#include <omp.h>

#include <iostream>

#include "elec/cli/command.hpp"
#include "elec/common/atomic_output.hpp"
#include "elec/data/diagnostics.hpp"
#include "elec/data/study_config.hpp"
#include "elec/io/hdf5.hpp"
#include "elec/opt/design_config.hpp"
#include "elec/version.hpp"

namespace {

std::string joined(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) line += (i ? " " : "") + std::string(argv[i]);
  return line;
}

std::string parameter_help() {
  std::string text = "Study config keys (TOML sections and defaults):\n";
  for (const auto& p : elec::data::describe_parameters())
    text += "  [" + p.section + "] " + p.key + " = " + p.default_value + "  (" + p.type + ", " + p.range + ")  " +
            p.description + "\n";
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  elec::par::Environment mpi(argc, argv);
  const auto world = elec::par::Comm::world();
  const elec::cli::RunContext context{world, joined(argc, argv), omp_get_max_threads(), world.ranks_on_node()};
  CLI::App app{"elec_hpc " + std::string(elec::kVersion) +
               ": self-consistent imputing neural-network ensembles for battery electrode data"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(elec::kVersion) + " (" + elec::kGitCommit + ")");
  const std::vector<elec::cli::Command> commands = {
      elec::cli::add_train_command(app),  elec::cli::add_predict_command(app), elec::cli::add_impute_command(app),
      elec::cli::add_cv_command(app),     elec::cli::add_compare_command(app), elec::cli::add_tune_command(app),
      elec::cli::add_design_command(app), elec::cli::add_synth_command(app)};
  // The study keys matter to the commands that train; the top-level help points to them.
  app.footer("Study config keys: elec_hpc train --help");
  for (const auto& command : commands)
    if (command.app->get_name() == "design")
      command.app->footer(elec::opt::design_config_help());
    else if (command.app->get_name() != "predict" && command.app->get_name() != "synth")
      command.app->footer(parameter_help());
  // CLI11 would take an unknown command for a stray argument and only say that a command is required.
  std::string known;
  bool is_known = false;
  for (const auto& command : commands) {
    known += (known.empty() ? "" : ", ") + command.app->get_name();
    is_known = is_known || (argc > 1 && command.app->get_name() == argv[1]);
  }
  if (argc > 1 && argv[1][0] != '-' && !is_known) {
    if (context.comm.is_root())
      std::cerr << "elec_hpc: unknown command \"" << argv[1] << "\"; expected one of " << known
                << "\nRun with --help for more information.\n";
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version end here with status 0; a command line that does not parse is bad input (2).
    const bool asked = e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success);
    if (context.comm.is_root()) {
      if (asked) return app.exit(e);
      std::cerr << "elec_hpc: " << e.what() << "\n"
                << "Run with --help for more information.\n";
    }
    return asked ? 0 : 2;
  }
  for (const auto& command : commands) {
    if (!command.app->parsed()) continue;
    try {
      return command.run(context);
    } catch (const elec::data::InputError& e) {
      // The ranks agreed on the problems (cli/preflight); one report is enough.
      if (context.comm.is_root()) std::cerr << e.what() << "elec_hpc: nothing was written (bad input)\n";
      return 2;
    } catch (const elec::common::OutputError& e) {
      // Agreed too (cli/outputs): every output still holds what it held before the run.
      if (context.comm.is_root())
        std::cerr << "elec_hpc: " << e.what()
                  << "\nelec_hpc: nothing was written (every existing output is unchanged)\n";
      return 2;
    } catch (const std::exception& e) {
      std::cerr << "elec_hpc: error (rank " << context.comm.rank() << "): " << e.what() << "\n";
      if (context.comm.size() > 1) context.comm.abort(1);
      return 1;
    }
  }
  return 1;
}
