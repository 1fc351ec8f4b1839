// How candidates are scored (opt/design_objective) and searched (opt/design_search) on a small trained ensemble:
// the probabilities recomputed by hand from the members, constraints on the ensemble mean, infeasible candidates at
// 0, a known optimum found by TPE (better than uniform sampling), a design space without a feasible candidate
// refused with its constraints, and the top designs distinct and in order.
#include "elec/opt/design_search.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "elec/common/rng.hpp"
#include "elec/data/diagnostics.hpp"
#include "elec/model/pipeline.hpp"

namespace elec::opt {
namespace {

data::ColumnSpec column(const std::string& name, data::Role role, data::ValueKind kind = data::ValueKind::Numeric) {
  data::ColumnSpec c;
  c.name = name;
  c.role = role;
  c.kind = kind;
  return c;
}

// Cells with descriptors a, b, c in [0, 1] and mix in {p, q}; endpoints y = 10 a and z = 5 b (plus noise 0.1);
// c and mix do nothing.
data::Dataset synthetic_cells(int rows) {
  common::CounterRng rng(21, common::Purpose::Experiment, 0);
  data::Dataset d;
  d.descriptor_names = {"a", "b", "c", "mix=p", "mix=q"};
  d.encodings = {{"mix", {"p", "q"}}};
  d.endpoint_names = {"y", "z"};
  d.descriptors.resize(rows, 5);
  d.endpoints.resize(rows, 2);
  for (int i = 0; i < rows; ++i) {
    const double a = rng.uniform(), b = rng.uniform(), c = rng.uniform();
    const bool p = rng.uniform() < 0.5;
    d.descriptors.row(i) << a, b, c, p ? 1.0 : 0.0, p ? 0.0 : 1.0;
    d.endpoints(i, 0) = 10 * a + 0.1 * rng.normal();
    d.endpoints(i, 1) = 5 * b + 0.1 * rng.normal();
    d.row_ids.push_back("r" + std::to_string(i));
  }
  return d;
}

// Trained once for the suite (about a second): 12 members.
const model::TrainedModel& trained() {
  static const model::TrainedModel m = [] {
    using data::Role;
    data::Schema schema;
    schema.columns = {column("id", Role::Id),
                      column("a", Role::Descriptor),
                      column("b", Role::Descriptor),
                      column("c", Role::Descriptor),
                      column("mix", Role::Descriptor, data::ValueKind::Categorical),
                      column("y", Role::Endpoint),
                      column("z", Role::Endpoint)};
    data::StudyConfig config;
    config.members = 12;
    config.hidden_units = 6;
    config.epochs = 400;
    config.learning_rate = 0.02;
    config.max_passes = 2;
    config.pass_epochs = 50;
    config.auto_schedule = false;
    config.seed = 5;
    return design_model(model::train_model(synthetic_cells(80), schema, config, model::SingleProcess(), {}));
  }();
  return m;
}

DesignProblem problem_of(const std::string& text) {
  data::Diagnostics diag;
  const DesignConfig config = design_config_from_text(text, "design.toml", diag);
  EXPECT_TRUE(diag.empty()) << diag.format();
  DesignProblem p = build_design_problem(config, trained(), diag);
  EXPECT_TRUE(diag.empty()) << diag.format();
  return p;
}

DesignSettings settings_of(const std::string& text) {
  data::Diagnostics diag;
  return design_config_from_text(text, "design.toml", diag).settings;
}

// Points a = 0, 0.1, ..., 1 (b = 0.5, c = 0.5, mix = p).
std::vector<std::vector<double>> a_sweep() {
  std::vector<std::vector<double>> points;
  for (int k = 0; k <= 10; ++k) points.push_back({k / 10.0, 0.5, 0.5, 0.0});
  return points;
}

TrialJournal no_journal() { return {"", {}, {}}; }
const BatchObserver kQuiet = [](const std::vector<TrialRecord>&, std::size_t) {};

TEST(DesignSearch, NormalProbabilityMatchesTheNormalDistribution) {
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_NEAR(normal_probability(0, 1, -1, 1), 0.6826894921370859, 1e-15);
  EXPECT_NEAR(normal_probability(0, 1, -inf, 1.959963984540054), 0.975, 1e-15);
  EXPECT_NEAR(normal_probability(10, 2, 12, inf), 0.15865525393145707, 1e-15);
  EXPECT_NEAR(normal_probability(10, 2, -inf, 8), 0.15865525393145707, 1e-15);
  EXPECT_NEAR(normal_probability(3, 0.5, 2, 3), 0.47724986805182079, 1e-15);
  EXPECT_EQ(normal_probability(0, 1, -inf, inf), 1.0);
  // Tails: 5 standard deviations out, both sides (relative accuracy).
  EXPECT_NEAR(normal_probability(0, 1, -inf, -5) / 2.866515718791939e-07, 1.0, 1e-12);
  EXPECT_NEAR(normal_probability(0, 1, 5, inf) / 2.866515718791939e-07, 1.0, 1e-6);
  // No spread: the mean decides. No mean: never.
  EXPECT_EQ(normal_probability(2, 0, 1, 3), 1.0);
  EXPECT_EQ(normal_probability(2, 0, 2, 2), 1.0);
  EXPECT_EQ(normal_probability(4, 0, 1, 3), 0.0);
  EXPECT_EQ(normal_probability(std::nan(""), 1, -inf, inf), 0.0);
  EXPECT_EQ(normal_probability(0, 1, 1, -1), 0.0);  // an empty interval
}

TEST(DesignSearch, ProbabilitiesAreTheMembersFractionAndTheGaussianProduct) {
  const DesignProblem p = problem_of(R"([design]
[[design.target]]
name = "y"
min = 5
[[design.target]]
name = "z"
max = 2.6
)");
  const auto points = a_sweep();
  const auto joint = evaluate_designs(p, trained(), points, true, model::SingleProcess());
  const auto gaussian = evaluate_designs(p, trained(), points, false, model::SingleProcess());
  ASSERT_EQ(joint.size(), points.size());

  // By hand, from every member's prediction of every candidate.
  std::vector<Design> designs;
  for (const auto& point : points) designs.push_back(decode_point(p, point));
  const Matrix x = encode_designs(p, trained(), designs);
  const Matrix blank = Matrix::Constant(x.rows(), 2, std::nan(""));
  const auto predicted = model::predict_cells(trained(), x, blank, model::SingleProcess(), nullptr, true);
  const std::size_t M = trained().members.size(), R = points.size(), E = 2;
  const std::size_t y = p.first_endpoint, z = p.first_endpoint + 1;
  ASSERT_EQ(predicted.members.size(), M * R * E);
  int some = 0, all = 0;
  for (std::size_t r = 0; r < R; ++r) {
    double mean[2] = {0, 0}, var[2] = {0, 0};
    int meeting = 0;
    for (std::size_t m = 0; m < M; ++m) {
      const double vy = predicted.members[(m * R + r) * E], vz = predicted.members[(m * R + r) * E + 1];
      meeting += vy >= 5 && vz <= 2.6;
      mean[0] += vy / M, mean[1] += vz / M;
    }
    for (std::size_t m = 0; m < M; ++m)
      for (std::size_t e = 0; e < E; ++e) var[e] += std::pow(predicted.members[(m * R + r) * E + e] - mean[e], 2) / M;
    const double p_joint = static_cast<double>(meeting) / M;
    const double p_gaussian =
        normal_probability(mean[0], std::sqrt(var[0]), 5, std::numeric_limits<double>::infinity()) *
        normal_probability(mean[1], std::sqrt(var[1]), -std::numeric_limits<double>::infinity(), 2.6);
    const DesignEvaluation& e = joint[r];
    EXPECT_TRUE(e.feasible);
    EXPECT_EQ(e.broken, -1);
    EXPECT_DOUBLE_EQ(e.p_joint, p_joint) << "a = " << points[r][0];
    EXPECT_NEAR(e.p_gaussian, p_gaussian, 1e-12) << "a = " << points[r][0];
    EXPECT_NEAR(e.mean[y], mean[0], 1e-9);
    EXPECT_NEAR(e.spread[z], std::sqrt(var[1]), 1e-9);
    EXPECT_EQ(e.mean[0], points[r][0]);  // design quantities exactly, no spread
    EXPECT_EQ(e.spread[0], 0.0);
    EXPECT_GE(e.p_joint, 0.0);
    EXPECT_LE(e.p_joint, 1.0);
    EXPECT_GE(e.p_gaussian, 0.0);
    EXPECT_LE(e.p_gaussian, 1.0);
    EXPECT_EQ(e.objective, e.p_joint);
    EXPECT_EQ(gaussian[r].objective, gaussian[r].p_gaussian);
    EXPECT_EQ(gaussian[r].p_joint, e.p_joint);
    some += p_joint > 0 && p_joint < 1;
    all += p_joint == 1;
  }
  // The sweep crosses y = 5: some candidates meet the targets with some members only, some with every one.
  EXPECT_GT(some, 0);
  EXPECT_GT(all, 0);
  EXPECT_EQ(joint.front().p_joint, 0.0);  // a = 0: y near 0
}

TEST(DesignSearch, APredictedConstraintIsOnTheEnsembleMeanAndInfeasibleCandidatesScoreZero) {
  const DesignProblem p = problem_of(R"([design]
[[design.variable]]
name = "b"
high = 0.8
[[design.constraint]]
name = "y"
min = 5
[[design.constraint]]
name = "c"
max = 0.7
[[design.target]]
name = "z"
min = 0
)");
  ASSERT_EQ(p.constraints.size(), 2u);
  ASSERT_TRUE(p.constraints[0].predicted);
  ASSERT_FALSE(p.constraints[1].predicted);
  auto points = a_sweep();
  points.push_back({0.9, 0.5, 0.9, 0.0});  // c = 0.9 breaks the exact constraint before any prediction
  const auto out = evaluate_designs(p, trained(), points, true, model::SingleProcess());
  const std::size_t y = p.first_endpoint;
  int feasible = 0, infeasible = 0;
  for (std::size_t r = 0; r + 1 < points.size(); ++r) {
    const DesignEvaluation& e = out[r];
    ASSERT_FALSE(std::isnan(e.mean[y]));
    EXPECT_EQ(e.feasible, e.mean[y] >= 5) << "a = " << points[r][0] << ", mean y " << e.mean[y];
    EXPECT_EQ(e.broken, e.feasible ? -1 : 0);
    EXPECT_EQ(e.objective, e.feasible ? e.p_joint : 0.0);
    feasible += e.feasible, infeasible += !e.feasible;
  }
  EXPECT_GT(feasible, 0);
  EXPECT_GT(infeasible, 0);
  // The candidate that broke an exact constraint is not predicted at all.
  const DesignEvaluation& last = out.back();
  EXPECT_FALSE(last.feasible);
  EXPECT_EQ(last.broken, 1);
  EXPECT_EQ(last.objective, 0.0);
  EXPECT_TRUE(std::isnan(last.p_joint));
  EXPECT_TRUE(std::isnan(last.mean[y]));

  // A candidate's prediction is its own, whatever shares its batch: the same passes, the same numbers up to the
  // last bits (with AVX-512, Eigen's matrix-product kernels round a one-row product differently from an
  // eight-row one; a given batch is still bitwise the same on any number of ranks, tests/cli/design.sh).
  const auto alone = evaluate_designs(p, trained(), {points[7]}, true, model::SingleProcess());
  EXPECT_EQ(alone[0].p_joint, out[7].p_joint);
  EXPECT_NEAR(alone[0].mean[y], out[7].mean[y], 1e-12 * std::abs(out[7].mean[y]));
  EXPECT_NEAR(alone[0].spread[y], out[7].spread[y], 1e-9 * out[7].spread[y]);
}

TEST(DesignSearch, PredictedDerivedQuantitiesAreComputedMemberByMember) {
  const DesignProblem p = problem_of(R"([design]
[[design.derived]]
name = "w"
expression = "y * y"
[[design.target]]
name = "w"
min = 49
)");
  const auto out = evaluate_designs(p, trained(), a_sweep(), true, model::SingleProcess());
  const std::size_t y = p.first_endpoint, w = 4;  // a, b, c, mix, w
  ASSERT_EQ(p.quantity_names[w], "w");
  for (const auto& e : out) {
    // Mean of squares = square of mean + variance (population variance over members).
    EXPECT_NEAR(e.mean[w], e.mean[y] * e.mean[y] + e.spread[y] * e.spread[y], 1e-9 * (1 + e.mean[w]));
    EXPECT_GT(e.spread[w], 0.0);
  }
}

// A model whose centre is the median scores its candidates on the members' median, as its predictions are.
TEST(DesignSearch, AMedianModelReadsCandidatesAtTheMembersMedian) {
  const DesignProblem p = problem_of(R"([design]
[[design.target]]
name = "y"
min = 5
)");
  model::TrainedModel median = trained();
  median.config.centre = "median";
  const auto points = a_sweep();
  const auto out = evaluate_designs(p, median, points, true, model::SingleProcess());
  Matrix x(static_cast<Eigen::Index>(points.size()), 5);
  for (std::size_t r = 0; r < points.size(); ++r) x.row(static_cast<Eigen::Index>(r)) << points[r][0], 0.5, 0.5, 1, 0;
  const model::CellPredictions members = model::predict_cells(median, x, Matrix::Constant(x.rows(), 2, std::nan("")),
                                                              model::SingleProcess(), nullptr, true);
  const std::size_t y = p.first_endpoint, M = 12;
  int away_from_mean = 0;
  for (std::size_t r = 0; r < points.size(); ++r) {
    std::vector<double> v;
    for (std::size_t m = 0; m < M; ++m) v.push_back(members.members[(m * points.size() + r) * 2]);
    std::sort(v.begin(), v.end());
    const double mid = 0.5 * (v[5] + v[6]);
    EXPECT_NEAR(out[r].mean[y], mid, 1e-9 * (1 + std::abs(mid))) << "a = " << points[r][0];
    EXPECT_NEAR(members.prediction(static_cast<Eigen::Index>(r), 0), mid, 1e-9 * (1 + std::abs(mid)));
    away_from_mean += std::abs(out[r].mean[y] - std::accumulate(v.begin(), v.end(), 0.0) / M) > 1e-6;
  }
  EXPECT_GT(away_from_mean, 0);
}

// y = 10 a: every member meets y >= 8.5 only where a is near 1. TPE finds it and then samples there far more often
// than uniform draws do (a > 0.85 holds for 15% of them).
TEST(DesignSearch, TpeFindsAKnownOptimumAndBeatsUniformSampling) {
  const std::string targets = R"(
[[design.target]]
name = "y"
min = 8.5
)";
  const DesignProblem p = problem_of("[design]\n" + targets);
  const std::string head = "[design]\nevaluations = 150\nbatch = 10\nstartup = 20\ntop = 3\nseed = 3\n";
  const DesignSettings tpe = settings_of(head + targets);
  const DesignSettings random = settings_of(head + "sampler = \"random\"\n" + targets);
  ASSERT_EQ(random.sampler, "random");
  std::vector<std::size_t> batches;
  const BatchObserver observe = [&](const std::vector<TrialRecord>& history, std::size_t begin) {
    batches.push_back(history.size() - begin);
  };
  const DesignRun found = run_design(p, tpe, trained(), no_journal(), model::SingleProcess(), observe);
  const DesignRun baseline = run_design(p, random, trained(), no_journal(), model::SingleProcess(), kQuiet);

