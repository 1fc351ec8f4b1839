// elec_hpc tune: reads the study and its [tune] section, runs opt::run_tune_study (TPE trials scored by k-fold
// cross-validation, then the final model with the best trial's values) and reports. The rank topology is this
// file's: the trials of a batch are cross-validated by groups of ranks at once, one group per trial. Every finished
// trial is appended to the journal; --resume re-runs none of them.
#include <algorithm>
#include <cmath>

#include "elec/cli/command.hpp"
#include "elec/cli/interruption.hpp"
#include "elec/cli/outputs.hpp"
#include "elec/cli/preflight.hpp"
#include "elec/cli/reporter.hpp"
#include "elec/data/study_inputs.hpp"
#include "elec/io/model_file.hpp"
#include "elec/opt/journal.hpp"
#include "elec/opt/trial_loop.hpp"
#include "elec/opt/tune_config.hpp"
#include "elec/opt/tune_study.hpp"
#include "elec/par/ownership.hpp"

namespace elec::cli {
namespace {

struct TuneOptions {
  StudyFiles study;
  std::string out = "model.h5", journal = "tune_journal.csv";
  bool resume = false;
};

std::string describe_point(const opt::SearchSpace& space, const std::vector<double>& point) {
  std::string out;
  for (std::size_t k = 0; k < space.size(); ++k) {
    const auto& p = space[k];
    out += (k ? ", " : "") + p.name + "=" +
           (p.kind == opt::ParameterKind::Categorical ? p.choices[static_cast<std::size_t>(point[k])]
            : p.kind == opt::ParameterKind::Integer   ? std::to_string(std::lround(point[k]))
                                                      : format_sci(point[k]));
  }
  return out;
}

struct TuneInputs {
  opt::TuneConfig tune;
  data::StudyInputs in;
  std::string fingerprint;
  opt::JournalContents journal;
};

// The study files, the [tune] section, where the outputs go and the journal, validated on every rank.
TuneInputs read_inputs(const TuneOptions& o, const RunContext& context) {
  TuneInputs t = validated_on_every_rank(context, [&] {
    TuneInputs t;
    data::Diagnostics problems;
    t.tune = opt::read_tune_config(o.study.config, problems);
    t.in = read_study(o.study, {{o.out, "--out"}, {o.journal, "--journal"}}, context, data::Purpose::PredictNewCells,
                      problems);
    opt::check_objective_target(t.tune, t.in.dataset, problems);
    problems.throw_if_any();
    const std::size_t members = static_cast<std::size_t>(std::max(t.tune.members, t.in.config.members));
    check_memory(context, model::training_memory(training_size(t.in, context, members)));
    t.fingerprint = data::study_fingerprint(t.in);
    t.journal =
        opt::open_journal(o.journal, {opt::SearchSpace(t.tune.parameters), {}, t.fingerprint}, o.resume, problems);
    problems.throw_if_any();
    return t;
  });
  return t;
}

// The trials of one batch, cross-validated by groups of ranks at once: one group per trial (at most one rank per
// group); group g runs trials g, g + G, ... Every rank contributes its group's results; each group's first rank is
// the one read, so every rank returns the same outcomes.
struct BatchCrossValidation {
  const opt::TuneStudy& study;
  const RunContext& context;

