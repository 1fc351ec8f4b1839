#pragma once
// The read-out: beside its networks, a model may read a target off the training cells nearest in descriptor space,
// or average the ensemble with a lasso on the descriptors. Some properties are local functions of the recipe (an
// alloy's measured Young's modulus: a GP or ten neighbours predict new alloys at R^2 0.63 / 0.53 where the networks
// reach 0.24), others are nearly linear trends that a sparse linear fit estimates with less variance than the
// networks (graphite's porosity: lasso 0.70, ensemble 0.64, their average 0.70; docs/defaults.md). Which one a
// target is, is decided per target on out-of-fold predictions (eval/readout_choice). The members are moved, not
// replaced, so that the spread, the calibration and everything read off the members (curves, derived scalars, the
// design search's probabilities) keep the ensemble's uncertainty around the chosen centre.
#include <string>
#include <vector>

#include "elec/data/dataset.hpp"
#include "elec/data/matrix.hpp"

namespace elec::model {

enum class Readout : int { Ensemble = 0, Neighbours = 1, Average = 2, LassoAverage = 3 };
// "ensemble", "neighbours", "average" (of the ensemble and the neighbours), "lasso_average" (of the ensemble and the
// lasso); the first letters (e, n, a, l) tell them apart in tables.
std::string readout_name(Readout readout);
bool readout_named(const std::string& name, Readout& readout);  // false: not one of those names

// The training cells where column j is measured (its donors): their descriptors and values.
struct Donors {
  Matrix descriptors;
  Vector values;
};
Donors donors_of(const Matrix& training_descriptors, const Matrix& training_endpoints, Eigen::Index j);

// Distance-weighted k nearest neighbours (weights 1/distance; when some donors sit at distance 0, those alone,
// equally). For each column the donors are the training rows where it is measured (NaN = not), and the
// descriptors are z-scored over those donors: a property measured on a subset of recipes is judged by how the
// recipes differ within it (MPEA's measured modulus: R^2 0.53 so, 0.35 with the whole table's scaling). NaN where
// a column has no donor. query: rows x D; returns rows x E.
Matrix neighbour_predictions(const Matrix& training_descriptors, const Matrix& training_endpoints, const Matrix& query,
                             int k);

// A linear fit per endpoint column on the descriptors (eval/readout_choice fits it by lasso on the column's measured
// training cells): prediction = intercept + descriptors . coefficients. A column without a fit has a NaN intercept.
struct LinearReadout {
  Matrix coefficients;  // endpoints x descriptors
  Vector intercepts;    // endpoints
  bool empty() const { return intercepts.size() == 0; }
  Matrix predict(const Matrix& query) const;  // rows x endpoints; NaN in the columns without a fit
};

// What a read-out may be made of besides the ensemble (rows x E each; an empty matrix = not offered).
struct ReadoutForecasts {
  Matrix neighbours, lasso;
};

// Each column's forecast under its read-out: the ensemble's, the neighbours', or the average of the ensemble with
// the neighbours or with the lasso; the ensemble's wherever the other forecast is missing (empty or NaN).
Matrix read_out(const std::vector<Readout>& by_endpoint, const Matrix& ensemble, const ReadoutForecasts& forecasts);

// Members (members x rows x E) moved by (to - from), so that a centre `from` becomes `to`.
void move_members(const Matrix& from, const Matrix& to, std::vector<double>& members);

// "neighbours (k = 10) for a, b; average for c; lasso_average for d; the ensemble for the other 8 targets" ("the
// ensemble for every target" when none moved). A curve's columns (curves) count as one target named after the curve.
std::string describe_readouts(const std::vector<Readout>& by_endpoint, int k,
                              const std::vector<std::string>& endpoint_names,
                              const std::vector<data::CurveBlock>& curves);

}  // namespace elec::model
