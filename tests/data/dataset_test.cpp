#include "elec/data/dataset.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "../support/temp_dir.hpp"

namespace elec::data {
namespace {

using test_support::messages;
using test_support::relative;
using test_support::Strings;
using test_support::TempDir;

const char* kSchema = R"([[column]]
name = "cell"
role = "id"

[[column]]
name = "gap_um"
role = "descriptor"
unit = "um"

[[column]]
name = "additive"
role = "descriptor"
type = "categorical"

[[column]]
name = "porosity"
role = "endpoint"
unit = "%"
min = 0
max = 100

[[column]]
name = "capacity"
role = "endpoint"
unit = "mAh/g"

[[column]]
name = "note"
role = "ignore"
)";

// The test's cell table and schema, read as the application reads them.
struct Inputs {
  TempDir dir;
  std::string csv_path, schema_path;
  CsvDocument doc;
  Schema schema;

  Inputs(const std::string& csv, const std::string& schema_text = kSchema) {
    csv_path = dir.write("cells.csv", csv);
    schema_path = dir.write("schema.toml", schema_text);
    Diagnostics diag;
    doc = read_csv(csv_path, diag);
    schema = read_schema(schema_path, diag);
    EXPECT_TRUE(diag.empty()) << diag.format();
  }

  Dataset build(Diagnostics& diag, const DatasetOptions& options = {}) const {
    return build_dataset(doc, schema, options, diag);
  }
};

TEST(BuildDataset, EncodesDescriptorsAndEndpoints) {
  const Inputs in(
      "cell,additive,gap_um,porosity,note,capacity\n"
      "A1,none,12.5,40,ok,150\n"
      "A2, CNT ,13,,x,\n"
      "A3,CNT,14,NA,,160.5\n");
  Diagnostics diag;
  const Dataset ds = in.build(diag);
  EXPECT_TRUE(diag.empty()) << diag.format();

  EXPECT_EQ(ds.rows(), 3u);
  EXPECT_EQ(ds.row_ids, (Strings{"A1", "A2", "A3"}));
  EXPECT_EQ(ds.row_lines, (std::vector<int>{2, 3, 4}));
  EXPECT_EQ(ds.descriptor_names, (Strings{"gap_um", "additive=CNT", "additive=none"}));  // levels sorted
  EXPECT_EQ(ds.descriptor_units, (Strings{"um", "", ""}));
  EXPECT_EQ(ds.endpoint_names, (Strings{"porosity", "capacity"}));
  EXPECT_EQ(ds.endpoint_units, (Strings{"%", "mAh/g"}));
  EXPECT_EQ(ds.endpoint_csv_columns, (std::vector<int>{3, 5}));
  ASSERT_EQ(ds.encodings.size(), 1u);
  EXPECT_EQ(ds.encodings[0].column, "additive");
  EXPECT_EQ(ds.encodings[0].levels, (Strings{"CNT", "none"}));

  Matrix descriptors(3, 3);
  descriptors << 12.5, 0, 1, 13, 1, 0, 14, 1, 0;
  EXPECT_EQ(ds.descriptors, descriptors);
  ASSERT_EQ(ds.endpoints.rows(), 3);
  ASSERT_EQ(ds.endpoints.cols(), 2);
  EXPECT_EQ(ds.endpoints(0, 0), 40.0);
  EXPECT_EQ(ds.endpoints(0, 1), 150.0);
  EXPECT_TRUE(std::isnan(ds.endpoints(1, 0)));
  EXPECT_TRUE(std::isnan(ds.endpoints(1, 1)));
  EXPECT_TRUE(std::isnan(ds.endpoints(2, 0)));
  EXPECT_EQ(ds.endpoints(2, 1), 160.5);
}

TEST(BuildDataset, WithoutIdColumnRowsAreNamedByLine) {
  TempDir dir;
  Diagnostics diag;
  const auto doc = read_csv(dir.write("cells.csv", "a,b\n1,2\n\n3,4\n"), diag);
  const Dataset ds = build_dataset(doc, schema_all_endpoints(doc), {}, diag);
  EXPECT_TRUE(diag.empty()) << diag.format();
  EXPECT_EQ(ds.row_ids, (Strings{"2", "4"}));
  EXPECT_EQ(ds.descriptors.rows(), 2);
  EXPECT_EQ(ds.descriptors.cols(), 0);
  EXPECT_EQ(ds.endpoint_csv_columns, (std::vector<int>{0, 1}));
}

TEST(BuildDataset, MalformedEndpointNamesFileLineColumnAndColumnName) {
  TempDir dir;
  Diagnostics diag;
  const auto file = dir.write("cells.csv", "a,b\n1,2\n3,x7\n");
  const auto doc = read_csv(file, diag);
  const Dataset ds = build_dataset(doc, schema_all_endpoints(doc), {}, diag);
  EXPECT_EQ(messages(diag),
            (Strings{file + ":3:3: \"x7\" is not a number (column \"b\"); expected a number or a blank"}));
  EXPECT_EQ(ds.rows(), 2u);
}

TEST(BuildDataset, DescriptorsMustBeGivenAndNumeric) {
  const Inputs in(
      "cell,additive,gap_um,porosity,note,capacity\n"
      "A1,none,,40,,1\n"
      "A2,,13,41,,2\n"
      "A3,CNT,1.2.3,42,,3\n"
      "A4,NA,N/A,43,,4\n");
  Diagnostics diag;
  in.build(diag);
  const auto& f = in.csv_path;
  EXPECT_EQ(messages(diag),
            (Strings{f + ":2:9: blank descriptor (column \"gap_um\"); descriptors must be given for every cell",
                     f + ":4:8: \"1.2.3\" is not a number (column \"gap_um\"); expected a number",
                     f + ":5:7: blank descriptor (column \"gap_um\"); descriptors must be given for every cell",
                     f + ":3:4: blank descriptor (column \"additive\"); descriptors must be given for every cell",
                     f + ":5:4: blank descriptor (column \"additive\"); descriptors must be given for every cell"}));
}

TEST(BuildDataset, ValuesOutsideBoundsStateTheBound) {
  const Inputs in(
      "cell,additive,gap_um,porosity,note,capacity\n"
      "A1,none,1,100,,1\n"
      "A2,none,1, 120 ,,2\n"
      "A3,none,1,-0.5,,3\n");
  Diagnostics diag;
  const Dataset ds = in.build(diag);
  const auto& f = in.csv_path;
  EXPECT_EQ(messages(diag),
            (Strings{f + ":3:11: 120 is outside the bounds of column \"porosity\"; expected a value in [0, 100]",
                     f + ":4:11: -0.5 is outside the bounds of column \"porosity\"; expected a value in [0, 100]"}));
  EXPECT_EQ(ds.endpoints(0, 0), 100.0);  // bounds are inclusive
}

TEST(BuildDataset, OneSidedBoundsAreStatedAsSuch) {
  TempDir dir;
  Diagnostics diag;
  const auto file = dir.write("cells.csv", "a,b\n-1,7\n");
  const auto doc = read_csv(file, diag);
  Schema schema = schema_all_endpoints(doc);
  schema.columns[0].min = 0.0;
  schema.columns[1].max = 5.5;
  build_dataset(doc, schema, {}, diag);
  EXPECT_EQ(messages(diag), (Strings{file + ":2:1: -1 is outside the bounds of column \"a\"; expected a value >= 0",
                                     file + ":2:4: 7 is outside the bounds of column \"b\"; expected a value <= 5.5"}));
}

TEST(BuildDataset, EndpointWithoutObservationsIsReportedAtItsHeader) {
  const std::string csv =
      "cell,additive,gap_um,porosity,note,capacity\n"
      "A1,none,1,,,1\n"
      "A2,none,1,NA,,2\n";
  const Inputs in(csv);
  Diagnostics diag;
  in.build(diag);
  EXPECT_EQ(messages(diag), (Strings{in.csv_path + ":1:22: column \"porosity\" has no observed value; an endpoint "
                                                   "needs at least one measurement"}));
  Diagnostics prediction;
  DatasetOptions options;
  options.require_observed_endpoints = false;
  in.build(prediction, options);
  EXPECT_TRUE(prediction.empty()) << prediction.format();
}

TEST(BuildDataset, MalformedCellsDoNotAlsoReportAnEmptyEndpoint) {
  TempDir dir;
  Diagnostics diag;
  const auto file = dir.write("cells.csv", "a\nx\n\"\"\n");
  const auto doc = read_csv(file, diag);
  build_dataset(doc, schema_all_endpoints(doc), {}, diag);
  EXPECT_EQ(messages(diag),
            (Strings{file + ":2:1: \"x\" is not a number (column \"a\"); expected a number or a blank"}));
}

TEST(BuildDataset, ColumnsMustMatchTheSchema) {
  const Inputs in(
      "cell,additive,gap_um,porosty,note,capacity,extra\n"
      "A1,none,1,40,,1,0\n");
  Diagnostics diag;
  in.build(diag);
  EXPECT_EQ(messages(diag),
            (Strings{in.csv_path + ":1:22: unknown column \"porosty\"; the schema declares: cell, gap_um, additive, "
                                   "porosity, capacity, note",
                     in.csv_path + ":1:44: unknown column \"extra\"; the schema declares: cell, gap_um, additive, "
                                   "porosity, capacity, note",
                     in.schema_path + ":16:1: column \"porosity\" is declared but " + in.csv_path +
                         " has no such column; expected a header named \"porosity\""}));
}

TEST(BuildDataset, UnknownColumnListIsKeptShort) {
  TempDir dir;
  Diagnostics diag;
  std::string header, row;
  for (int i = 0; i < 14; ++i) header += "c" + std::to_string(i) + ",", row += "1,";
  const auto doc = read_csv(dir.write("wide.csv", header + "x\n" + row + "1\n"), diag);
  Schema schema = schema_all_endpoints(doc);
  schema.columns.pop_back();
  build_dataset(doc, schema, {}, diag);
  ASSERT_EQ(diag.size(), 1u);
  EXPECT_EQ(diag.problems()[0].message,
            "unknown column \"x\"; the schema declares: c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, ... (4 more)");
}

TEST(BuildDataset, PredictionMayOmitEndpointColumns) {
  const Inputs in(
      "cell,additive,gap_um,note,capacity\n"
      "B1,CNT,2,,\n"
      "B2,none,3,,\n");
  DatasetOptions options;
  options.require_observed_endpoints = false;
  options.allow_absent_endpoints = true;
  Diagnostics diag;
  const Dataset ds = in.build(diag, options);
  EXPECT_TRUE(diag.empty()) << diag.format();
  EXPECT_EQ(ds.endpoint_names, (Strings{"porosity", "capacity"}));
  EXPECT_EQ(ds.endpoint_csv_columns, (std::vector<int>{-1, 4}));
  EXPECT_TRUE(ds.endpoints.array().isNaN().all());

  // Training on such a table would have nothing to learn the absent endpoint from.
  Diagnostics training;
  options.require_observed_endpoints = true;
  in.build(training, options);
  EXPECT_EQ(messages(training),
            (Strings{in.schema_path + ":16:1: column \"porosity\" has no observed value; an endpoint needs at least "
                                      "one measurement",
                     in.csv_path + ":1:27: column \"capacity\" has no observed value; an endpoint needs at least "
                                   "one measurement"}));
}

TEST(BuildDataset, PredictionUsesTheTrainedLevels) {
  const Inputs in(
      "cell,additive,gap_um,porosity,note,capacity\n"
      "B1,none,2,,,\n"
      "B2,GO,3,,,\n");
  const std::vector<CategoricalEncoding> trained{{"additive", {"none", "CNT"}}};
  DatasetOptions options;
  options.require_observed_endpoints = false;
  options.encodings = &trained;
  Diagnostics diag;
  const Dataset ds = in.build(diag, options);
  EXPECT_EQ(messages(diag), (Strings{in.csv_path + ":3:4: \"GO\" is not a level of column \"additive\" seen in "
                                                   "training; expected one of: none, CNT"}));
  EXPECT_EQ(ds.descriptor_names, (Strings{"gap_um", "additive=none", "additive=CNT"}));  // trained order kept
  EXPECT_EQ(ds.descriptors(0, 1), 1.0);
  EXPECT_EQ(ds.descriptors(0, 2), 0.0);
  EXPECT_EQ(ds.encodings[0].levels, trained[0].levels);
}

TEST(BuildDataset, PredictionNeedsAnEncodingForEachCategorical) {
  const Inputs in("cell,additive,gap_um,porosity,note,capacity\nB1,none,2,,,\n");
  const std::vector<CategoricalEncoding> trained;
  DatasetOptions options;
  options.require_observed_endpoints = false;
  options.encodings = &trained;
  Diagnostics diag;
  in.build(diag, options);
  EXPECT_EQ(messages(diag),
            (Strings{in.schema_path + ":11:1: categorical column \"additive\" has no levels in the "
                                      "trained model; expected the schema the model was trained with"}));
}

TEST(BuildDataset, ConstantDescriptorIsFine) {
  const Inputs in(
      "cell,additive,gap_um,porosity,note,capacity\n"
      "A1,none,5,1,,1\n"
      "A2,none,5,2,,2\n");
  Diagnostics diag;
  const Dataset ds = in.build(diag);
  EXPECT_TRUE(diag.empty()) << diag.format();
  EXPECT_EQ(ds.descriptor_names, (Strings{"gap_um", "additive=none"}));
}

TEST(BuildDataset, IdsMustBeGivenAndUnique) {
  const Inputs in(
      "cell,additive,gap_um,porosity,note,capacity\n"
      "A1,none,5,1,,1\n"
      " ,none,5,2,,2\n"
      "A1,none,5,2,,2\n");
  Diagnostics diag;
  in.build(diag);
  EXPECT_EQ(messages(diag),
            (Strings{in.csv_path + ":3:1: blank id (column \"cell\"); expected an identifier in every row",
                     in.csv_path + ":4:1: id \"A1\" is already used on line 2; expected unique ids"}));
}

TEST(BuildDataset, HeaderOnlyTableHasNoRows) {
  TempDir dir;
  Diagnostics diag;
  const auto file = dir.write("cells.csv", "a,b\n");
  const auto doc = read_csv(file, diag);
  const Dataset ds = build_dataset(doc, schema_all_endpoints(doc), {}, diag);
  EXPECT_EQ(messages(diag), (Strings{file + ":1: no data rows; expected at least one row below the header"}));
  EXPECT_EQ(ds.rows(), 0u);
}

TEST(BuildDataset, UnreadableTableAddsNothingMore) {
  TempDir dir;
  Diagnostics diag;
  const auto doc = read_csv(dir.path("absent.csv"), diag);
  const Dataset ds = build_dataset(doc, Schema{}, {}, diag);
  EXPECT_EQ(diag.size(), 1u);
  EXPECT_EQ(ds.rows(), 0u);
}

TEST(BuildDataset, DecimalCommaGetsAHint) {
  TempDir dir;
  Diagnostics diag;
  const auto file = dir.write("eu.csv", "a;b\n1,5;2\n");
  const auto doc = read_csv(file, diag);
  build_dataset(doc, schema_all_endpoints(doc), {}, diag);
  EXPECT_EQ(messages(diag), (Strings{file + ":2:1: \"1,5\" is not a number (column \"a\"); expected a number with "
                                            "'.' as decimal separator or a blank"}));
}

TEST(BuildDataset, CollectsEveryProblemAtOnce) {
  const Inputs in(
      "cell,additive,gap_um,porosity,note,capacity,extra\n"
      "A1,,x,200,,y,1\n"
      "A2,none,1,,,,1\n");
  Diagnostics diag;
  in.build(diag);
  // unknown column, blank categorical, bad descriptor, out of bounds, bad endpoint
  EXPECT_EQ(diag.size(), 5u) << diag.format();
}

}  // namespace
}  // namespace elec::data

