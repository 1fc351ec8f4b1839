// elec_hpc tune: hyperparameters by TPE (Bergstra et al. 2011), each trial scored by k-fold cross-validation
// (median R^2 by default, the paper's objective), then the final model retrained on every cell with the best
// trial's values. Trial 0 is the config's own values, so the study always reports what it improved on.
//
// Trials go in batches of [tune] batch: a batch is suggested from the trials of the batches before it (the
// constant liar spreads it out) and evaluated by groups of ranks at once, one group per trial. The batch size,
// not the rank count, decides the sequence of suggestions, and each trial's cross-validation is rank-invariant,
// so a study gives the same trials, values and final model on any number of ranks. Every finished trial is
// appended to the journal; --resume re-runs none of them.
#include <chrono>
#include <cmath>
#include <filesystem>

#include "elec/cli/command.hpp"
#include "elec/cli/interruption.hpp"
#include "elec/cli/outputs.hpp"
#include "elec/cli/preflight.hpp"
#include "elec/cli/reporter.hpp"
#include "elec/data/study_inputs.hpp"
#include "elec/eval/calibrated_training.hpp"
#include "elec/eval/cross_validation.hpp"
#include "elec/io/model_file.hpp"
#include "elec/model/pipeline.hpp"
#include "elec/opt/journal.hpp"
#include "elec/opt/tpe.hpp"
#include "elec/opt/trial_loop.hpp"
#include "elec/opt/tune_config.hpp"
#include "elec/par/ownership.hpp"

