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

  void step(NetworkParams<T>& params, const NetworkParams<T>& grads, double learning_rate) {
    ++steps_;
    const double correction1 = 1.0 - std::pow(kBeta1, static_cast<double>(steps_));
    const double correction2 = 1.0 - std::pow(kBeta2, static_cast<double>(steps_));
    const T step_size = static_cast<T>(learning_rate / correction1);
    const T root_correction2 = static_cast<T>(std::sqrt(correction2));
    update(params.W1, grads.W1, first_.W1, second_.W1, step_size, root_correction2);
    update(params.b1, grads.b1, first_.b1, second_.b1, step_size, root_correction2);
    update(params.w2, grads.w2, first_.w2, second_.w2, step_size, root_correction2);
    update(params.b2, grads.b2, first_.b2, second_.b2, step_size, root_correction2);
  }
  long steps() const { return steps_; }

 private:
  static constexpr double kBeta1 = 0.9, kBeta2 = 0.999, kEpsilon = 1e-8;

  template <class Block>
  static void update(Block& value, const Block& grad, Block& m, Block& v, T step_size, T root_correction2) {
    const T b1 = static_cast<T>(kBeta1), b2 = static_cast<T>(kBeta2), eps = static_cast<T>(kEpsilon);
    T* x = value.data();
    const T* g = grad.data();
    T* mm = m.data();
    T* vv = v.data();
    const Eigen::Index n = value.size();
    for (Eigen::Index i = 0; i < n; ++i) {
      mm[i] = b1 * mm[i] + (T(1) - b1) * g[i];
      vv[i] = b2 * vv[i] + (T(1) - b2) * g[i] * g[i];
      x[i] -= step_size * mm[i] / (std::sqrt(vv[i]) / root_correction2 + eps);
    }
  }

  NetworkParams<T> first_, second_;
  long steps_ = 0;
};

}  // namespace elec::model
