#pragma once
// The baselines the paper compares the imputing ensemble with (lasso, random forest, gradient-boosted trees,
// Gaussian-process regression): single-output regressors that see the descriptors only, so a sparse endpoint is
// fitted on the cells where it was measured. `elec_hpc compare` fits one per (target column, fold).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "elec/data/matrix.hpp"

namespace elec::eval {

struct RegressorPrediction {
  Vector mean;  // one value per row, in the units of y
  Vector std;   // predictive standard deviation per row; size 0 when the model has no uncertainty
};

class Regressor {
 public:
  virtual ~Regressor() = default;
  virtual std::string name() const = 0;  // "lasso", "random_forest", "gradient_boosting", "gpr"
  virtual bool has_uncertainty() const = 0;
  // x: rows x features (encoded descriptors, data units; a regressor standardises what it needs itself), y: one
  // finite value per row. Deterministic: the same (x, y, seed) gives the same bits on any machine and thread count.
  virtual void fit(const Matrix& x, const Vector& y, std::uint64_t seed) = 0;
  virtual RegressorPrediction predict(const Matrix& x) const = 0;
};

}  // namespace elec::eval
