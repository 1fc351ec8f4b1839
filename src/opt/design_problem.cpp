#include "elec/opt/design_problem.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "elec/data/config_table.hpp"
#include "elec/data/csv.hpp"

namespace elec::opt {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const data::CategoricalEncoding* encoding_of(const model::TrainedModel& model, const std::string& column) {
  for (const auto& e : model.encodings)
    if (e.column == column) return &e;
  return nullptr;
}

int feature_of(const model::TrainedModel& model, const std::string& name) {
  const auto it = std::find(model.descriptor_names.begin(), model.descriptor_names.end(), name);
  return it == model.descriptor_names.end() ? -1 : static_cast<int>(it - model.descriptor_names.begin());
}

// A numeric descriptor's defaults from the training table: its range, and whether every value was whole.
DesignVariable numeric_default(const model::TrainedModel& model, const std::string& name) {
  DesignVariable v;
  v.name = name;
  const int f = feature_of(model, name);
  const auto column = model.training_descriptors.col(f);
  v.low = column.minCoeff();
  v.high = column.maxCoeff();
  v.integer = (column.array() == column.array().round()).all();
  // One value in training: nothing to search, and no range to search it in.
  if (v.low == v.high) v.role = VariableRole::Fixed, v.value = v.low;
  return v;
}

// A sum of bounds as the user wrote them (0.7 + 0.6 is 1.3, not 1.2999999999999998).
std::string rounded(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.12g", value);
  return text;
}

class ProblemBuilder {
 public:
  ProblemBuilder(const DesignConfig& config, const model::TrainedModel& model, data::Diagnostics& diag)
      : c_(config), model_(model), diag_(diag) {}

  DesignProblem build() {
    resolve_variables();
    resolve_sums();
    name_quantities();
    resolve_derived();
    make_space();  // after resolve_derived: a derived descriptor is not searched
    p_.constraints = resolve_bounds(c_.constraints, false);
    p_.targets = resolve_bounds(c_.targets, true);
    add_range_constraints();
    return std::move(p_);
  }

 private:
  // Every descriptor column of the schema, free by default; a [[design.variable]] fixes it, bounds it or lists its
  // levels.
  void resolve_variables() {
    for (const auto& column : model_.schema.columns) {
      if (column.role != data::Role::Descriptor) continue;
      if (const auto* e = encoding_of(model_, column.name)) {
        DesignVariable v;
        v.name = column.name;
        v.categorical = true;
        v.levels = e->levels;
        if (v.levels.size() == 1) v.role = VariableRole::Fixed;
        p_.variables.push_back(v);
      } else {
        p_.variables.push_back(numeric_default(model_, column.name));
      }
    }
    for (const auto& spec : c_.variables) {
      if (spec.name.empty()) continue;  // reported by the config reader
      const int k = variable_index(spec.name, spec.where);
      if (k < 0) continue;
      if (!configured_.insert(k).second) {
        diag_.add(spec.where,
                  "\"" + spec.name + "\" is configured twice; expected one [[design.variable]] per descriptor");
        continue;
      }
      DesignVariable& v = p_.variables[static_cast<std::size_t>(k)];
      v.categorical ? apply_levels(spec, v) : apply_numeric(spec, v);
    }
  }

  int variable_index(const std::string& name, const data::SourcePosition& where) {
    for (std::size_t k = 0; k < p_.variables.size(); ++k)
      if (p_.variables[k].name == name) return static_cast<int>(k);
    std::vector<std::string> names;
    for (const auto& v : p_.variables) names.push_back(v.name);
    diag_.add(where, "\"" + name + "\" is not a descriptor of the model; expected one of " + data::join(names, ", "));
    return -1;
  }

  void apply_levels(const DesignVariableSpec& spec, DesignVariable& v) {
    if (spec.low || spec.high || spec.value || !spec.kind.empty())
      diag_.add(spec.where, "\"" + v.name + "\" is categorical; expected choices = [levels] (one level to fix it)");
    if (spec.choices.empty()) return;
    for (const auto& level : spec.choices)
      if (std::find(v.levels.begin(), v.levels.end(), level) == v.levels.end())
        diag_.add(spec.where, "\"" + level + "\" is not a level of " + v.name + " seen in training; expected one of " +
                                  data::join(v.levels, ", "));
    v.levels = spec.choices;
    v.role = v.levels.size() == 1 ? VariableRole::Fixed : VariableRole::Free;
  }

