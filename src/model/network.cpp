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
void zero_self_inputs(const NetworkShape& shape, MatrixT<T>& W1) {
  for (int j = 0; j < shape.endpoints; ++j) {
    W1.block(shape.value_input(j), j * shape.hidden, 1, shape.hidden).setZero();
    if (shape.confidence) W1.block(shape.confidence_input(j), j * shape.hidden, 1, shape.hidden).setZero();
  }
}

template <class T>
MatrixT<T> self_exclusion_mask(const NetworkShape& shape) {
  MatrixT<T> mask = MatrixT<T>::Ones(shape.inputs(), shape.hidden_total());
  zero_self_inputs(shape, mask);
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
  a = a.tanh();
}
template <class Block>
void tanh_in_place(Block&& a, double) {
  a = 1.0 - 2.0 / ((2.0 * a).exp() + 1.0);
}

template <class T>
using RowArray = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>>;
template <class T>
using ConstRowArray = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>;

// The element-wise work is done one row at a time so that a row's E*H activations stay in L1 between steps;
// whole-matrix expressions would stream the rows x E*H block through memory once per step.
template <class T>
void forward(const NetworkShape& shape, const NetworkParams<T>& params, const MatrixT<T>& inputs,
             NetworkWorkspace<T>& ws, const EndpointInputs<T>& own) {
  const Eigen::Index rows = inputs.rows(), width = shape.hidden_total();
  const int H = shape.hidden, E = shape.endpoints;
  if (rows == 1) {
    // Eigen multiplies a single row by GEMV, whose sums round differently from GEMM's: a cell predicted alone would
    // differ in its last bits from the same cell predicted among others (e.g. a design batch resumed with one
    // candidate left). Two copies of the row take the GEMM path, whose rows do not depend on the row count.
    const MatrixT<T> pair = inputs.replicate(2, 1);
    const MatrixT<T> product = pair * params.W1;
    ws.hidden.row(0) = product.row(0);
  } else {
    ws.hidden.topRows(rows).noalias() = inputs * params.W1;
  }
  for (std::size_t j = 0; j < own.size(); ++j)
    if (own[j]) {
      const auto block = static_cast<Eigen::Index>(j) * H;
      ws.hidden.topRows(rows).middleCols(block, H).noalias() = *own[j] * params.W1.middleCols(block, H);
    }
  const ConstRowArray<T> b1(params.b1.data(), width), w2(params.w2.data(), width);
  for (Eigen::Index i = 0; i < rows; ++i) {
    RowArray<T> h(ws.hidden.row(i).data(), width);
    tanh_in_place(h += b1, T{});
    const T* hw = h.data();
    const T* ww = w2.data();
    T* out = ws.output.row(i).data();
    // output(i, j) = sum over the H units of block j of hidden * w2, + b2(j).
    for (int j = 0; j < E; ++j, hw += H, ww += H) {
      T sum = params.b2[j];
      for (int u = 0; u < H; ++u) sum += hw[u] * ww[u];
      out[j] = sum;
    }
  }
}

template <class T>
void backward(const NetworkShape& shape, const NetworkParams<T>& params, const MatrixT<T>& inputs,
              const MatrixT<T>& d_output, NetworkWorkspace<T>& ws, NetworkParams<T>& grads,
              const EndpointInputs<T>& own) {
  const Eigen::Index rows = inputs.rows(), width = shape.hidden_total();
  const int H = shape.hidden, E = shape.endpoints;
  const ConstRowArray<T> w2(params.w2.data(), width);
  RowArray<T> g_w2(grads.w2.data(), width), g_b1(grads.b1.data(), width);
  g_w2.setZero();
  g_b1.setZero();
  grads.b2.setZero();
  for (Eigen::Index i = 0; i < rows; ++i) {
    const T* d_out = d_output.row(i).data();
    // Spread each dLoss/dOutput(i, j) over the H units of block j (kept in d_hidden's row, overwritten below).
    T* spread = ws.d_hidden.row(i).data();
    for (int j = 0; j < E; ++j)
      for (int u = 0; u < H; ++u) spread[j * H + u] = d_out[j];
    RowArray<T> d_h(spread, width);
    const ConstRowArray<T> h(ws.hidden.row(i).data(), width);
    g_w2 += d_h * h;
    d_h *= w2 * (T(1) - h.square());
    g_b1 += d_h;
    for (int j = 0; j < E; ++j) grads.b2[j] += d_out[j];
  }
  grads.W1.noalias() = inputs.transpose() * ws.d_hidden.topRows(rows);
  for (std::size_t j = 0; j < own.size(); ++j)
    if (own[j]) {
      const auto block = static_cast<Eigen::Index>(j) * H;
      grads.W1.middleCols(block, H).noalias() = own[j]->transpose() * ws.d_hidden.topRows(rows).middleCols(block, H);
    }
  zero_self_inputs(shape, grads.W1);
}

#define ELEC_INSTANTIATE_NETWORK(T)                                                                               \
  template struct NetworkParams<T>;                                                                               \
  template struct NetworkWorkspace<T>;                                                                            \
  template MatrixT<T> self_exclusion_mask<T>(const NetworkShape&);                                                \
  template void zero_self_inputs<T>(const NetworkShape&, MatrixT<T>&);                                            \
  template void forward<T>(const NetworkShape&, const NetworkParams<T>&, const MatrixT<T>&, NetworkWorkspace<T>&, \
                           const EndpointInputs<T>&);                                                             \
  template void backward<T>(const NetworkShape&, const NetworkParams<T>&, const MatrixT<T>&, const MatrixT<T>&,   \
                            NetworkWorkspace<T>&, NetworkParams<T>&, const EndpointInputs<T>&);
ELEC_INSTANTIATE_NETWORK(float)
ELEC_INSTANTIATE_NETWORK(double)

}  // namespace elec::model
