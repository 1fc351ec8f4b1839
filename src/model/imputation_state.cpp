#include "elec/model/imputation_state.hpp"

#include <cmath>
#include <stdexcept>

namespace elec::model {

double confidence_from_spread(double spread) { return 1.0 / (1.0 + spread * spread); }

ImputationState::ImputationState(const NetworkShape& shape, const Matrix& descriptors, const Matrix& endpoints)
    : shape_(shape),
      descriptors_(descriptors),
      estimate_(endpoints),
      confidence_(Matrix::Ones(endpoints.rows(), endpoints.cols())),
      measured_(Matrix::Ones(endpoints.rows(), endpoints.cols())) {
  for (Eigen::Index i = 0; i < endpoints.rows(); ++i)
    for (int j = 0; j < endpoints.cols(); ++j)
      if (std::isnan(endpoints(i, j))) {
        blanks_.push_back({i, j});
        estimate_(i, j) = 0.0;
        confidence_(i, j) = 0.0;
        measured_(i, j) = 0.0;
      }
}

ImputationState::Change ImputationState::update(const std::vector<double>& mean, const std::vector<double>& spread,
                                                double softening) {
  Change change;
  for (std::size_t b = 0; b < blanks_.size(); ++b) {
    double& z = estimate_(blanks_[b].row, blanks_[b].endpoint);
    const double next = softening * z + (1.0 - softening) * mean[b];
    const double delta = std::abs(next - z);
    change.max = std::max(change.max, delta);
    change.mean += delta;
    z = next;
    confidence_(blanks_[b].row, blanks_[b].endpoint) = confidence_from_spread(spread[b]);
  }
  if (!blanks_.empty()) change.mean /= static_cast<double>(blanks_.size());
  return change;
}

void ImputationState::restore(const Matrix& estimate, const Matrix& confidence) {
  if (estimate.rows() != estimate_.rows() || estimate.cols() != estimate_.cols() ||
      confidence.rows() != estimate_.rows() || confidence.cols() != estimate_.cols())
    throw std::invalid_argument("ImputationState::restore: the saved state is of another table");
  for (Eigen::Index i = 0; i < estimate_.rows(); ++i)
    for (Eigen::Index j = 0; j < estimate_.cols(); ++j)
      if (measured_(i, j) > 0.0 && (estimate(i, j) != estimate_(i, j) || confidence(i, j) != 1.0))
        throw std::invalid_argument("ImputationState::restore: the saved state has other measured values");
  estimate_ = estimate;
  confidence_ = confidence;
}

template <class T>
MatrixT<T> ImputationState::inputs() const {
  const Eigen::Index rows = estimate_.rows();
  MatrixT<T> x(rows, shape_.inputs());
  const int D = shape_.descriptors, E = shape_.endpoints;
  x.leftCols(D) = descriptors_.cast<T>();
  x.middleCols(D, E) = estimate_.cast<T>();
  if (shape_.confidence) x.rightCols(E) = confidence_.cast<T>();
  return x;
}

template MatrixT<float> ImputationState::inputs<float>() const;
template MatrixT<double> ImputationState::inputs<double>() const;

}  // namespace elec::model
