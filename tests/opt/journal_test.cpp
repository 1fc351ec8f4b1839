#include "elec/opt/journal.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "../support/temp_dir.hpp"
#include "elec/data/csv.hpp"

namespace elec::opt {
namespace {

using test_support::messages;
using test_support::Strings;
using test_support::TempDir;

const std::string kStudy = "0123456789abcdef";

SearchSpace space() {
  return SearchSpace({Parameter::floating("learning_rate", 1e-4, 1e-1, true), Parameter::integer("hidden", 2, 16),
                      Parameter::categorical("activation", {"tanh", "relu, leaky"})});
}

std::vector<JournalEntry> entries() {
  return {{0, 0.8125, 12.5, {0.01, 4, 0}},
          {1, -0.25, 3.0, {1e-4, 16, 1}},
          {2, std::nan(""), 0.75, {0.0123456789, 2, 0}},  // a failed trial
          {3, 0.1 + 0.2, 100.0, {0.1, 9, 1}}};
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
void write_text(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::string write_journal(const TempDir& dir, const std::vector<JournalEntry>& list,
                          const std::string& study = kStudy) {
  const std::string path = dir.path("journal.csv");
  for (const auto& e : list) append_to_journal(path, {space(), {}, study}, e);
  return path;
}

// The lines of a text, each without its newline.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    out.push_back(text.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}
std::string joined_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

void expect_same(const JournalEntry& found, const JournalEntry& expected) {
  EXPECT_EQ(found.number, expected.number);
  if (std::isnan(expected.value))
    EXPECT_TRUE(std::isnan(found.value)) << found.value;
  else
    EXPECT_EQ(found.value, expected.value);  // bit for bit: the shortest round-trip text
  EXPECT_EQ(found.seconds, expected.seconds);
  EXPECT_EQ(found.point, expected.point);
}

void expect_entries(const std::vector<JournalEntry>& found, const std::vector<JournalEntry>& expected) {
  ASSERT_EQ(found.size(), expected.size());
  for (std::size_t k = 0; k < found.size(); ++k) {
    SCOPED_TRACE("entry " + std::to_string(k));
    expect_same(found[k], expected[k]);
  }
}

JournalContents read(const std::string& path, data::Diagnostics& diag, const std::string& study = kStudy) {
  return read_journal(path, {space(), {}, study}, diag);
}

TEST(Journal, AppendedEntriesReadBack) {
  TempDir dir;
  const std::string path = write_journal(dir, entries());
  const auto lines = lines_of(read_text(path));
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0], "trial,value,seconds,learning_rate,hidden,activation,study,checksum");
  EXPECT_EQ(lines[1].rfind("0,0.8125,12.5,0.01,4,tanh," + kStudy + ",", 0), 0u) << lines[1];
  EXPECT_EQ(lines[2].rfind("1,-0.25,3," + data::format_number(1e-4) + ",16,\"relu, leaky\"," + kStudy + ",", 0), 0u)
      << lines[2];
  EXPECT_EQ(lines[3].rfind("2,nan,0.75,", 0), 0u) << lines[3];
  data::Diagnostics diag;
  const JournalContents back = read(path, diag);
  EXPECT_TRUE(diag.empty()) << diag.format();
  EXPECT_TRUE(back.warnings.empty());
  EXPECT_FALSE(back.needs_repair);
  expect_entries(back.entries, entries());
}

TEST(Journal, AMissingJournalIsAProblem) {
  TempDir dir;
  data::Diagnostics diag;
  const JournalContents back = read(dir.path("absent.csv"), diag);
  EXPECT_TRUE(back.entries.empty());
  ASSERT_EQ(diag.size(), 1u);
  EXPECT_EQ(diag.problems()[0].where.file, dir.path("absent.csv"));
}

TEST(Journal, AnEmptyFileHasNoEntriesAndNoProblem) {
  TempDir dir;
  const std::string path = dir.write("journal.csv", "");
  data::Diagnostics diag;
  const JournalContents back = read(path, diag);
  EXPECT_TRUE(diag.empty()) << diag.format();
  EXPECT_TRUE(back.entries.empty());
  EXPECT_TRUE(back.warnings.empty());
  EXPECT_FALSE(back.needs_repair);
  // Appending to it starts with the header.
  append_to_journal(path, {space(), {}, kStudy}, entries()[0]);
  const JournalContents appended = read(path, diag);
  EXPECT_TRUE(diag.empty()) << diag.format();
  expect_entries(appended.entries, {entries()[0]});
}

TEST(Journal, ATornLastRecordIsDroppedWithAWarning) {
  TempDir dir;
  const std::string path = write_journal(dir, entries());
  const std::string whole = read_text(path);
  const auto last_start = whole.rfind('\n', whole.size() - 2) + 1;
  write_text(path, whole.substr(0, last_start + 12));  // killed 12 bytes into the last record (line 5)
  data::Diagnostics diag;
  const JournalContents back = read(path, diag);
  EXPECT_TRUE(diag.empty()) << diag.format();
  expect_entries(back.entries, {entries()[0], entries()[1], entries()[2]});
  EXPECT_TRUE(back.needs_repair);
  ASSERT_EQ(back.warnings.size(), 1u);
  EXPECT_EQ(back.warnings[0].rfind(path + ":5: the last record is incomplete", 0), 0u) << back.warnings[0];
}

TEST(Journal, RewritingARepairedJournalReadsBackWholeAndCanBeAppendedTo) {
  TempDir dir;
  const std::string path = write_journal(dir, entries());
  const std::string whole = read_text(path);
  write_text(path, whole.substr(0, whole.size() - 7));  // torn inside the last record's checksum
  data::Diagnostics diag;
  const JournalContents torn = read(path, diag);
  ASSERT_TRUE(diag.empty()) << diag.format();
  ASSERT_TRUE(torn.needs_repair);
  rewrite_journal(path, {space(), {}, kStudy}, torn.entries);
  EXPECT_EQ(read_text(path),
            whole.substr(0, whole.rfind('\n', whole.size() - 2) + 1));  // the whole records, as written
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(std::filesystem::path(path).parent_path()),
                          std::filesystem::directory_iterator{}),
            1);  // no temporary left
  const JournalContents repaired = read(path, diag);
  EXPECT_TRUE(diag.empty()) << diag.format();
  EXPECT_TRUE(repaired.warnings.empty());
  EXPECT_FALSE(repaired.needs_repair);
  expect_entries(repaired.entries, {entries()[0], entries()[1], entries()[2]});
  append_to_journal(path, {space(), {}, kStudy}, entries()[3]);  // the dropped trial, run again
  const JournalContents resumed = read(path, diag);
  EXPECT_TRUE(diag.empty()) << diag.format();
  EXPECT_FALSE(resumed.needs_repair);
  expect_entries(resumed.entries, entries());
  EXPECT_EQ(read_text(path), whole);
}

