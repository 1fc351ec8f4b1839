#pragma once
// Scores of predictions against measurements, over the cells a mask marks (1 = scored).
#include <vector>

#include "elec/data/matrix.hpp"

namespace elec::eval {

struct ColumnScore {
  double r_squared = 0.0;  // 1 - SS_res / SS_tot; NaN when fewer than two scored cells or no variance
  double rmse = 0.0;
  int cells = 0;
};

std::vector<ColumnScore> score_columns(const Matrix& predicted, const Matrix& measured, const Matrix& mask);
double median_r_squared(const std::vector<ColumnScore>& scores);  // over columns with a defined R^2
// The median of the values that are not NaN (the mean of the two middle ones for an even count); NaN when none.
double median(std::vector<double> values);

}  // namespace elec::eval
