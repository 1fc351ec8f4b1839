#pragma once
// The neighbour read-out: beside its networks, a model may read a target off the training cells nearest in
// descriptor space. Some properties are local functions of the recipe (an alloy's measured Young's modulus: a GP
// or ten neighbours predict new alloys at R^2 0.63 / 0.53 where the networks reach 0.24, docs/defaults.md), others
// are smooth trends neighbours miss (every graphite endpoint). Which one a target is, is decided per target on
// out-of-fold predictions (eval/readout_choice): the ensemble, the neighbours, or their average. The members are
// moved, not replaced, so that the spread, the calibration and everything read off the members (curves, derived
// scalars, the design search's probabilities) keep the ensemble's uncertainty around the chosen centre.
#include <string>
#include <vector>

#include "elec/data/dataset.hpp"
#include "elec/data/matrix.hpp"

namespace elec::model {

enum class Readout : int { Ensemble = 0, Neighbours = 1, Average = 2 };
std::string readout_name(Readout readout);                      // "ensemble", "neighbours", "average"
bool readout_named(const std::string& name, Readout& readout);  // false: not one of those names

// Distance-weighted k nearest neighbours (weights 1/distance; when some donors sit at distance 0, those alone,
// equally). For each column the donors are the training rows where it is measured (NaN = not), and the
// descriptors are z-scored over those donors: a property measured on a subset of recipes is judged by how the
// recipes differ within it (MPEA's measured modulus: R^2 0.53 so, 0.35 with the whole table's scaling). NaN where
// a column has no donor. query: rows x D; returns rows x E.
Matrix neighbour_predictions(const Matrix& training_descriptors, const Matrix& training_endpoints, const Matrix& query,
                             int k);

// Each column's forecast under its read-out: the ensemble's, the neighbours', or their average; the ensemble's
// wherever the neighbours have none (NaN).
Matrix read_out(const std::vector<Readout>& by_endpoint, const Matrix& ensemble, const Matrix& neighbours);

// Members (members x rows x E) moved by (to - from), so that a centre `from` becomes `to`.
void move_members(const Matrix& from, const Matrix& to, std::vector<double>& members);

// "neighbours (k = 10) for a, b; average for c; the ensemble for the other 9 targets" ("the ensemble for every
// target" when none moved). A curve's columns (curves) count as one target named after the curve.
std::string describe_readouts(const std::vector<Readout>& by_endpoint, int k,
                              const std::vector<std::string>& endpoint_names,
                              const std::vector<data::CurveBlock>& curves);

}  // namespace elec::model
