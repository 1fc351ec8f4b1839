#include "elec/data/curves.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "../support/temp_dir.hpp"
#include "elec/data/study_inputs.hpp"

namespace elec::data {
namespace {

using test_support::relative;
using test_support::Strings;
using test_support::TempDir;

const char* kSchema = R"([[column]]
name = "id"
role = "id"

[[column]]
name = "gap_um"
role = "descriptor"

[[column]]
name = "porosity"
role = "endpoint"

[[column]]
name = "capacity"
role = "endpoint"
type = "functional"
abscissa = "cycle"
file = "capacity.csv"
unit = "mAh/g"
min = 0

[[derived]]
name = "D2"
from = "capacity"
kind = "value_at"
at = 2
)";

const char* kCells = "id,gap_um,porosity\na,100,40\nb,150,\nc,200,55\n";

TEST(Curves, LongFormatPointsJoinByIdOntoOneColumnPerAbscissa) {
  TempDir dir;
  const std::string schema = dir.write("schema.toml", kSchema);
  const std::string cells = dir.write("cells.csv", kCells);
  // c has a partial curve (cut after cycle 2), b has none; rows arrive in any order.
  dir.write("capacity.csv", "id,cycle,capacity\na,3,300\nc,1,340\na,1,350\nc,2,330\na,2,320\n");
  const StudyInputs in = load_study_inputs(cells, schema, "");
  const Dataset& d = in.dataset;
  ASSERT_EQ(d.curves.size(), 1u);
  EXPECT_EQ(d.curves[0].grid, (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(d.curves[0].first_endpoint, 1);
  EXPECT_EQ(d.endpoint_names, (Strings{"porosity", "capacity@1", "capacity@2", "capacity@3"}));
  EXPECT_EQ(d.endpoint_units[3], "mAh/g");
  EXPECT_EQ(d.endpoints(0, 1), 350);
  EXPECT_EQ(d.endpoints(0, 3), 300);
  EXPECT_TRUE(std::isnan(d.endpoints(1, 1)) && std::isnan(d.endpoints(1, 3)));
  EXPECT_EQ(d.endpoints(2, 2), 330);
  EXPECT_TRUE(std::isnan(d.endpoints(2, 3)));  // cut short: not extrapolated
  EXPECT_EQ(d.endpoint_csv_columns[2], -1);
}

TEST(Curves, EveryProblemOfTheCurveFileIsReportedWithItsPosition) {
  TempDir dir;
  const std::string schema = dir.write("schema.toml", kSchema);
  const std::string cells = dir.write("cells.csv", kCells);
  const std::string curve = dir.write("capacity.csv",
                                      "id,cycle,capacity\n"
                                      "a,1,350\n"
                                      "zz,1,300\n"
                                      "a,x,300\n"
                                      "a,2,lots\n"
                                      "a,1,351\n"
                                      "c,1,-5\n");
  try {
    load_study_inputs(cells, schema, "");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    const std::string text = e.what();
    for (const char* expected :
         {":3:1: id \"zz\" is not a cell of the table", ":4:3: \"x\" in cycle; expected a number",
          ":5:5: \"lots\" in capacity; expected a number or a blank", ":7:5: capacity = -5 is outside its bounds",
          ":6:3: cell \"a\" has a second point at cycle = 1 (first at line 2)"})
      EXPECT_NE(text.find(curve + expected), std::string::npos) << expected << "\nin:\n" << text;
  }
}

TEST(Curves, HeaderMustNameIdAbscissaAndValue) {
  TempDir dir;
  const ColumnSpec spec{"capacity", Role::Endpoint, ValueKind::Functional, "", {}, {}, {}, "cycle", "", {}};
  const std::string path = dir.write("capacity.csv", "id,cyc,capacity,extra\na,1,2,3\n");
  Diagnostics diag;
  read_curve_file(path, spec, "id", {"a"}, diag);
  EXPECT_EQ(relative(diag, path), (Strings{":1:4: column \"cyc\" is not expected; expected only id, cycle and capacity "
                                           "(long format: one row per measured point)",
                                           ":1:17: column \"extra\" is not expected; expected only id, cycle and "
                                           "capacity (long format: one row per measured point)",
                                           ":1: no \"cycle\" column; expected a header with id, cycle and capacity"}));
}

TEST(Curves, AGivenGridResamplesInsideTheMeasuredRangeOnly) {
  const CellCurves curves{{{1, 10}, {3, 30}}, {{2, 5}}};
  const Matrix exact = sample_on_grid(curves, {1, 2, 3, 4}, false);
  EXPECT_TRUE(std::isnan(exact(0, 1)));  // default grid: a gap in a curve stays a gap
  const Matrix resampled = sample_on_grid(curves, {1, 2, 3, 4}, true);
  EXPECT_EQ(resampled(0, 1), 20);
  EXPECT_TRUE(std::isnan(resampled(0, 3)));  // beyond the last point: not extrapolated
  EXPECT_EQ(resampled(1, 1), 5);
  EXPECT_TRUE(std::isnan(resampled(1, 0)));
}

TEST(Curves, ACurveIsOneLossGroupAndEachScalarItsOwn) {
  const std::vector<CurveBlock> curves{{"c", "", "cycle", {1, 2, 3}, 2}, {"d", "", "t", {0, 1}, 5}};
  EXPECT_EQ(endpoint_groups(8, curves), (std::vector<int>{0, 1, 2, 2, 2, 3, 3, 4}));
  EXPECT_EQ(endpoint_groups(3, {}), (std::vector<int>{0, 1, 2}));
}

TEST(Curves, SchemaRejectsInconsistentFunctionalAndDerivedDeclarations) {
  TempDir dir;
  const std::string path = dir.write("schema.toml", R"([[column]]
name = "x"
role = "descriptor"
type = "functional"

[[column]]
name = "y"
role = "endpoint"
abscissa = "t"

[[derived]]
name = "y"
from = "z"
kind = "value_at"
)");
  Diagnostics diag;
  read_schema(path, diag);
  const std::string text = diag.format();
  for (const char* expected :
       {"column \"x\" is functional but a descriptor column", "column \"x\" is functional without an abscissa",
        "\"abscissa\" but is not functional", "derived \"y\" is already a column",
        "reads \"z\", which is not a functional column", "of kind value_at has no abscissa"})
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\nin:\n" << text;
}

}  // namespace
}  // namespace elec::data
