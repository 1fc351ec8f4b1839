#include "elec/data/schema.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "../support/temp_dir.hpp"

namespace elec::data {
namespace {

using test_support::messages;
using test_support::relative;
using test_support::Strings;
using test_support::TempDir;

const char* kGoodSchema = R"(# cells of the 2025 campaign
[[column]]
name = "cell"
role = "id"

[[column]]
name = "gap_um"
role = "descriptor"
unit = "um"
min = 0

[[column]]
name = "additive"
role = "descriptor"
type = "categorical"

[[column]]
name = "porosity"
role = "endpoint"
unit = "%"
min = 0.0
max = 100

[[column]]
name = "operator"
role = "ignore"
)";

TEST(ReadSchema, ReadsColumnsInOrder) {
  TempDir dir;
  const auto file = dir.write("schema.toml", kGoodSchema);
  Diagnostics diag;
  const Schema schema = read_schema(file, diag);
  EXPECT_TRUE(diag.empty()) << diag.format();
  EXPECT_EQ(schema.source, file);
  EXPECT_EQ(schema.text, kGoodSchema);
  ASSERT_EQ(schema.columns.size(), 5u);

  const ColumnSpec& gap = schema.columns[1];
  EXPECT_EQ(gap.name, "gap_um");
  EXPECT_EQ(gap.role, Role::Descriptor);
  EXPECT_EQ(gap.kind, ValueKind::Numeric);
  EXPECT_EQ(gap.unit, "um");
  EXPECT_EQ(gap.min, 0.0);  // an integer is fine for a bound
  EXPECT_FALSE(gap.max.has_value());
  EXPECT_EQ(gap.where.file, file);
  EXPECT_EQ(gap.where.line, 7);
  EXPECT_EQ(gap.where.column, 1);

  EXPECT_EQ(schema.columns[0].role, Role::Id);
  EXPECT_EQ(schema.columns[2].kind, ValueKind::Categorical);
  EXPECT_EQ(schema.columns[3].role, Role::Endpoint);
  EXPECT_EQ(schema.columns[3].max, 100.0);
  EXPECT_EQ(schema.columns[4].role, Role::Ignore);

  ASSERT_NE(schema.find("porosity"), nullptr);
  EXPECT_EQ(schema.find("porosity")->unit, "%");
  EXPECT_EQ(schema.find("Porosity"), nullptr);
}

TEST(ReadSchema, SyntaxErrorIsReportedWithPosition) {
  TempDir dir;
  const auto file = dir.write("bad.toml", "[[column]]\nname = \"a\nrole = \"endpoint\"\n");
  Diagnostics diag;
  const Schema schema = read_schema(file, diag);
  ASSERT_EQ(diag.size(), 1u);
  EXPECT_EQ(diag.problems()[0].where.line, 2);
  EXPECT_NE(diag.problems()[0].message.find("invalid TOML"), std::string::npos) << diag.format();
  EXPECT_TRUE(schema.columns.empty());
  EXPECT_FALSE(schema.text.empty());
}

TEST(ReadSchema, UnknownKeysAreReportedAtTheirPosition) {
  TempDir dir;
  const auto file = dir.write("s.toml", "[[column]]\nname = \"a\"\nrole = \"endpoint\"\n  units = \"%\"\n");
  Diagnostics diag;
  read_schema(file, diag);
  EXPECT_EQ(relative(diag, file), (Strings{":4:3: unknown key \"units\" in [[column]]; expected one of name, role, "
                                           "type, unit, min, max, abscissa, file, grid"}));
}

TEST(ReadSchema, BadValuesAreReportedAtTheValue) {
  TempDir dir;
  const auto file = dir.write("s.toml", R"([[column]]
name = "a"
role = "output"

[[column]]
name = "b"
role = "descriptor"
type = "text"
min = "zero"

[[column]]
name = 3
role = "endpoint"

[[column]]
name = "c"
role = "endpoint"
unit = 5
)");
  Diagnostics diag;
  const Schema schema = read_schema(file, diag);
  EXPECT_EQ(relative(diag, file),
            (Strings{":3:8: role \"output\" is not known; expected id, descriptor, endpoint or ignore",
                     ":8:8: type \"text\" is not known; expected \"numeric\", \"categorical\" or \"functional\"",
                     ":9:7: \"min\" is a string; expected a number", ":12:8: \"name\" is an integer; expected a string",
                     ":18:8: \"unit\" is an integer; expected a string"}));
  EXPECT_EQ(schema.columns.size(), 3u);  // the column without a usable name is left out
}

TEST(ReadSchema, ChecksCombinationsWithinAColumn) {
  TempDir dir;
  const auto file = dir.write("s.toml", R"([[column]]
name = "kind"
role = "endpoint"
type = "categorical"

[[column]]
name = "shape"
role = "descriptor"
type = "categorical"
max = 3

[[column]]
name = "p"
role = "endpoint"
min = 5
max = 1.5

[[column]]
role = "endpoint"

[[column]]
name = "q"
)");
  Diagnostics diag;
  read_schema(file, diag);
  EXPECT_EQ(relative(diag, file),
            (Strings{":4:8: column \"kind\" is a categorical endpoint; endpoints must be numeric",
                     ":10:1: column \"shape\" has bounds but is categorical; min and max apply to numeric "
                     "descriptors and endpoints only",
                     ":16:1: column \"p\" has max = 1.5 below min = 5; expected min <= max",
                     ":18:1: [[column]] without a name; expected name = \"<CSV header>\"",
                     ":22:1: column \"q\" has no role; expected role = \"id\", \"descriptor\", \"endpoint\" or "
                     "\"ignore\""}));
}

TEST(ReadSchema, ChecksAcrossColumns) {
  TempDir dir;
  const auto file = dir.write("s.toml", R"([[column]]
name = "a"
role = "id"

[[column]]
name = "b"
role = "id"

[[column]]
name = "a"
role = "endpoint"

[[column]]
name = "c"
role = "ignore"
min = 1
)");
  Diagnostics diag;
  read_schema(file, diag);
  EXPECT_EQ(relative(diag, file),
            (Strings{":7:8: second id column \"b\" (\"a\" is the id); expected at most one id column",
                     ":10:1: column \"a\" is already declared at line 2; expected each column once",
                     ":16:1: column \"c\" has bounds but is an ignore column; min and max apply to numeric "
                     "descriptors and endpoints only"}));
}

TEST(ReadSchema, FileLevelProblems) {
  TempDir dir;
  Diagnostics diag;
  const auto missing = dir.path("none.toml");
  read_schema(missing, diag);
  const auto empty = dir.write("empty.toml", "# nothing yet\n");
  read_schema(empty, diag);
  const auto stray = dir.write("stray.toml", "version = 2\ncolumn = 5\n");
  read_schema(stray, diag);
  const auto no_endpoint = dir.write("ne.toml", "[[column]]\nname = \"a\"\nrole = \"descriptor\"\n");
  read_schema(no_endpoint, diag);
  EXPECT_EQ(messages(diag),
            (Strings{missing + ": cannot open file (No such file or directory)",
                     empty + ": no [[column]] tables; expected one [[column]] table per CSV column",
                     stray + ":1:1: unknown key \"version\"; expected [[column]] and [[derived]] tables only",
                     stray + ":2:10: \"column\" is an integer; expected [[column]] tables",
                     no_endpoint + ": no endpoint column; expected at least one [[column]] with role = \"endpoint\""}));
}

TEST(SchemaAllEndpoints, MakesEveryHeaderColumnANumericEndpoint) {
  CsvDocument doc;
  doc.file = "cells.csv";
  doc.header.line = 2;
  doc.header.fields = {{"a", 1}, {"b", 3}};
  const Schema schema = schema_all_endpoints(doc);
  EXPECT_EQ(schema.source, "");
  ASSERT_EQ(schema.columns.size(), 2u);
  for (const auto& column : schema.columns) {
    EXPECT_EQ(column.role, Role::Endpoint);
    EXPECT_EQ(column.kind, ValueKind::Numeric);
    EXPECT_FALSE(column.min || column.max);
  }
  EXPECT_EQ(schema.columns[1].name, "b");
  EXPECT_EQ(schema.columns[1].where.file, "cells.csv");
  EXPECT_EQ(schema.columns[1].where.line, 2);
  EXPECT_EQ(schema.columns[1].where.column, 3);
}

TEST(SchemaNames, RoundTripTheFileSpelling) {
  EXPECT_STREQ(to_string(Role::Id), "id");
  EXPECT_STREQ(to_string(Role::Descriptor), "descriptor");
  EXPECT_STREQ(to_string(Role::Endpoint), "endpoint");
  EXPECT_STREQ(to_string(Role::Ignore), "ignore");
  EXPECT_STREQ(to_string(ValueKind::Numeric), "numeric");
  EXPECT_STREQ(to_string(ValueKind::Categorical), "categorical");
}

}  // namespace
}  // namespace elec::data
