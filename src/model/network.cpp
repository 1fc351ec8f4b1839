#include "elec/model/network.hpp"

namespace elec::model {

template <class T>
NetworkParams<T> NetworkParams<T>::zeros(const NetworkShape& shape) {
  NetworkParams p;
  p.W1 = MatrixT<T>::Zero(shape.inputs(), shape.hidden_total());
  p.b1 = VectorT<T>::Zero(shape.hidden_total());
  p.w2 = VectorT<T>::Zero(shape.hidden_total());
  p.b2 = VectorT<T>::Zero(shape.endpoints);
  return p;
}

template <class T>
void NetworkParams<T>::set_zero() {
  W1.setZero();
  b1.setZero();
  w2.setZero();
  b2.setZero();
}

template <class T>
MatrixT<T> self_exclusion_mask(const NetworkShape& shape) {
  MatrixT<T> mask = MatrixT<T>::Ones(shape.inputs(), shape.hidden_total());
  for (int j = 0; j < shape.endpoints; ++j) {
    mask.block(shape.value_input(j), j * shape.hidden, 1, shape.hidden).setZero();
    if (shape.confidence) mask.block(shape.confidence_input(j), j * shape.hidden, 1, shape.hidden).setZero();
  }
  return mask;
}

template <class T>
void NetworkWorkspace<T>::reserve(const NetworkShape& shape, Eigen::Index rows) {
  hidden.resize(rows, shape.hidden_total());
  d_hidden.resize(rows, shape.hidden_total());
  output.resize(rows, shape.endpoints);
}

// tanh in place. Eigen vectorises tanh for float but evaluates it one scalar at a time for double; through its
// vectorised exp, tanh(x) = 1 - 2 / (exp(2x) + 1) is about 12x faster in double (overflow gives exactly +-1).
template <class Block>
void tanh_in_place(Block&& a, float) {
  a = a.array().tanh();
}
template <class Block>
void tanh_in_place(Block&& a, double) {
  a = 1.0 - 2.0 / ((2.0 * a.array()).exp() + 1.0);
}

// View of a rows x (E*H) row-major block as (rows*E) x H: one row per (cell, endpoint) pair, one column per unit.
template <class T>
Eigen::Map<MatrixT<T>> per_endpoint(MatrixT<T>& m, Eigen::Index rows, int hidden) {
  return {m.data(), rows * (m.cols() / hidden), hidden};
}

template <class T>
void forward(const NetworkShape& shape, const NetworkParams<T>& params, const MatrixT<T>& inputs,
             NetworkWorkspace<T>& ws) {
  const Eigen::Index rows = inputs.rows();
  auto hidden = ws.hidden.topRows(rows);
  hidden.noalias() = inputs * params.W1;
  hidden.rowwise() += params.b1.transpose();
  tanh_in_place(hidden, T{});
  // output(i, j) = sum_k hidden(i, jH + k) w2(jH + k) + b2(j), evaluated for all (i, j) at once.
  auto weighted = ws.d_hidden.topRows(rows);
  weighted.array() = hidden.array().rowwise() * params.w2.transpose().array();
  Eigen::Map<VectorT<T>> flat(ws.output.data(), rows * shape.endpoints);
  flat.noalias() = per_endpoint(ws.d_hidden, rows, shape.hidden).rowwise().sum();
  ws.output.topRows(rows).rowwise() += params.b2.transpose();
}

template <class T>
void backward(const NetworkShape& shape, const NetworkParams<T>& params, const MatrixT<T>& inputs,
              const MatrixT<T>& d_output, const MatrixT<T>& mask, NetworkWorkspace<T>& ws,
              NetworkParams<T>& grads) {
  const Eigen::Index rows = inputs.rows();
  const auto hidden = ws.hidden.topRows(rows);
  auto d_hidden = ws.d_hidden.topRows(rows);
  // Spread each dLoss/dOutput(i, j) over the H units of block j.
  const Eigen::Map<const VectorT<T>> d_flat(d_output.data(), rows * shape.endpoints);
  per_endpoint(ws.d_hidden, rows, shape.hidden).noalias() = d_flat * VectorT<T>::Ones(shape.hidden).transpose();
  grads.b2 = d_output.colwise().sum().transpose();
  grads.w2 = (d_hidden.array() * hidden.array()).colwise().sum().transpose();
  d_hidden.array() *= (T(1) - hidden.array().square()).rowwise() * params.w2.transpose().array();
  grads.W1.noalias() = inputs.transpose() * d_hidden;
  grads.W1.array() *= mask.array();
  grads.b1 = d_hidden.colwise().sum().transpose();
}

#define ELEC_INSTANTIATE_NETWORK(T)                                                                       \
  template struct NetworkParams<T>;                                                                       \
  template struct NetworkWorkspace<T>;                                                                    \
  template MatrixT<T> self_exclusion_mask<T>(const NetworkShape&);                                        \
  template void forward<T>(const NetworkShape&, const NetworkParams<T>&, const MatrixT<T>&,               \
                           NetworkWorkspace<T>&);                                                         \
  template void backward<T>(const NetworkShape&, const NetworkParams<T>&, const MatrixT<T>&,              \
                            const MatrixT<T>&, const MatrixT<T>&, NetworkWorkspace<T>&, NetworkParams<T>&);
ELEC_INSTANTIATE_NETWORK(float)
ELEC_INSTANTIATE_NETWORK(double)

}  // namespace elec::model
