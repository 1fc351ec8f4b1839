#pragma once
// L1-regularised linear regression with its penalty chosen by cross-validation, the paper's lasso baseline: the
// model scikit-learn's `make_pipeline(StandardScaler(), LassoCV(cv=5))` fits. A fit:
//   1. standardises each column of x to mean 0 and population standard deviation 1 over the training rows, and
//      drops constant columns: the descriptors mix 0/1 one-hot columns with gaps of 70-300 um, and an unscaled
//      L1 penalty would pick features by their units. (Bare LassoCV does not scale, so a comparison with
//      scikit-learn must put a StandardScaler in front of it.)
//   2. lays out the penalties to try: `alphas` values log-spaced from alpha_max = max_j |x_j . (y - mean y)| / n
//      (the least penalty at which every coefficient is 0) down to path_ratio * alpha_max, largest first;
//   3. splits the rows into `folds` contiguous folds (KFold without shuffling); on each fold's training rows,
//      centred on their own means (the intercept), walks the path from the largest penalty down, each fit
//      starting from the previous one's coefficients (warm start), and scores every penalty by the mean squared
//      error on the fold's held-out rows;
//   4. picks the penalty with the least mean error over the folds (the larger penalty on a tie);
//   5. refits all rows at that penalty from zero coefficients and converts them to the units of x.
// Each fit minimises (1/(2n)) ||y - b - X w||^2 + alpha ||w||_1 by cyclic coordinate descent, as scikit-learn's
// enet_coordinate_descent does: after a sweep whose largest coefficient change is below tolerance times the
// largest coefficient (or after the last sweep), the duality gap is computed, and the fit stops once it is below
// tolerance * ||y - mean y||^2.
//
// Deterministic and free of random numbers (cyclic updates), so the seed is unused; sums run in index order in
// plain loops, so the bits do not depend on the thread count or the vector width. Fewer rows than folds:
// leave-one-out (as many folds as rows). One row, constant y, no non-constant column or no correlation between y
// and any column: the model predicts the mean of y.
#include <cstdint>
#include <string>
#include <vector>

#include "elec/eval/regressor.hpp"

namespace elec::eval {

// scikit-learn's LassoCV defaults, under their names there in the comments.
struct LassoOptions {
  int folds = 5;             // cv
  int alphas = 100;          // n_alphas: penalties on the path
  double path_ratio = 1e-3;  // eps: smallest penalty / largest penalty
  double tolerance = 1e-4;   // tol: on the relative coefficient change, then on the duality gap
  int max_sweeps = 1000;     // max_iter: coordinate-descent sweeps over the columns per fit
};

// The penalties of step 2, largest first: 10^v for v spaced evenly from log10(path_ratio * alpha_max) up to
// log10(alpha_max), as numpy.logspace computes them. alpha_max must be > 0, count >= 1.
std::vector<double> lasso_alpha_path(double alpha_max, int count, double path_ratio);

// Row ranges [begin, end) of KFold(n_splits=folds, shuffle=False): contiguous, the first rows % folds folds one
// row longer. Needs 1 <= folds <= rows.
struct RowRange {
  Eigen::Index begin = 0, end = 0;
};
std::vector<RowRange> contiguous_folds(Eigen::Index rows, int folds);

class Lasso final : public Regressor {
 public:
  // Throws std::invalid_argument when folds < 2, alphas < 1, path_ratio outside (0, 1], tolerance <= 0 or
  // max_sweeps < 1.
  explicit Lasso(LassoOptions options = {});

  std::string name() const override { return "lasso"; }
  bool has_uncertainty() const override { return false; }

  // Throws std::invalid_argument when x has no rows or columns, y's size differs from x's rows, or x or y is not
  // finite; a failed fit keeps the previous model. The seed is unused (see the header comment).
  void fit(const Matrix& x, const Vector& y, std::uint64_t seed) override;

  // Throws std::logic_error before the first fit and std::invalid_argument when x's columns differ from the
  // training data's or x is not finite. The prediction's std is empty.
  RegressorPrediction predict(const Matrix& x) const override;

  // The penalty cross-validation chose, in the units of the standardised problem (what LassoCV's alpha_ reports
  // behind a StandardScaler); 0 when the model predicts the mean.
  double chosen_alpha() const { return chosen_alpha_; }
  // Coefficient of each column of x in the units of x and y (0 for dropped constant columns) and the intercept:
  // prediction = intercept + x . coefficients.
  const Vector& coefficients() const { return coefficients_; }
  double intercept() const { return intercept_; }

  const LassoOptions& options() const { return options_; }
  bool fitted() const { return fitted_; }

 private:
  LassoOptions options_;
  bool fitted_ = false;
  double chosen_alpha_ = 0.0;
  Vector coefficients_;
  double intercept_ = 0.0;
};

}  // namespace elec::eval
