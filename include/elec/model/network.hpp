#pragma once
// The fused masked network of one ensemble member: one tanh MLP per endpoint, all evaluated together.
//
// Inputs (P): D descriptor features, E endpoint values, and (optionally) E confidence channels.
// Hidden layer: E blocks of H units; W1 is P x (E*H). Block j never sees endpoint j: the rows of W1 for
// endpoint j's value and confidence are zero in block j, enforced by a fixed 0/1 mask applied to the weights at
// initialisation and to every gradient. Output j = tanh(X W1 + b1)[block j] . w2[block j] + b2[j].
// So hidden = one GEMM (N x P)(P x EH) for all endpoints at once, and dW1 = X^T dHidden another.
#include <Eigen/Dense>
#include <vector>

namespace elec::model {

template <class T>
using MatrixT = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using VectorT = Eigen::Matrix<T, Eigen::Dynamic, 1>;

struct NetworkShape {
  int descriptors = 0;
  int endpoints = 0;
  int hidden = 8;          // units per endpoint
  bool confidence = true;  // confidence channels present

  int inputs() const { return descriptors + endpoints * (confidence ? 2 : 1); }
  int hidden_total() const { return endpoints * hidden; }
  int value_input(int endpoint) const { return descriptors + endpoint; }
  int confidence_input(int endpoint) const { return descriptors + endpoints + endpoint; }
};

template <class T>
struct NetworkParams {
  MatrixT<T> W1;  // inputs x hidden_total, masked
  VectorT<T> b1;  // hidden_total
  VectorT<T> w2;  // hidden_total: unit k of block j feeds output j only
  VectorT<T> b2;  // endpoints

  static NetworkParams zeros(const NetworkShape& shape);
  void set_zero();
  Eigen::Index size() const { return W1.size() + b1.size() + w2.size() + b2.size(); }
  // The four blocks in their fixed order (W1, b1, w2, b2), as (data, size): the one definition of how a member's
  // weights are laid out when they are flattened, gathered or checksummed.
  template <class F>
  void for_each_block(F&& f) {
    f(W1.data(), W1.size()), f(b1.data(), b1.size()), f(w2.data(), w2.size()), f(b2.data(), b2.size());
  }
  template <class F>
  void for_each_block(F&& f) const {
    f(W1.data(), W1.size()), f(b1.data(), b1.size()), f(w2.data(), w2.size()), f(b2.data(), b2.size());
  }
};

// 1 where a weight may be non-zero, 0 where it would let an endpoint see itself.
template <class T>
MatrixT<T> self_exclusion_mask(const NetworkShape& shape);
// Sets the weights (or gradients) that would let an endpoint see itself to zero: E*H entries, not the whole W1.
template <class T>
void zero_self_inputs(const NetworkShape& shape, MatrixT<T>& W1);

// Scratch space for one member, sized once for the largest row count it will see; nothing is allocated in the
// epoch loop.
template <class T>
struct NetworkWorkspace {
  MatrixT<T> hidden;    // rows x hidden_total (tanh activations)
  MatrixT<T> d_hidden;  // rows x hidden_total
  MatrixT<T> output;    // rows x endpoints
  void reserve(const NetworkShape& shape, Eigen::Index rows);
};

// Inputs of their own for some endpoints' blocks (training with input dropout chosen per target): block j reads
// *own[j] (the same shape as `inputs`) where own[j] is not null. Empty: every block reads `inputs`.
template <class T>
using EndpointInputs = std::vector<const MatrixT<T>*>;

// output = network(inputs); keeps the activations in ws for backward().
template <class T>
void forward(const NetworkShape& shape, const NetworkParams<T>& params, const MatrixT<T>& inputs,
             NetworkWorkspace<T>& ws, const EndpointInputs<T>& own = {});

// Given d_output (rows x endpoints, dLoss/dOutput) after forward() with the same inputs, writes the gradients into
// grads (overwritten), with the self-input entries of grads.W1 zero.
template <class T>
void backward(const NetworkShape& shape, const NetworkParams<T>& params, const MatrixT<T>& inputs,
              const MatrixT<T>& d_output, NetworkWorkspace<T>& ws, NetworkParams<T>& grads,
              const EndpointInputs<T>& own = {});

}  // namespace elec::model
