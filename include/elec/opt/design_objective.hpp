#pragma once
// How likely a candidate design is to meet its targets, from the ensemble. The candidates of a batch are predicted
// together: each process predicts its own members for the whole batch, and the members' predictions are gathered in
// member order (model::MemberDistribution), so every process computes the same probabilities.
//
// evaluate_designs = decode_point each -> predict the feasible ones (member values) -> per member: the schema's
// derived curve scalars and the predicted derived quantities -> per candidate: mean and std of every quantity, the
// predicted constraints on the means, and the two probabilities:
//   joint    = the fraction of members whose values meet every target at once (keeps the ensemble's skew and the
//              correlation between targets, as the member histograms of the paper's Figure 7 show);
//   gaussian = the product over targets of P(N(mean, std) meets the target).
// A candidate that breaks a constraint is infeasible: objective 0.
//
// The prediction runs the model's imputation passes to the end (no early stop on convergence): a candidate's
// prediction then depends on it alone, not on which candidates share its batch.
#include <string>
#include <vector>

#include "elec/model/distribution.hpp"
#include "elec/model/trained_model.hpp"
#include "elec/opt/design_problem.hpp"

namespace elec::opt {

struct DesignEvaluation {
  Design design;
  bool feasible = false;
  int broken = -1;  // index of the first constraint broken (-1: none)
  double p_joint = std::numeric_limits<double>::quiet_NaN(), p_gaussian = std::numeric_limits<double>::quiet_NaN();
  double objective = 0.0;
  std::vector<double> mean, spread;  // every quantity (design ones exact: spread 0; NaN when not predicted)
};

// Probability that a normal variable with this mean and standard deviation lies in [min, max].
double normal_probability(double mean, double std, double min, double max);

// The model used for designs: the trained one with its imputation passes always run to the end.
model::TrainedModel design_model(model::TrainedModel trained);

std::vector<DesignEvaluation> evaluate_designs(const DesignProblem& problem, const model::TrainedModel& model,
                                               const std::vector<std::vector<double>>& points, bool joint_objective,
                                               const model::MemberDistribution& distribution);

}  // namespace elec::opt