namespace elec::data {
namespace {

TEST(BuildDataset, ATextColumnShowsItsFirstProblemsAndCountsTheRest) {
  TempDir dir;
  std::string csv = "name,value\n";
  for (int i = 0; i < 12; ++i) csv += "alloy" + std::to_string(i) + "," + std::to_string(i) + "\n";
  Diagnostics read_problems, diag;
  const CsvDocument doc = read_csv(dir.write("t.csv", csv), read_problems);
  build_dataset(doc, schema_all_endpoints(doc), {}, diag);
  const Strings lines = messages(diag);
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_NE(lines[0].find("t.csv:2:1: \"alloy0\" is not a number"), std::string::npos) << lines[0];
  EXPECT_NE(lines[5].find("t.csv:1:1: 7 more problems in column \"name\" (the last on line 13)"), std::string::npos)
      << lines[5];
}

}  // namespace
TEST(Recipes, RowsWithEqualDescriptorsShareANumberGivenInOrderOfFirstAppearance) {
  Matrix d(6, 2);
  d << 1, 2,    //
      3, 4,     //
      1, 2,     //
      0.0, 5,   //
      -0.0, 5,  // -0 and +0 are one value, as the networks see them
      3, 4.000001;
  EXPECT_EQ(recipe_of_rows(d), (std::vector<std::size_t>{0, 1, 0, 2, 2, 3}));
  EXPECT_EQ(count_recipes(d), 4u);
  EXPECT_EQ(count_recipes(Matrix(0, 2)), 0u);
}

}  // namespace elec::data