  void apply_numeric(const DesignVariableSpec& spec, DesignVariable& v) {
    if (!spec.choices.empty())
      diag_.add(spec.where, "\"" + v.name + "\" is numeric; expected low/high or value, not choices");
    if (!spec.kind.empty()) v.integer = spec.kind == "int";
    if (spec.value) {
      if (spec.low || spec.high)
        diag_.add(spec.where, "\"" + v.name + "\" has a value and a range; expected one of them");
      v.role = VariableRole::Fixed;
      v.value = *spec.value;
      return;
    }
    v.role = VariableRole::Free;
    if (spec.low) v.low = *spec.low;
    if (spec.high) v.high = *spec.high;
    if (v.integer) v.low = std::ceil(v.low), v.high = std::floor(v.high);
    if (!(v.low < v.high))
      diag_.add(spec.where, "\"" + v.name + "\": the range " + data::format_number(v.low) + " .. " +
                                data::format_number(v.high) +
                                " is empty; expected low < high (or value = ... to fix it)");
  }

  void resolve_sums() {
    for (const auto& spec : c_.sums) {
      SimplexGroup group;
      group.total = spec.total.value_or(1.0);
      double lows = 0.0, highs = 0.0;
      for (const auto& name : spec.names) {
        const int k = variable_index(name, spec.where);
        if (k < 0) continue;
        DesignVariable& v = p_.variables[static_cast<std::size_t>(k)];
        if (v.categorical || v.role != VariableRole::Free || in_sum_.count(k))
          diag_.add(
              spec.where,
              "\"" + name + "\" cannot be on a simplex; expected a free numeric descriptor in one [[design.sum]]");
        in_sum_.insert(k);
        v.role = VariableRole::Simplex;
        v.integer = false;
        lows += v.low, highs += v.high;
        group.variables.push_back(k);
      }
      if (spec.total && (lows > group.total || highs < group.total))
        diag_.add(spec.where, "the ranges of " + data::join(spec.names, ", ") + " sum to " + rounded(lows) + " .. " +
                                  rounded(highs) + "; expected the total " + data::format_number(group.total) +
                                  " inside (widen a range or change the total)");
      p_.sums.push_back(group);
    }
  }

  void make_space() {
    for (auto& v : p_.variables) {
      if (v.role != VariableRole::Free) continue;
      v.parameter = static_cast<int>(p_.parameters.size());
      if (v.categorical)
        p_.parameters.push_back(Parameter::categorical(v.name, v.levels));
      else if (v.integer)
        p_.parameters.push_back(Parameter::integer(v.name, std::lround(v.low), std::lround(v.high)));
      else
        p_.parameters.push_back(Parameter::floating(v.name, v.low, v.high));
    }
    for (std::size_t g = 0; g < p_.sums.size(); ++g) {
      p_.sums[g].first_parameter = static_cast<int>(p_.parameters.size());
      for (std::size_t k = 0; k + 1 < p_.sums[g].variables.size(); ++k)
        p_.parameters.push_back(
            Parameter::floating("sum" + std::to_string(g + 1) + ".stick" + std::to_string(k + 1), 0.0, 1.0));
    }
  }

  void name_quantities() {
    for (const auto& v : p_.variables) p_.quantity_names.push_back(v.name);
    for (const auto& d : c_.derived)
      if (std::none_of(p_.variables.begin(), p_.variables.end(),
                       [&](const DesignVariable& v) { return v.name == d.name; }))
        p_.quantity_names.push_back(d.name);
    p_.first_endpoint = p_.quantity_names.size();
    for (const auto& e : model_.endpoint_names) p_.quantity_names.push_back(e);
    p_.first_curve_scalar = p_.quantity_names.size();
    for (const auto& d : model_.schema.derived) p_.quantity_names.push_back(d.name);
    std::map<std::string, int> seen;
    for (const auto& name : p_.quantity_names) ++seen[name];
    for (const auto& d : c_.derived)
      if (seen[d.name] > 1)
        diag_.add(
            d.where,
            "\"" + d.name + "\" is derived twice, or is an endpoint of the model; expected a new name or a descriptor");
  }

  int quantity_index(const std::string& name) const {
    const auto it = std::find(p_.quantity_names.begin(), p_.quantity_names.end(), name);
    return it == p_.quantity_names.end() ? -1 : static_cast<int>(it - p_.quantity_names.begin());
  }

