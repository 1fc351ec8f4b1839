#include "elec/opt/design_config.hpp"

#include "elec/data/config_table.hpp"
#include "elec/data/source_text.hpp"

namespace elec::opt {
namespace {

using data::Key;
using data::Range;

const std::vector<Key<DesignSettings>>& settings_keys() {
  static const std::vector<Key<DesignSettings>> keys = {
      {"design", "evaluations", &DesignSettings::evaluations, Range::at_least(1), {}, "candidates in all"},
      {"design",
       "batch",
       &DesignSettings::batch,
       Range::at_least(1),
       {},
       "candidates suggested and predicted together"},
      {"design",
       "startup",
       &DesignSettings::startup,
       Range::at_least(0),
       {},
       "random candidates before TPE takes over"},
      {"design", "sampler", &DesignSettings::sampler, {}, {"tpe", "random"}, "how candidates are proposed"},
      {"design", "multivariate", &DesignSettings::multivariate, {}, {}, "joint Parzen estimator over all variables"},
      {"design", "objective", &DesignSettings::objective, {}, {"joint", "gaussian"}, "the probability maximised"},
      {"design", "top", &DesignSettings::top, Range::at_least(1), {}, "distinct feasible candidates reported"},
      {"design",
       "distinct",
       &DesignSettings::distinct,
       Range::half_open(0, 1),
       {},
       "fraction of a free variable's range below which two candidates are one design"},
      {"design", "seed", &DesignSettings::seed, Range::at_least(0), {}, "random seed of the search"},
  };
  return keys;
}

const std::vector<Key<DesignVariableSpec>>& variable_keys() {
  static const std::vector<Key<DesignVariableSpec>> keys = {
      {"design.variable", "name", &DesignVariableSpec::name, {}, {}, "a descriptor of the model"},
      {"design.variable", "low", &DesignVariableSpec::low, {}, {}, "lower bound of a free variable"},
      {"design.variable", "high", &DesignVariableSpec::high, {}, {}, "upper bound of a free variable"},
      {"design.variable", "value", &DesignVariableSpec::value, {}, {}, "fixed value"},
      {"design.variable", "kind", &DesignVariableSpec::kind, {}, {"float", "int"}, "float or int"},
      {"design.variable", "choices", &DesignVariableSpec::choices, {}, {}, "levels of a categorical searched"},
  };
  return keys;
}

const std::vector<Key<DesignSumSpec>>& sum_keys() {
  static const std::vector<Key<DesignSumSpec>> keys = {
      {"design.sum", "names", &DesignSumSpec::names, {}, {}, "descriptors that sum to the total"},
      {"design.sum", "total", &DesignSumSpec::total, Range::above(0), {}, "their sum"},
  };
  return keys;
}

const std::vector<Key<DesignDerivedSpec>>& derived_keys() {
  static const std::vector<Key<DesignDerivedSpec>> keys = {
      {"design.derived", "name", &DesignDerivedSpec::name, {}, {}, "the quantity (or a descriptor) computed"},
      {"design.derived",
       "expression",
       &DesignDerivedSpec::expression,
       {},
       {},
       "muparser expression over other quantities"},
  };
  return keys;
}

// Constraints and targets share their keys; only the section name differs.
std::vector<Key<DesignBoundSpec>> bound_keys(const char* section) {
  return {{section, "name", &DesignBoundSpec::name, {}, {}, "the quantity bounded"},
          {section, "min", &DesignBoundSpec::min, {}, {}, "at least this"},
          {section, "max", &DesignBoundSpec::max, {}, {}, "at most this"}};
}

// Each [[design.<name>]] table read with `keys`; a table without a name is reported at the table.
template <class Spec>
std::vector<Spec> read_tables(const toml::table& design, const std::string& name, const std::vector<Key<Spec>>& keys,
                              const std::string& path, data::Diagnostics& diag) {
  std::vector<Spec> specs;
  for (const toml::table* table : data::tables_of(design, name, "design", path, diag)) {
    Spec spec;
    const data::KeyPositions at = data::read_keys(*table, keys, "design." + name, spec, path, diag);
    spec.where = data::toml_position(path, table->source());
    if constexpr (std::is_same_v<Spec, DesignDerivedSpec>)
      if (at.count("expression"))
        spec.expression_at = at.at("expression"), ++spec.expression_at.column;  // past the quote
    specs.push_back(std::move(spec));
  }
  return specs;
}

void check_bounds(const std::vector<DesignBoundSpec>& bounds, const char* what, data::Diagnostics& diag) {
  for (const auto& b : bounds) {
    if (b.name.empty())
      diag.add(b.where, std::string("[[design.") + what + "]] without a name; expected name = \"<quantity>\"");
    if (!b.min && !b.max)
      diag.add(b.where, std::string("[[design.") + what + "]] \"" + b.name +
                            "\" has neither min nor max; expected at least one");
    if (b.min && b.max && *b.min > *b.max)
      diag.add(b.where, "\"" + b.name + "\": min " + data::format_number(*b.min) + " > max " +
                            data::format_number(*b.max) + "; expected min <= max");
  }
}

void check_tables(const DesignConfig& c, const data::SourcePosition& section, data::Diagnostics& diag) {
  for (const auto& v : c.variables)
    if (v.name.empty()) diag.add(v.where, "[[design.variable]] without a name; expected name = \"<descriptor>\"");
  for (const auto& s : c.sums) {
    if (s.names.size() < 2) diag.add(s.where, "[[design.sum]] needs names = [at least two descriptors]");
    if (!s.total) diag.add(s.where, "[[design.sum]] needs total = <their sum>");
  }
  for (const auto& d : c.derived)
    if (d.name.empty() || d.expression.empty()) diag.add(d.where, "[[design.derived]] needs name and expression");
  check_bounds(c.constraints, "constraint", diag);
  check_bounds(c.targets, "target", diag);
  if (c.targets.empty())
    diag.add(section, "[design] has no [[design.target]]; expected at least one threshold on a predicted quantity");
}

}  // namespace

std::string design_config_help() {
  return "Design config keys ([design] and its [[design.*]] tables; descriptors not listed are free within their "
         "training range):\n" +
         data::key_help(settings_keys()) + data::key_help(variable_keys()) + data::key_help(sum_keys()) +
         data::key_help(derived_keys()) + data::key_help(bound_keys("design.constraint")) +
         data::key_help(bound_keys("design.target"));
}

DesignConfig design_config_from_text(const std::string& text, const std::string& source, data::Diagnostics& diag) {
  DesignConfig config;
  config.source = source;
  config.text = text;
  const auto root = data::parse_toml(text, source, diag);
  if (!root) return config;
  const toml::node* design = root->get("design");
  if (!design || !design->is_table()) {
    diag.add({source, 0, 0}, "no [design] section; expected [design] with at least one [[design.target]]");
    return config;
  }
  const toml::table& table = *design->as_table();
  data::Diagnostics found;
  data::read_keys(table, settings_keys(), "design", config.settings, source, found,
                  {"variable", "sum", "derived", "constraint", "target"});
  config.variables = read_tables(table, "variable", variable_keys(), source, found);
  config.sums = read_tables(table, "sum", sum_keys(), source, found);
  config.derived = read_tables(table, "derived", derived_keys(), source, found);
  config.constraints = read_tables(table, "constraint", bound_keys("design.constraint"), source, found);
  config.targets = read_tables(table, "target", bound_keys("design.target"), source, found);
  check_tables(config, data::toml_position(source, table.source()), found);
  data::append_in_file_order(found, diag);
  return config;
}

DesignConfig read_design_config(const std::string& path, data::Diagnostics& diag) {
  const auto text = data::read_text_file(path, diag);
  if (!text) return {};
  return design_config_from_text(*text, path, diag);
}

}  // namespace elec::opt
