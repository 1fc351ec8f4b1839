#pragma once
// Gradient-boosted regression trees, the paper's XGBoost baseline, through XGBoost's C API (Debian libxgboost-dev,
// Spack xgboost). The settings default to those of XGBoost 1.7's scikit-learn XGBRegressor, so a fit here gives
// the model `xgboost.XGBRegressor(tree_method="exact", n_jobs=1).fit(x, y)` gives in Python.
//
// Deterministic: exact greedy split search with no row or column sampling uses no random numbers at all, and one
// XGBoost thread per model fixes the order of its floating-point sums. With more threads XGBoost reduces the
// per-node gradient sums over threads and promises no particular bits (in tries with 1.7.4 they happened to agree);
// the caller runs many fits in parallel instead. The seed only matters when subsample < 1.
//
// XGBoost works in float32: x and y are rounded to float on the way in and predictions widened to double on the
// way out. NaN in x means "not measured" (XGBoost learns which branch such rows take); y must be finite. The
// booster lives in memory only; copying a model serialises the booster into a buffer and reads it back.
#include <cstdint>
#include <string>

#include "elec/eval/regressor.hpp"

namespace elec::eval {

// XGBoost 1.7's XGBRegressor defaults, under their XGBoost parameter names.
struct GradientBoostingOptions {
  int rounds = 100;               // n_estimators: boosting rounds, one tree each
  double learning_rate = 0.3;     // eta: shrinkage of each tree's contribution
  int max_depth = 6;              // deepest split level of a tree
  double min_child_weight = 1.0;  // least hessian sum in a leaf (for squared error, least rows)
  double subsample = 1.0;         // fraction of rows each tree is grown on, drawn afresh per tree from the seed
  double lambda = 1.0;            // reg_lambda: L2 penalty on leaf weights
};

namespace detail {

// Owner of an XGBoost BoosterHandle (a void*, kept so here to keep xgboost/c_api.h out of this header): frees it
// on destruction; a copy is an independent booster read back from the original's serialised state.
class OwnedBooster {
 public:
  OwnedBooster() = default;
  explicit OwnedBooster(void* handle) : handle_(handle) {}
  OwnedBooster(const OwnedBooster& other);
  OwnedBooster(OwnedBooster&& other) noexcept : handle_(other.handle_) { other.handle_ = nullptr; }
  OwnedBooster& operator=(OwnedBooster other) noexcept;  // copy-and-swap covers copy and move assignment
  ~OwnedBooster();

  void* get() const { return handle_; }
  explicit operator bool() const { return handle_ != nullptr; }

 private:
  void* handle_ = nullptr;
};

}  // namespace detail

class GradientBoosting final : public Regressor {
 public:
  // Throws std::invalid_argument when rounds or max_depth < 1, learning_rate <= 0, subsample outside (0, 1], or
  // min_child_weight or lambda < 0.
  explicit GradientBoosting(GradientBoostingOptions options = {});

  std::string name() const override { return "gradient_boosting"; }
  bool has_uncertainty() const override { return false; }

  // Throws std::invalid_argument when x has no rows or columns, y's size differs from x's rows, or y is not
  // finite; std::runtime_error (with XGBoost's message) when XGBoost fails. A failed fit keeps the previous model.
  void fit(const Matrix& x, const Vector& y, std::uint64_t seed) override;

  // Throws std::logic_error before the first fit and std::invalid_argument when x's columns differ from the
  // training data's. The prediction's std is empty.
  RegressorPrediction predict(const Matrix& x) const override;

  const GradientBoostingOptions& options() const { return options_; }
  bool fitted() const { return static_cast<bool>(booster_); }

 private:
  GradientBoostingOptions options_;
  detail::OwnedBooster booster_;  // empty until the first successful fit
  Eigen::Index features_ = 0;     // columns of the training data
};

}  // namespace elec::eval
