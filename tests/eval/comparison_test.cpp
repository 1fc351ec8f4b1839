#include "elec/eval/comparison.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "elec/common/rng.hpp"
#include "elec/data/diagnostics.hpp"

namespace elec::eval {
namespace {

// Two descriptors, a dense endpoint and two sparse ones (about half measured), so held-out cells include blanks.
data::Dataset small_study() {
  common::CounterRng rng(9, common::Purpose::Experiment, 0);
  const int rows = 36;
  data::Dataset d;
  d.descriptors.resize(rows, 2);
  d.endpoints.resize(rows, 3);
  for (int i = 0; i < rows; ++i) {
    const double a = rng.uniform(), b = rng.uniform();
    d.descriptors.row(i) << a, b;
    d.endpoints(i, 0) = 2 * a - b + 0.1 * rng.normal();
    d.endpoints(i, 1) = i % 2 ? std::sin(3 * a) + 0.1 * rng.normal() : std::nan("");
    d.endpoints(i, 2) = i % 3 ? a * b + 0.05 * rng.normal() : std::nan("");
    d.row_ids.push_back("c" + std::to_string(i));
  }
  d.descriptor_names = {"a", "b"};
  d.descriptor_units = {"", ""};
  d.endpoint_names = {"y", "s", "t"};
  d.endpoint_units = {"", "", ""};
  return d;
}

data::StudyConfig small_config() {
  data::StudyConfig c;
  c.members = 6;
  c.hidden_units = 3;
  c.epochs = 60;
  c.max_passes = 1;
  c.pass_epochs = 10;
  c.auto_schedule = false;
  c.seed = 4;
  return c;
}

const std::vector<std::string> kBaselines = {"lasso", "random_forest", "gradient_boosting", "gpr"};

// Bitwise equality that counts NaN == NaN.
bool same(const Matrix& a, const Matrix& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return false;
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index j = 0; j < a.cols(); ++j)
      if (!(a(i, j) == b(i, j) || (std::isnan(a(i, j)) && std::isnan(b(i, j))))) return false;
  return true;
}

TEST(Comparison, EveryModelPredictsEveryHeldOutCellAndTheEnsembleRowIsCrossValidation) {
  const data::Dataset d = small_study();
  const data::StudyConfig config = small_config();
  const std::vector<int> folds = assign_folds({}, d.rows(), 3, config.seed);
  std::vector<std::string> models = kBaselines;
  models.insert(models.begin() + 1, "ensemble");  // any order: reported in comparable_models() order
  const Comparison c = compare_models(d, {}, config, model::SingleProcess(), folds, 3, models);
  ASSERT_EQ(c.models.size(), 6u);
  const std::vector<std::string> order = {"ensemble",      "ensemble_raw",      "lasso",
                                          "random_forest", "gradient_boosting", "gpr"};
  for (std::size_t m = 0; m < order.size(); ++m) EXPECT_EQ(c.models[m].name, order[m]);
  EXPECT_EQ(c.baseline_fits, 3 * 3 * 4);
  for (const ModelRow& m : c.models) {
    EXPECT_EQ(m.has_uncertainty, m.name != "lasso" && m.name != "gradient_boosting") << m.name;
    EXPECT_EQ(m.uses_endpoints, m.name == "ensemble" || m.name == "ensemble_raw") << m.name;
    ASSERT_EQ(m.targets.size(), 3u);
    // Every held-out cell, measured or not, has a prediction; a std exactly when the model has an uncertainty.
    EXPECT_TRUE(m.mean.allFinite()) << m.name;
    EXPECT_EQ(m.spread.allFinite(), m.has_uncertainty) << m.name;
    if (!m.has_uncertainty) {
      EXPECT_TRUE(m.spread.array().isNaN().all()) << m.name;
    }
    for (const TargetScore& t : m.targets) {
      EXPECT_EQ(t.values, t.name == "y" ? 36 : t.name == "s" ? 18 : 24) << m.name << " " << t.name;
      EXPECT_TRUE(std::isfinite(t.rmse) && std::isfinite(t.mae) && std::isfinite(t.r_squared)) << m.name;
      EXPECT_LE(t.mae, t.rmse);
      EXPECT_EQ(std::isnan(t.raw.within_1std), !m.has_uncertainty) << m.name;
    }
    EXPECT_EQ(m.median_r_squared_well_measured, m.median_r_squared) << m.name;  // every target has >= 18 values
  }
  // The dense linear endpoint is easy for every model.
  for (const ModelRow& m : c.models) EXPECT_GT(m.targets[0].r_squared, 0.5) << m.name;

  const CrossValidation cv = cross_validate(d, {}, config, model::SingleProcess(), folds, 3);
  const ModelRow& ensemble = c.models[0];
  const ModelRow& raw = c.models[1];
  EXPECT_TRUE(same(ensemble.mean, cv.mean));
  EXPECT_TRUE(same(raw.spread, cv.spread));
  EXPECT_TRUE(same(ensemble.spread, cv.spread.cwiseProduct(cv.scale)));
  EXPECT_EQ(ensemble.median_r_squared, cv.median_r_squared);
  EXPECT_EQ(ensemble.median_r_squared_well_measured, cv.median_r_squared_well_measured);
  for (std::size_t t = 0; t < cv.targets.size(); ++t) {
    EXPECT_EQ(ensemble.targets[t].r_squared, cv.targets[t].r_squared);
    EXPECT_EQ(ensemble.targets[t].rmse, cv.targets[t].rmse);
    EXPECT_EQ(ensemble.targets[t].mae, cv.targets[t].mae);
    EXPECT_EQ(ensemble.targets[t].raw.within_1std, cv.targets[t].calibrated.within_1std);
    EXPECT_EQ(ensemble.targets[t].raw.log_loss, cv.targets[t].calibrated.log_loss);
    EXPECT_EQ(ensemble.targets[t].raw.gaussian_coverage, cv.targets[t].calibrated.gaussian_coverage);
    EXPECT_EQ(raw.targets[t].raw.within_2std, cv.targets[t].raw.within_2std);
    EXPECT_EQ(raw.targets[t].raw.log_loss, cv.targets[t].raw.log_loss);
  }
  EXPECT_EQ(ensemble.calibration.within_1std, cv.calibrated.within_1std);
  EXPECT_EQ(raw.calibration.within_1std, cv.raw.within_1std);
}

TEST(Comparison, BaselinesNeverSeeTheEndpointsTheyDoNotPredict) {
  const data::Dataset d = small_study();
  const std::vector<int> folds = assign_folds({}, d.rows(), 3, 4);
  const Comparison before = compare_models(d, {}, small_config(), model::SingleProcess(), folds, 3, kBaselines);
  // Other endpoints scrambled and blanked: a model that used them would change its predictions of y.
  data::Dataset scrambled = d;
  for (Eigen::Index i = 0; i < scrambled.endpoints.rows(); ++i) {
    scrambled.endpoints(i, 1) = i % 4 ? std::nan("") : 100.0 * static_cast<double>(i);
    scrambled.endpoints(i, 2) = -3.0 * static_cast<double>(i * i);
  }
  const Comparison after = compare_models(scrambled, {}, small_config(), model::SingleProcess(), folds, 3, kBaselines);
  ASSERT_EQ(before.models.size(), 4u);
  for (std::size_t m = 0; m < before.models.size(); ++m) {
    EXPECT_TRUE(same(before.models[m].mean.col(0), after.models[m].mean.col(0))) << before.models[m].name;
    EXPECT_TRUE(same(before.models[m].spread.col(0), after.models[m].spread.col(0))) << before.models[m].name;
    EXPECT_EQ(before.models[m].targets[0].r_squared, after.models[m].targets[0].r_squared);
  }
}

TEST(Comparison, TheSameInputsGiveTheSameBits) {
  const data::Dataset d = small_study();
  const std::vector<int> folds = assign_folds({}, d.rows(), 4, 4);
  const std::vector<std::string> models = {"ensemble", "random_forest", "gpr"};
  const Comparison a = compare_models(d, {}, small_config(), model::SingleProcess(), folds, 4, models);
  const Comparison b = compare_models(d, {}, small_config(), model::SingleProcess(), folds, 4, models);
  ASSERT_EQ(a.models.size(), 4u);
  ASSERT_EQ(b.models.size(), 4u);
  for (std::size_t m = 0; m < a.models.size(); ++m) {
    EXPECT_TRUE(same(a.models[m].mean, b.models[m].mean)) << a.models[m].name;
    EXPECT_TRUE(same(a.models[m].spread, b.models[m].spread)) << a.models[m].name;
  }
  // A fit's seed names its baseline, column and fold, not its place in the list of fits: the forest is the same
  // whether or not the GP is compared too.
  const Comparison forest = compare_models(d, {}, small_config(), model::SingleProcess(), folds, 4, {"random_forest"});
  EXPECT_TRUE(same(forest.models[0].mean, a.models[2].mean));
  EXPECT_NE(fit_seed(1, "gpr", 0, 0), fit_seed(1, "gpr", 0, 1));
  EXPECT_NE(fit_seed(1, "gpr", 0, 0), fit_seed(1, "gpr", 1, 0));
  EXPECT_NE(fit_seed(1, "gpr", 0, 0), fit_seed(2, "gpr", 0, 0));
  EXPECT_NE(fit_seed(1, "gpr", 0, 0), fit_seed(1, "random_forest", 0, 0));
}

TEST(Comparison, UnknownRepeatedOrNoModelNamesAreBadInput) {
  EXPECT_NO_THROW(check_model_names({"gpr", "ensemble"}));
  EXPECT_THROW(check_model_names({"xgboost"}), data::InputError);
  EXPECT_THROW(check_model_names({"gpr", "gpr"}), data::InputError);
  EXPECT_THROW(check_model_names({}), data::InputError);
  EXPECT_THROW(check_model_names({"ensemble_raw"}), data::InputError);  // a row of "ensemble", not a model
  try {
    check_model_names({"lasso", "svm"});
  } catch (const data::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown model \"svm\""), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace elec::eval
