#include "elec/data/study_config.hpp"
#include "elec/data/source_text.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <type_traits>
#include <variant>

#include "elec/data/csv.hpp"

namespace elec::data {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Allowed values of a numeric parameter; an open end excludes the bound itself.
struct Range {
  double lo = -kInfinity, hi = kInfinity;
  bool lo_open = false, hi_open = false;
};
Range at_least(double lo) { return {lo, kInfinity, false, false}; }
Range above(double lo) { return {lo, kInfinity, true, false}; }
Range half_open(double lo, double hi) { return {lo, hi, false, true}; }

// The member a parameter sets; its C++ type decides the TOML type accepted.
using Member = std::variant<int StudyConfig::*, double StudyConfig::*, bool StudyConfig::*,
                            std::string StudyConfig::*, std::uint64_t StudyConfig::*>;

struct Parameter {
  const char* section;
  const char* key;
  Member member;
  Range range;                       // numeric parameters
  std::vector<std::string> choices;  // string parameters
  const char* description;
};

// THE table: every parameter of a study, in the order of help text and outputs. Defaults live in the member
// initialisers of StudyConfig, not here, so they are written down once.
const std::vector<Parameter>& parameters() {
  static const std::vector<Parameter> table = {
      {"model", "hidden_units", &StudyConfig::hidden_units, at_least(1), {}, "tanh units per predicted column"},
      {"model", "members", &StudyConfig::members, at_least(1), {}, "bootstrap networks in the ensemble"},
      {"model", "learning_rate", &StudyConfig::learning_rate, above(0), {}, "Adam step size"},
      {"model", "epochs", &StudyConfig::epochs, at_least(0), {},
       "full-batch epochs before the first imputation pass"},
      {"model", "l2", &StudyConfig::l2, at_least(0), {}, "L2 penalty on weights, added to the loss"},
      {"model", "confidence_inputs", &StudyConfig::confidence_inputs, {}, {},
       "each endpoint also enters as a confidence channel (1 = measured)"},
      {"model", "input_dropout", &StudyConfig::input_dropout, half_open(0, 1), {},
       "probability that, in an epoch, a cell's endpoint (a whole curve at once) is hidden from the inputs as if "
       "not measured, so the networks also learn to predict from the descriptors alone"},
      {"model", "precision", &StudyConfig::precision, {}, {"float32", "float64"},
       "arithmetic precision of training"},
      {"imputation", "softening", &StudyConfig::softening, half_open(0, 1), {},
       "g in z <- g z + (1-g) y when a blank is re-estimated"},
      {"imputation", "tolerance", &StudyConfig::tolerance, above(0), {},
       "stop when the largest change of a blank (standardised units) is below this"},
      {"imputation", "max_passes", &StudyConfig::max_passes, at_least(0), {}, "upper bound on imputation passes"},
      {"imputation", "pass_epochs", &StudyConfig::pass_epochs, at_least(0), {},
       "warm-start epochs after each pass"},
      {"selection", "auto", &StudyConfig::auto_schedule, {}, {},
       "choose the initial epochs and the number of passes on held-out measured cells (then epochs, "
       "pass_epochs and max_passes are chosen, max_passes as an upper bound)"},
      {"selection", "holdout_fraction", &StudyConfig::holdout_fraction, half_open(0, 1), {},
       "fraction of measured cells hidden to score the candidates"},
      {"selection", "max_epochs", &StudyConfig::selection_max_epochs, at_least(1), {},
       "longest initial training considered"},
      {"selection", "check_every", &StudyConfig::selection_check_every, at_least(1), {},
       "epochs between two scored checkpoints"},
      {"selection", "members", &StudyConfig::selection_members, at_least(1), {},
       "ensemble size while selecting (at most model.members)"},
      {"run", "seed", &StudyConfig::seed, at_least(0), {}, "random seed; equal seeds give equal results"},
  };
  return table;
}

const std::vector<std::string>& section_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& p : parameters())
      if (out.empty() || out.back() != p.section) out.push_back(p.section);
    return out;
  }();
  return names;
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

std::string keys_of(const std::string& section) {
  std::vector<std::string> keys;
  for (const auto& p : parameters())
    if (section == p.section) keys.push_back(p.key);
  return join(keys, ", ");
}

