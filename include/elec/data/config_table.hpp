#pragma once
// One machinery for every TOML table of a study config: the study parameters ([model], [imputation], ...), [tune]
// and [design] with their tables of tables. A table is a list of keys, each bound to a member of a settings struct,
// with its range or choices and a description; the member's C++ type decides the TOML type accepted. read_keys
// checks types and ranges and reports unknown keys with the valid ones, every problem at file:line:col; the same
// list gives the help text and the written-out config.
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "elec/data/csv.hpp"
#include "elec/data/diagnostics.hpp"
#include "elec/data/source_text.hpp"

namespace elec::data {

// Allowed values of a numeric key; an open end excludes the bound itself. `also` is one more allowed value outside
// the interval (e.g. -1 = "auto"), NaN when there is none.
struct Range {
  double lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
  bool lo_open = false, hi_open = false;
  double also = std::numeric_limits<double>::quiet_NaN();

  static Range at_least(double lo) { return {lo, std::numeric_limits<double>::infinity(), false, false}; }
  static Range above(double lo) { return {lo, std::numeric_limits<double>::infinity(), true, false}; }
  static Range half_open(double lo, double hi) { return {lo, hi, false, true}; }
  Range or_value(double value) const {
    Range r = *this;
    r.also = value;
    return r;
  }
  Range interval() const {  // the same without `also`
    Range r = *this;
    r.also = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  bool contains(double v) const { return v == also || ((lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi)); }
  std::string text() const;  // "[0, 1)", ">= 1", "any", "-1 or [0, 1)"
};

// The member a key sets. std::optional<double>: a number that may be absent; std::vector<std::string>: a non-empty
// array of strings (each one of the choices, when there are choices).
template <class S>
using Member = std::variant<int S::*, double S::*, bool S::*, std::string S::*, std::uint64_t S::*,
                            std::optional<double> S::*, std::vector<std::string> S::*>;

template <class S>
struct Key {
  const char* section;  // "model", "tune", "design.variable", ...: where the key is written
  const char* key;
  Member<S> member;
  Range range;                       // numeric keys
  std::vector<std::string> choices;  // text keys: the allowed texts (empty: any)
  const char* description;
};

std::string join(const std::vector<std::string>& items, const std::string& separator);
std::string toml_string(const std::string& value);  // quoted and escaped
std::string toml_float(double value);               // "1.0", never "1" (which TOML reads back as an integer)

namespace detail {

template <class S, class F>
decltype(auto) visit_type(const Key<S>& k, F&& f) {
  return std::visit(
      [&](auto member) -> decltype(auto) {
        using T = std::remove_cv_t<std::remove_reference_t<decltype(std::declval<S&>().*member)>>;
        return f(static_cast<T*>(nullptr));
      },
      k.member);
}

// Whether a TOML integer (always 64-bit signed) is representable in Int.
template <typename Int>
bool fits(std::int64_t value) {
  if (value < 0) return std::is_signed_v<Int> && value >= static_cast<std::int64_t>(std::numeric_limits<Int>::min());
  return static_cast<std::uint64_t>(value) <= static_cast<std::uint64_t>(std::numeric_limits<Int>::max());
}

}  // namespace detail

// "int", "float", "bool", "string", "strings"
template <class S>
std::string type_name(const Key<S>& k) {
  return detail::visit_type(k, [](auto* type) -> std::string {
    using T = std::remove_pointer_t<decltype(type)>;
    if constexpr (std::is_same_v<T, bool>)
      return "bool";
    else if constexpr (std::is_same_v<T, std::string>)
      return "string";
    else if constexpr (std::is_same_v<T, std::vector<std::string>>)
      return "strings";
    else if constexpr (std::is_integral_v<T>)
      return "int";
    else
      return "float";
  });
}

template <class S>
std::string range_text(const Key<S>& k) {
  if (!k.choices.empty()) return join(k.choices, " | ");
  const std::string type = type_name(k);
  if (type == "bool") return "true | false";
  if (type == "string" || type == "strings") return "any";
  return k.range.text();
}

// "an integer >= 1", "a number in [0, 1)", "one of \"a\", \"b\"": what the user should have written.
template <class S>
std::string expected_value(const Key<S>& k) {
  const std::string type = type_name(k);
  if (type == "bool") return "true or false";
  std::vector<std::string> quoted;
  for (const auto& choice : k.choices) quoted.push_back(toml_string(choice));
  if (type == "strings") return "a non-empty array of strings" + (quoted.empty() ? "" : " among " + join(quoted, ", "));
  if (type == "string") return quoted.empty() ? "a string" : "one of " + join(quoted, ", ");
  const std::string range = k.range.interval().text();
  const std::string noun = type == "int" ? "an integer" : "a number";
  const std::string alternative = k.range.also == k.range.also ? format_number(k.range.also) + " or " : "";
  if (range == "any") return alternative + noun;
  return alternative + noun + (range.front() == '[' || range.front() == '(' ? " in " : " ") + range;
}

// A value as TOML text (a float always with a decimal point; an absent optional as "(none)").
template <typename T>
std::string toml_value(const T& value) {
  if constexpr (std::is_same_v<T, bool>)
    return value ? "true" : "false";
  else if constexpr (std::is_same_v<T, std::string>)
    return toml_string(value);
  else if constexpr (std::is_integral_v<T>)
    return std::to_string(value);
  else if constexpr (std::is_same_v<T, double>)
    return toml_float(value);
  else if constexpr (std::is_same_v<T, std::optional<double>>)
    return value ? toml_float(*value) : "(none)";
  else {
    std::vector<std::string> quoted;
    for (const auto& item : value) quoted.push_back(toml_string(item));
    return "[" + join(quoted, ", ") + "]";
  }
}

template <class S>
std::string value_text(const Key<S>& k, const S& values) {
  return std::visit([&](auto member) { return toml_value(values.*member); }, k.member);
}

// One line per key: "  [section] key = default  (type, range)  description".
template <class S>
std::string key_help(const std::vector<Key<S>>& keys, const S& defaults = S{}) {
  std::string text;
  for (const auto& k : keys)
    text += "  [" + std::string(k.section) + "] " + k.key + " = " + value_text(k, defaults) + "  (" + type_name(k) +
            ", " + range_text(k) + ")  " + k.description + "\n";
  return text;
}

// Converts and checks one value; the member is set only when the value is acceptable.
template <class S>
class KeyAssigner {
 public:
  KeyAssigner(const std::string& file, Diagnostics& diag) : file_(file), diag_(diag) {}

