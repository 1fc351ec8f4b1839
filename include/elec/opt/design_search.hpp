#pragma once
// The search of elec_hpc design: TPE (or uniform random sampling, the baseline) over a design problem, batch by
// batch on the shared trial loop (opt/trial_loop: journal, resume), each batch scored by evaluate_designs; then the
// top distinct feasible candidates, predicted again together for the report.
//
// run_design = run_trials (evaluate_batch) -> check_some_feasible -> pick_top -> evaluate_designs(top).
#include <string>
#include <vector>

#include "elec/model/distribution.hpp"
#include "elec/opt/design_config.hpp"
#include "elec/opt/design_objective.hpp"
#include "elec/opt/trial_loop.hpp"

namespace elec::opt {

// The journal's extra columns of a design study, in the order of TrialOutcome::extras.
const std::vector<std::string>& design_journal_extras();  // p_joint, p_gaussian, feasible, broken
enum DesignExtra { kPJoint = 0, kPGaussian = 1, kFeasible = 2, kBroken = 3 };
// Whether a design trial met every constraint (its journal extra "feasible").
inline bool is_feasible(const TrialRecord& t) { return t.outcome.extras[kFeasible] == 1.0; }

struct DesignRun {
  std::vector<TrialRecord> history;
  std::vector<int> top_trials;        // trial numbers of the top candidates, best first
  std::vector<DesignEvaluation> top;  // their evaluations
};

TpeSettings design_tpe_settings(const DesignSettings& settings);

// Throws data::InputError when no candidate was feasible (each constraint with the number of candidates it ruled
// out first).
DesignRun run_design(const DesignProblem& problem, const DesignSettings& settings, const model::TrainedModel& model,
                     const TrialJournal& journal, const model::MemberDistribution& distribution,
                     const BatchObserver& observe, const StopCheck& stop = {});

// The best feasible trials, best first (ties: the earlier trial), skipping any that is the same design as one
// already taken: no categorical differs and every free variable differs by less than `distinct` of its range.
std::vector<int> pick_top(const DesignProblem& problem, const std::vector<TrialRecord>& history, int top,
                          double distinct);

}  // namespace elec::opt
