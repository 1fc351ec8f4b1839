#pragma once
// The table the networks read while blanks are being imputed: descriptors, the current estimate of every
// endpoint and its confidence. Measured cells never change; blanks start at the column mean (0 after
// standardisation) with confidence 0 and move by the softened rule z <- g z + (1 - g) y.
#include <cstddef>
#include <vector>

#include "elec/data/matrix.hpp"
#include "elec/model/network.hpp"

namespace elec::model {

struct BlankCell {
  Eigen::Index row;
  int endpoint;
};

// How much a network may trust an imputed input: 1 for a measurement, falling with the ensemble's spread
// (standardised units). Blanks that have not been imputed yet carry 0.
double confidence_from_spread(double spread);

class ImputationState {
 public:
  // descriptors: rows x D, endpoints: rows x E (NaN = blank), both standardised.
  ImputationState(const NetworkShape& shape, const Matrix& descriptors, const Matrix& endpoints);

  const std::vector<BlankCell>& blanks() const { return blanks_; }
  const Matrix& endpoints() const { return estimate_; }      // measured values and current estimates
  const Matrix& measured_mask() const { return measured_; }  // 1 measured, 0 blank
  const Matrix& confidence() const { return confidence_; }

  // Continues from a saved estimate and confidence (what endpoints() and confidence() gave); the measured cells
  // must be those of this table (checked).
  void restore(const Matrix& estimate, const Matrix& confidence);

  // Softened update of every blank from the ensemble's mean and spread (in blanks() order); returns the
  // largest and the mean absolute change.
  struct Change {
    double max = 0.0;
    double mean = 0.0;
  };
  Change update(const std::vector<double>& mean, const std::vector<double>& spread, double softening);

  // The network inputs for the current estimate, in precision T.
  template <class T>
  MatrixT<T> inputs() const;

 private:
  NetworkShape shape_;
  Matrix descriptors_;
  Matrix estimate_;
  Matrix confidence_;
  Matrix measured_;
  std::vector<BlankCell> blanks_;
};

}  // namespace elec::model
