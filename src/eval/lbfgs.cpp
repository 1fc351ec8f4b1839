#include "elec/eval/lbfgs.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

namespace elec::eval {
namespace {

struct Point {
  Vector x;
  double value = 0.0;
  Vector gradient;
};

Point evaluate(const Objective& f, Vector x, int& evaluations) {
  Point p{std::move(x), 0.0, Vector::Zero(0)};
  p.gradient = Vector::Zero(p.x.size());
  p.value = f(p.x, p.gradient);
  ++evaluations;
  // NaN and -inf would defeat every comparison below; an infeasible point is simply "worse than anything".
  if (!std::isfinite(p.value)) p.value = std::numeric_limits<double>::infinity();
  return p;
}

Vector clamp_to_box(const Vector& x, const Vector& lower, const Vector& upper) {
  return x.cwiseMax(lower).cwiseMin(upper);
}

// The last few (step, gradient change) pairs, which implicitly hold an inverse-Hessian approximation.
class CurvatureMemory {
 public:
  explicit CurvatureMemory(int capacity) : capacity_(static_cast<std::size_t>(capacity)) {}

  bool empty() const { return steps_.empty(); }
  void clear() { steps_.clear(), changes_.clear(); }

  // Pairs without positive curvature would make the approximation indefinite, so they are dropped (as SciPy does).
  void add(const Vector& step, const Vector& change) {
    if (!(step.dot(change) > std::numeric_limits<double>::epsilon() * change.squaredNorm())) return;
    if (steps_.size() == capacity_) steps_.pop_front(), changes_.pop_front();
    steps_.push_back(step);
    changes_.push_back(change);
  }

  // The two-loop recursion (Nocedal & Wright, algorithm 7.4), H0 scaled by the newest pair's curvature.
  Vector apply_inverse_hessian(const Vector& q_in) const {
    Vector q = q_in;
    std::vector<double> a(steps_.size());
    for (std::size_t i = steps_.size(); i-- > 0;) {
      a[i] = steps_[i].dot(q) / steps_[i].dot(changes_[i]);
      q -= a[i] * changes_[i];
    }
    if (!empty()) q *= steps_.back().dot(changes_.back()) / changes_.back().squaredNorm();
    for (std::size_t i = 0; i < steps_.size(); ++i) {
      const double b = changes_[i].dot(q) / steps_[i].dot(changes_[i]);
      q += (a[i] - b) * steps_[i];
    }
    return q;
  }

 private:
  std::size_t capacity_;
  std::deque<Vector> steps_, changes_;
};

// 1 for variables free to move this iteration, 0 for those on a bound with the gradient pushing them outwards:
// moving those is impossible, and letting them into the recursion would spoil the direction of the others.
Vector free_variables(const Point& p, const Vector& lower, const Vector& upper) {
  Vector free = Vector::Ones(p.x.size());
  for (Eigen::Index i = 0; i < p.x.size(); ++i)
    if ((p.x[i] <= lower[i] && p.gradient[i] > 0.0) || (p.x[i] >= upper[i] && p.gradient[i] < 0.0)) free[i] = 0.0;
  return free;
}

Vector descent_direction(const CurvatureMemory& memory, const Point& p, const Vector& free) {
  const Vector g = p.gradient.cwiseProduct(free);
  Vector d = -memory.apply_inverse_hessian(g).cwiseProduct(free);
  if (!(d.dot(g) < 0.0)) d = -g;  // rounding can cost positive-definiteness; steepest descent always descends
  return d;
}

// Backtracks along the projected path x(a) = clamp(x + a d) until f decreases by at least c1 g.(x(a) - x).
// Empty when the step shrinks to nothing first (no decrease available in floating point).
std::optional<Point> projected_backtracking(const Objective& f, const Point& from, const Vector& direction,
                                            const Vector& lower, const Vector& upper, double step, int& evaluations) {
  constexpr double kSufficientDecrease = 1e-4;
  constexpr int kMaxHalvings = 60;
  for (int k = 0; k < kMaxHalvings; ++k, step *= 0.5) {
    Vector x = clamp_to_box(from.x + step * direction, lower, upper);
    if (x == from.x) return std::nullopt;
    const double predicted = from.gradient.dot(x - from.x);
    Point trial = evaluate(f, std::move(x), evaluations);
    if (trial.value < from.value && trial.value <= from.value + kSufficientDecrease * predicted) return trial;
  }
  return std::nullopt;
}

// The state carried between iterations: the objective, the box and the curvature memory.
class BoxSearch {
 public:
  BoxSearch(const Objective& f, const Vector& lower, const Vector& upper, int memory)
      : f_(f), lower_(lower), upper_(upper), memory_(memory) {}

