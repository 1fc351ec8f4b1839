#include "elec/cli/reporter.hpp"

#include <gtest/gtest.h>

#include <string>

namespace elec::cli {
namespace {

// The selection line of train and cv: the chosen schedule with its held-out RMSE, how many columns took each
// (L2, input penalty) candidate and each input dropout, and what was scored.
TEST(DescribeSelection, CountsTheColumnsOfEachChoicePerTarget) {
  model::ScheduleSelection s;
  s.held_out_cells = 4;
  s.draws = 1;
  s.members = 8;
  s.initial = {{100, 0, 0.9, {1.0, 4.0}}};
  s.passes = {{100, 0, 0.9, {1.0, 4.0}}, {100, 1, 0.8, {2.0, 3.0}}, {100, 2, 0.7, {3.0, 1.0}}};
  s.chosen = model::Schedule::plain(100, 2, 25);
  const std::string plain = describe_selection(s);
  EXPECT_NE(plain.find("schedule: 100 initial epochs (held-out RMSE 0.9000 std units, best of 1 checkpoints up to "
                       "100), 2 passes of 25 epochs (RMSE 0.7000); scored on 4 held-out cells (1 draw) with 8 members"),
            std::string::npos)
      << plain;
  s.l2_candidates = {1e-3, 1e-2, 1e-3, 1e-2};
  s.input_penalty_candidates = {0.0, 0.0, 3e-2, 3e-2};
  s.chosen.l2_by_endpoint = {1e-2, 1e-3};
  s.chosen.input_penalty_by_endpoint = {0.0, 3e-2};
  s.input_dropout_candidates = {0.5, 0.0};
  s.chosen.input_dropout_by_endpoint = {0.0, 0.0};
  const std::string per_target = describe_selection(s);
  EXPECT_NE(per_target.find(", L2 per target: 1.00e-02 (1 columns) 1.00e-03 + input 3.00e-02 (1 columns), input "
                            "dropout per target: 0.00 (2 columns);"),
            std::string::npos)
      << per_target;
}

}  // namespace
}  // namespace elec::cli
