#include "elec/opt/tune_study.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "elec/model/trained_model.hpp"

namespace elec::opt {
namespace {

const std::string kCurves = std::string(ELEC_SOURCE_DIR) + "/tests/fixtures/curves/";

// The curves fixture's tune study (3 folds, 6 members a trial; learning rate, hidden units and precision searched).
struct Study {
  data::StudyInputs inputs;
  TuneConfig tune;
};

Study curves_study(int trials) {
  Study s{data::load_study_inputs(kCurves + "cells.csv", kCurves + "schema.toml", kCurves + "tune.toml"), {}};
  data::resolve_auto(s.inputs.config, data::Purpose::PredictNewCells,
                     data::count_recipes(s.inputs.dataset.descriptors));
  data::Diagnostics diag;
  s.tune = read_tune_config(kCurves + "tune.toml", diag);
  EXPECT_TRUE(diag.empty()) << diag.format();
  s.tune.trials = trials;
  return s;
}

TEST(TuneStudy, TheObjectiveIsTheMedianTheMeanOrOneTargetsRSquared) {
  eval::CrossValidation cv;
  cv.median_r_squared = 0.5;
  cv.targets.resize(3);
  cv.targets[0].name = "a", cv.targets[0].r_squared = 0.2;
  cv.targets[1].name = "b", cv.targets[1].r_squared = std::nan("");
  cv.targets[2].name = "c", cv.targets[2].r_squared = 0.6;
  EXPECT_EQ(tune_objective(cv, "median_r2"), 0.5);
  EXPECT_DOUBLE_EQ(tune_objective(cv, "mean_r2"), 0.4);  // the undefined R^2 does not count
  EXPECT_EQ(tune_objective(cv, "r2:c"), 0.6);
  EXPECT_THROW(tune_objective(cv, "r2:d"), data::InputError);
}

TEST(TuneStudy, TrialZeroIsTheConfigsOwnValuesAndAPointSetsEachParameter) {
  const Study s = curves_study(9);
  const TuneStudy study = make_tune_study(s.inputs, s.tune);
  ASSERT_TRUE(study.base);
  EXPECT_EQ(*study.base, (std::vector<double>{0.01, 4.0, 0.0}));  // default rate, 4 units, "float64" (choice 0)
  EXPECT_EQ(study.trial_config.members, 6);                       // [tune] members for the trials
  EXPECT_EQ(study.folds.size(), static_cast<std::size_t>(s.inputs.dataset.rows()));
  const data::StudyConfig c = with_point(s.inputs.config, study.space, {0.02, 3.0, 1.0});
  EXPECT_EQ(c.learning_rate, 0.02);
  EXPECT_EQ(c.hidden_units, 3);
  EXPECT_EQ(c.precision, "float32");
  EXPECT_EQ(c.members, 12);  // the final model keeps the study's ensemble size
}

TEST(TuneStudy, TrialsShareOneSetOfReadOutForecastsThatScoresAsIfEachComputedItsOwn) {
  const Study s = curves_study(3);
  const TuneStudy study = make_tune_study(s.inputs, s.tune);
  ASSERT_TRUE(study.forecasts) << "the default config offers read-outs";
  EXPECT_EQ(study.forecasts->neighbours.rows(), s.inputs.dataset.descriptors.rows());
  EXPECT_EQ(study.forecasts->lasso.rows(), s.inputs.dataset.descriptors.rows());
  const std::vector<double> point{0.02, 3.0, 0.0};
  const eval::CrossValidation own =
      eval::cross_validate(s.inputs.dataset, s.inputs.schema, with_point(study.trial_config, study.space, point),
                           model::SingleProcess(), study.folds, s.tune.folds);
  EXPECT_EQ(score_trial(study, point, model::SingleProcess()).value, tune_objective(own, s.tune.objective));
  const auto same = [](const Matrix& a, const Matrix& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           (a.array() == b.array() || (a.array().isNaN() && b.array().isNaN())).all();
  };
  EXPECT_TRUE(same(study.forecasts->neighbours, own.forecasts.neighbours));
  EXPECT_TRUE(same(study.forecasts->lasso, own.forecasts.lasso));

  // A space that tunes the read-out itself gets no shared forecasts; a config that offers none, neither.
  Study tuned = curves_study(3);
  tuned.tune.parameters.push_back(Parameter::integer("calibration.neighbours", 1, 20));
  EXPECT_FALSE(make_tune_study(tuned.inputs, tuned.tune).forecasts);
  Study plain = curves_study(3);
  plain.inputs.config.calibration_neighbours = 0;
  plain.inputs.config.calibration_lasso = false;
  EXPECT_FALSE(make_tune_study(plain.inputs, plain.tune).forecasts);
}

TEST(TuneStudy, TheFinalModelHasTheBestTrialsValuesAndAResumedStudyEndsTheSame) {
  const Study s = curves_study(3);
  const TuneStudy study = make_tune_study(s.inputs, s.tune);
  model::SingleProcess one;
  int evaluated = 0;
  const BatchEvaluation evaluate = [&](const std::vector<std::vector<double>>& points) {
    std::vector<TrialOutcome> out;
    for (const auto& p : points) out.push_back(score_trial(study, p, one)), ++evaluated;
    return out;
  };
  std::vector<JournalEntry> recorded;
  TuneCallbacks callbacks;
  int announced = -1;
  callbacks.retraining = [&](const TrialRecord& winner, const data::StudyConfig&) { announced = winner.number; };
  const TunedModel tuned = run_tune_study(study, {"memory", {}, [&](const JournalEntry& e) { recorded.push_back(e); }},
                                          evaluate, one, callbacks);
  ASSERT_EQ(tuned.history.size(), 3u);
  EXPECT_EQ(evaluated, 3);
  EXPECT_EQ(recorded.size(), 3u);
  EXPECT_EQ(tuned.history[0].point, *study.base);
  for (const auto& t : tuned.history) EXPECT_LE(t.outcome.value, tuned.winner.outcome.value);
  EXPECT_EQ(announced, tuned.winner.number);
  const data::StudyConfig expected = with_point(s.inputs.config, study.space, tuned.winner.point);
  EXPECT_EQ(tuned.config.learning_rate, expected.learning_rate);
  EXPECT_EQ(tuned.model.config.hidden_units, expected.hidden_units);
  EXPECT_EQ(tuned.model.members.size(), 12u);

  evaluated = 0;  // every trial in the journal: none evaluated again, the same final model
  const TunedModel resumed = run_tune_study(study, {"memory", recorded, nullptr}, evaluate, one, {});
  EXPECT_EQ(evaluated, 0);
  EXPECT_EQ(resumed.winner.number, tuned.winner.number);
  EXPECT_EQ(model::checksum(resumed.model.members), model::checksum(tuned.model.members));
}

}  // namespace
}  // namespace elec::opt
