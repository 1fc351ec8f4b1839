#include "elec/model/calibration.hpp"

#include <algorithm>

namespace elec::model {

bool Calibration::reads(Readout r) const { return std::find(readout.begin(), readout.end(), r) != readout.end(); }

bool Calibration::leaves_ensemble() const {
  for (Readout r : readout)
    if (r != Readout::Ensemble) return true;
  return false;
}

Matrix calibrated_spread(const Calibration& calibration, const Matrix& spread) {
  if (calibration.empty()) return spread;
  Matrix out = spread;
  for (Eigen::Index j = 0; j < out.cols(); ++j) out.col(j) *= calibration.scale[static_cast<std::size_t>(j)];
  return out;
}

Calibration inverse(const Calibration& calibration) {
  Calibration out = calibration;
  for (double& s : out.scale) s = 1.0 / s;
  return out;
}

void stretch_members(const Calibration& calibration, const Matrix& mean, std::vector<double>& members) {
  if (calibration.empty()) return;
  const auto rows = static_cast<std::size_t>(mean.rows()), columns = static_cast<std::size_t>(mean.cols());
  for (std::size_t k = 0; k < members.size(); ++k) {
    const std::size_t column = k % columns, row = (k / columns) % rows;
    const double centre = mean(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(column));
    members[k] = centre + calibration.scale[column] * (members[k] - centre);
  }
}

}  // namespace elec::model
