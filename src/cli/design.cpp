// elec_hpc design: the recipe most likely to meet the targets. Reads the model and the [design] section, checks the
// outputs and the journal, runs the search (opt/design_search) with all ranks predicting each batch together, and
// writes the top candidates and the history. A scheduler's signal stops it after the batch under way (exit 75; the
// journal holds every finished candidate, --resume continues).
#include <chrono>
#include <cmath>
#include <filesystem>
#include <optional>

#include "elec/cli/command.hpp"
#include "elec/cli/interruption.hpp"
#include "elec/cli/outputs.hpp"
#include "elec/cli/preflight.hpp"
#include "elec/cli/reporter.hpp"
#include "elec/data/config_table.hpp"
#include "elec/data/hash.hpp"
#include "elec/data/source_text.hpp"
#include "elec/io/design_file.hpp"
#include "elec/model/memory_estimate.hpp"
#include "elec/opt/design_search.hpp"

namespace elec::cli {
namespace {

struct DesignOptions {
  std::string model, config, out = "designs.h5", csv, journal = "design_journal.csv";
  bool resume = false;
  long long seed = -1;
};

struct DesignInputs {
  model::TrainedModel trained;
  opt::DesignConfig config;
  opt::DesignProblem problem;
  std::string checksum;
  std::optional<opt::JournalLayout> layout;  // known once the problem is
  opt::JournalContents journal;
};

// "designs.csv" -> "designs_history.csv"
std::string history_path(const std::string& csv) {
  const std::filesystem::path p(csv);
  return (p.parent_path() / (p.stem().string() + "_history" + p.extension().string())).string();
}

std::vector<io::NamedPath> output_paths(const DesignOptions& o) {
  std::vector<io::NamedPath> outputs{{o.out, "--out"}, {o.journal, "--journal"}};
  if (!o.csv.empty()) outputs.push_back({o.csv, "--csv"}), outputs.push_back({history_path(o.csv), "--csv (history)"});
  return outputs;
}

// The model, the design problem, the outputs and the journal, validated on every rank.
DesignInputs read_inputs(const DesignOptions& o, const RunContext& context) {
  DesignInputs in = validated_on_every_rank(context, [&] {
    DesignInputs in;
    in.trained = opt::design_model(io::read_model(o.model));
    data::Diagnostics problems, in_config;
    in.config = opt::read_design_config(o.config, in_config);
    if (o.seed >= 0) in.config.settings.seed = static_cast<std::uint64_t>(o.seed);
    in.problem = opt::build_design_problem(in.config, in.trained, in_config);
    data::append_in_file_order(in_config, problems);
    check_outputs(context, output_paths(o), {{o.model, "--model"}, {o.config, "--config"}}, problems);
    problems.throw_if_any();
    const auto batch = static_cast<std::size_t>(in.config.settings.batch);
    check_memory(context,
                 model::prediction_memory({in.trained.shape, in.trained.members.size(), batch, context.comm.size(),
                                           context.threads, in.trained.config.precision == "float32", 0}));
    in.checksum = model::checksum_hex(model::checksum(in.trained.members));
    const std::string fingerprint =
        data::Fnv1a().add(in.checksum).add(in.config.text).add(std::to_string(in.config.settings.seed)).hex();
    in.layout = opt::JournalLayout{opt::SearchSpace(in.problem.parameters), opt::design_journal_extras(), fingerprint};
    in.journal = opt::open_journal(o.journal, *in.layout, o.resume, problems);
    problems.throw_if_any();
    return in;
  });
  return in;
}

std::string describe_variables(const opt::DesignProblem& p) {
  std::string text;
  for (const auto& v : p.variables) {
    std::string how;
    if (v.role == opt::VariableRole::Fixed)
      how = v.categorical ? "= " + v.levels.front() : "= " + data::format_number(v.value);
    else if (v.role == opt::VariableRole::Derived)
      how = "derived";
    else if (v.categorical)
      how = "one of " + data::join(v.levels, "|");
    else
      how = (v.role == opt::VariableRole::Simplex ? "on a simplex, " : "") + std::string(v.integer ? "int " : "") +
            "[" + data::format_number(v.low) + ", " + data::format_number(v.high) + "]";
    text += (text.empty() ? "" : "; ") + v.name + " " + how;
  }
  return text;
}

opt::BatchObserver progress(Reporter& report, const opt::DesignSettings& settings) {
  return [&report, &settings](const std::vector<opt::TrialRecord>& history, std::size_t) {
    const opt::TrialRecord* best = opt::best_trial(history, opt::Direction::Maximise);
    const long feasible = std::count_if(history.begin(), history.end(), opt::is_feasible);
    const double elapsed = report.elapsed_seconds();
    const double left = elapsed / static_cast<double>(history.size()) *
                        static_cast<double>(settings.evaluations - static_cast<int>(history.size()));
    report.line("evaluations " + std::to_string(history.size()) + "/" + std::to_string(settings.evaluations) +
                ", feasible " + std::to_string(feasible) + ", best " + settings.objective + " probability " +
                (best ? format_fixed(best->outcome.value, 3) + " (trial " + std::to_string(best->number) + ")" : "-") +
                ", " + format_fixed(elapsed, 1) + " s, ETA " + format_fixed(left, 0) + " s");
  };
}

void summarise(Reporter& report, const DesignOptions& o, const DesignInputs& in, const opt::DesignRun& run) {
  const auto& s = in.config.settings;
  const long resumed =
      std::count_if(run.history.begin(), run.history.end(), [](const opt::TrialRecord& t) { return t.from_journal; });
  const long feasible = std::count_if(run.history.begin(), run.history.end(), opt::is_feasible);
  report.add_summary(
      "model", o.model + " (" + std::to_string(in.trained.members.size()) + " members, checksum " + in.checksum + ")");
  report.add_summary("search",
                     std::to_string(run.history.size()) + " candidates (" + std::to_string(resumed) +
                         " from the journal), " + std::to_string(feasible) + " feasible; " + s.sampler +
                         (s.sampler == "tpe" ? std::string(s.multivariate ? " multivariate" : " independent") : "") +
                         ", batch " + std::to_string(s.batch) + ", seed " + std::to_string(s.seed));
  std::string targets;
  for (const auto& t : in.problem.targets) targets += (targets.empty() ? "" : " and ") + t.text();
  report.add_summary("objective", "P(" + targets + "), " + s.objective);
  const auto& best = run.top.front();
  report.add_summary("best", "trial " + std::to_string(run.top_trials.front()) + ": p_joint " +
                                 format_fixed(best.p_joint, 3) + ", p_gaussian " + format_fixed(best.p_gaussian, 3));
  data::Fnv1a designs;
  for (const auto& t : run.history) designs.add(data::format_number(t.outcome.value));
  report.add_summary("designs", std::to_string(run.top.size()) + " distinct feasible in " + o.out +
                                    (o.csv.empty() ? "" : ", " + o.csv) + "; history checksum " + designs.hex());
  report.add_summary("journal", o.journal);
}

int run_design(const DesignOptions& o, const RunContext& context) {
  Reporter report(context, "design");
  const DesignInputs in = read_inputs(o, context);
  const auto& s = in.config.settings;
  report.line(o.config + ": " + std::to_string(s.evaluations) + " candidates in batches of " + std::to_string(s.batch) +
              " on " + std::to_string(context.comm.size()) + " ranks; " + std::to_string(in.journal.entries.size()) +
              " in " + o.journal);
  report.line("variables: " + describe_variables(in.problem));
  const opt::TrialJournal journal = study_journal(context, o.journal, *in.layout, in.journal);
  std::optional<opt::DesignRun> searched;
  try {
    const InterruptionScope signals;
    searched = opt::run_design(in.problem, s, in.trained, journal, CommDistribution(context.comm), progress(report, s),
                               stop_on_signal(context));
  } catch (const opt::Interrupted& stop) {
    return report_interruption(context, "design", stop, o.journal);
  }
  const opt::DesignRun& run = *searched;
  const io::DesignReport written{in.problem, in.config, run, in.trained, in.checksum};
  std::vector<common::PendingOutput> outputs{
      {o.out, [&](const std::string& temp) { io::write_designs(temp, written, provenance(context)); }}};
  if (!o.csv.empty()) {
    outputs.push_back({o.csv, [&](const std::string& temp) { io::write_designs_csv(temp, written); }});
    outputs.push_back(
        {history_path(o.csv), [&](const std::string& temp) { io::write_design_history_csv(temp, written); }});
  }
  write_on_root(context, outputs);
  summarise(report, o, in, run);
  report.print_summary();
  return 0;
}

}  // namespace

Command add_design_command(CLI::App& parent) {
  auto options = std::make_shared<DesignOptions>();
  CLI::App* app = parent.add_subcommand(
      "design", "Search formulation and process for the designs most likely to meet the targets ([design] section).");
  app->add_option("--model", options->model, "model file written by train or tune")->required();
  app->add_option("--config", options->config, "config with a [design] section")->required();
  app->add_option("--out", options->out, "designs file to write (HDF5)")->capture_default_str();
  app->add_option("--csv", options->csv, "also write the top designs as CSV (a proposals file) and <name>_history.csv");
  app->add_option("--journal", options->journal, "design journal (CSV, one line per candidate)")->capture_default_str();
  app->add_flag("--resume", options->resume,
                "continue the search in --journal, evaluating none of its candidates again");
  app->add_option("--seed", options->seed, "override [design] seed");
  return {app, [options](const RunContext& context) { return run_design(*options, context); }};
}

}  // namespace elec::cli