  EXPECT_EQ(batches, std::vector<std::size_t>(15, 10));
  ASSERT_EQ(found.history.size(), 150u);
  for (std::size_t n = 0; n < found.history.size(); ++n) EXPECT_EQ(found.history[n].number, static_cast<int>(n));
  ASSERT_FALSE(found.top.empty());
  const DesignEvaluation& best = found.top.front();
  EXPECT_GE(best.design.quantities[0], 0.8);
  EXPECT_GE(best.p_joint, 0.9);
  EXPECT_EQ(best.objective, found.history[static_cast<std::size_t>(found.top_trials.front())].outcome.value);
  EXPECT_EQ(found.top_trials.front(), best_trial(found.history, Direction::Maximise)->number);

  auto share_near_optimum = [](const DesignRun& run) {
    int near = 0;
    for (std::size_t n = 20; n < run.history.size(); ++n) near += run.history[n].point[0] > 0.85;
    return static_cast<double>(near) / static_cast<double>(run.history.size() - 20);
  };
  const double tpe_share = share_near_optimum(found), random_share = share_near_optimum(baseline);
  std::printf("after the 20 startup candidates, a > 0.85: TPE %.2f, random %.2f\n", tpe_share, random_share);
  EXPECT_GT(tpe_share, 0.4);
  EXPECT_LT(random_share, 0.3);
  EXPECT_GE(found.history[static_cast<std::size_t>(found.top_trials.front())].outcome.value,
            baseline.history[static_cast<std::size_t>(baseline.top_trials.front())].outcome.value);

