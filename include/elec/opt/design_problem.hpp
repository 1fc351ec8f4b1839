#pragma once
// A [design] section resolved against a trained model: how every descriptor of the model is set (free, fixed,
// derived, or on a simplex with others), the search space TPE sees, and the quantities that expressions,
// constraints and targets name. Quantities, in this order: the descriptor columns (schema order), the derived
// quantities that are not descriptors (declaration order), the predicted endpoints, the schema's derived curve
// scalars (D30, ...). A quantity is "predicted" when it comes from the ensemble or from an expression over one.
//
// build_design_problem = resolve_variables -> resolve_sums -> name_quantities -> resolve_derived -> make_space ->
// resolve_bounds; every
// problem (unknown names with the known ones, a categorical in an expression, a descriptor derived from a
// prediction, an empty range, a simplex whose bounds cannot meet its total, a target on a design variable) is
// reported at its file:line:col.
#include <limits>
#include <string>
#include <vector>

#include "elec/data/diagnostics.hpp"
#include "elec/model/trained_model.hpp"
#include "elec/opt/design_config.hpp"
#include "elec/opt/expression.hpp"
#include "elec/opt/search_space.hpp"

namespace elec::opt {

enum class VariableRole { Free, Fixed, Derived, Simplex };

struct DesignVariable {
  std::string name;
  VariableRole role = VariableRole::Free;
  bool categorical = false, integer = false;
  std::vector<std::string> levels;  // categorical: the levels searched (fixed: the one level)
  double low = 0.0, high = 0.0;     // numeric: the allowed range (free: searched; simplex, derived: checked)
  double value = std::numeric_limits<double>::quiet_NaN();  // fixed numeric
  int parameter = -1;                                       // free: its parameter in the space
};

// Descriptors on a simplex: sum = total, each within its range. Searched through len - 1 stick-breaking parameters
// in [0, 1] (parameters first_parameter ...), which map uniform draws to uniform points of the simplex.
struct SimplexGroup {
  std::vector<int> variables;
  double total = 1.0;
  int first_parameter = 0;
};

struct DerivedQuantity {
  std::string name;
  int quantity = 0;  // where its value goes (a descriptor's own quantity when it derives a descriptor)
  Expression expression;
  bool predicted = false;  // uses a predicted quantity: evaluated member by member after the prediction
};

struct Bound {
  std::string name;
  int quantity = 0;
  double min = -std::numeric_limits<double>::infinity(), max = std::numeric_limits<double>::infinity();
  bool predicted = false;  // on the ensemble mean after the prediction, else exact before it
  bool met_by(double value) const { return value >= min && value <= max; }
  std::string text() const;  // "active_mass_mg >= 25", "10 <= x <= 20"
};

struct DesignProblem {
  std::vector<DesignVariable> variables;  // the model's descriptor columns, schema order
  std::vector<SimplexGroup> sums;
  std::vector<DerivedQuantity> derived;  // declaration order
  // Constraints: the config's, then the implicit ones (simplex members and derived descriptors within their range).
  std::vector<Bound> constraints, targets;
  std::vector<Parameter> parameters;  // what TPE searches: free variables, then each simplex's sticks
  std::vector<std::string> quantity_names;
  std::size_t first_endpoint = 0, first_curve_scalar = 0;

  bool predicted(std::size_t quantity) const { return quantity >= first_endpoint || predicted_derived(quantity); }
  bool predicted_derived(std::size_t quantity) const;
};

// Throws nothing; problems go to diag (the problem is then incomplete and must not be used).
DesignProblem build_design_problem(const DesignConfig& config, const model::TrainedModel& model,
                                   data::Diagnostics& diag);

// A point of the space as a design: every quantity before the prediction (design variables and the derived
// quantities that are not predicted; NaN for the rest and for categoricals), the level of each categorical variable
// (else ""), and the first design-stage constraint it breaks (-1: none).
struct Design {
  std::vector<double> quantities;
  std::vector<std::string> levels;
  int broken = -1;
};
Design decode_point(const DesignProblem& problem, const std::vector<double>& point);

// The model's encoded descriptor features of designs (rows x features; categoricals one-hot).
Matrix encode_designs(const DesignProblem& problem, const model::TrainedModel& model,
                      const std::vector<Design>& designs);

}  // namespace elec::opt
