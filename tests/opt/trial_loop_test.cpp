#include "elec/opt/trial_loop.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "elec/data/diagnostics.hpp"

namespace elec::opt {
namespace {

SearchSpace plane() {
  return SearchSpace({Parameter::floating("x", -2.0, 2.0), Parameter::categorical("c", {"a", "b"})});
}

TpeSettings maximising(int startup) {
  TpeSettings s;
  s.startup_trials = startup;
  s.multivariate = true;
  s.direction = Direction::Maximise;
  return s;
}

// Highest (0) at x = 0.5, c = "b".
double score(const std::vector<double>& p) { return -(p[0] - 0.5) * (p[0] - 0.5) - (p[1] == 1 ? 0.0 : 1.0); }

struct CountingEvaluation {
  std::vector<int>* batch_sizes;
  std::vector<TrialOutcome> operator()(const std::vector<std::vector<double>>& points) const {
    batch_sizes->push_back(static_cast<int>(points.size()));
    std::vector<TrialOutcome> out;
    for (const auto& p : points) out.push_back({score(p), 0.5, {2.0 * score(p)}});
    return out;
  }
};

TEST(TrialLoop, BatchesFollowThePlanAndTheFirstPointRunsAlone) {
  const Tpe tpe(plane(), maximising(4), 11);
  std::vector<int> sizes;
  std::vector<JournalEntry> recorded;
  const TrialJournal journal{"j.csv", {}, [&](const JournalEntry& e) { recorded.push_back(e); }};
  std::vector<std::size_t> observed_begins;
  const auto history =
      run_trials(tpe, {11, 4, std::vector<double>{0.0, 0.0}}, journal, CountingEvaluation{&sizes},
                 [&](const std::vector<TrialRecord>&, std::size_t begin) { observed_begins.push_back(begin); });
  EXPECT_EQ(sizes, (std::vector<int>{1, 4, 4, 2}));
  EXPECT_EQ(observed_begins, (std::vector<std::size_t>{0, 1, 5, 9}));
  ASSERT_EQ(history.size(), 11u);
  EXPECT_EQ(history[0].point, (std::vector<double>{0.0, 0.0}));
  ASSERT_EQ(recorded.size(), 11u);
  for (int k = 0; k < 11; ++k) {
    EXPECT_EQ(history[static_cast<std::size_t>(k)].number, k);
    EXPECT_EQ(recorded[static_cast<std::size_t>(k)].number, k);
    EXPECT_EQ(recorded[static_cast<std::size_t>(k)].extras, history[static_cast<std::size_t>(k)].outcome.extras);
  }
}

TEST(TrialLoop, AResumedStudyTakesTheJournalsTrialsAndEndsAsTheUninterruptedOne) {
  const Tpe tpe(plane(), maximising(3), 5);
  std::vector<int> sizes;
  std::vector<JournalEntry> all;
  const auto whole = run_trials(tpe, {12, 3, std::nullopt}, {"j", {}, [&](const JournalEntry& e) { all.push_back(e); }},
                                CountingEvaluation{&sizes}, nullptr);
  // Killed after 5 trials were recorded (the second batch half done).
  std::vector<JournalEntry> kept(all.begin(), all.begin() + 5);
  std::vector<int> resumed_sizes;
  std::vector<JournalEntry> appended;
  const auto resumed =
      run_trials(tpe, {12, 3, std::nullopt}, {"j", kept, [&](const JournalEntry& e) { appended.push_back(e); }},
                 CountingEvaluation{&resumed_sizes}, nullptr);
  ASSERT_EQ(resumed.size(), whole.size());
  for (std::size_t k = 0; k < whole.size(); ++k) {
    EXPECT_EQ(resumed[k].point, whole[k].point) << k;
    EXPECT_EQ(resumed[k].outcome.value, whole[k].outcome.value) << k;
    EXPECT_EQ(resumed[k].from_journal, k < 5) << k;
  }
  EXPECT_EQ(resumed_sizes, (std::vector<int>{1, 3, 3}));  // only what the journal lacked
  ASSERT_EQ(appended.size(), 7u);
  EXPECT_EQ(appended.front().number, 5);
}

TEST(TrialLoop, AStopRequestEndsTheSearchAfterARecordedBatchAndAResumeFinishesIt) {
  const Tpe tpe(plane(), maximising(3), 5);
  std::vector<int> sizes;
  const auto whole = run_trials(tpe, {12, 3, std::nullopt}, {"j", {}, nullptr}, CountingEvaluation{&sizes}, nullptr);
  // A signal arrives during the second batch: the check after it stops the search, with both batches recorded.
  std::vector<JournalEntry> recorded;
  int checks = 0;
  try {
    run_trials(tpe, {12, 3, std::nullopt}, {"j", {}, [&](const JournalEntry& e) { recorded.push_back(e); }},
               CountingEvaluation{&sizes}, nullptr, [&] { return ++checks == 2; });
    FAIL() << "the search did not stop";
  } catch (const Interrupted& stop) {
    EXPECT_EQ(stop.finished, 6);
    EXPECT_EQ(stop.total, 12);
  }
  ASSERT_EQ(recorded.size(), 6u);
  std::vector<int> resumed_sizes;
  const auto resumed = run_trials(tpe, {12, 3, std::nullopt}, {"j", recorded, nullptr},
                                  CountingEvaluation{&resumed_sizes}, nullptr, [] { return false; });
  EXPECT_EQ(resumed_sizes, (std::vector<int>{3, 3}));
  ASSERT_EQ(resumed.size(), whole.size());
  for (std::size_t k = 0; k < whole.size(); ++k) EXPECT_EQ(resumed[k].point, whole[k].point) << k;
  // After the last batch there is nothing left to stop: the search ends normally.
  EXPECT_NO_THROW(run_trials(tpe, {3, 3, std::nullopt}, {"j", {}, nullptr}, CountingEvaluation{&sizes}, nullptr,
                             [] { return true; }));
}

TEST(TrialLoop, AJournalOfAnotherStudyIsRefused) {
  const Tpe tpe(plane(), maximising(3), 5);
  std::vector<int> sizes;
  const std::vector<JournalEntry> foreign = {{0, 1.0, 0.1, {1.9, 0.0}, {}}};
  EXPECT_THROW(run_trials(tpe, {4, 2, std::nullopt}, {"j", foreign, nullptr}, CountingEvaluation{&sizes}, nullptr),
               data::InputError);
  EXPECT_TRUE(sizes.empty());
}

TEST(TrialLoop, BestTrialIgnoresNaNAndKeepsTheEarliestOfTies) {
  std::vector<TrialRecord> h(4);
  const double values[] = {std::nan(""), 2.0, 3.0, 3.0};
  for (int k = 0; k < 4; ++k)
    h[static_cast<std::size_t>(k)].number = k, h[static_cast<std::size_t>(k)].outcome.value = values[k];
  EXPECT_EQ(best_trial(h, Direction::Maximise)->number, 2);
  EXPECT_EQ(best_trial(h, Direction::Minimise)->number, 1);
  EXPECT_EQ(best_trial({h.begin(), h.begin() + 1}, Direction::Maximise), nullptr);
}

TEST(TrialLoop, TheSearchImprovesOnItsStartUp) {
  const Tpe tpe(plane(), maximising(8), 3);
  std::vector<int> sizes;
  const auto history = run_trials(tpe, {48, 4, std::nullopt}, {"j", {}, nullptr}, CountingEvaluation{&sizes}, nullptr);
  const auto startup_best = best_trial({history.begin(), history.begin() + 8}, Direction::Maximise)->outcome.value;
  const auto best = best_trial(history, Direction::Maximise)->outcome.value;
  EXPECT_GT(best, startup_best);
  EXPECT_GT(best, -0.01);
}

}  // namespace
}  // namespace elec::opt
