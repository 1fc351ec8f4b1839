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

template <class T>
void forward(const NetworkShape& shape, const NetworkParams<T>& params, const MatrixT<T>& inputs,
             NetworkWorkspace<T>& ws) {
  const Eigen::Index rows = inputs.rows();
  const int H = shape.hidden, E = shape.endpoints;
  auto hidden = ws.hidden.topRows(rows);
  hidden.noalias() = inputs * params.W1;
  hidden.rowwise() += params.b1.transpose();
  hidden = hidden.array().tanh();
  auto output = ws.output.topRows(rows);
  for (Eigen::Index i = 0; i < rows; ++i) {
    const T* h = hidden.row(i).data();
    for (int j = 0; j < E; ++j) {
      T sum = params.b2[j];
      for (int k = 0; k < H; ++k) sum += h[j * H + k] * params.w2[j * H + k];
      output(i, j) = sum;
    }
  }
}

template <class T>
void backward(const NetworkShape& shape, const NetworkParams<T>& params, const MatrixT<T>& inputs,
              const MatrixT<T>& d_output, const MatrixT<T>& mask, NetworkWorkspace<T>& ws,
              NetworkParams<T>& grads) {
  const Eigen::Index rows = inputs.rows();
  const int H = shape.hidden, E = shape.endpoints;
  auto hidden = ws.hidden.topRows(rows);
  auto d_hidden = ws.d_hidden.topRows(rows);
  grads.w2.setZero();
  grads.b2.setZero();
  for (Eigen::Index i = 0; i < rows; ++i) {
    const T* h = hidden.row(i).data();
    T* dh = d_hidden.row(i).data();
    for (int j = 0; j < E; ++j) {
      const T dy = d_output(i, j);
      grads.b2[j] += dy;
      for (int k = 0; k < H; ++k) {
        const int u = j * H + k;
        grads.w2[u] += dy * h[u];
        dh[u] = dy * params.w2[u] * (T(1) - h[u] * h[u]);
      }
    }
  }
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
