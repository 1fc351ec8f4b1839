#pragma once
// Hiding measured cells to score an imputer on them (missing completely at random), and the score itself.
#include <cstdint>

#include "elec/data/matrix.hpp"

namespace elec::eval {

// A copy of values with each measured cell hidden (set to NaN) with probability `fraction`, reproducibly from
// the seed; `hidden` gets 1 where a cell was hidden.
Matrix hide_random_cells(const Matrix& values, double fraction, std::uint64_t seed, Matrix& hidden);

// RMSE over the hidden cells after min-max scaling each column by its measured range in `truth`.
double scaled_rmse(const Matrix& imputed, const Matrix& truth, const Matrix& hidden);

}  // namespace elec::eval