  // The same study again: the same candidates and values.
  const DesignRun again = run_design(p, tpe, trained(), no_journal(), model::SingleProcess(), kQuiet);
  for (std::size_t n = 0; n < found.history.size(); ++n) {
    EXPECT_EQ(again.history[n].point, found.history[n].point);
    EXPECT_EQ(again.history[n].outcome.value, found.history[n].outcome.value);
  }
  EXPECT_EQ(again.top_trials, found.top_trials);
}

TEST(DesignSearch, TheTopDesignsOfARunAreDistinctAndInDescendingOrder) {
  const std::string text = R"([design]
evaluations = 60
batch = 20
startup = 20
top = 6
distinct = 0.05
[[design.target]]
name = "y"
min = 6
)";
  const DesignProblem p = problem_of(text);
  const DesignSettings s = settings_of(text);
  const DesignRun run = run_design(p, s, trained(), no_journal(), model::SingleProcess(), kQuiet);
  ASSERT_EQ(run.top.size(), 6u);
  ASSERT_EQ(run.top_trials.size(), 6u);
  for (std::size_t k = 0; k < run.top.size(); ++k) {
    const TrialRecord& t = run.history[static_cast<std::size_t>(run.top_trials[k])];
    EXPECT_EQ(run.top[k].objective, t.outcome.value) << "the top candidates predicted again give their values";
    if (k > 0) {
      EXPECT_LE(t.outcome.value, run.history[static_cast<std::size_t>(run.top_trials[k - 1])].outcome.value);
    }
    for (std::size_t j = 0; j < k; ++j) {
      const auto& u = run.history[static_cast<std::size_t>(run.top_trials[j])].point;
      bool same = u[3] == t.point[3];
      for (std::size_t q = 0; q < 3; ++q)
        same = same && std::abs(u[q] - t.point[q]) < 0.05 * (p.parameters[q].high - p.parameters[q].low);
      EXPECT_FALSE(same) << "top " << j << " and " << k << " are one design";
    }
  }
}

