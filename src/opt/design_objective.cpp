#include "elec/opt/design_objective.hpp"

#include <algorithm>
#include <cmath>

#include "elec/model/curve_readout.hpp"
#include "elec/model/member_statistics.hpp"
#include "elec/model/pipeline.hpp"

namespace elec::opt {
namespace {

// Every member's value of every quantity for the predicted candidates: members x candidates x quantities.
struct MemberQuantities {
  std::vector<double> values;
  std::size_t members = 0, rows = 0, quantities = 0;
  model::Centre centre = model::Centre::Mean;  // the model's: how a design's prediction is read from its members
  double* at(std::size_t m, std::size_t r) { return &values[(m * rows + r) * quantities]; }
};

std::vector<std::size_t> feasible_rows(const std::vector<DesignEvaluation>& out) {
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < out.size(); ++r)
    if (out[r].design.broken < 0) rows.push_back(r);
  return rows;
}

// The ensemble's members on the candidates, and the quantities computed from them member by member.
MemberQuantities predict_members(const DesignProblem& p, const model::TrainedModel& model,
                                 const std::vector<DesignEvaluation>& out, const std::vector<std::size_t>& rows,
                                 const model::MemberDistribution& distribution) {
  std::vector<Design> designs;
  for (std::size_t r : rows) designs.push_back(out[r].design);
  const Matrix x = encode_designs(p, model, designs);
  const Matrix blank = Matrix::Constant(x.rows(), static_cast<Eigen::Index>(model.endpoint_names.size()), std::nan(""));
  const model::CellPredictions predicted = model::predict_cells(model, x, blank, distribution, nullptr, true);
  const std::size_t members = model.members.size(), E = model.endpoint_names.size();
  const model::Centre centre = model::centre_named(model.config.centre);
  const model::MemberValues all{predicted.members, members, rows.size(), E, centre};
  const model::MemberSpread scalars = model::derived_scalars(all, model.curves, model.schema.derived);
  const std::size_t S = model.schema.derived.size();
  MemberQuantities q{std::vector<double>(members * rows.size() * p.quantity_names.size()), members, rows.size(),
                     p.quantity_names.size(), centre};
  for (std::size_t m = 0; m < members; ++m)
    for (std::size_t r = 0; r < rows.size(); ++r) {
      double* values = q.at(m, r);
      std::copy(designs[r].quantities.begin(), designs[r].quantities.end(), values);
      for (std::size_t e = 0; e < E; ++e) values[p.first_endpoint + e] = all.at(m, r, e);
      for (std::size_t s = 0; s < S; ++s)
        values[p.first_curve_scalar + s] = scalars.members[(m * rows.size() + r) * S + s];
    }
  return q;
}

// The predicted derived quantities, member by member, in declaration order (each may use the ones before it).
void derive_per_member(const DesignProblem& p, MemberQuantities& q) {
  std::vector<double> values(q.quantities);
  for (std::size_t m = 0; m < q.members; ++m)
    for (std::size_t r = 0; r < q.rows; ++r) {
      double* row = q.at(m, r);
      std::copy(row, row + q.quantities, values.begin());
      for (const auto& d : p.derived)
        if (d.predicted) values[static_cast<std::size_t>(d.quantity)] = row[d.quantity] = d.expression.evaluate(values);
    }
}

void reduce_members(MemberQuantities& q, std::size_t r, DesignEvaluation& out) {
  std::vector<double> row(q.members * q.quantities);  // members x quantities of candidate r
  for (std::size_t m = 0; m < q.members; ++m) std::copy_n(q.at(m, r), q.quantities, row.begin() + m * q.quantities);
  model::member_statistics(row, q.members, q.quantities, q.centre, out.mean, out.spread);
}

void score(const DesignProblem& p, MemberQuantities& q, std::size_t r, bool joint_objective, DesignEvaluation& out) {
  reduce_members(q, r, out);
  // Design quantities are known exactly: their average over members would differ from them by rounding.
  for (std::size_t k = 0; k < q.quantities; ++k)
    if (!p.predicted(k)) out.mean[k] = out.design.quantities[k], out.spread[k] = 0.0;
  for (std::size_t c = 0; c < p.constraints.size() && out.broken < 0; ++c) {
    const Bound& b = p.constraints[c];
    if (b.predicted && !b.met_by(out.mean[static_cast<std::size_t>(b.quantity)])) out.broken = static_cast<int>(c);
  }
  std::size_t meeting = 0;
  for (std::size_t m = 0; m < q.members; ++m)
    meeting += std::all_of(p.targets.begin(), p.targets.end(),
                           [&](const Bound& t) { return t.met_by(q.at(m, r)[t.quantity]); });
  out.p_joint = static_cast<double>(meeting) / static_cast<double>(q.members);
  out.p_gaussian = 1.0;
  for (const Bound& t : p.targets) {
    const auto k = static_cast<std::size_t>(t.quantity);
    out.p_gaussian *= normal_probability(out.mean[k], out.spread[k], t.min, t.max);
  }
  out.feasible = out.broken < 0;
  out.objective = out.feasible ? (joint_objective ? out.p_joint : out.p_gaussian) : 0.0;
}

}  // namespace

double normal_probability(double mean, double std, double min, double max) {
  if (std::isnan(mean)) return 0.0;
  if (!(std > 0.0)) return mean >= min && mean <= max ? 1.0 : 0.0;
  // Each tail from its own erfc, so that a far tail keeps its (tiny) value instead of 1 - 1 = 0: TPE can then still
  // rank candidates that are all far from a target.
  const auto below = [&](double x) { return 0.5 * std::erfc(-(x - mean) / (std * std::sqrt(2.0))); };
  const auto above = [&](double x) { return 0.5 * std::erfc((x - mean) / (std * std::sqrt(2.0))); };
  if (std::isinf(max)) return std::isinf(min) ? 1.0 : above(min);
  if (std::isinf(min)) return below(max);
  return std::max(0.0, mean < min ? above(min) - above(max) : below(max) - below(min));
}

model::TrainedModel design_model(model::TrainedModel trained) {
  trained.config.tolerance = 0.0;
  return trained;
}

std::vector<DesignEvaluation> evaluate_designs(const DesignProblem& p, const model::TrainedModel& model,
                                               const std::vector<std::vector<double>>& points, bool joint_objective,
                                               const model::MemberDistribution& distribution) {
  std::vector<DesignEvaluation> out(points.size());
  for (std::size_t r = 0; r < points.size(); ++r) {
    out[r].design = decode_point(p, points[r]);
    out[r].broken = out[r].design.broken;
    out[r].mean = out[r].design.quantities;
    out[r].spread.assign(out[r].mean.size(), 0.0);
  }
  const std::vector<std::size_t> rows = feasible_rows(out);
  if (rows.empty()) return out;
  MemberQuantities q = predict_members(p, model, out, rows, distribution);
  derive_per_member(p, q);
  for (std::size_t k = 0; k < rows.size(); ++k) score(p, q, k, joint_objective, out[rows[k]]);
  return out;
}

}  // namespace elec::opt
