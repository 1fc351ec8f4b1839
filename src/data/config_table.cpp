#include "elec/data/config_table.hpp"

namespace elec::data {

std::string Range::text() const {
  if (also == also) return format_number(also) + " or " + interval().text();
  const bool has_lo = lo > -std::numeric_limits<double>::infinity(),
             has_hi = hi < std::numeric_limits<double>::infinity();
  if (has_lo && has_hi)
    return (lo_open ? "(" : "[") + format_number(lo) + ", " + format_number(hi) + (hi_open ? ")" : "]");
  if (has_lo) return (lo_open ? "> " : ">= ") + format_number(lo);
  if (has_hi) return (hi_open ? "< " : "<= ") + format_number(hi);
  return "any";
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

std::string toml_string(const std::string& value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string toml_float(double value) {
  std::string text = format_number(value);
  if (text.find_first_of(".eEni") == std::string::npos) text += ".0";
  return text;
}

std::vector<const toml::table*> tables_of(const toml::table& parent, const std::string& name,
                                          const std::string& section, const std::string& file, Diagnostics& diag) {
  std::vector<const toml::table*> tables;
  const toml::node* node = parent.get(name);
  if (!node) return tables;
  if (!node->is_array_of_tables()) {
    diag.add(toml_position(file, node->source()), "\"" + name + "\" in [" + section + "] is " + describe_type(*node) +
                                                      "; expected [[" + section + "." + name + "]] tables");
    return tables;
  }
  for (const auto& element : *node->as_array()) tables.push_back(element.as_table());
  return tables;
}

}  // namespace elec::data
