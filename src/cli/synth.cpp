// elec_hpc synth: the simulated graphite-anode study of Drakopoulos et al. 2021 (trend model in
// include/elec/synth/graphite_physics.hpp). Writes the 27-case study or a larger random design, or "manufactures"
// proposed cells (complete simulated measurements), closing the design loop. Cheap: rank 0 simulates and writes.
#include <filesystem>

#include "elec/cli/command.hpp"
#include "elec/cli/outputs.hpp"
#include "elec/cli/preflight.hpp"
#include "elec/cli/reporter.hpp"
#include "elec/synth/graphite_physics.hpp"
#include "elec/synth/graphite_study.hpp"
#include "elec/synth/proposals.hpp"
#include "elec/synth/study_writer.hpp"

namespace elec::cli {
namespace {

struct SynthOptions {
  std::string out, manufacture;
  unsigned long long seed = 1;
  std::size_t cells = 0;  // 0 = the 27-case study design
};

std::string percent(double fraction) { return format_fixed(100.0 * fraction, 1) + "%"; }

void summarise(Reporter& report, const std::vector<synth::CellRecord>& cells) {
  const synth::StudyFacts f = synth::describe(cells);
  report.add_summary("cells", std::to_string(f.cells) + " in " + std::to_string(f.cases) + " cases, " +
                                  std::to_string(f.outliers) + " outliers");
  report.add_summary("curves", std::to_string(f.cycled) + " cycled, " + std::to_string(f.full_curves) + " to cycle " +
                                   std::to_string(synth::kCycles));
  const auto header = synth::cells_header();
  std::string blanks;
  for (std::size_t e = 0; e < synth::kEndpointCount; ++e)
    blanks += (e ? ", " : "") + header[header.size() - synth::kEndpointCount + e] + " " + percent(f.blank_fraction[e]);
  report.add_summary("blank", blanks);
  if (f.d30_cells)
    report.add_summary("D30", format_fixed(f.d30_min, 1) + " to " + format_fixed(f.d30_max, 1) + " mAh/g over " +
                                  std::to_string(f.d30_cells) + " cells");
}

// The files synth writes into --out.
std::vector<io::NamedPath> synth_outputs(const SynthOptions& o) {
  std::vector<io::NamedPath> outputs;
  const std::vector<std::string> names =
      o.manufacture.empty() ? std::vector<std::string>{"cells.csv", "capacity.csv", "test_cells.csv", "schema.toml"}
                            : std::vector<std::string>{"cells.csv", "capacity.csv"};
  for (const auto& name : names) outputs.push_back({(std::filesystem::path(o.out) / name).string(), "--out"});
  return outputs;
}

int run_synth(const SynthOptions& o, const RunContext& context) {
  Reporter report(context, "synth");
  // Every rank reads and checks the proposals, so that bad input fails on all of them together; only rank 0
  // simulates and writes (it takes milliseconds), the others wait for it.
  const std::vector<synth::PlannedCell> proposals = validated_on_every_rank(context, [&] {
    data::Diagnostics diag;
    std::vector<synth::PlannedCell> read;
    if (!o.manufacture.empty()) read = synth::read_proposals(o.manufacture, diag);
    // The directory is created by the run; only files already in it are checked.
    if (std::filesystem::is_directory(o.out))
      check_outputs(context, synth_outputs(o), {{o.manufacture, "--manufacture"}}, diag);
    diag.throw_if_any();
    return read;
  });
  on_root_agreed(context, [&] {
    if (!o.manufacture.empty()) {
      const auto cells = synth::manufacture(o.seed, proposals);
      synth::write_measurements(o.out, cells);
      report.add_summary("simulated", "manufactured " + std::to_string(cells.size()) + " proposals from " +
                                          o.manufacture + ", seed " + std::to_string(o.seed));
      summarise(report, cells);
      report.add_summary("output", o.out + "/cells.csv, capacity.csv");
    } else {
      const synth::SimulatedStudy study =
          o.cells ? synth::simulate_random_study(o.seed, o.cells) : synth::simulate_study(o.seed);
      const synth::Provenance provenance = synth::study_provenance(study, o.cells);
      synth::write_study(o.out, study, provenance);
      report.add_summary("simulated", study.design + " (" + provenance.command + ")");
      summarise(report, study.cells);
      report.add_summary("output", o.out + "/cells.csv, capacity.csv, test_cells.csv, schema.toml");
    }
  });
  report.print_summary();
  return 0;
}

}  // namespace

Command add_synth_command(CLI::App& parent) {
  auto options = std::make_shared<SynthOptions>();
  CLI::App* app = parent.add_subcommand(
      "synth",
      "Write a SIMULATED graphite-anode study after Drakopoulos et al. 2021 (cells.csv, capacity.csv, "
      "test_cells.csv with the paper's Table 1, schema.toml), or with --manufacture the complete simulated "
      "measurements of proposed cells (cells.csv, capacity.csv).");
  app->add_option("--out", options->out, "directory to write into (created if needed)")->required();
  app->add_option("--seed", options->seed, "random seed; equal seeds give identical files")->capture_default_str();
  auto* cells = app->add_option("--cells", options->cells,
                                "simulate N cells in a random design over the same factors and ranges (cases of "
                                "3-5 replicates) instead of the 27-case study")
                    ->check(CLI::PositiveNumber);
  app->add_option("--manufacture", options->manufacture,
                  "CSV of proposed cells: id, cmc_sbr, additive, gap_um, speed_m_min, drying_first_C, "
                  "drying_second_C, calendered (optional case; other columns ignored)")
      ->excludes(cells);
  return {app, [options](const RunContext& context) { return run_synth(*options, context); }};
}

}  // namespace elec::cli
