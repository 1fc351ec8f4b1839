#include "elec/opt/tune_config.hpp"

#include <gtest/gtest.h>

#include "../support/temp_dir.hpp"
#include "elec/opt/search_space.hpp"

namespace elec::opt {
namespace {

using test_support::relative;
using test_support::Strings;
using test_support::TempDir;

TEST(ReadTuneConfig, ReadsTheSectionAndItsSearchSpace) {
  data::Diagnostics diag;
  const TuneConfig tune = read_tune_config(std::string(ELEC_SOURCE_DIR) + "/tests/fixtures/curves/tune.toml", diag);
  ASSERT_TRUE(diag.empty()) << diag.format();
  EXPECT_EQ(tune.trials, 9);
  EXPECT_EQ(tune.batch, 2);
  ASSERT_EQ(tune.parameters.size(), 3u);
  EXPECT_EQ(tune.parameters[1].kind, ParameterKind::Integer);
  EXPECT_NO_THROW(SearchSpace{tune.parameters});
}

// Found by tests/fuzz/study_config_reader_fuzz.cpp: these sections used to read without a problem, and
// elec_hpc tune then stopped with "elec_hpc: error (rank 0): search space parameter ..." (exit 1, no position).
TEST(ReadTuneConfig, ReportsWhatTheSearchSpaceRefusesAtTheParameter) {
  TempDir dir;
  const std::string file = dir.write("tune.toml", R"([tune]
[[tune.parameter]]
name = "model.learning_rate"
kind = "float"
low = 0.05
high = 0.001
[[tune.parameter]]
name = "model.l2"
kind = "float"
low = 0
high = 0.01
log = true
[[tune.parameter]]
name = "imputation.max_passes"
kind = "int"
low = 0
high = 4
log = true
[[tune.parameter]]
name = "model.precision"
kind = "categorical"
)");
  data::Diagnostics diag;
  const TuneConfig tune = read_tune_config(file, diag);
  EXPECT_EQ(relative(diag, file),
            (Strings{":2:1: search space parameter 'model.learning_rate': needs low < high",
                     ":7:1: search space parameter 'model.l2': a log scale needs low > 0",
                     ":13:1: search space parameter 'imputation.max_passes': a log-scale integer needs low >= 1",
                     ":19:1: search space parameter 'model.precision': needs at least one choice"}));
  EXPECT_TRUE(tune.parameters.empty());
}

// Found by the same fuzzer (UBSan: "1e+300 is outside the range of representable values of type 'int'" in
// data::set_parameter): a bound beyond the parameter's integer type is a problem, not a conversion.
TEST(ReadTuneConfig, ReportsIntegerBoundsBeyondTheParametersType) {
  TempDir dir;
  const std::string file = dir.write("tune.toml", R"([tune]
[[tune.parameter]]
name = "model.hidden_units"
kind = "int"
low = 1
high = 1e300
)");
  data::Diagnostics diag;
  read_tune_config(file, diag);
  ASSERT_EQ(diag.size(), 1u) << diag.format();
  EXPECT_NE(diag.problems()[0].message.find("bound of the search: model.hidden_units = "), std::string::npos);
  EXPECT_NE(diag.problems()[0].message.find("is outside its allowed range"), std::string::npos);
}

}  // namespace
}  // namespace elec::opt
