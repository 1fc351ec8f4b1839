#pragma once
// The variance calibration a model carries. An ensemble's spread measures how much the members disagree, not how
// far the truth is: on held-out cells of the shipped studies the measured values fall 2-5 spreads away (about a
// third inside +-1 spread instead of 68%). A scale per target (a scalar endpoint, or a whole curve), fitted on
// out-of-fold predictions, turns the spread into a standard deviation that covers what it promises; the choice
// of this remedy over a noise term or quantile recalibration is measured in bench/calibration.md.
//
// The scale is applied to the members themselves, stretched about their mean: every quantity read off them
// (curves on any grid, derived scalars such as D30, the design search's joint probability) then carries the
// calibrated uncertainty and keeps its skew. The imputation passes always run on the raw spread: calibration
// changes what is reported, never what the networks see.
#include <cstdint>
#include <string>
#include <vector>

#include "elec/data/matrix.hpp"
#include "elec/model/readout.hpp"

namespace elec::model {

struct Calibration {
  std::vector<double> scale;  // per endpoint column (equal over a curve's columns); empty = no calibration
  // How it was fitted, for the model file and the reports: e.g. "variance scale per target, 5-fold CV by case on
  // 85 cells, seed 2021".
  std::string fitted_on;
  // The read-out per endpoint (equal over a curve's columns) chosen on the same out-of-fold predictions
  // ([calibration] neighbours > 0 or lasso = true); empty = the ensemble for every endpoint. `neighbours` is its k
  // (0 when no column reads the neighbours); `lasso` the linear fit of the columns read `lasso_average` (empty when
  // none does).
  std::vector<Readout> readout;
  int neighbours = 0;
  LinearReadout lasso;
  bool empty() const { return scale.empty(); }
  bool reads(Readout r) const;   // some endpoint is read off r
  bool leaves_ensemble() const;  // some endpoint is read off something other than the ensemble alone
};

// spread (rows x E) times each column's scale; the spread itself when there is no calibration.
Matrix calibrated_spread(const Calibration& calibration, const Matrix& spread);

// The calibration that undoes this one (every scale inverted): the members' own values back from stretched ones.
Calibration inverse(const Calibration& calibration);

// Members (members x rows x E, data units) stretched about their mean `mean` (rows x E) by each column's scale.
void stretch_members(const Calibration& calibration, const Matrix& mean, std::vector<double>& members);

}  // namespace elec::model
