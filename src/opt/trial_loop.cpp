#include "elec/opt/trial_loop.hpp"

#include <algorithm>
#include <cmath>

#include "elec/data/diagnostics.hpp"

namespace elec::opt {
namespace {

std::vector<Trial> as_tpe_history(const std::vector<TrialRecord>& history) {
  std::vector<Trial> trials;
  trials.reserve(history.size());
  for (const auto& t : history) trials.push_back({t.number, t.point, t.outcome.value});
  return trials;
}

// Trial 0 (the given first point) is a batch of its own; the batches of TPE follow it.
int batch_size(const TrialPlan& plan, int first) {
  if (first == 0 && plan.first_point) return 1;
  return std::min(plan.batch, plan.trials - first);
}

std::vector<std::vector<double>> suggest_points(const Tpe& tpe, const TrialPlan& plan, int first, int count,
                                                const std::vector<TrialRecord>& history) {
  std::vector<std::vector<double>> points = tpe.suggest_batch(first, count, as_tpe_history(history));
  if (first == 0 && plan.first_point) points[0] = *plan.first_point;
  return points;
}

// The batch's trials that the journal already holds, checked against the suggested points; the others are left to
// evaluate (their positions in `missing`).
std::vector<TrialRecord> take_recorded(const TrialJournal& journal, int first,
                                       const std::vector<std::vector<double>>& points,
                                       std::vector<std::size_t>& missing) {
  std::vector<TrialRecord> batch(points.size());
  for (std::size_t k = 0; k < points.size(); ++k) {
    const int number = first + static_cast<int>(k);
    batch[k].number = number;
    batch[k].point = points[k];
    const auto done = std::find_if(journal.recorded.begin(), journal.recorded.end(),
                                   [&](const JournalEntry& e) { return e.number == number; });
    if (done == journal.recorded.end()) {
      missing.push_back(k);
      continue;
    }
    if (done->point != points[k])
      throw data::InputError(journal.path + ": trial " + std::to_string(number) +
                             " was run at other values than this "
                             "study suggests; expected the journal of the same inputs, config and seed\n");
    batch[k].outcome = {done->value, done->seconds, done->extras};
    batch[k].from_journal = true;
  }
  return batch;
}

void evaluate_missing(const BatchEvaluation& evaluate, const std::vector<std::size_t>& missing,
                      std::vector<TrialRecord>& batch) {
  if (missing.empty()) return;
  std::vector<std::vector<double>> points;
  for (std::size_t k : missing) points.push_back(batch[k].point);
  const std::vector<TrialOutcome> outcomes = evaluate(points);
  if (outcomes.size() != points.size()) throw std::logic_error("run_trials: the evaluation returned another count");
  for (std::size_t r = 0; r < missing.size(); ++r) batch[missing[r]].outcome = outcomes[r];
}

void record(const TrialJournal& journal, const std::vector<TrialRecord>& batch) {
  if (!journal.record) return;
  for (const auto& t : batch)
    if (!t.from_journal) journal.record({t.number, t.outcome.value, t.outcome.seconds, t.point, t.outcome.extras});
}

}  // namespace

std::vector<TrialRecord> run_trials(const Tpe& tpe, const TrialPlan& plan, const TrialJournal& journal,
                                    const BatchEvaluation& evaluate, const BatchObserver& observe,
                                    const StopCheck& stop) {
  if (plan.batch < 1) throw std::invalid_argument("run_trials: batch must be at least 1");
  std::vector<TrialRecord> history;
  for (int first = 0; first < plan.trials;) {
    const int count = batch_size(plan, first);
    const auto points = suggest_points(tpe, plan, first, count, history);
    std::vector<std::size_t> missing;
    std::vector<TrialRecord> batch = take_recorded(journal, first, points, missing);
    evaluate_missing(evaluate, missing, batch);
    record(journal, batch);
    const std::size_t begin = history.size();
    history.insert(history.end(), batch.begin(), batch.end());
    if (observe) observe(history, begin);
    first += count;
    if (first < plan.trials && stop && stop()) throw Interrupted(first, plan.trials);
  }
  return history;
}

const TrialRecord* best_trial(const std::vector<TrialRecord>& history, Direction direction) {
  const TrialRecord* best = nullptr;
  for (const auto& t : history) {
    const double v = t.outcome.value;
    if (std::isnan(v)) continue;
    if (!best || (direction == Direction::Maximise ? v > best->outcome.value : v < best->outcome.value)) best = &t;
  }
  return best;
}

}  // namespace elec::opt