  // The next accepted point, or empty when not even steepest descent finds a decrease.
  std::optional<Point> advance(const Point& current, int& evaluations) {
    const Vector free = free_variables(current, lower_, upper_);
    for (;;) {
      const Vector direction = descent_direction(memory_, current, free);
      // Without curvature information the gradient's scale is arbitrary; a unit-length first step is a safe guess.
      const double first_step = memory_.empty() ? std::min(1.0, 1.0 / direction.norm()) : 1.0;
      std::optional<Point> next =
          projected_backtracking(f_, current, direction, lower_, upper_, first_step, evaluations);
      if (next) {
        // Only the free part of the pair: a pinned variable's gradient change says nothing about the face being
        // searched, and kept in, it mis-scaled the steps 2-4x on Rosenbrock against a bound.
        memory_.add((next->x - current.x).cwiseProduct(free), (next->gradient - current.gradient).cwiseProduct(free));
        return next;
      }
      if (memory_.empty()) return std::nullopt;
      memory_.clear();  // the quasi-Newton model misled the search: try again from steepest descent
    }
  }

 private:
  const Objective& f_;
  const Vector& lower_;
  const Vector& upper_;
  CurvatureMemory memory_;
};

double relative_decrease(double before, double after) {
  return (before - after) / std::max({std::abs(before), std::abs(after), 1.0});
}

void check_problem(const Vector& start, const Vector& lower, const Vector& upper, const LbfgsOptions& options) {
  if (lower.size() != start.size() || upper.size() != start.size())
    throw std::invalid_argument("L-BFGS: start and bounds differ in size");
  if (!(lower.array() <= upper.array()).all())
    throw std::invalid_argument("L-BFGS: a lower bound exceeds its upper bound");
  if (options.max_iterations < 0 || options.memory < 1 || !(options.gradient_tolerance >= 0.0) ||
      !(options.relative_decrease_tolerance >= 0.0))
    throw std::invalid_argument("L-BFGS: iterations must be >= 0, memory >= 1 and tolerances >= 0");
}

}  // namespace

double projected_gradient_norm(const Vector& x, const Vector& gradient, const Vector& lower, const Vector& upper) {
  if (x.size() == 0) return 0.0;
  return (clamp_to_box(x - gradient, lower, upper) - x).lpNorm<Eigen::Infinity>();
}

LbfgsResult minimise_within_bounds(const Objective& f, const Vector& start, const Vector& lower, const Vector& upper,
                                   const LbfgsOptions& options) {
  check_problem(start, lower, upper, options);
  LbfgsResult result;
  Point current = evaluate(f, clamp_to_box(start, lower, upper), result.evaluations);
  BoxSearch search(f, lower, upper, options.memory);
  while (std::isfinite(current.value) && result.iterations < options.max_iterations) {
    if (projected_gradient_norm(current.x, current.gradient, lower, upper) <= options.gradient_tolerance) {
      result.converged = true;
      break;
    }
    ++result.iterations;
    std::optional<Point> next = search.advance(current, result.evaluations);
    if (!next) break;
    const bool stalled = relative_decrease(current.value, next->value) <= options.relative_decrease_tolerance;
    current = std::move(*next);
    if (stalled) {
      result.converged = true;
      break;
    }
  }
  result.x = std::move(current.x);
  result.value = current.value;
  return result;
}

}  // namespace elec::eval
