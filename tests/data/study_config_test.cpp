#include "elec/data/study_config.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "../support/temp_dir.hpp"

namespace elec::data {
namespace {

using test_support::messages;
using test_support::relative;
using test_support::Strings;
using test_support::TempDir;

void expect_same(const StudyConfig& a, const StudyConfig& b) {
  EXPECT_EQ(a.hidden_units, b.hidden_units);
  EXPECT_EQ(a.members, b.members);
  EXPECT_EQ(a.learning_rate, b.learning_rate);
  EXPECT_EQ(a.epochs, b.epochs);
  EXPECT_EQ(a.l2, b.l2);
  EXPECT_EQ(a.confidence_inputs, b.confidence_inputs);
  EXPECT_EQ(a.precision, b.precision);
  EXPECT_EQ(a.centre, b.centre);
  EXPECT_EQ(a.softening, b.softening);
  EXPECT_EQ(a.tolerance, b.tolerance);
  EXPECT_EQ(a.max_passes, b.max_passes);
  EXPECT_EQ(a.pass_epochs, b.pass_epochs);
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_EQ(to_toml(a), to_toml(b));  // every key, including any added later
}

TEST(ReadStudyConfig, AbsentKeysKeepTheirDefaults) {
  TempDir dir;
  const std::string text = "# only a seed\n[run]\nseed = 42\n";
  const auto file = dir.write("study.toml", text);
  Diagnostics diag;
  const StudyConfig config = read_study_config(file, diag);
  EXPECT_TRUE(diag.empty()) << diag.format();
  StudyConfig expected;
  expected.seed = 42;
  expect_same(config, expected);
  EXPECT_EQ(config.source, file);
  EXPECT_EQ(config.text, text);
}

TEST(ReadStudyConfig, ReadsEveryParameter) {
  TempDir dir;
  const auto file = dir.write("study.toml", R"([model]
hidden_units = 4
members = 16
learning_rate = 1    # an integer is fine for a float
epochs = 0
l2 = 0.0
confidence_inputs = false
precision = "float32"

[imputation]
softening = 0
tolerance = 2.5e-4
max_passes = 3
pass_epochs = 7

[selection]
auto = false
holdout_fraction = 0.2
max_epochs = 300
check_every = 10
members = 8

[run]
seed = 9007199254740993
)");
  Diagnostics diag;
  const StudyConfig config = read_study_config(file, diag);
  EXPECT_TRUE(diag.empty()) << diag.format();
  EXPECT_EQ(config.hidden_units, 4);
  EXPECT_EQ(config.members, 16);
  EXPECT_EQ(config.learning_rate, 1.0);
  EXPECT_EQ(config.epochs, 0);
  EXPECT_EQ(config.l2, 0.0);
  EXPECT_FALSE(config.confidence_inputs);
  EXPECT_EQ(config.precision, "float32");
  EXPECT_EQ(config.softening, 0.0);
  EXPECT_FALSE(config.auto_schedule);
  EXPECT_EQ(config.holdout_fraction, 0.2);
  EXPECT_EQ(config.selection_max_epochs, 300);
  EXPECT_EQ(config.selection_check_every, 10);
  EXPECT_EQ(config.selection_members, 8);
  EXPECT_EQ(config.tolerance, 2.5e-4);
  EXPECT_EQ(config.max_passes, 3);
  EXPECT_EQ(config.pass_epochs, 7);
  EXPECT_EQ(config.seed, 9007199254740993ull);  // not squeezed through a double
}

TEST(ReadStudyConfig, UnknownSectionsAndKeysNameWhatIsValid) {
  TempDir dir;
  const auto file = dir.write("study.toml", R"(epochs = 5
colour = "red"

[model]
hiden_units = 4

[training]
epochs = 5
)");
  Diagnostics diag;
  const StudyConfig config = read_study_config(file, diag);
  EXPECT_EQ(relative(diag, file),
            (Strings{":1:1: \"epochs\" is outside a section; expected it under [model]",
                     ":2:1: unknown key \"colour\" outside a section; expected sections [model], [imputation], "
                     "[selection], [calibration], [run]",
                     ":5:1: unknown key \"hiden_units\" in [model]; valid keys: hidden_units, members, learning_rate, "
                     "epochs, l2, input_penalty, confidence_inputs, input_dropout, cell_dropout, precision, centre",
                     ":7:2: unknown section [training]; expected [model], [imputation], [selection], [calibration], "
                     "[run] (and [tune] for elec_hpc tune, [design] for elec_hpc design)"}));
  expect_same(config, StudyConfig{});
}

TEST(ReadStudyConfig, SectionThatIsNotATable) {
  TempDir dir;
  const auto file = dir.write("study.toml", "run = 3\n[[model]]\nepochs = 1\n");
  Diagnostics diag;
  read_study_config(file, diag);
  EXPECT_EQ(relative(diag, file), (Strings{":1:1: \"run\" is an integer; expected a [run] table",
                                           ":2:3: \"model\" is an array; expected a [model] table"}));
}

TEST(ReadStudyConfig, WrongTypesAreReported) {
  TempDir dir;
  const auto file = dir.write("study.toml", R"([model]
hidden_units = "8"
epochs = 500.0
learning_rate = "fast"
confidence_inputs = 1
precision = 64

[run]
seed = 1.5
)");
  Diagnostics diag;
  const StudyConfig config = read_study_config(file, diag);
  EXPECT_EQ(relative(diag, file), (Strings{":2:16: hidden_units is a string; expected an integer >= 1",
                                           ":3:10: epochs is a float; expected an integer >= 0",
                                           ":4:17: learning_rate is a string; expected a number",
                                           ":5:21: confidence_inputs is an integer; expected true or false",
                                           ":6:13: precision is an integer; expected one of \"float32\", \"float64\"",
                                           ":9:8: seed is a float; expected an integer >= 0"}));
  expect_same(config, StudyConfig{});  // rejected values do not replace the defaults
}

TEST(ReadStudyConfig, OutOfRangeValuesStateTheRange) {
  TempDir dir;
  const auto file = dir.write("study.toml", R"([model]
hidden_units = 0
members = 3000000000
learning_rate = 0.0
l2 = -1e-3
input_dropout = -0.5
precision = "float16"
[imputation]
softening = 1
tolerance = nan
max_passes = -1
[run]
seed = -4
)");
  Diagnostics diag;
  read_study_config(file, diag);
  EXPECT_EQ(relative(diag, file),
            (Strings{":2:16: hidden_units = 0 is out of range; expected an integer >= 1",
                     ":3:11: members = 3000000000 is too large; expected an integer >= 1 and <= 2147483647",
                     ":4:17: learning_rate = 0 is out of range; expected a number > 0",
                     ":5:6: l2 = -0.001 is out of range; expected a number >= 0",
                     ":6:17: input_dropout = -0.5 is out of range; expected -1 or a number in [0, 1)",
                     ":7:13: precision = \"float16\" is not allowed; expected one of \"float32\", \"float64\"",
                     ":9:13: softening = 1 is out of range; expected a number in [0, 1)",
                     ":10:13: tolerance = nan is out of range; expected a number > 0",
                     ":11:14: max_passes = -1 is out of range; expected an integer >= 0",
                     ":13:8: seed = -4 is out of range; expected an integer >= 0"}));
}

TEST(ResolveAuto, InputDropoutAndHoldoutFollowWhatTheModelIsTrainedFor) {
  StudyConfig imputing, predicting, explicit_values;
  resolve_auto(imputing, Purpose::ImputeTable, 85);
  EXPECT_EQ(imputing.holdout, "cells");
  EXPECT_EQ(imputing.input_dropout, 0.0);
  resolve_auto(predicting, Purpose::PredictNewCells, 85);
  EXPECT_EQ(predicting.holdout, "rows");
  EXPECT_EQ(predicting.input_dropout, 0.5);
  explicit_values.holdout = "cells";
  explicit_values.input_dropout = 0.2;
  resolve_auto(explicit_values, Purpose::PredictNewCells, 85);
  EXPECT_EQ(explicit_values.holdout, "cells");
  EXPECT_EQ(explicit_values.input_dropout, 0.2);
  // Honest error bars by default where they are promised: calibration folds for new cells, none for impute.
  EXPECT_EQ(imputing.calibration_folds, 0);
  EXPECT_EQ(predicting.calibration_folds, kAutoCalibrationFolds);
  EXPECT_EQ(explicit_values.calibration_folds, kAutoCalibrationFolds) << "train's model predicts new cells";
  StudyConfig tiny, chosen;
  resolve_auto(tiny, Purpose::PredictNewCells, kMinRecipesToCalibrate - 1);
  EXPECT_EQ(tiny.calibration_folds, 0) << "too few recipes to score new ones";
  chosen.calibration_folds = 3;
  resolve_auto(chosen, Purpose::ImputeTable, 85);
  EXPECT_EQ(chosen.calibration_folds, 3) << "a configured count is kept";
  // An unresolved config reads as one for new cells (every command but impute), unless it hides single cells.
  StudyConfig unresolved;
  EXPECT_TRUE(scores_new_cells(unresolved));
  EXPECT_EQ(input_dropout_for(unresolved), 0.5);
  unresolved.holdout = "cells";
  EXPECT_EQ(input_dropout_for(unresolved), 0.0);
}

TEST(ReadStudyConfig, FileProblems) {
  TempDir dir;
  Diagnostics diag;
  const auto missing = dir.path("absent.toml");
  const StudyConfig config = read_study_config(missing, diag);
  expect_same(config, StudyConfig{});
  ASSERT_EQ(diag.size(), 1u);
  EXPECT_EQ(diag.problems()[0].format(), missing + ": cannot open file (No such file or directory)");

  const auto broken = dir.write("broken.toml", "[model]\nepochs = = 3\n");
  Diagnostics syntax;
  read_study_config(broken, syntax);
  ASSERT_EQ(syntax.size(), 1u);
  EXPECT_EQ(syntax.problems()[0].where.line, 2);
  EXPECT_NE(syntax.problems()[0].message.find("invalid TOML"), std::string::npos);
}

// A default as the README writes it and as the table describes it: the same number, or the same text unquoted.
bool same_default(std::string written, std::string described) {
  for (std::string* t : {&written, &described})
    if (t->size() >= 2 && t->front() == '"' && t->back() == '"') *t = t->substr(1, t->size() - 2);
  char *end_a = nullptr, *end_b = nullptr;
  const double a = std::strtod(written.c_str(), &end_a), b = std::strtod(described.c_str(), &end_b);
  if (!written.empty() && *end_a == '\0' && !described.empty() && *end_b == '\0') return a == b;
  return written == described;
}

// The README's study-config table is this table: every parameter, in its order, with its default.
TEST(DescribeParameters, TheReadmeTableListsEveryParameterWithItsDefault) {
  std::ifstream readme(std::string(ELEC_SOURCE_DIR) + "/README.md");
  std::vector<std::vector<std::string>> rows;
  bool in_table = false;
  for (std::string line; std::getline(readme, line);) {
    if (line.rfind("| section | key | default | meaning |", 0) == 0) {
      in_table = true;
    } else if (in_table && line.rfind("|---", 0) != 0) {
      if (line.rfind("| ", 0) != 0) break;
      std::vector<std::string> cells;
      std::stringstream cells_of(line.substr(2));
      for (std::string cell; std::getline(cells_of, cell, '|') && cells.size() < 3;)
        cells.push_back(cell.substr(0, cell.find_last_not_of(' ') + 1).substr(cell.find_first_not_of(' ')));
      rows.push_back(cells);
    }
  }
  const auto params = describe_parameters();
  ASSERT_EQ(rows.size(), params.size()) << "README.md's study config table and data::describe_parameters() differ";
  for (std::size_t k = 0; k < params.size(); ++k) {
    EXPECT_EQ(rows[k][0], params[k].section) << "row " << k + 1;
    EXPECT_EQ(rows[k][1], params[k].key) << "row " << k + 1;
    EXPECT_TRUE(same_default(rows[k][2], params[k].default_value))
        << params[k].section << "." << params[k].key << ": README " << rows[k][2] << ", table "
        << params[k].default_value;
  }
}

TEST(DescribeParameters, ComesFromTheOneTableWithHeaderDefaults) {
  const auto params = describe_parameters();
  ASSERT_EQ(params.size(), 29u);
  std::set<std::string> sections;
  for (const auto& p : params) {
    sections.insert(p.section);
    EXPECT_FALSE(p.description.empty()) << p.key;
    EXPECT_FALSE(p.default_value.empty()) << p.key;
  }
  EXPECT_EQ(sections, (std::set<std::string>{"model", "imputation", "selection", "calibration", "run"}));
  EXPECT_EQ(params[0].section, "model");
  EXPECT_EQ(params[0].key, "hidden_units");
  EXPECT_EQ(params[0].type, "int");
  EXPECT_EQ(params[0].default_value, "8");
  EXPECT_EQ(params[0].range, ">= 1");
  EXPECT_EQ(params[2].key, "learning_rate");
  EXPECT_EQ(params[2].type, "float");
  EXPECT_EQ(params[2].default_value, "0.01");
  EXPECT_EQ(params[2].range, "> 0");
  EXPECT_EQ(params[5].key, "input_penalty");
  EXPECT_EQ(params[5].range, ">= 0");
  EXPECT_EQ(params[6].default_value, "true");
  EXPECT_EQ(params[7].key, "input_dropout");
  EXPECT_EQ(params[7].default_value, "-1.0");
  EXPECT_EQ(params[7].range, "-1 or [0, 1)");
  EXPECT_EQ(params[8].key, "cell_dropout");
  EXPECT_EQ(params[8].range, "[0, 1)");
  EXPECT_EQ(params[9].default_value, "\"float64\"");
  EXPECT_EQ(params[9].range, "float32 | float64");
  EXPECT_EQ(params[10].key, "centre");
  EXPECT_EQ(params[10].default_value, "\"mean\"");
  EXPECT_EQ(params[10].range, "mean | median");
  EXPECT_EQ(params[11].key, "softening");
  EXPECT_EQ(params[11].range, "[0, 1)");
  EXPECT_EQ(params.back().key, "seed");
  EXPECT_EQ(params.back().default_value, "1");
}

TEST(ToToml, ListsEveryKeyAndReadsBackTheSameConfig) {
  StudyConfig config;
  config.hidden_units = 3;
  config.learning_rate = 1.0 / 3.0;
  config.l2 = 1e-7;
  config.tolerance = 1.0;
  config.confidence_inputs = false;
  config.precision = "float32";
  config.centre = "median";
  config.seed = 123456789;
  const std::string text = to_toml(config);
  EXPECT_EQ(text.rfind("[model]\nhidden_units = 3\n", 0), 0u) << text;
  EXPECT_NE(text.find("\ntolerance = 1.0\n"), std::string::npos) << text;  // stays a TOML float
  EXPECT_NE(text.find("\ncentre = \"median\"\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\n[run]\nseed = 123456789\n"), std::string::npos) << text;

  TempDir dir;
  const auto file = dir.write("effective.toml", text);
  Diagnostics diag;
  const StudyConfig back = read_study_config(file, diag);
  EXPECT_TRUE(diag.empty()) << diag.format();
  expect_same(back, config);
  EXPECT_EQ(to_toml(StudyConfig{}).find("hidden_units = 8\n") != std::string::npos, true);
}

// A search may hold any double; one beyond the member's integer type is refused (converting it would be undefined
// behaviour: UBSan found it through the [tune] reader), and the config is left as it was.
TEST(SetParameter, RefusesNumbersBeyondTheMembersIntegerType) {
  StudyConfig config;
  EXPECT_NE(set_parameter(config, "model.hidden_units", 1e300), "");
  EXPECT_NE(set_parameter(config, "model.members", 2147483648.0), "");
  EXPECT_NE(set_parameter(config, "run.seed", 1.9e19), "");
  expect_same(config, StudyConfig{});
  EXPECT_EQ(set_parameter(config, "model.members", 2147483647.0), "");
  EXPECT_EQ(config.members, 2147483647);
  EXPECT_EQ(set_parameter(config, "run.seed", 9223372036854775808.0), "");
  EXPECT_EQ(config.seed, 9223372036854775808ull);
}

}  // namespace
}  // namespace elec::data
