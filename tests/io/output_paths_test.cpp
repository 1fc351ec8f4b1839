#include "elec/io/output_paths.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "../support/temp_dir.hpp"

namespace elec::io {
namespace {

namespace fs = std::filesystem;
using test_support::messages;
using test_support::Strings;
using test_support::TempDir;

Strings check(const std::vector<NamedPath>& outputs, const std::vector<NamedPath>& inputs) {
  data::Diagnostics problems;
  check_output_paths(outputs, inputs, problems);
  return messages(problems);
}

std::string same_as_input(const std::string& out, const std::string& option, const std::string& in_option,
                          const std::string& in) {
  return out + ": " + option + " is the same file as the input " + in_option + " (" + in +
         "); expected an output path that is not an input (it would be overwritten)";
}

TEST(CheckOutputPaths, FinePathsHaveNoProblem) {
  TempDir dir;
  const std::string table = dir.write("cells.csv", "id,x\n");
  dir.write("model.h5", "an earlier run's output");  // replacing an earlier output is what outputs do
  EXPECT_EQ(check({{dir.path("model.h5"), "--out"}, {dir.path("summary.csv"), "--summary"}},
                  {{table, "--data"}, {dir.path("missing.toml"), "--config"}, {"", "--schema"}}),
            Strings{});
}

TEST(CheckOutputPaths, OutputThatIsAnInputIsRefused) {
  TempDir dir;
  const std::string table = dir.write("cells.csv", "id,x\n");
  const std::string schema = dir.write("schema.toml", "");
  EXPECT_EQ(check({{table, "OUT"}}, {{schema, "--schema"}, {table, "IN"}}),
            Strings{same_as_input(table, "OUT", "IN", table)});
}

TEST(CheckOutputPaths, AnotherSpellingOfAnInputIsTheSameFile) {
  TempDir dir;
  const std::string table = dir.write("cells.csv", "id,x\n");
  fs::create_directories(dir.path("sub"));
  const std::string dotted = dir.path("sub/.././cells.csv");
  EXPECT_EQ(check({{dotted, "--out"}}, {{table, "--data"}}), Strings{same_as_input(dotted, "--out", "--data", table)});
}

TEST(CheckOutputPaths, ASymlinkToAnInputIsTheSameFile) {
  TempDir dir;
  const std::string table = dir.write("cells.csv", "id,x\n");
  const std::string link = dir.path("link.csv");
  fs::create_symlink(table, link);
  EXPECT_EQ(check({{link, "--out"}}, {{table, "--data"}}), Strings{same_as_input(link, "--out", "--data", table)});
  // And the other way round: the input named through the link.
  EXPECT_EQ(check({{table, "--out"}}, {{link, "--data"}}), Strings{same_as_input(table, "--out", "--data", link)});
}

TEST(CheckOutputPaths, AHardLinkToAnInputIsTheSameFile) {
  TempDir dir;
  const std::string table = dir.write("cells.csv", "id,x\n");
  const std::string hard = dir.path("hard.csv");
  fs::create_hard_link(table, hard);
  EXPECT_EQ(check({{hard, "--out"}}, {{table, "--data"}}), Strings{same_as_input(hard, "--out", "--data", table)});
}

TEST(CheckOutputPaths, AnOutputInAMissingDirectoryIsRefused) {
  TempDir dir;
  const std::string out = dir.path("no_such_dir/model.h5");
  EXPECT_EQ(check({{out, "--out"}}, {}),
            Strings{out + ": --out cannot be written: directory '" + dir.path("no_such_dir") +
                    "' does not exist; expected an existing, writable directory"});
}

TEST(CheckOutputPaths, AnOutputUnderAFileIsRefused) {
  TempDir dir;
  const std::string file = dir.write("plain.txt", "x");
  const std::string out = dir.path("plain.txt/model.h5");
  EXPECT_EQ(check({{out, "--out"}}, {}), Strings{out + ": --out cannot be written: '" + file +
                                                 "' is not a directory; expected an existing, writable directory"});
}

TEST(CheckOutputPaths, AnOutputThatIsADirectoryIsRefused) {
  TempDir dir;
  fs::create_directories(dir.path("results"));
  const std::string out = dir.path("results");
  EXPECT_EQ(check({{out, "--out"}}, {}), Strings{out + ": --out is a directory; expected a file path"});
}

TEST(CheckOutputPaths, TwoOutputsOnTheSamePathAreRefused) {
  TempDir dir;
  const std::string a = dir.path("model.h5");
  EXPECT_EQ(check({{a, "--out"}, {a, "--journal"}}, {}),
            Strings{a + ": --journal is the same file as --out; expected a distinct path for each output"});
  // Spelled differently, and not existing yet.
  const std::string b = dir.path("./sub/../model.h5");
  fs::create_directories(dir.path("sub"));
  EXPECT_EQ(check({{a, "--out"}, {dir.path("other.h5"), "--summary"}, {b, "--journal"}}, {}),
            Strings{b + ": --journal is the same file as --out; expected a distinct path for each output"});
}

TEST(CheckOutputPaths, AnEmptyPathIsRefusedNamingTheOption) {
  TempDir dir;
  const Strings found = check({{"", "--out"}, {dir.path("fine.h5"), "--summary"}}, {});
  EXPECT_EQ(found, Strings{"--out: empty path; expected a file to write"});
}

TEST(CheckOutputPaths, EveryProblemIsReported) {
  TempDir dir;
  const std::string table = dir.write("cells.csv", "id,x\n");
  fs::create_directories(dir.path("results"));
  data::Diagnostics problems;
  check_output_paths({{table, "OUT"}, {dir.path("results"), "--summary"}, {"", "--journal"}}, {{table, "IN"}},
                     problems);
  ASSERT_EQ(problems.size(), 3u) << problems.format();
  EXPECT_EQ(problems.problems()[0].where.file, table);
  EXPECT_EQ(problems.problems()[1].where.file, dir.path("results"));
  EXPECT_EQ(problems.problems()[2].where.file, "--journal");
  for (const auto& p : problems.problems()) {
    EXPECT_EQ(p.where.line, 0);
    EXPECT_EQ(p.where.column, 0);
  }
}

}  // namespace
}  // namespace elec::io
