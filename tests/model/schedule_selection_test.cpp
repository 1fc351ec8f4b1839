#include "elec/model/schedule_selection.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace elec::model {
namespace {

// 40 rows x 3 endpoints, the third measured on every other row only.
Matrix table() {
  Matrix m(40, 3);
  for (Eigen::Index i = 0; i < 40; ++i) m.row(i) << i, 2.0 * i, i % 2 ? std::nan("") : 3.0 * i;
  return m;
}

TEST(ChooseHeldOut, CellsAreHiddenOneByOneAndReproducibly) {
  const Matrix m = table();
  const HeldOut a = choose_held_out(m, 0.3, 7, 0), b = choose_held_out(m, 0.3, 7, 0);
  ASSERT_EQ(a.cells.size(), b.cells.size());
  ASSERT_GT(a.cells.size(), 10u);
  std::map<Eigen::Index, int> per_row;
  for (std::size_t k = 0; k < a.cells.size(); ++k) {
    EXPECT_EQ(a.cells[k].row, b.cells[k].row);
    EXPECT_EQ(a.truth[k], m(a.cells[k].row, a.cells[k].endpoint));
    ++per_row[a.cells[k].row];
  }
  // Single cells: some rows keep part of their measured values (the imputation view).
  bool partial = false;
  for (const auto& [row, count] : per_row) partial |= count < (row % 2 ? 2 : 3);
  EXPECT_TRUE(partial);
  EXPECT_NE(choose_held_out(m, 0.3, 7, 1).truth, a.truth);  // another draw, other cells
}

// One descriptor per row, all different: every row its own recipe.
Matrix distinct_recipes(Eigen::Index rows) {
  Matrix d(rows, 1);
  for (Eigen::Index i = 0; i < rows; ++i) d(i, 0) = static_cast<double>(i);
  return d;
}

TEST(ChooseHeldOut, WholeRowsHideEveryMeasuredValueOfTheirRow) {
  const Matrix m = table(), recipes = distinct_recipes(40);
  const HeldOut held = choose_held_out(m, 0.25, 7, 0, &recipes);
  std::map<Eigen::Index, int> per_row;
  for (const auto& cell : held.cells) ++per_row[cell.row];
  ASSERT_GE(per_row.size(), 4u);
  for (const auto& [row, count] : per_row) EXPECT_EQ(count, row % 2 ? 2 : 3) << "row " << row;
}

TEST(ChooseHeldOut, WholeRowsNeverTakeAColumnsLastValue) {
  Matrix m = Matrix::Constant(6, 2, 1.0);
  for (Eigen::Index i = 1; i < 6; ++i) m(i, 1) = std::nan("");  // column 1 measured on row 0 only
  const Matrix recipes = distinct_recipes(6);
  for (std::uint64_t draw = 0; draw < 20; ++draw)
    for (const auto& cell : choose_held_out(m, 0.9, 3, draw, &recipes).cells) EXPECT_NE(cell.row, 0);
}

TEST(ChooseHeldOut, ReplicatesOfARecipeAreHiddenTogether) {
  // 40 rows, 10 recipes of 4 replicates each (rows i, i+10, i+20, i+30 share descriptors).
  const Matrix m = table();
  Matrix recipes(40, 2);
  for (Eigen::Index i = 0; i < 40; ++i) recipes.row(i) << i % 10, 0.5 * static_cast<double>(i % 10);
  std::size_t hidden = 0;
  for (std::uint64_t draw = 0; draw < 5; ++draw) {
    const HeldOut held = choose_held_out(m, 0.3, 7, draw, &recipes);
    hidden += held.cells.size();
    std::set<Eigen::Index> rows;
    for (const auto& cell : held.cells) rows.insert(cell.row);
    for (const Eigen::Index row : rows)
      for (Eigen::Index twin = row % 10; twin < 40; twin += 10)
        EXPECT_TRUE(rows.count(twin)) << row << " without " << twin;
  }
  EXPECT_GT(hidden, 0u);
}

// Three endpoints; endpoints 1 and 2 are one target (a curve's points). Two checkpoints, two L2 candidates.
ValidationPoint point(int epochs, std::vector<double> squared_error) {
  return {epochs, 0, 0.0, std::move(squared_error)};
}

int best_epochs(const std::vector<ValidationPoint>& curve) {
  return std::min_element(curve.begin(), curve.end(), [](auto& a, auto& b) { return a.rmse < b.rmse; })->epochs;
}

TEST(ChoosePenaltiesPerTarget, EachTargetTakesItsBestPenaltyAtTheBestCheckpoint) {
  const std::vector<std::vector<ValidationPoint>> runs = {
      {point(25, {4.0, 1.0, 1.0}), point(50, {3.0, 0.5, 0.5})},   // weak penalty: best for the curve
      {point(25, {2.0, 2.0, 2.0}), point(50, {1.0, 3.0, 3.0})}};  // strong penalty: best for endpoint 0
  std::vector<std::size_t> chosen;
  const auto combined = choose_penalties_per_target(runs, {0, 1, 1}, 10, chosen);
  ASSERT_EQ(combined.size(), 2u);
  // At 25 epochs: 2 + 2 = 4; at 50: 1 + 1 = 2 (pooled RMSE sqrt(2 / 10)).
  EXPECT_DOUBLE_EQ(combined[0].rmse, std::sqrt(4.0 / 10.0));
  EXPECT_DOUBLE_EQ(combined[1].rmse, std::sqrt(2.0 / 10.0));
  EXPECT_EQ(chosen, (std::vector<std::size_t>{1, 0, 0}));
  EXPECT_EQ(combined[1].squared_error, (std::vector<double>{1.0, 0.5, 0.5}));
}

TEST(ChoosePenaltiesPerTarget, TiesKeepTheFirstCandidateAndTheEarliestCheckpoint) {
  const std::vector<std::vector<ValidationPoint>> runs = {{point(25, {1.0}), point(50, {1.0})},
                                                          {point(25, {1.0}), point(50, {1.0})}};
  std::vector<std::size_t> chosen;
  const auto tied = choose_penalties_per_target(runs, {0}, 4, chosen);
  EXPECT_EQ(chosen, std::vector<std::size_t>{0});
  EXPECT_EQ(best_epochs(tied), 25);
  // With one candidate it is the plain choice of run A (pooled RMSE), whatever the grouping.
  const auto single = choose_penalties_per_target({{point(25, {2.0, 2.0}), point(50, {1.0, 2.0})}}, {0, 1}, 4, chosen);
  EXPECT_DOUBLE_EQ(single[1].rmse, std::sqrt(3.0 / 4.0));
  EXPECT_EQ(chosen, (std::vector<std::size_t>{0, 0}));
}

}  // namespace
}  // namespace elec::model
