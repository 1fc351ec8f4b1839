#include "elec/opt/tune_config.hpp"

#include <cmath>
#include <set>

#include "elec/data/config_table.hpp"
#include "elec/data/csv.hpp"
#include "elec/data/source_text.hpp"
#include "elec/data/study_config.hpp"

namespace elec::opt {
namespace {

using data::Diagnostics;
using data::Range;
using data::toml_position;

const std::vector<data::Key<TuneConfig>>& tune_keys() {
  static const std::vector<data::Key<TuneConfig>> keys = {
      {"tune",
       "trials",
       &TuneConfig::trials,
       Range::at_least(1),
       {},
       "trials in all, including trial 0 = the config's own values"},
      {"tune",
       "batch",
       &TuneConfig::batch,
       Range::at_least(1),
       {},
       "trials suggested together and evaluated by groups of ranks at once"},
      {"tune", "startup", &TuneConfig::startup, Range::at_least(0), {}, "random trials before TPE takes over"},
      {"tune", "multivariate", &TuneConfig::multivariate, {}, {}, "joint Parzen estimator over all parameters"},
      {"tune", "folds", &TuneConfig::folds, Range::at_least(2), {}, "cross-validation folds per trial"},
      {"tune", "group", &TuneConfig::group, {}, {}, "a column whose equal values stay in one fold"},
      {"tune", "objective", &TuneConfig::objective, {}, {}, "median_r2 | mean_r2 | r2:<target>"},
      {"tune", "members", &TuneConfig::members, Range::at_least(1), {}, "ensemble size during the search"},
  };
  return keys;
}

// One [[tune.parameter]] table as written.
struct ParameterSpec {
  std::string name, kind = "float";
  std::optional<double> low, high;
  bool log = false;
  std::vector<std::string> choices;
};

const std::vector<data::Key<ParameterSpec>>& parameter_keys() {
  static const std::vector<data::Key<ParameterSpec>> keys = {
      {"tune.parameter", "name", &ParameterSpec::name, {}, {}, "a study parameter as section.key"},
      {"tune.parameter", "kind", &ParameterSpec::kind, {}, {"float", "int", "categorical"}, "how it is searched"},
      {"tune.parameter", "low", &ParameterSpec::low, {}, {}, "lower bound (float, int)"},
      {"tune.parameter", "high", &ParameterSpec::high, {}, {}, "upper bound (float, int)"},
      {"tune.parameter", "log", &ParameterSpec::log, {}, {}, "search log(value)"},
      {"tune.parameter", "choices", &ParameterSpec::choices, {}, {}, "the texts a categorical parameter takes"},
  };
  return keys;
}

class TuneReader {
 public:
  TuneReader(const std::string& path, Diagnostics& diag) : path_(path), diag_(diag) {}

  void settings(const toml::table& tune, TuneConfig& c) {
    const data::KeyPositions at = data::read_keys(tune, tune_keys(), "tune", c, path_, diag_, {"parameter"});
    if (!at.count("objective")) return;
    c.objective_at = at.at("objective");
    const std::string& t = c.objective;
    if (!(t == "median_r2" || t == "mean_r2" || (t.rfind("r2:", 0) == 0 && t.size() > 3))) {
      diag_.add(c.objective_at, "objective \"" + t + "\" is not known; expected median_r2, mean_r2 or r2:<target>");
      c.objective = "median_r2";
    }
  }

  void parameter(const toml::table& table, TuneConfig& c, std::set<std::string>& seen) {
    const std::size_t problems_before = diag_.size();
    ParameterSpec spec;
    data::read_keys(table, parameter_keys(), "tune.parameter", spec, path_, diag_);
    const auto& [name, kind, low, high, log, choices] = spec;
    const auto where = toml_position(path_, table.source());
    if (diag_.size() > problems_before) return;
    bool numeric = true;
    if (name.empty()) return diag_.add(where, "[[tune.parameter]] without a name; expected name = \"section.key\"");
    if (!data::is_parameter(name, &numeric))
      return diag_.add(where,
                       "\"" + name + "\" is not a study parameter; expected section.key, e.g. model.learning_rate");
    if (!seen.insert(name).second)
      return diag_.add(where, "\"" + name + "\" is tuned twice; expected each parameter once");
    try {
      Parameter parameter;
      if (kind == "categorical") {
        if (numeric) return diag_.add(where, "\"" + name + "\" is numeric; expected kind = \"float\" or \"int\"");
        parameter = Parameter::categorical(name, choices);
        for (const auto& choice : choices) {
          data::StudyConfig probe;
          const std::string wrong = data::set_parameter(probe, name, 0.0, choice);
          if (!wrong.empty()) diag_.add(where, wrong);
        }
      } else if (kind == "float" || kind == "int") {
        if (!numeric)
          return diag_.add(where, "\"" + name + "\" takes a text; expected kind = \"categorical\" with choices");
        if (!low || !high) return diag_.add(where, "\"" + name + "\" needs low and high");
        if (kind == "int")
          for (const auto& [key, bound] : {std::pair{"low", *low}, std::pair{"high", *high}})
            if (bound != std::floor(bound))
              diag_.add(where, std::string(key) + " = " + data::format_number(bound) + " of int parameter \"" + name +
                                   "\"; expected an integer");
        for (double bound : {*low, *high}) {
          data::StudyConfig probe;
          const std::string wrong = data::set_parameter(probe, name, bound);
          if (!wrong.empty()) diag_.add(where, "bound of the search: " + wrong);
        }
        if (diag_.size() > problems_before) return;  // std::lround of a bound outside long's range has no defined value
        parameter = kind == "float" ? Parameter::floating(name, *low, *high, log)
                                    : Parameter::integer(name, std::lround(*low), std::lround(*high), log);
      } else {
        return diag_.add(where, "kind \"" + kind + "\" is not known; expected float, int or categorical");
      }
      // The search space's own rules (low < high, a log scale above 0, at least one choice): what it refuses is
      // reported here, at the parameter's line, instead of stopping elec_hpc tune later with an unexpected error.
      // Checked only when nothing was reported yet, so one mistake gives one message.
      if (diag_.size() > problems_before) return;
      const SearchSpace accepted({parameter});
      c.parameters.push_back(parameter);
    } catch (const std::invalid_argument& e) {
      diag_.add(where, e.what());
    }
  }

 private:
  const std::string& path_;
  Diagnostics& diag_;
};

}  // namespace

TuneConfig read_tune_config(const std::string& path, Diagnostics& diag) {
  TuneConfig config;
  const auto text = data::read_text_file(path, diag);
  if (!text) return config;
  const auto root = data::parse_toml(*text, path, diag);
  if (!root) return config;
  const toml::node* tune = root->get("tune");
  if (!tune || !tune->is_table()) {
    diag.add({path, 0, 0}, "no [tune] section; expected [tune] with [[tune.parameter]] tables naming what to search");
    return config;
  }
  Diagnostics found;
  TuneReader reader(path, found);
  reader.settings(*tune->as_table(), config);
  std::set<std::string> seen;
  const auto parameters = data::tables_of(*tune->as_table(), "parameter", "tune", path, found);
  if (parameters.empty())
    found.add(toml_position(path, tune->source()), "[tune] has no [[tune.parameter]] tables; expected at least one");
  for (const toml::table* table : parameters) reader.parameter(*table, config, seen);
  data::append_in_file_order(found, diag);
  return config;
}

}  // namespace elec::opt
