#include "elec/opt/tune_config.hpp"

#include <cmath>

#include "elec/data/csv.hpp"
#include <map>
#include <set>

#include "elec/data/source_text.hpp"
#include "elec/data/study_config.hpp"

namespace elec::opt {
namespace {

using data::describe_type;
using data::Diagnostics;
using data::toml_position;

class TuneReader {
 public:
  TuneReader(const std::string& path, Diagnostics& diag) : path_(path), diag_(diag) {}

  void problem(const toml::node& at, const std::string& message) { diag_.add(toml_position(path_, at.source()), message); }

  std::optional<double> number(const toml::node& value, const std::string& key) {
    const auto n = value.is_number() ? value.value<double>() : std::nullopt;
    if (!n || !std::isfinite(*n)) problem(value, "\"" + key + "\" is " + describe_type(value) + "; expected a finite number");
    return n && std::isfinite(*n) ? n : std::nullopt;
  }
  std::optional<long> integer(const toml::node& value, const std::string& key, long at_least) {
    const auto n = value.value_exact<std::int64_t>();
    if (!n || *n < at_least)
      problem(value, "\"" + key + "\" is " + (n ? std::to_string(*n) : describe_type(value)) + "; expected an integer >= " +
                         std::to_string(at_least));
    return n && *n >= at_least ? std::optional<long>(*n) : std::nullopt;
  }
  std::optional<std::string> text(const toml::node& value, const std::string& key) {
    const auto t = value.value_exact<std::string>();
    if (!t) problem(value, "\"" + key + "\" is " + describe_type(value) + "; expected a string");
    return t;
  }

  void settings(const toml::table& tune, TuneConfig& c) {
    for (auto&& [k, value] : tune) {
      const std::string key(k.str());
      if (key == "parameter") continue;
      if (key == "trials") { if (auto n = integer(value, key, 1)) c.trials = static_cast<int>(*n); }
      else if (key == "batch") { if (auto n = integer(value, key, 1)) c.batch = static_cast<int>(*n); }
      else if (key == "startup") { if (auto n = integer(value, key, 0)) c.startup = static_cast<int>(*n); }
      else if (key == "folds") { if (auto n = integer(value, key, 2)) c.folds = static_cast<int>(*n); }
      else if (key == "members") { if (auto n = integer(value, key, 1)) c.members = static_cast<int>(*n); }
      else if (key == "group") { if (auto t = text(value, key)) c.group = *t; }
      else if (key == "multivariate") {
        if (const auto b = value.value_exact<bool>()) c.multivariate = *b;
        else problem(value, "\"multivariate\" is " + describe_type(value) + "; expected true or false");
      } else if (key == "objective") {
        if (auto t = text(value, key)) {
          c.objective_at = toml_position(path_, value.source());
          if (*t == "median_r2" || *t == "mean_r2" || (t->rfind("r2:", 0) == 0 && t->size() > 3)) c.objective = *t;
          else problem(value, "objective \"" + *t + "\" is not known; expected median_r2, mean_r2 or r2:<target>");
        }
      } else {
        diag_.add(toml_position(path_, k.source()),
                  "unknown key \"" + key + "\" in [tune]; expected trials, batch, startup, multivariate, folds, group, "
                  "objective, members or [[tune.parameter]]");
      }
    }
  }

  void parameter(const toml::table& table, TuneConfig& c, std::set<std::string>& seen) {
    const std::size_t problems_before = diag_.size();
    std::string name, kind = "float";
    std::optional<double> low, high;
    bool log = false;
    std::vector<std::string> choices;
    const auto where = toml_position(path_, table.source());
    for (auto&& [k, value] : table) {
      const std::string key(k.str());
      if (key == "name") { if (auto t = text(value, key)) name = *t; }
      else if (key == "kind") { if (auto t = text(value, key)) kind = *t; }
      else if (key == "low") low = number(value, key);
      else if (key == "high") high = number(value, key);
      else if (key == "log") {
        if (const auto b = value.value_exact<bool>()) log = *b;
        else problem(value, "\"log\" is " + describe_type(value) + "; expected true or false");
      } else if (key == "choices") {
        const toml::array* list = value.as_array();
        if (!list || list->empty()) problem(value, "\"choices\" is " + describe_type(value) + "; expected a non-empty array of strings");
        else for (const auto& element : *list) if (auto t = text(element, "choices")) choices.push_back(*t);
      } else {
        diag_.add(toml_position(path_, k.source()), "unknown key \"" + key + "\" in [[tune.parameter]]; expected name, "
                                                    "kind, low, high, log or choices");
      }
    }
    bool numeric = true;
    if (name.empty()) return diag_.add(where, "[[tune.parameter]] without a name; expected name = \"section.key\"");
    if (!data::is_parameter(name, &numeric))
      return diag_.add(where, "\"" + name + "\" is not a study parameter; expected section.key, e.g. model.learning_rate");
    if (!seen.insert(name).second) return diag_.add(where, "\"" + name + "\" is tuned twice; expected each parameter once");
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
        if (!numeric) return diag_.add(where, "\"" + name + "\" takes a text; expected kind = \"categorical\" with choices");
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
  const toml::node* parameters = tune->as_table()->get("parameter");
  std::set<std::string> seen;
  if (!parameters || !parameters->is_array_of_tables())
    found.add(toml_position(path, tune->source()), "[tune] has no [[tune.parameter]] tables; expected at least one");
  else
    for (const auto& element : *parameters->as_array()) reader.parameter(*element.as_table(), config, seen);
  data::append_in_file_order(found, diag);
  return config;
}

}  // namespace elec::opt
