// A [design] section resolved against a model (opt/design_problem): how each descriptor is set, the search space,
// the simplex sampling (uniform on {x >= low, sum x = total}), derived quantities, and every problem reported at its
// file:line:col. The model here is built by hand: build_design_problem reads only its column meaning and training
// table, never its weights.
#include "elec/opt/design_problem.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "../support/temp_dir.hpp"
#include "elec/common/rng.hpp"

namespace elec::opt {
namespace {

using test_support::Strings;

data::ColumnSpec column(const std::string& name, data::Role role, data::ValueKind kind = data::ValueKind::Numeric) {
  data::ColumnSpec c;
  c.name = name;
  c.role = role;
  c.kind = kind;
  return c;
}

// Descriptors (schema order): a in [0, 1], b whole numbers 1..5, mix categorical {p, q}, c in [10, 20], x1..x4 in
// [0, 1]; an ignored column; endpoints y and z; one derived curve scalar y_at_5.
model::TrainedModel tiny_model() {
  using data::Role;
  model::TrainedModel m;
  m.schema.columns = {column("id", Role::Id),         column("a", Role::Descriptor),
                      column("b", Role::Descriptor),  column("mix", Role::Descriptor, data::ValueKind::Categorical),
                      column("c", Role::Descriptor),  column("x1", Role::Descriptor),
                      column("x2", Role::Descriptor), column("x3", Role::Descriptor),
                      column("x4", Role::Descriptor), column("note", Role::Ignore),
                      column("y", Role::Endpoint),    column("z", Role::Endpoint)};
  data::DerivedSpec scalar;
  scalar.name = "y_at_5";
  scalar.from = "curve";
  m.schema.derived = {scalar};
  m.descriptor_names = {"a", "b", "c", "x1", "x2", "x3", "x4", "mix=p", "mix=q"};
  m.encodings = {{"mix", {"p", "q"}}};
  m.endpoint_names = {"y", "z"};
  m.training_descriptors.resize(4, 9);
  m.training_descriptors << 0.00, 1, 10.0, 0.00, 1.00, 0.5, 0.25, 1, 0,  //
      0.25, 2, 12.5, 1.00, 0.00, 0.0, 1.00, 0, 1,                        //
      0.75, 5, 20.0, 0.50, 0.50, 1.0, 0.00, 1, 0,                        //
      1.00, 3, 15.0, 0.25, 0.25, 0.5, 0.50, 0, 1;
  return m;
}

constexpr const char* kTarget = "[[design.target]]\nname = \"y\"\nmin = 1\n";

// The problem of `text` (a [design] section, read as "design.toml"); the config itself must read cleanly.
DesignProblem problem_of(const std::string& text, data::Diagnostics& diag,
                         const model::TrainedModel& m = tiny_model()) {
  data::Diagnostics read;
  const DesignConfig config = design_config_from_text(text, "design.toml", read);
  EXPECT_TRUE(read.empty()) << read.format();
  return build_design_problem(config, m, diag);
}

// The point with every parameter at its low end except the ones given (by parameter name).
std::vector<double> point_of(const DesignProblem& p, const std::vector<std::pair<std::string, double>>& values) {
  std::vector<double> point;
  for (const auto& parameter : p.parameters) point.push_back(parameter.low);
  for (const auto& given : values) {
    const std::string& name = given.first;  // a named variable, not a structured binding: lambdas capture it in C++17
    const auto it =
        std::find_if(p.parameters.begin(), p.parameters.end(), [&](const Parameter& q) { return q.name == name; });
    EXPECT_NE(it, p.parameters.end()) << name;
    point[static_cast<std::size_t>(it - p.parameters.begin())] = given.second;
  }
  return point;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(DesignProblem, DescriptorsAreFreeWithinTheirTrainingRangeAndWholeNumbersAreIntegers) {
  data::Diagnostics diag;
  const DesignProblem p = problem_of(std::string("[design]\n") + kTarget, diag);
  ASSERT_TRUE(diag.empty()) << diag.format();
  ASSERT_EQ(p.variables.size(), 8u);
  EXPECT_EQ(p.quantity_names, (Strings{"a", "b", "mix", "c", "x1", "x2", "x3", "x4", "y", "z", "y_at_5"}));
  EXPECT_EQ(p.first_endpoint, 8u);
  EXPECT_EQ(p.first_curve_scalar, 10u);

  const DesignVariable& a = p.variables[0];
  EXPECT_EQ(a.role, VariableRole::Free);
  EXPECT_FALSE(a.integer);
  EXPECT_EQ(a.low, 0.0);
  EXPECT_EQ(a.high, 1.0);
  const DesignVariable& b = p.variables[1];
  EXPECT_TRUE(b.integer);
  EXPECT_EQ(b.low, 1.0);
  EXPECT_EQ(b.high, 5.0);
  const DesignVariable& mix = p.variables[2];
  EXPECT_TRUE(mix.categorical);
  EXPECT_EQ(mix.levels, (Strings{"p", "q"}));
  EXPECT_EQ(p.variables[3].low, 10.0);
  EXPECT_EQ(p.variables[3].high, 20.0);
  EXPECT_FALSE(p.variables[3].integer);  // 12.5 is not whole

  ASSERT_EQ(p.parameters.size(), 8u);  // every descriptor searched, schema order
  EXPECT_EQ(p.parameters[0].kind, ParameterKind::Float);
  EXPECT_EQ(p.parameters[1].kind, ParameterKind::Integer);
  EXPECT_EQ(p.parameters[1].low, 1.0);
  EXPECT_EQ(p.parameters[1].high, 5.0);
  EXPECT_EQ(p.parameters[2].kind, ParameterKind::Categorical);
  EXPECT_EQ(p.parameters[2].choices, (Strings{"p", "q"}));
  for (std::size_t k = 0; k < p.variables.size(); ++k) EXPECT_EQ(p.variables[k].parameter, static_cast<int>(k));

  EXPECT_TRUE(p.constraints.empty());
  ASSERT_EQ(p.targets.size(), 1u);
  EXPECT_EQ(p.targets[0].quantity, 8);
  EXPECT_TRUE(p.targets[0].predicted);
  EXPECT_EQ(p.targets[0].text(), "y >= 1");
  for (std::size_t q = 0; q < p.quantity_names.size(); ++q) EXPECT_EQ(p.predicted(q), q >= 8) << p.quantity_names[q];

  const Design d = decode_point(p, {0.5, 4, 1, 12, 0.1, 0.2, 0.3, 0.4});
  EXPECT_EQ(d.broken, -1);
  EXPECT_EQ(d.levels, (Strings{"", "", "q", "", "", "", "", ""}));
  const std::vector<double> expected{0.5, 4, std::nan(""), 12, 0.1, 0.2, 0.3, 0.4};
  for (std::size_t k = 0; k < expected.size(); ++k)
    EXPECT_TRUE(d.quantities[k] == expected[k] || (std::isnan(d.quantities[k]) && std::isnan(expected[k]))) << k;
  for (std::size_t k = 8; k < d.quantities.size(); ++k) EXPECT_TRUE(std::isnan(d.quantities[k])) << "predicted " << k;

  // The model's encoded features: numbers where they are, the level one-hot.
  const Matrix x = encode_designs(p, tiny_model(), {d});
  ASSERT_EQ(x.rows(), 1);
  ASSERT_EQ(x.cols(), 9);
  const std::vector<double> features{0.5, 4, 12, 0.1, 0.2, 0.3, 0.4, 0, 1};  // a b c x1..x4 mix=p mix=q
  for (int f = 0; f < 9; ++f) EXPECT_EQ(x(0, f), features[static_cast<std::size_t>(f)]) << f;
}

// A descriptor with one value in training (or a categorical with one level) has nothing to search: it is fixed at
// that value, unless a [[design.variable]] gives it a range or levels.
TEST(DesignProblem, ADescriptorWithOneTrainingValueIsFixedUnlessConfigured) {
  model::TrainedModel m = tiny_model();
  m.training_descriptors.col(6).setConstant(0.5);  // x4
  m.encodings = {{"mix", {"p"}}};
  m.descriptor_names.pop_back();  // no mix=q
  m.training_descriptors.conservativeResize(Eigen::NoChange, 8);
  m.training_descriptors.col(7).setOnes();
  data::Diagnostics diag;
  const DesignProblem fixed = problem_of(std::string("[design]\n") + kTarget, diag, m);
  ASSERT_TRUE(diag.empty()) << diag.format();
  EXPECT_EQ(fixed.variables[7].role, VariableRole::Fixed);
  EXPECT_EQ(fixed.variables[7].value, 0.5);
  EXPECT_EQ(fixed.variables[2].role, VariableRole::Fixed);
  std::vector<std::string> searched;
  for (const auto& parameter : fixed.parameters) searched.push_back(parameter.name);
  EXPECT_EQ(searched, (Strings{"a", "b", "c", "x1", "x2", "x3"}));
  const Design d = decode_point(fixed, {0.5, 2, 15, 0.1, 0.2, 0.3});
  EXPECT_EQ(d.quantities[7], 0.5);
  EXPECT_EQ(d.levels[2], "p");
  const Matrix x = encode_designs(fixed, m, {d});
  EXPECT_EQ(x(0, 6), 0.5);
  EXPECT_EQ(x(0, 7), 1.0);

  const DesignProblem opened =
      problem_of(std::string("[design]\n[[design.variable]]\nname = \"x4\"\nlow = 0\nhigh = 2\n") + kTarget, diag, m);
  ASSERT_TRUE(diag.empty()) << diag.format();
  EXPECT_EQ(opened.variables[7].role, VariableRole::Free);
  EXPECT_EQ(opened.variables[7].low, 0.0);
  EXPECT_EQ(opened.variables[7].high, 2.0);
  EXPECT_EQ(opened.parameters.back().name, "x4");

  // Only a range opens it: a configured bound on one side leaves the other at the single value.
  problem_of(std::string("[design]\n[[design.variable]]\nname = \"x4\"\nhigh = 0.5\n") + kTarget, diag, m);
  EXPECT_EQ(
      test_support::messages(diag),
      (Strings{
          "design.toml:2:1: \"x4\": the range 0.5 .. 0.5 is empty; expected low < high (or value = ... to fix it)"}));
}

TEST(DesignProblem, FixedValuesChoicesKindsAndRangesComeFromTheVariables) {
  data::Diagnostics diag;
  const DesignProblem p = problem_of(std::string(R"([design]
[[design.variable]]
name = "a"
value = 0.5
[[design.variable]]
name = "mix"
choices = ["q"]
[[design.variable]]
name = "b"
kind = "float"
low = 2
high = 4
[[design.variable]]
name = "c"
low = 12.5
high = 17.2
kind = "int"
[[design.variable]]
name = "x1"
choices = ["p"]
)") + kTarget,
                                     diag);
  EXPECT_EQ(test_support::messages(diag),
            (Strings{"design.toml:18:1: \"x1\" is numeric; expected low/high or value, not choices"}));
  EXPECT_EQ(p.variables[0].role, VariableRole::Fixed);
  EXPECT_EQ(p.variables[0].value, 0.5);
  EXPECT_EQ(p.variables[0].parameter, -1);
  EXPECT_EQ(p.variables[2].role, VariableRole::Fixed);
  EXPECT_EQ(p.variables[2].levels, (Strings{"q"}));
  EXPECT_EQ(p.variables[1].role, VariableRole::Free);
  EXPECT_FALSE(p.variables[1].integer);  // kind = "float" overrides the whole training values
  EXPECT_EQ(p.variables[1].low, 2.0);
  EXPECT_EQ(p.variables[1].high, 4.0);
  EXPECT_TRUE(p.variables[3].integer);
  EXPECT_EQ(p.variables[3].low, 13.0);  // an integer range: ceil(low) .. floor(high)
  EXPECT_EQ(p.variables[3].high, 17.0);

  std::vector<std::string> names;
  for (const auto& parameter : p.parameters) names.push_back(parameter.name);
  EXPECT_EQ(names, (Strings{"b", "c", "x1", "x2", "x3", "x4"}));
  EXPECT_EQ(p.parameters[0].kind, ParameterKind::Float);
  EXPECT_EQ(p.parameters[1].kind, ParameterKind::Integer);

  const Design d = decode_point(p, {3.5, 14, 0, 0, 0, 0});
  EXPECT_EQ(d.quantities[0], 0.5);
  EXPECT_EQ(d.levels[2], "q");
  EXPECT_EQ(d.quantities[1], 3.5);
  EXPECT_EQ(d.quantities[3], 14.0);
}

TEST(DesignProblem, ReportsEveryVariableProblemAtItsTable) {
  data::Diagnostics diag;
  problem_of(std::string(R"([design]
[[design.variable]]
name = "gap"
low = 1
[[design.variable]]
name = "a"
value = 1
low = 0
[[design.variable]]
name = "a"
high = 2
[[design.variable]]
name = "mix"
low = 1
choices = ["p", "r"]
[[design.variable]]
name = "c"
low = 15
high = 12
[[design.variable]]
name = "b"
low = 2.2
high = 2.8
)") + kTarget,
             diag);
  EXPECT_EQ(
      test_support::messages(diag),
      (Strings{
          "design.toml:2:1: \"gap\" is not a descriptor of the model; expected one of a, b, mix, c, x1, x2, x3, x4",
          "design.toml:5:1: \"a\" has a value and a range; expected one of them",
          "design.toml:9:1: \"a\" is configured twice; expected one [[design.variable]] per descriptor",
          "design.toml:12:1: \"mix\" is categorical; expected choices = [levels] (one level to fix it)",
          "design.toml:12:1: \"r\" is not a level of mix seen in training; expected one of p, q",
          "design.toml:16:1: \"c\": the range 15 .. 12 is empty; expected low < high (or value = ... to fix it)",
          // b is an integer (whole training values): 2.2 .. 2.8 holds none.
          "design.toml:20:1: \"b\": the range 3 .. 2 is empty; expected low < high (or value = ... to fix it)",
      }));
}

// Stick-breaking maps uniform draws to uniform points of the simplex: x1 + x2 + x3 = 1, each marginal Beta(1, 2)
// (CDF 1 - (1 - t)^2), whichever coordinate; P(x1 < 1/3 and x2 < 1/3) = (1/9) / (1/2) = 2/9.
TEST(DesignProblem, ASumIsSampledUniformlyOnItsSimplex) {
  data::Diagnostics diag;
  const DesignProblem p = problem_of(
      std::string("[design]\n[[design.sum]]\nnames = [\"x1\", \"x2\", \"x3\"]\ntotal = 1\n") + kTarget, diag);
  ASSERT_TRUE(diag.empty()) << diag.format();
  ASSERT_EQ(p.sums.size(), 1u);
  EXPECT_EQ(p.sums[0].variables, (std::vector<int>{4, 5, 6}));
  EXPECT_EQ(p.sums[0].first_parameter, 5);  // after a, b, mix, c, x4
  ASSERT_EQ(p.parameters.size(), 7u);       // ... and two sticks
  EXPECT_EQ(p.parameters[5].name, "sum1.stick1");
  for (int k : {4, 5, 6}) {
    EXPECT_EQ(p.variables[static_cast<std::size_t>(k)].role, VariableRole::Simplex);
    EXPECT_EQ(p.variables[static_cast<std::size_t>(k)].parameter, -1);
  }
  ASSERT_EQ(p.constraints.size(), 3u);  // each member within its range, exact
  EXPECT_EQ(p.constraints[0].text(), "0 <= x1 <= 1");
  EXPECT_FALSE(p.constraints[0].predicted);

  const SearchSpace space(p.parameters);
  common::CounterRng rng(5, common::Purpose::Tuning, 0);
  constexpr int kDraws = 20000;
  std::vector<std::vector<double>> x(3);
  int both_small = 0;
  for (int n = 0; n < kDraws; ++n) {
    const Design d = decode_point(p, space.sample_uniform(rng));
    ASSERT_EQ(d.broken, -1);
    double sum = 0.0;
    for (int k = 0; k < 3; ++k) {
      const double v = d.quantities[static_cast<std::size_t>(4 + k)];
      ASSERT_GE(v, 0.0);
      x[static_cast<std::size_t>(k)].push_back(v);
      sum += v;
    }
    ASSERT_NEAR(sum, 1.0, 1e-12);
    both_small += x[0].back() < 1.0 / 3 && x[1].back() < 1.0 / 3;
  }
  const double sigma_mean = std::sqrt(1.0 / 18 / kDraws);  // Beta(1, 2): variance 1/18
  for (auto& coordinate : x) {
    double mean = 0.0;
    for (double v : coordinate) mean += v / kDraws;
    EXPECT_NEAR(mean, 1.0 / 3, 3 * sigma_mean);
    std::sort(coordinate.begin(), coordinate.end());
    double ks = 0.0;  // Kolmogorov-Smirnov distance to the Beta(1, 2) CDF
    for (int n = 0; n < kDraws; ++n) {
      const double cdf = 1.0 - std::pow(1.0 - coordinate[static_cast<std::size_t>(n)], 2);
      ks = std::max(
          {ks, std::abs(cdf - static_cast<double>(n) / kDraws), std::abs(cdf - static_cast<double>(n + 1) / kDraws)});
    }
    EXPECT_LT(ks, 1.63 / std::sqrt(kDraws));  // 1% critical value
  }
  EXPECT_NEAR(static_cast<double>(both_small) / kDraws, 2.0 / 9, 3 * std::sqrt(2.0 / 9 * 7.0 / 9 / kDraws));
}

// With lows the simplex is shifted: each member >= its low, the sum exact, the mean low + (total - sum of lows) / n;
// a member above its high breaks its range constraint.
TEST(DesignProblem, ASumKeepsEveryMemberAboveItsLowAndChecksItsHigh) {
  data::Diagnostics diag;
  const DesignProblem p = problem_of(std::string(R"([design]
[[design.variable]]
name = "x1"
low = 0.3
[[design.variable]]
name = "x3"
low = 0.1
high = 0.9
[[design.sum]]
names = ["x1", "x2", "x3", "x4"]
total = 2
)") + kTarget,
                                     diag);
  ASSERT_TRUE(diag.empty()) << diag.format();
  ASSERT_EQ(p.constraints.size(), 4u);
  const std::vector<double> low{0.3, 0.0, 0.1, 0.0}, high{1.0, 1.0, 0.9, 1.0};
  const SearchSpace space(p.parameters);
  common::CounterRng rng(9, common::Purpose::Tuning, 1);
  constexpr int kDraws = 20000;
  std::vector<double> mean(4, 0.0);
  int broken = 0;
  for (int n = 0; n < kDraws; ++n) {
    const Design d = decode_point(p, space.sample_uniform(rng));
    double sum = 0.0;
    int first_above = -1;
    for (std::size_t k = 0; k < 4; ++k) {
      const double v = d.quantities[4 + k];
      ASSERT_GE(v, low[k]);
      sum += v;
      mean[k] += v / kDraws;
      if (v > high[k] && first_above < 0) first_above = static_cast<int>(k);
    }
    ASSERT_NEAR(sum, 2.0, 1e-12);
    ASSERT_EQ(d.broken, first_above);
    if (first_above >= 0) {
      ASSERT_EQ(p.constraints[static_cast<std::size_t>(d.broken)].name, "x" + std::to_string(first_above + 1));
    }
    broken += d.broken >= 0;
  }
  // Marginal of a uniform 4-simplex share of 1.6: 1.6 Beta(1, 3), variance 1.6^2 * 3 / 80.
  const double sigma_mean = 1.6 * std::sqrt(3.0 / 80 / kDraws);
  for (std::size_t k = 0; k < 4; ++k) EXPECT_NEAR(mean[k], low[k] + 0.4, 3 * sigma_mean) << "x" << k + 1;
  EXPECT_GT(broken, 0);
  EXPECT_LT(broken, kDraws);
}

TEST(DesignProblem, ReportsASimplexThatCannotMeetItsTotal) {
  data::Diagnostics diag;
  problem_of(std::string(R"([design]
[[design.variable]]
name = "x3"
low = 0.75
[[design.variable]]
name = "x4"
low = 0.5
[[design.variable]]
name = "a"
value = 0.5
[[design.sum]]
names = ["x1", "x2"]
total = 3
[[design.sum]]
names = ["x3", "x4"]
total = 1
[[design.sum]]
names = ["a", "mix", "x1"]
total = 1
)") + kTarget,
             diag);
  EXPECT_EQ(
      test_support::messages(diag),
      (Strings{
          "design.toml:11:1: the ranges of x1, x2 sum to 0 .. 2; expected the total 3 inside (widen a range or "
          "change the total)",
          "design.toml:14:1: the ranges of x3, x4 sum to 1.25 .. 2; expected the total 1 inside (widen a range or "
          "change the total)",
          "design.toml:17:1: \"a\" cannot be on a simplex; expected a free numeric descriptor in one [[design.sum]]",
          "design.toml:17:1: \"mix\" cannot be on a simplex; expected a free numeric descriptor in one [[design.sum]]",
          "design.toml:17:1: \"x1\" cannot be on a simplex; expected a free numeric descriptor in one [[design.sum]]"}))
      << diag.format();
}

TEST(DesignProblem, DerivedQuantitiesAreComputedAndDerivedDescriptorsMustStayInRange) {
  data::Diagnostics diag;
  const DesignProblem p = problem_of(std::string(R"([design]
[[design.derived]]
name = "ab"
expression = "a * 2 + b"
[[design.derived]]
name = "c"
expression = "a * 20 + 5"
[[design.derived]]
name = "yab"
expression = "y + ab"
[[design.constraint]]
name = "ab"
max = 3
[[design.constraint]]
name = "yab"
min = 0
[[design.target]]
name = "yab"
max = 10
)"),
                                     diag);
  ASSERT_TRUE(diag.empty()) << diag.format();
  EXPECT_EQ(p.quantity_names, (Strings{"a", "b", "mix", "c", "x1", "x2", "x3", "x4", "ab", "yab", "y", "z", "y_at_5"}));
  EXPECT_EQ(p.first_endpoint, 10u);
  EXPECT_EQ(p.variables[3].role, VariableRole::Derived);
  // A derived descriptor is not searched: no parameter of its own (a dead dimension TPE would sample for nothing,
  // and that would make two candidates with the same recipe look distinct to pick_top).
  EXPECT_EQ(p.variables[3].parameter, -1);
  std::vector<std::string> searched;
  for (const auto& parameter : p.parameters) searched.push_back(parameter.name);
  EXPECT_EQ(searched, (Strings{"a", "b", "mix", "x1", "x2", "x3", "x4"}));
  ASSERT_EQ(p.derived.size(), 3u);
  EXPECT_EQ(p.derived[0].quantity, 8);
  EXPECT_FALSE(p.derived[0].predicted);
  EXPECT_EQ(p.derived[1].quantity, 3);
  EXPECT_TRUE(p.derived[2].predicted);
  EXPECT_FALSE(p.predicted(8));
  EXPECT_TRUE(p.predicted(9));
  // Constraints: the config's (ab exact, yab on the prediction), then c within its training range.
  ASSERT_EQ(p.constraints.size(), 3u);
  EXPECT_FALSE(p.constraints[0].predicted);
  EXPECT_TRUE(p.constraints[1].predicted);
  EXPECT_EQ(p.constraints[2].text(), "10 <= c <= 20");
  ASSERT_EQ(p.targets.size(), 1u);
  EXPECT_TRUE(p.targets[0].predicted);

  const Design inside = decode_point(p, point_of(p, {{"a", 0.5}, {"b", 2}}));
  EXPECT_EQ(inside.quantities[8], 3.0);           // ab = 0.5 * 2 + 2
  EXPECT_EQ(inside.quantities[3], 15.0);          // c = 0.5 * 20 + 5
  EXPECT_TRUE(std::isnan(inside.quantities[9]));  // yab needs the prediction
  EXPECT_EQ(inside.broken, -1);
  EXPECT_EQ(decode_point(p, point_of(p, {{"a", 0.9}, {"b", 1}})).broken, 2);  // c = 23 > 20
  EXPECT_EQ(decode_point(p, point_of(p, {{"a", 0.1}, {"b", 1}})).broken, 2);  // c = 7 < 10
  EXPECT_EQ(decode_point(p, point_of(p, {{"a", 0.5}, {"b", 3}})).broken, 0);  // ab = 4 > 3
  EXPECT_EQ(decode_point(p, point_of(p, {{"a", 0.9}, {"b", 3}})).broken, 0);  // both: the first one
}

TEST(DesignProblem, ReportsExpressionProblemsInsideTheFile) {
  data::Diagnostics diag;
  problem_of(std::string(R"([design]
[[design.variable]]
name = "a"
value = 0.5
[[design.derived]]
name = "d1"
expression = "b + nope"
[[design.derived]]
name = "d2"
expression = "2 * mix"
[[design.derived]]
name = "c"
expression = "y * 2"
[[design.derived]]
name = "d3"
expression = "d4 + 1"
[[design.derived]]
name = "d4"
expression = "b"
[[design.derived]]
name = "a"
expression = "b"
[[design.derived]]
name = "z"
expression = "b"
)") + kTarget,
             diag);
  const Strings got = test_support::messages(diag);
  const std::string all = diag.format();
  auto at = [&](const std::string& where, const std::string& part) {
    return std::any_of(got.begin(), got.end(),
                       [&](const std::string& m) { return m.rfind(where, 0) == 0 && contains(m, part); });
  };
  // `expression = "` is 14 characters: the expression starts at column 15.
  EXPECT_TRUE(at("design.toml:7:19: ", "\"nope\"")) << all;  // unknown name, at its own column
  EXPECT_TRUE(at("design.toml:10:19: ", "\"mix\"")) << all;  // a categorical has no number
  EXPECT_TRUE(at("design.toml:13:15: ", "descriptor \"c\" would depend on a prediction")) << all;
  EXPECT_TRUE(at("design.toml:16:15: ", "\"d4\" is used before it is derived")) << all;
  EXPECT_TRUE(at("design.toml:20:1: ", "\"a\" is already fixed, categorical or on a simplex")) << all;
  EXPECT_TRUE(at("design.toml:23:1: ", "\"z\" is derived twice, or is an endpoint of the model")) << all;
  EXPECT_EQ(got.size(), 6u) << all;
}

TEST(DesignProblem, ReportsBoundsOnUnknownCategoricalOrUnpredictedQuantities) {
  data::Diagnostics diag;
  problem_of(R"([design]
[[design.constraint]]
name = "nope"
min = 1
[[design.constraint]]
name = "mix"
min = 1
[[design.target]]
name = "a"
min = 0.5
[[design.target]]
name = "y_at_5"
min = 0.5
)",
             diag);
  EXPECT_EQ(
      test_support::messages(diag),
      (Strings{"design.toml:2:1: \"nope\" is not a quantity of this design; expected a descriptor, a derived quantity, "
               "an endpoint or a derived curve scalar (a, b, mix, c, x1, x2, x3, x4, y, z, y_at_5)",
               "design.toml:5:1: \"mix\" is categorical; expected its levels as choices in [[design.variable]]",
               "design.toml:8:1: target \"a\" is not predicted (a design variable is known exactly); expected a "
               "[[design.constraint]] for it"}));
}

TEST(DesignProblem, ANothingToSearchIsReported) {
  data::Diagnostics diag;
  std::string text = "[design]\n";
  for (const char* name : {"a", "b", "c", "x1", "x2", "x3", "x4"})
    text += std::string("[[design.variable]]\nname = \"") + name + "\"\nvalue = 0.5\n";
  text += "[[design.variable]]\nname = \"mix\"\nchoices = [\"p\"]\n";
  problem_of(text + kTarget, diag);
  ASSERT_EQ(diag.size(), 1u) << diag.format();
  EXPECT_TRUE(contains(diag.problems()[0].message, "expected at least one free variable to search")) << diag.format();
}

}  // namespace
}  // namespace elec::opt
