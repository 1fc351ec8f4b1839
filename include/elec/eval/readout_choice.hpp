#pragma once
// Choosing each target's read-out (model/readout) on out-of-fold predictions, the way the variance scale is fitted:
// `train` chooses on its calibration folds and stores the choice in the model; `cv` chooses for each fold on the
// other folds only, so the R^2 it reports is that of a choice which never saw the cells it scores. Measured on the
// shipped studies (`elec_hpc cv`, 50 members): MPEA's 12-target median R^2 0.374 -> 0.452 with the neighbours;
// graphite's 0.638 -> 0.686 with the lasso average (docs/defaults.md). The lasso alone is not a candidate: it
// predicts graphite's porosity best on some folds and worst on others, and a choice among all five flipped between
// them (0.661).
#include <vector>

#include "elec/data/dataset.hpp"
#include "elec/model/readout.hpp"

namespace elec::eval {

// Out-of-fold neighbour forecasts: each fold's rows from the measured cells of the other folds (rows x E).
Matrix neighbour_forecasts(const data::Dataset& dataset, const std::vector<int>& fold_of_row, int folds, int k);

// A lasso (eval/lasso: penalty by inner CV) per endpoint column on the descriptors of the rows where it is
// measured; a column measured nowhere gets a NaN intercept.
model::LinearReadout fit_lasso_readout(const Matrix& descriptors, const Matrix& endpoints);

// Out-of-fold lasso forecasts: each fold's rows from a fit on the other folds (rows x E).
Matrix lasso_forecasts(const data::Dataset& dataset, const std::vector<int>& fold_of_row, int folds);

// Per endpoint column (equal over a target's columns, targets_of), the read-out whose forecasts score the highest
// pooled R^2 over the measured cells of the rows `use` marks, among the ensemble and what `forecasts` offers (the
// neighbours and their average; the lasso average); the ensemble on a tie, and for a target whose such
// cells come from fewer than kWellMeasuredValues distinct recipes (too few to tell a neighbour's luck from a
// trend: graphite's slurry viscosities, 25 values from 8 slurries, left the ensemble without it and lost).
std::vector<model::Readout> choose_readouts(const data::Dataset& dataset, const Matrix& ensemble,
                                            const model::ReadoutForecasts& forecasts, const std::vector<bool>& use);

// Each fold's rows read out with the choice made on the other folds: returns the forecasts (rows x E) and fills
// `chosen` with each fold's read-outs (folds x E).
Matrix cross_fitted_readout(const data::Dataset& dataset, const Matrix& ensemble,
                            const model::ReadoutForecasts& forecasts, const std::vector<int>& fold_of_row, int folds,
                            std::vector<std::vector<model::Readout>>& chosen);

}  // namespace elec::eval