  void assign(const Key<S>& k, const toml::node& node, S& into) {
    std::visit([&](auto member) { assign_to(k, node, into.*member); }, k.member);
  }

 private:
  void assign_to(const Key<S>& k, const toml::node& node, bool& target) {
    if (const auto value = node.value_exact<bool>())
      target = *value;
    else
      wrong_type(k, node);
  }

  bool allowed(const Key<S>& k, const std::string& value) const {
    return k.choices.empty() || std::find(k.choices.begin(), k.choices.end(), value) != k.choices.end();
  }

  void assign_to(const Key<S>& k, const toml::node& node, std::string& target) {
    const auto value = node.value_exact<std::string>();
    if (!value) return wrong_type(k, node);
    if (!allowed(k, *value))
      return problem(
          node, std::string(k.key) + " = " + toml_string(*value) + " is not allowed; expected " + expected_value(k));
    target = *value;
  }

  void assign_to(const Key<S>& k, const toml::node& node, std::vector<std::string>& target) {
    const toml::array* list = node.as_array();
    if (!list || list->empty()) return wrong_type(k, node);
    std::vector<std::string> values;
    for (const auto& element : *list) {
      const auto value = element.value_exact<std::string>();
      if (!value)
        return problem(element,
                       std::string(k.key) + " holds " + describe_type(element) + "; expected " + expected_value(k));
      if (!allowed(k, *value))
        return problem(element,
                       toml_string(*value) + " in " + k.key + " is not allowed; expected " + expected_value(k));
      values.push_back(*value);
    }
    target = std::move(values);
  }