const Parameter* find_parameter(const std::string& section, const std::string& key) {
  for (const auto& p : parameters())
    if (section == p.section && key == p.key) return &p;
  return nullptr;
}

// A float as TOML wants it: "1" would read back as an integer.
std::string toml_float(double value) {
  std::string text = format_number(value);
  if (text.find_first_of(".eEni") == std::string::npos) text += ".0";
  return text;
}

std::string toml_string(const std::string& value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

template <typename T>
std::string toml_value(const T& value) {
  if constexpr (std::is_same_v<T, bool>) return value ? "true" : "false";
  else if constexpr (std::is_same_v<T, std::string>) return toml_string(value);
  else if constexpr (std::is_integral_v<T>) return std::to_string(value);
  else return toml_float(value);
}

std::string value_text(const Parameter& p, const StudyConfig& config) {
  return std::visit([&](auto member) { return toml_value(config.*member); }, p.member);
}

std::string type_name(const Parameter& p) {
  return std::visit(
      [](auto member) -> std::string {
        using T = std::remove_reference_t<decltype(std::declval<StudyConfig&>().*member)>;
        if constexpr (std::is_same_v<T, bool>) return "bool";
        else if constexpr (std::is_same_v<T, std::string>) return "string";
        else if constexpr (std::is_integral_v<T>) return "int";
        else return "float";
      },
      p.member);
}

std::string range_text(const Parameter& p) {
  if (!p.choices.empty()) return join(p.choices, " | ");
  if (type_name(p) == "bool") return "true | false";
  const Range& r = p.range;
  const bool has_lo = r.lo > -kInfinity, has_hi = r.hi < kInfinity;
  if (has_lo && has_hi)
    return (r.lo_open ? "(" : "[") + format_number(r.lo) + ", " + format_number(r.hi) + (r.hi_open ? ")" : "]");
  if (has_lo) return (r.lo_open ? "> " : ">= ") + format_number(r.lo);
  if (has_hi) return (r.hi_open ? "< " : "<= ") + format_number(r.hi);
  return "any";
}

bool in_range(double value, const Range& r) {
  const bool lo_ok = r.lo_open ? value > r.lo : value >= r.lo;
  const bool hi_ok = r.hi_open ? value < r.hi : value <= r.hi;
  return lo_ok && hi_ok;
}

// "an integer >= 1", "a number in [0, 1)": what the user should have written.
std::string expected_value(const Parameter& p) {
  const std::string type = type_name(p);
  if (type == "bool") return "true or false";
  if (type == "string") {
    std::vector<std::string> quoted;
    for (const auto& choice : p.choices) quoted.push_back(toml_string(choice));
    return "one of " + join(quoted, ", ");
  }
  const std::string range = range_text(p);
  const std::string noun = type == "int" ? "an integer" : "a number";
  if (range == "any") return noun;
  return noun + (range.front() == '[' || range.front() == '(' ? " in " : " ") + range;
}



// Whether a TOML integer (always 64-bit signed) is representable in the member's type.
template <typename Int>
bool fits(std::int64_t value) {
  if (value < 0) return std::is_signed_v<Int> && value >= static_cast<std::int64_t>(std::numeric_limits<Int>::min());
  return static_cast<std::uint64_t>(value) <= static_cast<std::uint64_t>(std::numeric_limits<Int>::max());
}

// Converts and checks one value; the member is set only when the value is acceptable.
class Assigner {
 public:
  Assigner(const std::string& file, Diagnostics& diag) : file_(file), diag_(diag) {}

  void assign(const Parameter& p, const toml::node& node, StudyConfig& config) {
    std::visit([&](auto member) { assign_to(p, node, config.*member); }, p.member);
  }

 private:
  void assign_to(const Parameter& p, const toml::node& node, bool& target) {
    if (const auto value = node.value_exact<bool>()) target = *value;
    else wrong_type(p, node);
  }

  void assign_to(const Parameter& p, const toml::node& node, std::string& target) {
    const auto value = node.value_exact<std::string>();
    if (!value) return wrong_type(p, node);
    if (std::find(p.choices.begin(), p.choices.end(), *value) == p.choices.end())
      return problem(node, std::string(p.key) + " = " + toml_string(*value) + " is not allowed; expected " +
                               expected_value(p));
    target = *value;
  }

  // Integers: a float such as 500.0 is refused rather than silently truncated.
  template <typename Int>
  std::enable_if_t<std::is_integral_v<Int>> assign_to(const Parameter& p, const toml::node& node, Int& target) {
    const auto value = node.value_exact<std::int64_t>();
    if (!value) return wrong_type(p, node);
    if (!in_range(static_cast<double>(*value), p.range))
      return out_of_range(p, node, std::to_string(*value));
    if (!fits<Int>(*value))
      return problem(node, std::string(p.key) + " = " + std::to_string(*value) + " is too large; expected " +
                               expected_value(p) + " and <= " + std::to_string(std::numeric_limits<Int>::max()));
    target = static_cast<Int>(*value);
  }

  // Floats: an integer such as `learning_rate = 1` is fine.
  void assign_to(const Parameter& p, const toml::node& node, double& target) {
    const auto value = node.is_number() ? node.value<double>() : std::nullopt;
    if (!value) return wrong_type(p, node);
    if (!std::isfinite(*value) || !in_range(*value, p.range)) return out_of_range(p, node, format_number(*value));
    target = *value;
  }

  void wrong_type(const Parameter& p, const toml::node& node) {
    problem(node, std::string(p.key) + " is " + describe_type(node) + "; expected " +
                      (type_name(p) == "float" ? "a number" : expected_value(p)));
  }

  void out_of_range(const Parameter& p, const toml::node& node, const std::string& shown) {
    problem(node, std::string(p.key) + " = " + shown + " is out of range; expected " + expected_value(p));
  }

  void problem(const toml::node& at, std::string message) {
    diag_.add(toml_position(file_, at.source()), std::move(message));
  }

  const std::string& file_;
  Diagnostics& diag_;
};



std::string section_list() {
  std::vector<std::string> bracketed;
  for (const auto& name : section_names()) bracketed.push_back("[" + name + "]");
  return join(bracketed, ", ");
}

// A key written before any [section]: name the section it belongs in when it is a known key.
void report_loose_key(const std::string& key, const toml::node& value, const SourcePosition& where,
                      Diagnostics& diag) {
  const auto& sections = section_names();
  if (std::find(sections.begin(), sections.end(), key) != sections.end()) {
    diag.add(where, "\"" + key + "\" is " + describe_type(value) + "; expected a [" + key + "] table");
    return;
  }
  for (const auto& p : parameters())
    if (key == p.key) {
      diag.add(where, "\"" + key + "\" is outside a section; expected it under [" + p.section + "]");
      return;
    }
  diag.add(where, "unknown key \"" + key + "\" outside a section; expected sections " + section_list());
}

void read_section(const std::string& section, const toml::table& table, const std::string& path,
                  StudyConfig& config, Diagnostics& diag) {
  Assigner assigner(path, diag);
  for (auto&& [key, value] : table) {
    const std::string name(key.str());
    const Parameter* p = find_parameter(section, name);
    if (!p) {
      diag.add(toml_position(path, key.source()), "unknown key \"" + name + "\" in [" + section +
                                                 "]; valid keys: " + keys_of(section));
      continue;
    }
    assigner.assign(*p, value, config);
  }
}


// A study config from TOML text, with its problems in the order they were found.
StudyConfig parse_study_config(const std::string& text, const std::string& source, Diagnostics& diag) {
  StudyConfig config;
  config.source = source;
  config.text = text;
  const auto root = parse_toml(text, source, diag);
  if (!root) return config;

  const auto& sections = section_names();
  for (auto&& [key, value] : *root) {
    const std::string name(key.str());
    const SourcePosition where = toml_position(source, key.source());
    if (!value.is_table()) {
      report_loose_key(name, value, where, diag);
    } else if (name == "tune") {
      continue;  // the hyperparameter search's own section, read by elec_hpc tune (opt/tune_config)
    } else if (std::find(sections.begin(), sections.end(), name) == sections.end()) {
      diag.add(where, "unknown section [" + name + "]; expected " + section_list() + " (and [tune] for elec_hpc tune)");
    } else {
      read_section(name, *value.as_table(), source, config, diag);
    }
  }
  return config;
}

}  // namespace

