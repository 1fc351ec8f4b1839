#include "elec/data/diagnostics.hpp"

#include <gtest/gtest.h>

#include <string>

#include "elec/data/source_text.hpp"

namespace elec::data {
namespace {

// The message's text after "file:line:col: ".
std::string message_of(const Diagnostics& diag, std::size_t k = 0) { return diag.problems().at(k).message; }

std::size_t count_lines(const std::string& text) {
  std::size_t n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

TEST(Diagnostics, FormatsFileLineAndColumn) {
  Diagnostics diag;
  diag.add({"cells.csv", 3, 7}, "\"x\"; expected a number");
  diag.add({"cells.csv", 4, 0}, "expected 2 fields, found 3");
  diag.add({"cells.csv", 0, 0}, "empty file");
  EXPECT_EQ(diag.format(),
            "cells.csv:3:7: \"x\"; expected a number\ncells.csv:4: expected 2 fields, found 3\n"
            "cells.csv: empty file\n");
}

TEST(Diagnostics, AHugeMessageKeepsItsHeadAndTail) {
  const std::string head = "value \"" + std::string(233, 'h');  // 240 characters
  const std::string middle(10 * 1024 * 1024, 'm');
  const std::string tail = std::string(100, 't') + "\"; expected a number";  // 120 characters
  ASSERT_EQ(head.size(), 240u);
  ASSERT_EQ(tail.size(), 120u);
  Diagnostics diag;
  diag.add({"cells.csv", 2, 5}, head + middle + tail);
  const std::string shown = message_of(diag);
  EXPECT_LT(shown.size(), 500u);
  EXPECT_EQ(shown, head + " [... " + std::to_string(middle.size()) + " characters omitted ...] " + tail);
  EXPECT_EQ(diag.problems()[0].where.line, 2);
  EXPECT_EQ(diag.problems()[0].where.column, 5);
  // and what is thrown is short too
  try {
    diag.throw_if_any();
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_LT(std::string(e.what()).size(), 600u);
    EXPECT_NE(std::string(e.what()).find("characters omitted"), std::string::npos);
  }
}

TEST(Diagnostics, AMessageJustUnderTheLimitIsKeptWhole) {
  const std::string message(240 + 120 + 64, 'x');
  Diagnostics diag;
  diag.add({"f", 1, 1}, message);
  EXPECT_EQ(message_of(diag), message);
  diag.add({"f", 1, 1}, message + "y");
  EXPECT_NE(message_of(diag, 1), message + "y");
  EXPECT_NE(message_of(diag, 1).find("characters omitted"), std::string::npos);
  EXPECT_EQ(message_of(diag, 1).back(), 'y');
}

TEST(Diagnostics, ShorteningKeepsTheMessageValidUtf8) {
  for (const std::string lead : {"", "a", "ab"}) {  // shift the cut points across character boundaries
    std::string message = lead;
    for (int k = 0; k < 200000; ++k) message += "\xC3\xA9\xE2\x82\xAC";  // "é€"
    Diagnostics diag;
    diag.add({"f", 1, 1}, message);
    const std::string shown = message_of(diag);
    EXPECT_LT(shown.size(), 500u) << "lead '" << lead << "'";
    Diagnostics encoding;
    EXPECT_TRUE(check_text_encoding(shown, "shown", encoding)) << "lead '" << lead << "': " << encoding.format();
  }
}

TEST(Diagnostics, AHugeFileNameIsShortenedToo) {
  const std::string file = std::string(300, 'd') + "/" + std::string(5000, 'f') + ".csv";
  Diagnostics diag;
  diag.add({file, 1, 1}, "short message");
  const std::string formatted = diag.problems()[0].format();
  EXPECT_LT(formatted.size(), 600u);
  EXPECT_NE(formatted.find("characters omitted"), std::string::npos);
  EXPECT_NE(formatted.find(".csv:1:1: short message"), std::string::npos) << formatted;
}

TEST(Diagnostics, FormatListsAtMostAHundredProblemsThenCountsTheRest) {
  Diagnostics diag;
  for (int k = 1; k <= 250; ++k) diag.add({"cells.csv", k, 1}, "problem " + std::to_string(k));
  EXPECT_EQ(diag.size(), 250u);  // every problem is kept; only the listing is cut
  const std::string text = diag.format();
  EXPECT_EQ(count_lines(text), 101u);
  EXPECT_NE(text.find("cells.csv:100:1: problem 100\n"), std::string::npos);
  EXPECT_EQ(text.find("cells.csv:101:1:"), std::string::npos);
  const std::string last = text.substr(text.rfind('\n', text.size() - 2) + 1);
  EXPECT_EQ(last, "... and 150 more problems (250 in all; the first 100 are listed)\n");
}

TEST(Diagnostics, ExactlyAHundredProblemsAreAllListed) {
  Diagnostics diag;
  for (int k = 1; k <= 100; ++k) diag.add({"cells.csv", k, 1}, "p");
  const std::string text = diag.format();
  EXPECT_EQ(count_lines(text), 100u);
  EXPECT_EQ(text.find("more problems"), std::string::npos);
  diag.add({"cells.csv", 101, 1}, "p");
  EXPECT_NE(diag.format().find("... and 1 more problems (101 in all; the first 100 are listed)\n"), std::string::npos);
}

TEST(Diagnostics, TheThrownErrorIsTheShortenedListing) {
  Diagnostics diag;
  for (int k = 1; k <= 150; ++k) diag.add({"cells.csv", k, 1}, "p");
  try {
    diag.throw_if_any();
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), diag.format());
  }
  EXPECT_NO_THROW(Diagnostics().throw_if_any());
}

TEST(Diagnostics, AppendKeepsOrderAndCount) {
  Diagnostics a, b;
  a.add({"a.csv", 1, 1}, "first");
  b.add({"b.toml", 2, 3}, "second");
  a.append(b);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a.format(), "a.csv:1:1: first\nb.toml:2:3: second\n");
}

}  // namespace
}  // namespace elec::data
