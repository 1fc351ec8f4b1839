// elec_hpc: data-driven design of battery electrodes (Drakopoulos et al. 2021), as an MPI + OpenMP batch program.
#include <omp.h>

#include <iostream>

#include "elec/cli/command.hpp"
#include "elec/data/diagnostics.hpp"
#include "elec/data/study_config.hpp"
#include "elec/io/hdf5.hpp"
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
  const elec::cli::RunContext context{elec::par::Comm::world(), joined(argc, argv), omp_get_max_threads()};
  CLI::App app{"elec_hpc " + std::string(elec::kVersion) +
               ": self-consistent imputing neural-network ensembles for battery electrode data"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(elec::kVersion) + " (" + elec::kGitCommit + ")");
  const std::vector<elec::cli::Command> commands = {elec::cli::add_train_command(app),
                                                    elec::cli::add_predict_command(app),
                                                    elec::cli::add_impute_command(app),
                                                    elec::cli::add_cv_command(app),
                                                    elec::cli::add_tune_command(app),
                                                    elec::cli::add_synth_command(app)};
  // The study keys matter to the commands that train; the top-level help points to them.
  app.footer("Study config keys: elec_hpc train --help");
  for (const auto& command : commands)
    if (command.app->get_name() != "predict" && command.app->get_name() != "synth")
      command.app->footer(parameter_help());
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (context.comm.is_root()) return app.exit(e);
    return e.get_exit_code();
  }
  for (const auto& command : commands) {
    if (!command.app->parsed()) continue;
    try {
      return command.run(context);
    } catch (const elec::data::InputError& e) {
      // Every rank validated the same files and found the same problems; one report is enough.
      if (context.comm.is_root()) std::cerr << e.what() << "elec_hpc: nothing was written (bad input)\n";
      return 2;
    } catch (const std::exception& e) {
      std::cerr << "elec_hpc: error (rank " << context.comm.rank() << "): " << e.what() << "\n";
      if (context.comm.size() > 1) context.comm.abort(1);
      return 1;
    }
  }
  return 1;
}
