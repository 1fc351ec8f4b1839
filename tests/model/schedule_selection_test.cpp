#include "elec/model/schedule_selection.hpp"

#include <gtest/gtest.h>

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

TEST(ChooseHeldOut, WholeRowsHideEveryMeasuredValueOfTheirRow) {
  const Matrix m = table();
  const HeldOut held = choose_held_out(m, 0.25, 7, 0, true);
  std::map<Eigen::Index, int> per_row;
  for (const auto& cell : held.cells) ++per_row[cell.row];
  ASSERT_GE(per_row.size(), 4u);
  for (const auto& [row, count] : per_row) EXPECT_EQ(count, row % 2 ? 2 : 3) << "row " << row;
}

TEST(ChooseHeldOut, WholeRowsNeverTakeAColumnsLastValue) {
  Matrix m = Matrix::Constant(6, 2, 1.0);
  for (Eigen::Index i = 1; i < 6; ++i) m(i, 1) = std::nan("");  // column 1 measured on row 0 only
  for (std::uint64_t draw = 0; draw < 20; ++draw)
    for (const auto& cell : choose_held_out(m, 0.9, 3, draw, true).cells) EXPECT_NE(cell.row, 0);
}

}  // namespace
}  // namespace elec::model
