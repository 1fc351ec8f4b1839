#include "elec/cli/reporter.hpp"

#include <gtest/gtest.h>

#include <string>

namespace elec::cli {
namespace {

// Endpoint 0 best after no pass, endpoint 1 after two: the summary counts the columns per pass count and gives the
// held-out RMSE of the counts together (each endpoint's squared error after its own passes).
TEST(DescribeSelection, ListsThePassCountsPerTargetWithWhatTheyScoreTogether) {
  model::ScheduleSelection s;
  s.held_out_cells = 4;
  s.draws = 1;
  s.members = 8;
  s.initial = {{100, 0, 0.9, {1.0, 4.0}}};
  s.passes = {{100, 0, 0.9, {1.0, 4.0}}, {100, 1, 0.8, {2.0, 3.0}}, {100, 2, 0.7, {3.0, 1.0}}};
  s.chosen = model::Schedule::plain(100, 2, 25);
  s.chosen.passes_by_endpoint = {0, 2};
  const std::string text = describe_selection(s);
  EXPECT_NE(text.find("2 passes of 25 epochs (RMSE 0.7000)"), std::string::npos) << text;
  EXPECT_NE(text.find("passes per target (RMSE 0.7071): 0 (1 columns) 2 (1 columns);"), std::string::npos) << text;
  s.chosen.passes_by_endpoint.clear();
  EXPECT_EQ(describe_selection(s).find("passes per target"), std::string::npos);
}

}  // namespace
}  // namespace elec::cli