StudyConfig read_study_config(const std::string& path, Diagnostics& diag) {
  const auto text = read_text_file(path, diag);
  if (!text) {
    StudyConfig defaults;
    defaults.source = path;
    return defaults;
  }
  return study_config_from_text(*text, path, diag);
}

StudyConfig study_config_from_text(const std::string& text, const std::string& source, Diagnostics& diag) {
  Diagnostics found;
  StudyConfig config = parse_study_config(text, source, found);
  append_in_file_order(found, diag);
  return config;
}

namespace {

const Parameter* find_dotted(const std::string& name) {
  const auto dot = name.find('.');
  return dot == std::string::npos ? nullptr : find_parameter(name.substr(0, dot), name.substr(dot + 1));
}

bool inside(const Range& r, double v) {
  return (r.lo_open ? v > r.lo : v >= r.lo) && (r.hi_open ? v < r.hi : v <= r.hi);
}

// Whether a double converts to Int without overflow: converting one outside Int's range is undefined behaviour,
// and an open-ended range (hidden_units >= 1) admits any huge value a search space may hold. The upper limit is
// max + 1, a power of two, computed exactly (a double cannot hold max itself for 64-bit types).
template <typename Int>
bool converts_exactly(double v) {
  const double past_max = 2.0 * static_cast<double>(std::numeric_limits<Int>::max() / 2 + 1);
  return v >= static_cast<double>(std::numeric_limits<Int>::min()) && v < past_max;
}

}  // namespace