TrialRecord record(int number, std::vector<double> point, double value, bool feasible = true) {
  TrialRecord t;
  t.number = number;
  t.point = std::move(point);
  t.outcome.value = value;
  t.outcome.extras = {value, value, feasible ? 1.0 : 0.0, feasible ? -1.0 : 0.0};
  return t;
}

TEST(DesignSearch, PickTopSkipsInfeasibleAndRepeatedDesignsBestFirst) {
  const DesignProblem p = problem_of("[design]\n[[design.target]]\nname = \"y\"\nmin = 6\n");
  ASSERT_EQ(p.parameters.size(), 4u);  // a, b, c in [min, max] of the training data; mix
  const double range_a = p.parameters[0].high - p.parameters[0].low,
               range_b = p.parameters[1].high - p.parameters[1].low;
  const std::vector<TrialRecord> history = {
      record(0, {0.5, 0.5, 0.5, 0}, 0.90),
      record(1, {0.5 + 0.01 * range_a, 0.5, 0.5, 0}, 0.95),   // trial 0's design (1% < 2% of the range): better
      record(2, {0.2, 0.5, 0.5, 0}, 0.95),                    // as good as 1: after it (the earlier first)
      record(3, {0.9, 0.9, 0.9, 1}, 0.99, false),             // infeasible
      record(4, {0.5 + 0.01 * range_a, 0.5, 0.5, 1}, 0.50),   // trial 1 with the other level: distinct
      record(5, {0.5 + 0.035 * range_a, 0.5, 0.5, 0}, 0.70),  // 2.5% of the range from trial 1: distinct
      record(6, {0.2, 0.5 + 0.01 * range_b, 0.5, 0}, 0.80),   // trial 2's design
  };
  EXPECT_EQ(pick_top(p, history, 10, 0.02), (std::vector<int>{1, 2, 5, 4}));
  EXPECT_EQ(pick_top(p, history, 2, 0.02), (std::vector<int>{1, 2}));
  EXPECT_EQ(pick_top(p, history, 10, 0.0), (std::vector<int>{1, 2, 0, 6, 5, 4}));
  EXPECT_EQ(pick_top(p, history, 10, 0.5), (std::vector<int>{1, 4}));
  EXPECT_TRUE(pick_top(p, {history[3]}, 10, 0.02).empty());
}

