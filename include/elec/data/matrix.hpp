#pragma once
// One dense type for tables everywhere: row-major, so a row (a cell) is contiguous and HDF5 layouts match.
#include <Eigen/Dense>

namespace elec {
using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vector = Eigen::VectorXd;
}  // namespace elec