TEST(Journal, ATornFirstRecordLeavesTheHeader) {
  TempDir dir;
  const std::string path = write_journal(dir, {entries()[0]});
  const std::string whole = read_text(path);
  write_text(path, whole.substr(0, whole.size() - 20));
  data::Diagnostics diag;
  const JournalContents back = read(path, diag);
  EXPECT_TRUE(diag.empty()) << diag.format();
  EXPECT_TRUE(back.entries.empty());
  EXPECT_TRUE(back.needs_repair);
  ASSERT_EQ(back.warnings.size(), 1u);
  EXPECT_EQ(back.warnings[0].rfind(path + ":2: the last record is incomplete", 0), 0u) << back.warnings[0];
}

TEST(Journal, ATornHeaderLeavesNoEntriesToRepair) {
  TempDir dir;
  const std::string path = dir.write("journal.csv", "trial,value,sec");
  data::Diagnostics diag;
  const JournalContents back = read(path, diag);
  EXPECT_TRUE(diag.empty()) << diag.format();
  EXPECT_TRUE(back.entries.empty());
  EXPECT_TRUE(back.needs_repair);
  rewrite_journal(path, {space(), {}, kStudy}, back.entries);
  EXPECT_EQ(read_text(path), "trial,value,seconds,learning_rate,hidden,activation,study,checksum\n");
}

TEST(Journal, ALastLineWithAWrongChecksumIsDroppedWithAWarning) {
  TempDir dir;
  const std::string path = write_journal(dir, entries());
  auto lines = lines_of(read_text(path));
  lines[4].back() = lines[4].back() == '0' ? '1' : '0';
  write_text(path, joined_lines(lines));
  data::Diagnostics diag;
  const JournalContents back = read(path, diag);
  EXPECT_TRUE(diag.empty()) << diag.format();
  expect_entries(back.entries, {entries()[0], entries()[1], entries()[2]});
  EXPECT_TRUE(back.needs_repair);
  ASSERT_EQ(back.warnings.size(), 1u);
  EXPECT_EQ(back.warnings[0].rfind(path + ":5: the last record is damaged", 0), 0u) << back.warnings[0];
}

TEST(Journal, ADamagedRecordInTheMiddleIsAProblemAtItsLineAndColumn) {
  TempDir dir;
  const std::string path = write_journal(dir, entries());
  auto lines = lines_of(read_text(path));
  ASSERT_EQ(lines[2].rfind("1,-0.25,", 0), 0u);
  lines[2].replace(0, 7, "1,-0.35");  // an edited value: the checksum no longer matches
  write_text(path, joined_lines(lines));
  const int checksum_column = static_cast<int>(lines[2].rfind(',')) + 2;
  data::Diagnostics diag;
  const JournalContents back = read(path, diag);
  ASSERT_EQ(diag.size(), 1u) << diag.format();
  EXPECT_EQ(diag.problems()[0].where.file, path);
  EXPECT_EQ(diag.problems()[0].where.line, 3);
  EXPECT_EQ(diag.problems()[0].where.column, checksum_column);
  EXPECT_NE(diag.problems()[0].message.find("does not match the record"), std::string::npos) << diag.format();
  EXPECT_FALSE(back.needs_repair);  // damage before the last record is refused, not repaired
  EXPECT_TRUE(back.warnings.empty());
}