TEST(DesignSearch, ASpaceWithoutAFeasibleCandidateIsRefusedWithItsConstraints) {
  const std::string text = R"([design]
evaluations = 20
batch = 10
startup = 10
[[design.constraint]]
name = "y"
min = 1000
[[design.target]]
name = "z"
min = 1
)";
  const DesignProblem p = problem_of(text);
  try {
    run_design(p, settings_of(text), trained(), no_journal(), model::SingleProcess(), kQuiet);
    FAIL() << "no error";
  } catch (const data::InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("none of the 20 candidates meets the constraints"), std::string::npos) << message;
    EXPECT_NE(message.find("y >= 1000 (predicted mean): broken by 20"), std::string::npos) << message;
  }
}

TEST(DesignSearch, TheJournalRecordsEveryCandidateAndAResumedRunEvaluatesNoneAgain) {
  const std::string text = R"([design]
evaluations = 40
batch = 10
startup = 10
[[design.target]]
name = "y"
min = 7
)";
  const DesignProblem p = problem_of(text);
  const DesignSettings s = settings_of(text);
  std::vector<JournalEntry> entries;
  const TrialJournal journal{"journal.csv", {}, [&](const JournalEntry& e) { entries.push_back(e); }};
  const DesignRun straight = run_design(p, s, trained(), journal, model::SingleProcess(), kQuiet);
  ASSERT_EQ(entries.size(), 40u);
  for (std::size_t n = 0; n < entries.size(); ++n) {
    EXPECT_EQ(entries[n].number, static_cast<int>(n));
    EXPECT_EQ(entries[n].extras.size(), design_journal_extras().size());
    EXPECT_EQ(entries[n].extras[kPJoint], straight.history[n].outcome.extras[kPJoint]);
  }
  // Resumed from the first 25 records: those come from the journal, the rest is the same as before.
  std::vector<JournalEntry> more;
  const TrialJournal resumed{"journal.csv", std::vector<JournalEntry>(entries.begin(), entries.begin() + 25),
                             [&](const JournalEntry& e) { more.push_back(e); }};
  const DesignRun again = run_design(p, s, trained(), resumed, model::SingleProcess(), kQuiet);
  EXPECT_EQ(more.size(), 15u);
  for (std::size_t n = 0; n < 40; ++n) {
    EXPECT_EQ(again.history[n].from_journal, n < 25) << n;
    EXPECT_EQ(again.history[n].point, straight.history[n].point) << n;
    EXPECT_EQ(again.history[n].outcome.value, straight.history[n].outcome.value) << n;
  }
  EXPECT_EQ(again.top_trials, straight.top_trials);
}

}  // namespace
}  // namespace elec::opt
