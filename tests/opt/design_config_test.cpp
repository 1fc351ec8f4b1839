// The [design] section of a study config (opt/design_config): every key and table read, and every problem of a
// section reported at once at its file:line:col, in file order.
#include "elec/opt/design_config.hpp"

#include <gtest/gtest.h>

#include "../support/temp_dir.hpp"

namespace elec::opt {
namespace {

using test_support::relative;
using test_support::Strings;
using test_support::TempDir;

TEST(ReadDesignConfig, ReadsEverySettingAndTable) {
  TempDir dir;
  const std::string file = dir.write("design.toml", R"([design]
evaluations = 300
batch = 20
startup = 40
sampler = "random"
multivariate = false
objective = "gaussian"
top = 3
distinct = 0.1
seed = 7

[[design.variable]]
name = "gap_um"
low = 100
high = 300
kind = "int"

[[design.variable]]
name = "speed_m_min"
value = 0.2

[[design.variable]]
name = "additive"
choices = ["none", "long_cnt"]

[[design.sum]]
names = ["x_Co", "x_Cr", "x_Ni"]
total = 1

[[design.derived]]
name = "drying_step_C"
expression = "drying_second_C - drying_first_C"

[[design.constraint]]
name = "drying_step_C"
min = 0

[[design.constraint]]
name = "active_mass_mg"
min = 25
max = 40

[[design.target]]
name = "D30_mAh_g"
min = 150
)");
  data::Diagnostics diag;
  const DesignConfig c = read_design_config(file, diag);
  ASSERT_TRUE(diag.empty()) << diag.format();
  EXPECT_EQ(c.source, file);
  EXPECT_NE(c.text.find("evaluations = 300"), std::string::npos);
  EXPECT_EQ(c.settings.evaluations, 300);
  EXPECT_EQ(c.settings.batch, 20);
  EXPECT_EQ(c.settings.startup, 40);
  EXPECT_EQ(c.settings.sampler, "random");
  EXPECT_FALSE(c.settings.multivariate);
  EXPECT_EQ(c.settings.objective, "gaussian");
  EXPECT_EQ(c.settings.top, 3);
  EXPECT_DOUBLE_EQ(c.settings.distinct, 0.1);
  EXPECT_EQ(c.settings.seed, 7u);

  ASSERT_EQ(c.variables.size(), 3u);
  EXPECT_EQ(c.variables[0].name, "gap_um");
  EXPECT_EQ(c.variables[0].low, 100.0);
  EXPECT_EQ(c.variables[0].high, 300.0);
  EXPECT_FALSE(c.variables[0].value);
  EXPECT_EQ(c.variables[0].kind, "int");
  EXPECT_EQ(c.variables[0].where.line, 12);
  EXPECT_EQ(c.variables[0].where.column, 1);
  EXPECT_EQ(c.variables[1].value, 0.2);
  EXPECT_FALSE(c.variables[1].low);
  EXPECT_EQ(c.variables[1].kind, "");
  EXPECT_EQ(c.variables[2].choices, (Strings{"none", "long_cnt"}));

  ASSERT_EQ(c.sums.size(), 1u);
  EXPECT_EQ(c.sums[0].names, (Strings{"x_Co", "x_Cr", "x_Ni"}));
  EXPECT_EQ(c.sums[0].total, 1.0);
  EXPECT_EQ(c.sums[0].where.line, 26);

  ASSERT_EQ(c.derived.size(), 1u);
  EXPECT_EQ(c.derived[0].name, "drying_step_C");
  EXPECT_EQ(c.derived[0].expression, "drying_second_C - drying_first_C");
  EXPECT_EQ(c.derived[0].where.line, 30);
  // The expression's first character, past the opening quote: `expression = "` is 14 characters.
  EXPECT_EQ(c.derived[0].expression_at.line, 32);
  EXPECT_EQ(c.derived[0].expression_at.column, 15);

  ASSERT_EQ(c.constraints.size(), 2u);
  EXPECT_EQ(c.constraints[0].name, "drying_step_C");
  EXPECT_EQ(c.constraints[0].min, 0.0);
  EXPECT_FALSE(c.constraints[0].max);
  EXPECT_EQ(c.constraints[1].min, 25.0);
  EXPECT_EQ(c.constraints[1].max, 40.0);
  EXPECT_EQ(c.constraints[1].where.line, 38);
  ASSERT_EQ(c.targets.size(), 1u);
  EXPECT_EQ(c.targets[0].name, "D30_mAh_g");
  EXPECT_EQ(c.targets[0].min, 150.0);
  EXPECT_FALSE(c.targets[0].max);
}

TEST(ReadDesignConfig, TheShippedExampleReads) {
  data::Diagnostics diag;
  const DesignConfig c = read_design_config(std::string(ELEC_SOURCE_DIR) + "/inputs/graphite/design.toml", diag);
  ASSERT_TRUE(diag.empty()) << diag.format();
  EXPECT_EQ(c.settings.evaluations, 1000);
  EXPECT_EQ(c.settings.seed, 2021u);
  EXPECT_EQ(c.derived.size(), 1u);
  EXPECT_EQ(c.constraints.size(), 2u);
  ASSERT_EQ(c.targets.size(), 1u);
  EXPECT_EQ(c.targets[0].name, "D30_mAh_g");
}

TEST(ReadDesignConfig, DefaultsHoldForKeysNotGiven) {
  data::Diagnostics diag;
  const DesignConfig c = design_config_from_text("[design]\n[[design.target]]\nname = \"y\"\nmax = 3\n", "mem", diag);
  ASSERT_TRUE(diag.empty()) << diag.format();
  const DesignSettings defaults;
  EXPECT_EQ(c.settings.evaluations, defaults.evaluations);
  EXPECT_EQ(c.settings.sampler, "tpe");
  EXPECT_EQ(c.settings.objective, "joint");
  EXPECT_TRUE(c.settings.multivariate);
  EXPECT_EQ(c.settings.seed, 1u);
  EXPECT_TRUE(c.variables.empty() && c.sums.empty() && c.derived.empty() && c.constraints.empty());
  ASSERT_EQ(c.targets.size(), 1u);
  EXPECT_FALSE(c.targets[0].min);
  EXPECT_EQ(c.targets[0].max, 3.0);
}

// One file with a problem of every kind: all of them come back together, in file order, each at its position.
TEST(ReadDesignConfig, ReportsEveryProblemAtOnceWithItsPosition) {
  TempDir dir;
  const std::string file = dir.write("design.toml", R"([design]
evaluations = "many"
batch = 2.5
sampler = "grid"
objective = "mean"
speed = 3
top = 0
distinct = 1

[[design.variable]]
name = "gap_um"
lo = 100
kind = "double"

[[design.sum]]
names = ["x_Co"]
total = 1

[[design.derived]]
name = "step"
expression = 3

[[design.constraint]]
name = "active_mass_mg"

[[design.target]]
name = "D30_mAh_g"
min = 200
max = 150

[[design.target]]
name = "D5_mAh_g"
min = "high"
)");
  data::Diagnostics diag;
  read_design_config(file, diag);
  EXPECT_EQ(
      relative(diag, file),
      (Strings{
          ":2:15: evaluations is a string; expected an integer >= 1",
          ":3:9: batch is a float; expected an integer >= 1",
          ":4:11: sampler = \"grid\" is not allowed; expected one of \"tpe\", \"random\"",
          ":5:13: objective = \"mean\" is not allowed; expected one of \"joint\", \"gaussian\"",
          ":6:1: unknown key \"speed\" in [design]; valid keys: evaluations, batch, startup, sampler, multivariate, "
          "objective, top, distinct, seed, [[design.variable]], [[design.sum]], [[design.derived]], "
          "[[design.constraint]], [[design.target]]",
          ":7:7: top = 0 is out of range; expected an integer >= 1",
          ":8:12: distinct = 1 is out of range; expected a number in [0, 1)",
          ":12:1: unknown key \"lo\" in [design.variable]; valid keys: name, low, high, value, kind, choices",
          ":13:8: kind = \"double\" is not allowed; expected one of \"float\", \"int\"",
          ":15:1: [[design.sum]] needs names = [at least two descriptors]",
          ":19:1: [[design.derived]] needs name and expression",
          ":21:14: expression is an integer; expected a string",
          ":23:1: [[design.constraint]] \"active_mass_mg\" has neither min nor max; expected at least one",
          ":26:1: \"D30_mAh_g\": min 200 > max 150; expected min <= max",
          // A min of the wrong type is no min: this target has no bound at all.
          ":31:1: [[design.target]] \"D5_mAh_g\" has neither min nor max; expected at least one",
          ":33:7: min is a string; expected a number",
      }))
      << diag.format();
}

TEST(ReadDesignConfig, ASectionWithoutATargetIsAProblemAtTheSection) {
  data::Diagnostics diag;
  design_config_from_text("# header\n[design]\nevaluations = 10\n[[design.constraint]]\nname = \"a\"\nmin = 1\n",
                          "d.toml", diag);
  EXPECT_EQ(test_support::messages(diag),
            (Strings{"d.toml:2:1: [design] has no [[design.target]]; expected at least one threshold on a predicted "
                     "quantity"}));
}

TEST(ReadDesignConfig, AFileWithoutADesignSectionIsAProblem) {
  data::Diagnostics diag;
  const DesignConfig c = design_config_from_text("[tune]\ntrials = 3\n", "study.toml", diag);
  ASSERT_EQ(diag.size(), 1u);
  EXPECT_EQ(diag.problems()[0].where.file, "study.toml");
  EXPECT_NE(diag.problems()[0].message.find("no [design] section"), std::string::npos) << diag.format();
  EXPECT_TRUE(c.targets.empty());

  data::Diagnostics scalar;
  design_config_from_text("design = 3\n", "scalar.toml", scalar);
  ASSERT_EQ(scalar.size(), 1u);
  EXPECT_NE(scalar.problems()[0].message.find("no [design] section"), std::string::npos) << scalar.format();
}

TEST(ReadDesignConfig, TablesWithoutTheirRequiredKeysAreReportedAtTheTable) {
  TempDir dir;
  const std::string file = dir.write("design.toml", R"([design]
[[design.variable]]
low = 1

[[design.sum]]
names = ["a", "b"]

[[design.derived]]
name = "d"

[[design.target]]
min = 1
)");
  data::Diagnostics diag;
  read_design_config(file, diag);
  EXPECT_EQ(relative(diag, file), (Strings{":2:1: [[design.variable]] without a name; expected name = \"<descriptor>\"",
                                           ":5:1: [[design.sum]] needs total = <their sum>",
                                           ":8:1: [[design.derived]] needs name and expression",
                                           ":11:1: [[design.target]] without a name; expected name = \"<quantity>\""}))
      << diag.format();
}

TEST(ReadDesignConfig, ATotalMustBePositiveAndNamesMustBeStrings) {
  TempDir dir;
  const std::string file = dir.write("design.toml", R"([design]
[[design.sum]]
names = ["a", 2]
total = 0
[[design.target]]
name = "y"
min = 1
)");
  data::Diagnostics diag;
  read_design_config(file, diag);
  EXPECT_EQ(relative(diag, file), (Strings{":2:1: [[design.sum]] needs names = [at least two descriptors]",
                                           ":2:1: [[design.sum]] needs total = <their sum>",
                                           ":3:15: names holds an integer; expected a non-empty array of strings",
                                           ":4:9: total = 0 is out of range; expected a number > 0"}))
      << diag.format();
}

TEST(ReadDesignConfig, ATomlSyntaxErrorIsReportedAtItsPosition) {
  data::Diagnostics diag;
  design_config_from_text("[design]\nevaluations = = 3\n", "broken.toml", diag);
  ASSERT_FALSE(diag.empty());
  EXPECT_EQ(diag.problems()[0].where.file, "broken.toml");
  EXPECT_EQ(diag.problems()[0].where.line, 2);
}

TEST(ReadDesignConfig, AMissingFileIsAProblem) {
  data::Diagnostics diag;
  read_design_config("/nonexistent/design.toml", diag);
  EXPECT_FALSE(diag.empty());
}

}  // namespace
}  // namespace elec::opt