  // Integers: a float such as 500.0 is refused rather than silently truncated.
  template <typename Int>
  std::enable_if_t<std::is_integral_v<Int>> assign_to(const Key<S>& k, const toml::node& node, Int& target) {
    const auto value = node.value_exact<std::int64_t>();
    if (!value) return wrong_type(k, node);
    if (!k.range.contains(static_cast<double>(*value))) return out_of_range(k, node, std::to_string(*value));
    if (!detail::fits<Int>(*value))
      return problem(node, std::string(k.key) + " = " + std::to_string(*value) + " is too large; expected " +
                               expected_value(k) + " and <= " + std::to_string(std::numeric_limits<Int>::max()));
    target = static_cast<Int>(*value);
  }

  // Floats: an integer such as `learning_rate = 1` is fine.
  void assign_to(const Key<S>& k, const toml::node& node, double& target) {
    if (const auto value = number(k, node)) target = *value;
  }
  void assign_to(const Key<S>& k, const toml::node& node, std::optional<double>& target) {
    if (const auto value = number(k, node)) target = *value;
  }
  std::optional<double> number(const Key<S>& k, const toml::node& node) {
    const auto value = node.is_number() ? node.value<double>() : std::nullopt;
    if (!value) return wrong_type(k, node), std::nullopt;
    if (!std::isfinite(*value) || !k.range.contains(*value))
      return out_of_range(k, node, format_number(*value)), std::nullopt;
    return value;
  }

  void wrong_type(const Key<S>& k, const toml::node& node) {
    problem(node, std::string(k.key) + " is " + describe_type(node) + "; expected " +
                      (type_name(k) == "float" ? "a number" : expected_value(k)));
  }
  void out_of_range(const Key<S>& k, const toml::node& node, const std::string& shown) {
    problem(node, std::string(k.key) + " = " + shown + " is out of range; expected " + expected_value(k));
  }
  void problem(const toml::node& at, std::string message) {
    diag_.add(toml_position(file_, at.source()), std::move(message));
  }

  const std::string& file_;
  Diagnostics& diag_;
};

// Where each key of a table was written, for later checks that need the whole table (cross-key rules, names that
// only the model knows) to point at the right place.
using KeyPositions = std::map<std::string, SourcePosition>;

// Reads the keys of `table` (the section `section`) into `into`: every key must be one of `keys` of that section,
// or one of `nested` (sub-tables the caller reads itself). Keys that are absent keep their value in `into`.
template <class S>
KeyPositions read_keys(const toml::table& table, const std::vector<Key<S>>& keys, const std::string& section, S& into,
                       const std::string& file, Diagnostics& diag, const std::vector<std::string>& nested = {}) {
  KeyPositions positions;
  KeyAssigner<S> assigner(file, diag);
  for (auto&& [name, value] : table) {
    const std::string key(name.str());
    if (std::find(nested.begin(), nested.end(), key) != nested.end()) continue;
    const auto k =
        std::find_if(keys.begin(), keys.end(), [&](const Key<S>& c) { return section == c.section && key == c.key; });
    if (k == keys.end()) {
      std::vector<std::string> valid;
      for (const auto& c : keys)
        if (section == c.section) valid.push_back(c.key);
      for (const auto& n : nested) valid.push_back("[[" + section + "." + n + "]]");
      diag.add(toml_position(file, name.source()),
               "unknown key \"" + key + "\" in [" + section + "]; valid keys: " + join(valid, ", "));
      continue;
    }
    positions[key] = toml_position(file, value.source());
    assigner.assign(*k, value, into);
  }
  return positions;
}

// Each table of an array of tables `[[section.name]]` under `parent`; a key `name` that is not an array of tables is
// a problem. Absent: an empty list.
std::vector<const toml::table*> tables_of(const toml::table& parent, const std::string& name,
                                          const std::string& section, const std::string& file, Diagnostics& diag);

}  // namespace elec::data
