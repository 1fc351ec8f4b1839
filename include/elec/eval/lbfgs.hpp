#pragma once
// A small bound-constrained quasi-Newton minimiser: projected L-BFGS with an Armijo backtracking search along
// the projected path. It stands in for SciPy's L-BFGS-B, which scikit-learn uses to fit Gaussian-process
// hyperparameters, so the GP baseline can find the same optima without a Fortran dependency. Each iteration:
//   1. the variables held at a bound by a gradient pointing outwards are fixed for this step;
//   2. the two-loop recursion turns the gradient of the free variables into a quasi-Newton direction
//      (steepest descent when the memory is empty or the direction does not descend);
//   3. the step is shortened until x(a) = clamp(x + a d) decreases f enough (Armijo on the projected step);
//   4. the free part of (step, gradient change) joins the memory when its curvature is positive.
// It stops when the projected gradient or the relative decrease of f is below tolerance (SciPy's defaults),
// or after max_iterations. It is deterministic: the same inputs give the same bits.
#include <functional>

#include "elec/data/matrix.hpp"

namespace elec::eval {

struct LbfgsOptions {
  int max_iterations = 1000;
  int memory = 10;                   // stored curvature pairs (SciPy's m)
  double gradient_tolerance = 1e-5;  // on the largest projected-gradient component (SciPy's pgtol)
  double relative_decrease_tolerance = 2.220446049250313e-9;  // (f_k - f_k+1) / max(|f_k|, |f_k+1|, 1), SciPy's ftol
};

struct LbfgsResult {
  Vector x;
  double value = 0.0;
  int iterations = 0;
  int evaluations = 0;
  bool converged = false;  // a tolerance was met (false: iteration cap, failed line search or non-finite start)
};

// f(x) returning the value and writing the gradient into its second argument (already sized like x). A value
// of +inf (or NaN) marks x as infeasible: the line search backs away from it.
using Objective = std::function<double(const Vector& x, Vector& gradient)>;

// Minimises f over lower <= x <= upper from `start` (clamped into the box first). Throws std::invalid_argument
// when the sizes differ, a lower bound exceeds its upper bound, or the options are not positive.
LbfgsResult minimise_within_bounds(const Objective& f, const Vector& start, const Vector& lower, const Vector& upper,
                                   const LbfgsOptions& options = {});

// The largest component of the projected gradient, |clamp(x - g) - x|: zero exactly at a bound-constrained
// stationary point, so it measures convergence where the plain gradient cannot.
double projected_gradient_norm(const Vector& x, const Vector& gradient, const Vector& lower, const Vector& upper);

}  // namespace elec::eval
