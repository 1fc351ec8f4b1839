#pragma once
// Adam (Kingma & Ba 2015) over a network's parameters. Masked weights stay exactly zero because their gradient
// is always zero, so their moments stay zero and their update is 0 / (0 + eps) = 0.
#include <cmath>
#include <vector>

#include "elec/model/network.hpp"

namespace elec::model {

template <class T>
class Adam {
 public:
  Adam() = default;
  explicit Adam(const NetworkShape& shape)
      : first_(NetworkParams<T>::zeros(shape)), second_(NetworkParams<T>::zeros(shape)) {}

  // One update. `l2` adds the gradient of l2 * |w|^2 for the weights W1 and w2 (not the biases) here, in the same
  // pass over memory, rather than in a separate sweep.
  void step(NetworkParams<T>& params, const NetworkParams<T>& grads, double learning_rate, double l2) {
    const Coefficients c = next_step(learning_rate);
    const T decay = static_cast<T>(2.0 * l2);
    update(params.W1, grads.W1, first_.W1, second_.W1, c, &decay);
    update(params.b1, grads.b1, first_.b1, second_.b1, c, nullptr);
    update(params.w2, grads.w2, first_.w2, second_.w2, c, &decay);
    update(params.b2, grads.b2, first_.b2, second_.b2, c, nullptr);
  }
  // The same with an L2 penalty per hidden unit (`l2_of_unit`, hidden_total entries: the penalty of the endpoint
  // whose block the unit is in), so each endpoint's network can be regularised as its own data ask; and with
  // `input_penalty_of_block` (one entry per endpoint block of `block_units` units, or empty) a group-lasso term:
  // the penalty times the sum over inputs of the norm of the input's weights into the block. Its gradient
  // w / |w| pulls an input the endpoint does not need to zero as a whole (what an ARD kernel's length-scale does).
  void step(NetworkParams<T>& params, const NetworkParams<T>& grads, double learning_rate, const VectorT<T>& l2_of_unit,
            const VectorT<T>& input_penalty_of_block = {}, int block_units = 1) {
    const Coefficients c = next_step(learning_rate);
    const auto decay = T(2) * l2_of_unit.array();
    // W1 is inputs x hidden_total, row-major: column u (of every row) belongs to unit u.
    const Eigen::Index units = params.W1.cols();
    for (Eigen::Index r = 0; r < params.W1.rows(); ++r) {
      Flat x(params.W1.row(r).data(), units), m(first_.W1.row(r).data(), units), v(second_.W1.row(r).data(), units);
      const ConstFlat g(grads.W1.row(r).data(), units);
      if (input_penalty_of_block.size() == 0) {
        advance(x, m, v, g + decay * x, c);
        continue;
      }
      row_decay_ = decay;
      add_group_decay(x, input_penalty_of_block, block_units, row_decay_);
      advance(x, m, v, g + row_decay_ * x, c);
    }
    update(params.b1, grads.b1, first_.b1, second_.b1, c, nullptr);
    Flat x(params.w2.data(), units), m(first_.w2.data(), units), v(second_.w2.data(), units);
    advance(x, m, v, ConstFlat(grads.w2.data(), units) + decay * x, c);
    update(params.b2, grads.b2, first_.b2, second_.b2, c, nullptr);
  }
  long steps() const { return steps_; }

  // The moments (W1, b1, w2, b2 of each) and the step count, appended as doubles / read back from `state`.
  void save(std::vector<double>& out) const {
    for (const NetworkParams<T>* moments : {&first_, &second_})
      moments->for_each_block([&](const T* x, Eigen::Index n) { out.insert(out.end(), x, x + n); });
    out.push_back(static_cast<double>(steps_));
  }
  const double* restore(const double* state) {
    for (NetworkParams<T>* moments : {&first_, &second_})
      moments->for_each_block([&](T* x, Eigen::Index n) {
        for (Eigen::Index k = 0; k < n; ++k) x[k] = static_cast<T>(*state++);
      });
    steps_ = static_cast<long>(*state++);
    return state;
  }

 private:
  static constexpr double kBeta1 = 0.9, kBeta2 = 0.999, kEpsilon = 1e-8, kGroupFloor = 1e-12;
  struct Coefficients {
    T step_size, inverse_root_correction2;
  };
  using Flat = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>>;
  using ConstFlat = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>;

  Coefficients next_step(double learning_rate) {
    ++steps_;
    const double correction1 = 1.0 - std::pow(kBeta1, static_cast<double>(steps_));
    const double correction2 = 1.0 - std::pow(kBeta2, static_cast<double>(steps_));
    return {static_cast<T>(learning_rate / correction1), static_cast<T>(1.0 / std::sqrt(correction2))};
  }

  // The moments and the step of one contiguous block, given its gradient (penalty included) as an expression that
  // may read x: it is evaluated before x moves, and nothing is allocated.
  template <class Gradient>
  static void advance(Flat& x, Flat& m, Flat& v, const Gradient& g, const Coefficients& c) {
    const T b1 = static_cast<T>(kBeta1), b2 = static_cast<T>(kBeta2), eps = static_cast<T>(kEpsilon);
    // Vectorised by Eigen, sqrt and division included; masked weights have g = 0 and w = 0, so they stay 0.
    m = b1 * m + (T(1) - b1) * g;
    v = b2 * v + (T(1) - b2) * g.square();
    x -= c.step_size * m / (v.sqrt() * c.inverse_root_correction2 + eps);
  }

  // decay[u] += penalty[b] / |x over block b| for every unit u of block b: the group-lasso gradient is decay * x.
  // The tiny constant keeps a block at zero (a masked self-input) at a zero gradient instead of 0 / 0.
  static void add_group_decay(const Flat& x, const VectorT<T>& penalty_of_block, int block_units,
                              Eigen::Array<T, Eigen::Dynamic, 1>& decay) {
    for (Eigen::Index b = 0; b < penalty_of_block.size(); ++b) {
      const auto segment = x.segment(b * block_units, block_units);
      const T norm = std::sqrt(segment.square().sum() + static_cast<T>(kGroupFloor));
      decay.segment(b * block_units, block_units) += penalty_of_block[b] / norm;
    }
  }

  // A block with one penalty for all of it (`decay` = 2 l2; nullptr: none, as for the biases).
  template <class Block>
  static void update(Block& value, const Block& grad, Block& first, Block& second, const Coefficients& c,
                     const T* decay) {
    const Eigen::Index n = value.size();
    Flat x(value.data(), n), m(first.data(), n), v(second.data(), n);
    const ConstFlat raw(grad.data(), n);
    if (decay)
      advance(x, m, v, raw + *decay * x, c);
    else
      advance(x, m, v, raw, c);
  }

  NetworkParams<T> first_, second_;
  long steps_ = 0;
  Eigen::Array<T, Eigen::Dynamic, 1> row_decay_;  // scratch of the group-lasso step, one W1 row
};

}  // namespace elec::model