bool is_parameter(const std::string& name, bool* numeric) {
  const Parameter* p = find_dotted(name);
  if (p && numeric) *numeric = !std::holds_alternative<std::string StudyConfig::*>(p->member);
  return p != nullptr;
}

void get_parameter(const StudyConfig& config, const std::string& name, double& number, std::string& text) {
  const Parameter* p = find_dotted(name);
  if (!p) throw std::invalid_argument("\"" + name + "\" is not a study parameter");
  std::visit(
      [&](auto member) {
        using Value = std::remove_cv_t<std::remove_reference_t<decltype(config.*member)>>;
        if constexpr (std::is_same_v<Value, std::string>) text = config.*member;
        else number = static_cast<double>(config.*member);
      },
      p->member);
}

std::string set_parameter(StudyConfig& config, const std::string& name, double number, const std::string& text) {
  const Parameter* p = find_dotted(name);
  if (!p) return "\"" + name + "\" is not a study parameter; expected section.key, e.g. model.learning_rate";
  return std::visit(
      [&](auto member) -> std::string {
        using Value = std::remove_cv_t<std::remove_reference_t<decltype(config.*member)>>;
        if constexpr (std::is_same_v<Value, std::string>) {
          if (!p->choices.empty() && std::find(p->choices.begin(), p->choices.end(), text) == p->choices.end())
            return name + " = \"" + text + "\" is not one of its choices";
          config.*member = text;
        } else if constexpr (std::is_same_v<Value, bool>) {
          config.*member = number != 0.0;
        } else {
          const double value = std::is_floating_point_v<Value> ? number : std::round(number);
          bool representable = true;
          if constexpr (std::is_integral_v<Value>) representable = converts_exactly<Value>(value);
          if (!inside(p->range, value) || !representable)
            return name + " = " + std::to_string(value) + " is outside its allowed range";
          config.*member = static_cast<Value>(value);
        }
        return "";
      },
      p->member);
}

std::vector<ParameterInfo> describe_parameters() {
  const StudyConfig defaults;
  std::vector<ParameterInfo> out;
  for (const auto& p : parameters())
    out.push_back({p.section, p.key, type_name(p), value_text(p, defaults), range_text(p), p.description});
  return out;
}

std::string to_toml(const StudyConfig& config) {
  std::string out, section;
  for (const auto& p : parameters()) {
    if (section != p.section) {
      section = p.section;
      out += (out.empty() ? "[" : "\n[") + section + "]\n";
    }
    out += std::string(p.key) + " = " + value_text(p, config) + "\n";
  }
  return out;
}

}  // namespace elec::data
