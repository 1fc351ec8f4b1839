#pragma once
// Choosing each target's read-out (model/neighbour_readout) on out-of-fold predictions, the way the variance
// scale is fitted: `train` chooses on its calibration folds and stores the choice in the model; `cv` chooses for
// each fold on the other folds only, so the R^2 it reports is that of a choice which never saw the cells it
// scores. Offline, on the folds of the shipped studies (bench/stacked_neighbours.py), this choice took MPEA's
// 12-target median R^2 from 0.374 to 0.507 and left graphite's unchanged (docs/defaults.md).
#include <vector>

#include "elec/data/dataset.hpp"
#include "elec/model/neighbour_readout.hpp"

namespace elec::eval {

// Out-of-fold neighbour forecasts: each fold's rows from the measured cells of the other folds (rows x E).
Matrix neighbour_forecasts(const data::Dataset& dataset, const std::vector<int>& fold_of_row, int folds, int k);

// Per endpoint column (equal over a target's columns, targets_of), the read-out whose forecasts score the highest
// pooled R^2 over the measured cells of the rows `use` marks; the ensemble on a tie, and for a target whose such
// cells come from fewer than kWellMeasuredValues distinct recipes (too few to tell a neighbour's luck from a
// trend: graphite's slurry viscosities, 25 values from 8 slurries, left the ensemble without it and lost).
std::vector<model::Readout> choose_readouts(const data::Dataset& dataset, const Matrix& ensemble,
                                            const Matrix& neighbours, const std::vector<bool>& use);

// Each fold's rows read out with the choice made on the other folds: returns the forecasts (rows x E) and fills
// `chosen` with each fold's read-outs (folds x E).
Matrix cross_fitted_readout(const data::Dataset& dataset, const Matrix& ensemble, const Matrix& neighbours,
                            const std::vector<int>& fold_of_row, int folds,
                            std::vector<std::vector<model::Readout>>& chosen);

}  // namespace elec::eval