  std::vector<opt::TrialOutcome> operator()(const std::vector<std::vector<double>>& points) const {
    const int groups = std::min<int>(static_cast<int>(points.size()), context.comm.size());
    const par::Comm group = context.comm.split(groups);
    const int mine = context.comm.group_of_split(groups);
    const CommDistribution distribution(group);
    std::vector<double> local(2 * points.size(), std::nan(""));
    for (std::size_t r = static_cast<std::size_t>(mine); r < points.size(); r += static_cast<std::size_t>(groups)) {
      const opt::TrialOutcome outcome = opt::score_trial(study, points[r], distribution);
      local[2 * r] = outcome.value;
      local[2 * r + 1] = outcome.seconds;
    }
    const std::vector<double> all =
        context.comm.allgather_items(local, static_cast<std::size_t>(context.comm.size()), local.size());
    std::vector<opt::TrialOutcome> outcomes(points.size());
    for (std::size_t r = 0; r < points.size(); ++r) {
      const auto leader = par::owned_range(static_cast<std::size_t>(context.comm.size()), groups,
                                           static_cast<int>(r % static_cast<std::size_t>(groups)))
                              .begin;
      outcomes[r] = {all[leader * local.size() + 2 * r], all[leader * local.size() + 2 * r + 1], {}};
    }
    return outcomes;
  }
};

void report_trials(Reporter& report, const opt::TuneConfig& tune, const opt::SearchSpace& space,
                   const std::vector<opt::TrialRecord>& history, std::size_t begin) {
  const opt::TrialRecord* best = nullptr;
  for (std::size_t k = 0; k < history.size(); ++k) {
    const opt::TrialRecord& t = history[k];
    if (!std::isnan(t.outcome.value) && (!best || t.outcome.value > best->outcome.value)) best = &t;
    if (k < begin) continue;
    report.line(
        "trial " + std::to_string(t.number) + (t.from_journal ? " (journal)" : "") + ": " + tune.objective + " " +
        format_fixed(t.outcome.value, 4) + " in " + format_fixed(t.outcome.seconds, 1) + " s  [" +
        describe_point(space, t.point) + "]" +
        (best ? "  best " + format_fixed(best->outcome.value, 4) + " (trial " + std::to_string(best->number) + ")"
              : ""));
  }
}

void report_study(Reporter& report, const TuneOptions& o, const opt::TuneStudy& study, const opt::TunedModel& tuned) {
  const opt::TuneConfig& tune = study.tune;
  const data::StudyInputs& in = study.inputs;
  const long resumed = std::count_if(tuned.history.begin(), tuned.history.end(),
                                     [](const opt::TrialRecord& t) { return t.from_journal; });
  report.add_summary("data", in.table.file + ", " + std::to_string(in.dataset.rows()) + " cells");
  report.add_summary("search", std::to_string(tune.trials) + " trials (" + std::to_string(resumed) +
                                   " from the journal), " + std::to_string(tune.folds) + "-fold CV" +
                                   (tune.group.empty() ? "" : " by " + tune.group) + ", TPE " +
                                   (tune.multivariate ? "multivariate" : "independent") + ", batch " +
                                   std::to_string(tune.batch) + ", seed " + std::to_string(in.config.seed));
  if (study.base)
    report.add_summary("trial 0", tune.objective + " " + format_fixed(tuned.history.front().outcome.value, 4) +
                                      " (the config's own values)");
  report.add_summary("best", tune.objective + " " + format_fixed(tuned.winner.outcome.value, 4) + " (trial " +
                                 std::to_string(tuned.winner.number) + ": " +
                                 describe_point(study.space, tuned.winner.point) + ")");
  report.add_summary("model", o.out + ", " + std::to_string(tuned.config.members) + " members, checksum " +
                                  model::checksum_hex(model::checksum(tuned.model.members)));
  report.add_summary("calibration", tuned.model.calibration.empty() ? "none ([calibration] folds = 0)"
                                                                    : tuned.model.calibration.fitted_on);
  report.add_summary("journal", o.journal);
  report.print_summary();
}

int run_tune(const TuneOptions& o, const RunContext& context) {
  Reporter report(context, "tune");
  const TuneInputs inputs = read_inputs(o, context);
  const opt::TuneStudy study = opt::make_tune_study(inputs.in, inputs.tune);
  const opt::TuneConfig& tune = inputs.tune;
  report.line(inputs.in.table.file + ": " + std::to_string(inputs.in.dataset.rows()) + " cells; " +
              std::to_string(tune.trials) + " trials of " + std::to_string(tune.folds) + "-fold cross-validation (" +
              tune.objective + ", " + std::to_string(study.trial_config.members) + " members), batches of " +
              std::to_string(tune.batch) + " on " + std::to_string(context.comm.size()) + " ranks; " +
              std::to_string(inputs.journal.entries.size()) + " trials in " + o.journal);
  opt::TuneCallbacks callbacks;
  callbacks.batch_done = [&](const std::vector<opt::TrialRecord>& h, std::size_t begin) {
    report_trials(report, tune, study.space, h, begin);
  };
  callbacks.stop = stop_on_signal(context);
  callbacks.retraining = [&](const opt::TrialRecord& winner, const data::StudyConfig& final_config) {
    report.line("retraining on all " + std::to_string(inputs.in.dataset.rows()) + " cells with trial " +
                std::to_string(winner.number) + "'s values and " + std::to_string(final_config.members) + " members");
    report.set_pass_limit(final_config.max_passes);
  };
  callbacks.pass = report.pass_observer();
  opt::TunedModel tuned;
  try {
    const InterruptionScope signals;
    tuned = opt::run_tune_study(
        study, study_journal(context, o.journal, {study.space, {}, inputs.fingerprint}, inputs.journal),
        BatchCrossValidation{study, context}, CommDistribution(context.comm), callbacks);
  } catch (const opt::Interrupted& stop) {
    return report_interruption(context, "tune", stop, o.journal);
  }
  write_on_root(context,
                {{o.out, [&](const std::string& temp) { io::write_model(temp, tuned.model, provenance(context)); }}});
  report_study(report, o, study, tuned);
  return 0;
}

}  // namespace

Command add_tune_command(CLI::App& parent) {
  auto options = std::make_shared<TuneOptions>();
  CLI::App* app = parent.add_subcommand(
      "tune", "Tune hyperparameters by TPE on k-fold cross-validation, then train the final model with the best.");
  add_study_options(app, options->study, "study config with a [tune] section (the search space)");
  app->get_option("--config")->required();
  app->add_option("--out", options->out, "final model file to write")->capture_default_str();
  app->add_option("--journal", options->journal, "study journal (CSV, one line per finished trial)")
      ->capture_default_str();
  app->add_flag("--resume", options->resume, "continue the study in --journal, re-running none of its trials");
  return {app, [options](const RunContext& context) { return run_tune(*options, context); }};
}

}  // namespace elec::cli
