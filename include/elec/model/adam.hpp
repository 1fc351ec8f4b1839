#pragma once
// Adam (Kingma & Ba 2015) over a network's parameters. Masked weights stay exactly zero because their gradient
// is always zero, so their moments stay zero and their update is 0 / (0 + eps) = 0.
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
    ++steps_;
    const double correction1 = 1.0 - std::pow(kBeta1, static_cast<double>(steps_));
    const double correction2 = 1.0 - std::pow(kBeta2, static_cast<double>(steps_));
    const Coefficients c{static_cast<T>(learning_rate / correction1), static_cast<T>(1.0 / std::sqrt(correction2)),
                         static_cast<T>(2.0 * l2)};
    update(params.W1, grads.W1, first_.W1, second_.W1, c, true);
    update(params.b1, grads.b1, first_.b1, second_.b1, c, false);
    update(params.w2, grads.w2, first_.w2, second_.w2, c, true);
    update(params.b2, grads.b2, first_.b2, second_.b2, c, false);
  }
  // The same with an L2 penalty per hidden unit (`l2_of_unit`, hidden_total entries: the penalty of the endpoint
  // whose block the unit is in), so each endpoint's network can be regularised as its own data ask.
  void step(NetworkParams<T>& params, const NetworkParams<T>& grads, double learning_rate, const VectorT<T>& l2_of_unit) {
    ++steps_;
    const double correction1 = 1.0 - std::pow(kBeta1, static_cast<double>(steps_));
    const double correction2 = 1.0 - std::pow(kBeta2, static_cast<double>(steps_));
    const Coefficients c{static_cast<T>(learning_rate / correction1), static_cast<T>(1.0 / std::sqrt(correction2)), T(0)};
    const Eigen::Array<T, 1, Eigen::Dynamic> decay = T(2) * l2_of_unit.transpose().array();
    // W1 is inputs x hidden_total, row-major: column u belongs to unit u.
    auto x = params.W1.array();
    auto m = first_.W1.array();
    auto v = second_.W1.array();
    const T b1 = static_cast<T>(kBeta1), b2 = static_cast<T>(kBeta2), eps = static_cast<T>(kEpsilon);
    for (Eigen::Index r = 0; r < x.rows(); ++r) {
      const Eigen::Array<T, 1, Eigen::Dynamic> g = grads.W1.row(r).array() + decay * x.row(r);
      m.row(r) = b1 * m.row(r) + (T(1) - b1) * g;
      v.row(r) = b2 * v.row(r) + (T(1) - b2) * g.square();
      x.row(r) -= c.step_size * m.row(r) / (v.row(r).sqrt() * c.inverse_root_correction2 + eps);
    }
    update(params.b1, grads.b1, first_.b1, second_.b1, c, false);
    const Eigen::Array<T, Eigen::Dynamic, 1> g2 = grads.w2.array() + decay.transpose() * params.w2.array();
    first_.w2.array() = b1 * first_.w2.array() + (T(1) - b1) * g2;
    second_.w2.array() = b2 * second_.w2.array() + (T(1) - b2) * g2.square();
    params.w2.array() -= c.step_size * first_.w2.array() / (second_.w2.array().sqrt() * c.inverse_root_correction2 + eps);
    update(params.b2, grads.b2, first_.b2, second_.b2, c, false);
  }
  long steps() const { return steps_; }

 private:
  static constexpr double kBeta1 = 0.9, kBeta2 = 0.999, kEpsilon = 1e-8;
  struct Coefficients {
    T step_size, inverse_root_correction2, decay;
  };
  using Flat = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>>;
  using ConstFlat = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>;

  template <class Block>
  static void update(Block& value, const Block& grad, Block& first, Block& second, const Coefficients& c,
                     bool decayed) {
    const T b1 = static_cast<T>(kBeta1), b2 = static_cast<T>(kBeta2), eps = static_cast<T>(kEpsilon);
    const Eigen::Index n = value.size();
    Flat x(value.data(), n), m(first.data(), n), v(second.data(), n);
    const ConstFlat raw(grad.data(), n);
    // Vectorised by Eigen, sqrt and division included; masked weights have g = 0 and w = 0, so they stay 0.
    if (decayed) {
      m = b1 * m + (T(1) - b1) * (raw + c.decay * x);
      v = b2 * v + (T(1) - b2) * (raw + c.decay * x).square();
    } else {
      m = b1 * m + (T(1) - b1) * raw;
      v = b2 * v + (T(1) - b2) * raw.square();
    }
    x -= c.step_size * m / (v.sqrt() * c.inverse_root_correction2 + eps);
  }

  NetworkParams<T> first_, second_;
  long steps_ = 0;
};

}  // namespace elec::model