  // Where `name` first stands in the expression of `d`.
  static data::SourcePosition position_of(const DesignDerivedSpec& d, const std::string& name) {
    data::SourcePosition at = d.expression_at;
    const auto offset = d.expression.find(name);
    if (at.column > 0 && offset != std::string::npos) at.column += static_cast<int>(offset);
    return at;
  }

  // Each expression may use the quantities known before it: design variables, derived quantities declared above it,
  // and predicted ones (which make it predicted). A categorical has no number to compute with.
  void resolve_derived() {
    const std::vector<std::string>& visible = p_.quantity_names;
    std::vector<bool> ready(visible.size(), true);
    for (const auto& d : c_.derived)
      if (quantity_index(d.name) >= 0) ready[static_cast<std::size_t>(quantity_index(d.name))] = false;
    for (const auto& d : c_.derived) {
      const int q = quantity_index(d.name);
      if (q < 0 || d.expression.empty()) continue;  // reported by the config reader
      if (q < static_cast<int>(p_.variables.size()) &&
          p_.variables[static_cast<std::size_t>(q)].role != VariableRole::Free)
        diag_.add(d.where,
                  "\"" + d.name +
                      "\" is already fixed, categorical or on a simplex; expected a free descriptor or a new name");
      auto expression = Expression::compile(d.expression, visible, d.expression_at, diag_);
      if (!expression) continue;
      bool predicted = false;
      for (std::size_t used : expression->uses()) {
        if (used < p_.variables.size() && p_.variables[used].categorical)
          diag_.add(position_of(d, visible[used]), "\"" + visible[used] +
                                                       "\" is categorical (a level, not a number); "
                                                       "expected a numeric quantity");
        if (!ready[used])
          diag_.add(d.expression_at, "\"" + p_.quantity_names[used] +
                                         "\" is used before it is derived; expected quantities declared above");
        predicted = predicted || p_.predicted(used);
      }
      if (predicted && q < static_cast<int>(p_.variables.size()))
        diag_.add(d.expression_at, "descriptor \"" + d.name +
                                       "\" would depend on a prediction; expected an expression over design variables");
      if (q < static_cast<int>(p_.variables.size()))
        p_.variables[static_cast<std::size_t>(q)].role = VariableRole::Derived;
      ready[static_cast<std::size_t>(q)] = true;
      p_.derived.push_back({d.name, q, std::move(*expression), predicted});
    }
  }

  // The quantities that share a word with `name` ("active_mass" -> active_mass_mg), else all of them.
  std::string similar_names(const std::string& name) const {
    std::vector<std::string> similar;
    for (const auto& q : p_.quantity_names) {
      const std::string word = name.substr(0, name.find('_'));
      if (q.find(name) != std::string::npos || name.find(q) != std::string::npos ||
          (word.size() >= 3 && q.find(word) != std::string::npos))
        similar.push_back(q);
    }
    return similar.empty() || similar.size() > 12 ? data::join(p_.quantity_names, ", ")
                                                  : "closest: " + data::join(similar, ", ");
  }

  std::vector<Bound> resolve_bounds(const std::vector<DesignBoundSpec>& specs, bool targets) {
    std::vector<Bound> bounds;
    for (const auto& spec : specs) {
      if (spec.name.empty()) continue;  // reported by the config reader
      const int q = quantity_index(spec.name);
      if (q < 0) {
        diag_.add(spec.where, "\"" + spec.name +
                                  "\" is not a quantity of this design; expected a descriptor, a derived "
                                  "quantity, an endpoint or a derived curve scalar (" +
                                  similar_names(spec.name) + ")");
        continue;
      }
      if (q < static_cast<int>(p_.variables.size()) && p_.variables[static_cast<std::size_t>(q)].categorical) {
        diag_.add(spec.where,
                  "\"" + spec.name + "\" is categorical; expected its levels as choices in [[design.variable]]");
        continue;
      }
      Bound b{spec.name, q};
      b.min = spec.min.value_or(b.min), b.max = spec.max.value_or(b.max);
      b.predicted = p_.predicted(static_cast<std::size_t>(q));
      if (targets && !b.predicted)
        diag_.add(spec.where, "target \"" + spec.name +
                                  "\" is not predicted (a design variable is known exactly); expected "
                                  "a [[design.constraint]] for it");
      bounds.push_back(b);
    }
    return bounds;
  }

  // The training range (or the configured one) holds for descriptors that are not searched directly.
  void add_range_constraints() {
    for (const auto& v : p_.variables) {
      if (v.role != VariableRole::Simplex && v.role != VariableRole::Derived) continue;
      Bound b{v.name, quantity_index(v.name), v.low, v.high, false};
      p_.constraints.push_back(b);
    }
    if (p_.parameters.empty())
      diag_.add({c_.source, 0, 0},
                "every descriptor is fixed or derived; expected at least one free variable to search");
  }