namespace elec::cli {
namespace {

struct TuneOptions {
  StudyFiles study;
  std::string out = "model.h5", journal = "tune_journal.csv";
  bool resume = false;
};

data::StudyConfig with_point(data::StudyConfig config, const opt::SearchSpace& space,
                             const std::vector<double>& point) {
  for (std::size_t k = 0; k < space.size(); ++k) {
    const auto& p = space[k];
    const std::string wrong =
        p.kind == opt::ParameterKind::Categorical
            ? data::set_parameter(config, p.name, 0.0, p.choices[static_cast<std::size_t>(point[k])])
            : data::set_parameter(config, p.name, point[k]);
    if (!wrong.empty()) throw std::runtime_error("trial point: " + wrong);
  }
  return config;
}

// The config's own values as a point, when the space admits them.
std::optional<std::vector<double>> point_of(const data::StudyConfig& config, const opt::SearchSpace& space) {
  std::vector<double> point;
  for (const auto& p : space.parameters()) {
    double number = 0.0;
    std::string text;
    data::get_parameter(config, p.name, number, text);
    if (p.kind == opt::ParameterKind::Categorical) {
      const auto it = std::find(p.choices.begin(), p.choices.end(), text);
      if (it == p.choices.end()) return std::nullopt;
      number = static_cast<double>(it - p.choices.begin());
    }
    if (!p.admits(number)) return std::nullopt;
    point.push_back(number);
  }
  return point;
}

double objective(const eval::CrossValidation& cv, const std::string& name) {
  if (name == "median_r2") return cv.median_r_squared;
  double sum = 0.0;
  int count = 0;
  for (const auto& t : cv.targets) {
    if (name == "r2:" + t.name) return t.r_squared;
    if (!std::isnan(t.r_squared)) sum += t.r_squared, ++count;
  }
  if (name == "mean_r2") return count ? sum / count : std::nan("");
  throw data::InputError("objective " + name + ": no such target; the targets are the scalar endpoints and curves\n");
}

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

// "r2:<target>" must name a target of cross-validation: a scalar endpoint or a whole curve.
void check_objective_target(const opt::TuneConfig& tune, const data::Dataset& dataset, data::Diagnostics& problems) {
  if (tune.objective.rfind("r2:", 0) != 0 || dataset.endpoint_names.empty()) return;
  const std::string target = tune.objective.substr(3);
  std::vector<std::string> targets;
  for (const auto& c : dataset.curves) targets.push_back(c.name);
  for (std::size_t j = 0; j < dataset.endpoint_names.size(); ++j) {
    const bool on_curve = std::any_of(dataset.curves.begin(), dataset.curves.end(), [&](const data::CurveBlock& c) {
      return static_cast<int>(j) >= c.first_endpoint && static_cast<int>(j) < c.first_endpoint + c.points();
    });
    if (!on_curve) targets.push_back(dataset.endpoint_names[j]);
  }
  if (std::find(targets.begin(), targets.end(), target) != targets.end()) return;
  std::string known;
  for (const auto& t : targets) known += (known.empty() ? "" : ", ") + t;
  problems.add(tune.objective_at,
               "objective \"" + tune.objective + "\": no such target; expected r2: and one of " + known);
}

opt::TpeSettings tune_settings(const opt::TuneConfig& tune) {
  opt::TpeSettings settings;
  settings.startup_trials = tune.startup;
  settings.multivariate = tune.multivariate;
  settings.direction = opt::Direction::Maximise;
  return settings;
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
    check_objective_target(t.tune, t.in.dataset, problems);
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
  const TuneInputs& inputs;
  const opt::SearchSpace& space;
  const data::StudyConfig& search_config;
  const std::vector<int>& folds;
  const RunContext& context;

  std::vector<opt::TrialOutcome> operator()(const std::vector<std::vector<double>>& points) const {
    const int groups = std::min<int>(static_cast<int>(points.size()), context.comm.size());
    const par::Comm group = context.comm.split(groups);
    const int mine = context.comm.group_of_split(groups);
    const CommDistribution distribution(group);
    std::vector<double> local(2 * points.size(), std::nan(""));
    for (std::size_t r = static_cast<std::size_t>(mine); r < points.size(); r += static_cast<std::size_t>(groups)) {
      const auto start = std::chrono::steady_clock::now();
      const auto cv =
          eval::cross_validate(inputs.in.dataset, inputs.in.schema, with_point(search_config, space, points[r]),
                               distribution, folds, inputs.tune.folds);
      local[2 * r] = objective(cv, inputs.tune.objective);
      local[2 * r + 1] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
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

int run_tune(const TuneOptions& o, const RunContext& context) {
  Reporter report(context, "tune");
  const TuneInputs inputs = read_inputs(o, context);
  const opt::TuneConfig& tune = inputs.tune;
  const data::StudyInputs& in = inputs.in;
  const std::vector<int> folds =
      eval::assign_folds(eval::group_labels(in.table, tune.group), in.dataset.rows(), tune.folds, in.config.seed);
  const opt::SearchSpace space(tune.parameters);
  const opt::Tpe tpe(space, tune_settings(tune), in.config.seed);
  data::StudyConfig search_config = in.config;
  if (tune.members > 0) search_config.members = tune.members;
  const auto base = point_of(in.config, space);

  report.line(in.table.file + ": " + std::to_string(in.dataset.rows()) + " cells; " + std::to_string(tune.trials) +
              " trials of " + std::to_string(tune.folds) + "-fold cross-validation (" + tune.objective + ", " +
              std::to_string(search_config.members) + " members), batches of " + std::to_string(tune.batch) + " on " +
              std::to_string(context.comm.size()) + " ranks; " + std::to_string(inputs.journal.entries.size()) +
              " trials in " + o.journal);
  std::vector<opt::TrialRecord> history;
  try {
    const InterruptionScope signals;
    history = opt::run_trials(
        tpe, {tune.trials, tune.batch, base},
        study_journal(context, o.journal, {space, {}, inputs.fingerprint}, inputs.journal),
        BatchCrossValidation{inputs, space, search_config, folds, context},
        [&](const std::vector<opt::TrialRecord>& h, std::size_t begin) {
          report_trials(report, tune, space, h, begin);
        },
        stop_on_signal(context));
  } catch (const opt::Interrupted& stop) {
    return report_interruption(context, "tune", stop, o.journal);
  }

  const opt::TrialRecord* winner = opt::best_trial(history, opt::Direction::Maximise);
  if (!winner) throw std::runtime_error("no trial gave a defined " + tune.objective);
  report.line("retraining on all " + std::to_string(in.dataset.rows()) + " cells with trial " +
              std::to_string(winner->number) + "'s values and " + std::to_string(in.config.members) + " members");
  const data::StudyConfig final_config = with_point(in.config, space, winner->point);
  report.set_pass_limit(final_config.max_passes);
  // With [calibration] folds, the winner's values are cross-validated once more with the final ensemble size:
  // a trial's spread came from tune.members networks, not the final model's.
  const model::TrainedModel model =
      eval::train_calibrated(in.dataset, in.schema, final_config, CommDistribution(context.comm),
                             eval::group_labels(in.table, final_config.calibration_group),
                             {report.pass_observer(), nullptr, nullptr})
          .model;
  write_on_root(context,
                {{o.out, [&](const std::string& temp) { io::write_model(temp, model, provenance(context)); }}});

  const long resumed =
      std::count_if(history.begin(), history.end(), [](const opt::TrialRecord& t) { return t.from_journal; });
  report.add_summary("data", in.table.file + ", " + std::to_string(in.dataset.rows()) + " cells");
  report.add_summary("search", std::to_string(tune.trials) + " trials (" + std::to_string(resumed) +
                                   " from the journal), " + std::to_string(tune.folds) + "-fold CV" +
                                   (tune.group.empty() ? "" : " by " + tune.group) + ", TPE " +
                                   (tune.multivariate ? "multivariate" : "independent") + ", batch " +
                                   std::to_string(tune.batch) + ", seed " + std::to_string(in.config.seed));
  if (base)
    report.add_summary("trial 0", tune.objective + " " + format_fixed(history.front().outcome.value, 4) +
                                      " (the config's own values)");
  report.add_summary("best", tune.objective + " " + format_fixed(winner->outcome.value, 4) + " (trial " +
                                 std::to_string(winner->number) + ": " + describe_point(space, winner->point) + ")");
  report.add_summary("model", o.out + ", " + std::to_string(final_config.members) + " members, checksum " +
                                  model::checksum_hex(model::checksum(model.members)));
  report.add_summary("calibration",
                     model.calibration.empty() ? "none ([calibration] folds = 0)" : model.calibration.fitted_on);
  report.add_summary("journal", o.journal);
  report.print_summary();
  return 0;
}

}  // namespace

Command add_tune_command(CLI::App& parent) {
  auto options = std::make_shared<TuneOptions>();
  CLI::App* app = parent.add_subcommand(
      "tune", "Tune hyperparameters by TPE on k-fold cross-validation, then train the final model with the best.");
  app->add_option("--data", options->study.table, "cell table (CSV)")->required();
  app->add_option("--schema", options->study.schema, "column roles (TOML); default: all endpoints");
  app->add_option("--config", options->study.config, "study config with a [tune] section (the search space)")
      ->required();
  app->add_option("--out", options->out, "final model file to write")->capture_default_str();
  app->add_option("--journal", options->journal, "study journal (CSV, one line per finished trial)")
      ->capture_default_str();
  app->add_flag("--resume", options->resume, "continue the study in --journal, re-running none of its trials");
  app->add_option("--seed", options->study.seed, "override the study seed");
  return {app, [options](const RunContext& context) { return run_tune(*options, context); }};
}

}  // namespace elec::cli
