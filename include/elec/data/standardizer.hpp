#pragma once
// Column standardisation fitted on observed (non-NaN) values only, so blanks do not drag the statistics.
#include <vector>

#include "elec/data/matrix.hpp"

namespace elec::data {

struct Standardizer {
  Vector mean;   // per column
  Vector scale;  // per column population std; 1 where a column is constant or has one value

  static Standardizer fit(const Matrix& values);
  Matrix apply(const Matrix& values) const;           // (x - mean) / scale; NaN stays NaN
  Matrix restore(const Matrix& standardised) const;   // x * scale + mean
  Matrix restore_spread(const Matrix& spread) const;  // x * scale (for standard deviations)
  // restore() in place on values stored with the column index running fastest (e.g. members x rows x columns).
  void restore_in_place(std::vector<double>& values) const;
};

}  // namespace elec::data