  const DesignConfig& c_;
  const model::TrainedModel& model_;
  data::Diagnostics& diag_;
  DesignProblem p_;
  std::set<int> configured_, in_sum_;
};

// Uniform on {x >= low, sum x = total} from uniform u in [0,1]^(n-1): each stick takes a Beta(1, n-1-k) share of
// what is left (inverse CDF 1 - (1-u)^(1/(n-1-k))).
void place_on_simplex(const DesignProblem& p, const SimplexGroup& group, const std::vector<double>& point,
                      std::vector<double>& quantities) {
  const std::size_t n = group.variables.size();
  double left = group.total;
  for (int k : group.variables) left -= p.variables[static_cast<std::size_t>(k)].low;
  for (std::size_t k = 0; k < n; ++k) {
    const auto& v = p.variables[static_cast<std::size_t>(group.variables[k])];
    double share = left;
    if (k + 1 < n) {
      const double u = point[static_cast<std::size_t>(group.first_parameter) + k];
      share = left * (1.0 - std::pow(1.0 - u, 1.0 / static_cast<double>(n - 1 - k)));
      left -= share;
    }
    quantities[static_cast<std::size_t>(group.variables[k])] = v.low + share;
  }
}

}  // namespace

bool DesignProblem::predicted_derived(std::size_t quantity) const {
  for (const auto& d : derived)
    if (static_cast<std::size_t>(d.quantity) == quantity) return d.predicted;
  return false;
}

std::string Bound::text() const {
  const bool low = std::isfinite(min), high = std::isfinite(max);
  if (low && high) return data::format_number(min) + " <= " + name + " <= " + data::format_number(max);
  return name + (low ? " >= " + data::format_number(min) : " <= " + data::format_number(max));
}

DesignProblem build_design_problem(const DesignConfig& config, const model::TrainedModel& model,
                                   data::Diagnostics& diag) {
  return ProblemBuilder(config, model, diag).build();
}

Design decode_point(const DesignProblem& p, const std::vector<double>& point) {
  Design d;
  d.quantities.assign(p.quantity_names.size(), kNaN);
  d.levels.assign(p.variables.size(), "");
  for (std::size_t k = 0; k < p.variables.size(); ++k) {
    const DesignVariable& v = p.variables[k];
    if (v.role == VariableRole::Fixed)
      v.categorical ? void(d.levels[k] = v.levels.front()) : void(d.quantities[k] = v.value);
    if (v.role != VariableRole::Free) continue;
    const double x = point[static_cast<std::size_t>(v.parameter)];
    // + 0.0: an integer rounded from a small negative draw is -0, which would be written "-0".
    v.categorical ? void(d.levels[k] = v.levels[static_cast<std::size_t>(x)]) : void(d.quantities[k] = x + 0.0);
  }
  for (const auto& group : p.sums) place_on_simplex(p, group, point, d.quantities);
  for (const auto& derived : p.derived)
    if (!derived.predicted)
      d.quantities[static_cast<std::size_t>(derived.quantity)] = derived.expression.evaluate(d.quantities);
  for (std::size_t c = 0; c < p.constraints.size() && d.broken < 0; ++c) {
    const Bound& b = p.constraints[c];
    if (!b.predicted && !b.met_by(d.quantities[static_cast<std::size_t>(b.quantity)])) d.broken = static_cast<int>(c);
  }
  return d;
}

Matrix encode_designs(const DesignProblem& p, const model::TrainedModel& model, const std::vector<Design>& designs) {
  Matrix x =
      Matrix::Zero(static_cast<Eigen::Index>(designs.size()), static_cast<Eigen::Index>(model.descriptor_names.size()));
  for (std::size_t k = 0; k < p.variables.size(); ++k) {
    const DesignVariable& v = p.variables[k];
    for (std::size_t r = 0; r < designs.size(); ++r) {
      const int f = v.categorical ? feature_of(model, v.name + "=" + designs[r].levels[k]) : feature_of(model, v.name);
      if (f < 0) throw std::logic_error("design variable " + v.name + " has no feature in the model");
      x(static_cast<Eigen::Index>(r), f) = v.categorical ? 1.0 : designs[r].quantities[k];
    }
  }
  return x;
}

}  // namespace elec::opt
