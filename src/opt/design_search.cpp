#include "elec/opt/design_search.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "elec/data/diagnostics.hpp"

namespace elec::opt {
namespace {

BatchEvaluation evaluate_batch(const DesignProblem& problem, const DesignSettings& settings,
                               const model::TrainedModel& model, const model::MemberDistribution& distribution) {
  return [&](const std::vector<std::vector<double>>& points) {
    const auto start = std::chrono::steady_clock::now();
    const std::vector<DesignEvaluation> evaluated =
        evaluate_designs(problem, model, points, settings.objective == "joint", distribution);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() /
                           static_cast<double>(points.size());
    std::vector<TrialOutcome> outcomes;
    for (const auto& e : evaluated)
      outcomes.push_back(
          {e.objective, seconds, {e.p_joint, e.p_gaussian, e.feasible ? 1.0 : 0.0, static_cast<double>(e.broken)}});
    return outcomes;
  };
}

void check_some_feasible(const DesignProblem& problem, const std::vector<TrialRecord>& history) {
  std::vector<int> ruled_out(problem.constraints.size(), 0);
  for (const auto& t : history) {
    if (is_feasible(t)) return;
    const auto broken = static_cast<std::size_t>(t.outcome.extras[kBroken]);
    if (broken < ruled_out.size()) ++ruled_out[broken];
  }
  std::string detail;
  for (std::size_t c = 0; c < problem.constraints.size(); ++c)
    if (ruled_out[c] > 0)
      detail += "  " + problem.constraints[c].text() + (problem.constraints[c].predicted ? " (predicted mean)" : "") +
                ": broken by " + std::to_string(ruled_out[c]) + "\n";
  throw data::InputError("design: none of the " + std::to_string(history.size()) +
                         " candidates meets the constraints; expected a feasible design space (relax a constraint or "
                         "widen a range). First constraint each candidate broke:\n" +
                         detail);
}

bool same_design(const DesignProblem& problem, const std::vector<double>& a, const std::vector<double>& b,
                 double distinct) {
  for (std::size_t k = 0; k < problem.parameters.size(); ++k) {
    const Parameter& p = problem.parameters[k];
    if (p.kind == ParameterKind::Categorical ? a[k] != b[k] : std::abs(a[k] - b[k]) >= distinct * (p.high - p.low))
      return false;
  }
  return true;
}

}  // namespace

const std::vector<std::string>& design_journal_extras() {
  static const std::vector<std::string> names = {"p_joint", "p_gaussian", "feasible", "broken"};
  return names;
}

TpeSettings design_tpe_settings(const DesignSettings& settings) {
  TpeSettings tpe;
  tpe.startup_trials = settings.sampler == "random" ? settings.evaluations : settings.startup;
  tpe.multivariate = settings.multivariate;
  tpe.direction = Direction::Maximise;
  return tpe;
}

std::vector<int> pick_top(const DesignProblem& problem, const std::vector<TrialRecord>& history, int top,
                          double distinct) {
  std::vector<const TrialRecord*> ranked;
  for (const auto& t : history)
    if (is_feasible(t)) ranked.push_back(&t);
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const TrialRecord* a, const TrialRecord* b) { return a->outcome.value > b->outcome.value; });
  std::vector<int> chosen;
  std::vector<const TrialRecord*> taken;
  for (const TrialRecord* t : ranked) {
    if (static_cast<int>(chosen.size()) == top) break;
    if (std::any_of(taken.begin(), taken.end(),
                    [&](const TrialRecord* u) { return same_design(problem, t->point, u->point, distinct); }))
      continue;
    taken.push_back(t);
    chosen.push_back(t->number);
  }
  return chosen;
}

DesignRun run_design(const DesignProblem& problem, const DesignSettings& settings, const model::TrainedModel& model,
                     const TrialJournal& journal, const model::MemberDistribution& distribution,
                     const BatchObserver& observe, const StopCheck& stop) {
  const Tpe tpe(SearchSpace(problem.parameters), design_tpe_settings(settings), settings.seed);
  DesignRun run;
  run.history = run_trials(tpe, {settings.evaluations, settings.batch, std::nullopt}, journal,
                           evaluate_batch(problem, settings, model, distribution), observe, stop);
  check_some_feasible(problem, run.history);
  run.top_trials = pick_top(problem, run.history, settings.top, settings.distinct);
  std::vector<std::vector<double>> points;
  for (int n : run.top_trials) points.push_back(run.history[static_cast<std::size_t>(n)].point);
  run.top = evaluate_designs(problem, model, points, settings.objective == "joint", distribution);
  return run;
}

}  // namespace elec::opt