TEST(Journal, ARaggedRecordInTheMiddleIsAProblemAtItsLine) {
  TempDir dir;
  const std::string path = write_journal(dir, entries());
  auto lines = lines_of(read_text(path));
  lines[3] = lines[3].substr(0, lines[3].find(','));  // only the trial number survives
  write_text(path, joined_lines(lines));
  data::Diagnostics diag;
  const JournalContents back = read(path, diag);
  EXPECT_EQ(messages(diag), Strings{path + ":4: expected 8 fields, found 1"});
  EXPECT_FALSE(back.needs_repair);
}

TEST(Journal, AnotherStudysJournalIsRefused) {
  TempDir dir;
  const std::string path = write_journal(dir, {entries()[0], entries()[1]}, "fedcba9876543210");
  data::Diagnostics diag;
  const JournalContents back = read(path, diag);
  EXPECT_TRUE(back.entries.empty());
  ASSERT_EQ(diag.size(), 2u) << diag.format();
  const auto lines = lines_of(read_text(path));
  for (int k = 0; k < 2; ++k) {
    const auto study_column = static_cast<int>(lines[static_cast<std::size_t>(k) + 1].find(",fedcba9876543210")) + 2;
    const auto& p = diag.problems()[static_cast<std::size_t>(k)];
    EXPECT_EQ(p.where.file, path);
    EXPECT_EQ(p.where.line, k + 2);
    EXPECT_EQ(p.where.column, study_column);
    EXPECT_NE(p.message.find("another study"), std::string::npos) << p.message;
    EXPECT_NE(p.message.find("fedcba9876543210"), std::string::npos) << p.message;
    EXPECT_NE(p.message.find(kStudy), std::string::npos) << p.message;
  }
  EXPECT_FALSE(back.needs_repair);
}

TEST(Journal, ThePreviousFormatIsRefusedAtLineOne) {
  TempDir dir;
  const std::string path = dir.write("journal.csv",
                                     "trial,value,seconds,learning_rate,hidden,activation\n"
                                     "0,0.8125,12.5,0.01,4,tanh\n"
                                     "1,-0.25,3,0.0001,16,\"relu, leaky\"\n");
  data::Diagnostics diag;
  const JournalContents back = read(path, diag);
  EXPECT_TRUE(back.entries.empty());
  ASSERT_EQ(diag.size(), 1u) << diag.format();
  EXPECT_EQ(diag.problems()[0].where.file, path);
  EXPECT_EQ(diag.problems()[0].where.line, 1);
  EXPECT_EQ(diag.problems()[0].where.column, 1);
  EXPECT_NE(diag.problems()[0].message.find("the journal's columns are not this study's"), std::string::npos)
      << diag.format();
}

TEST(Journal, ARepeatedTrialIsAProblem) {
  TempDir dir;
  const std::string path = write_journal(dir, {entries()[0], entries()[1], entries()[0]});
  data::Diagnostics diag;
  const JournalContents back = read(path, diag);
  EXPECT_EQ(messages(diag), Strings{path + ":4:1: trial 0 appears twice; expected each trial once"});
  expect_entries(back.entries, {entries()[0], entries()[1]});
}

TEST(Journal, ExtraQuantitiesAreRecordedAndReadBackInTheirColumns) {
  TempDir dir;
  const std::string path = dir.path("design_journal.csv");
  const JournalLayout layout{space(), {"p_joint", "feasible"}, kStudy};
  const std::vector<JournalEntry> list = {{0, 0.5, 1.0, {0.01, 4, 0}, {0.5, 1.0}},
                                          {1, 0.0, 1.0, {0.02, 5, 1}, {std::nan(""), 0.0}}};
  for (const auto& e : list) append_to_journal(path, layout, e);
  EXPECT_EQ(lines_of(read_text(path))[0],
            "trial,value,seconds,learning_rate,hidden,activation,p_joint,feasible,study,checksum");
  data::Diagnostics diag;
  const JournalContents back = read_journal(path, layout, diag);
  EXPECT_TRUE(diag.empty()) << diag.format();
  ASSERT_EQ(back.entries.size(), 2u);
  EXPECT_EQ(back.entries[0].extras, (std::vector<double>{0.5, 1.0}));
  EXPECT_TRUE(std::isnan(back.entries[1].extras[0]));
  // A journal without the extra columns is another study's layout.
  data::Diagnostics other;
  read_journal(path, {space(), {"p_joint"}, kStudy}, other);
  EXPECT_EQ(other.size(), 1u);
  EXPECT_THROW(append_to_journal(path, layout, {2, 0.0, 1.0, {0.01, 4, 0}, {0.5}}), std::invalid_argument);
}

}  // namespace
}  // namespace elec::opt
