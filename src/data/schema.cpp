#include "elec/data/schema.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "elec/data/source_text.hpp"

namespace elec::data {
namespace {

constexpr const char* kColumnKeys = "name, role, type, unit, min, max, abscissa, file, grid";
constexpr const char* kDerivedKeys = "name, from, kind, at, fraction";

// One [[column]] table as read, with the position of each key for the checks that combine keys.
struct ColumnEntry {
  ColumnSpec spec;
  bool has_name = false, has_role = false;
  std::map<std::string, SourcePosition> key_at;
  SourcePosition role_value_at, type_value_at;
};

class ColumnReader {
 public:
  ColumnReader(const std::string& file, Diagnostics& diag) : file_(file), diag_(diag) {}

  // Integers are fine where a number is expected: `min = 0` means 0.0.
  std::optional<double> number_value(const std::string& key, const toml::node& value) {
    const auto number = value.is_number() ? value.value<double>() : std::nullopt;
    if (!number) {
      problem(value, "\"" + key + "\" is " + describe_type(value) + "; expected a number");
    } else if (!std::isfinite(*number)) {
      problem(value, "\"" + key + "\" is not finite; expected a finite number");
      return std::nullopt;
    }
    return number;
  }

  std::optional<std::string> string_value(const std::string& key, const toml::node& value) {
    if (const auto text = value.value_exact<std::string>()) return text;
    problem(value, "\"" + key + "\" is " + describe_type(value) + "; expected a string");
    return std::nullopt;
  }

  void problem(const toml::node& at, std::string message) {
    diag_.add(toml_position(file_, at.source()), std::move(message));
  }

  ColumnEntry read(const toml::table& table) {
    ColumnEntry entry;
    entry.spec.where = toml_position(file_, table.source());
    for (auto&& [key, value] : table) {
      const std::string name(key.str());
      entry.key_at[name] = toml_position(file_, key.source());
      read_key(name, value, entry);
    }
    check_combination(entry);
    return entry;
  }

 private:
  void read_key(const std::string& key, const toml::node& value, ColumnEntry& entry) {
    ColumnSpec& spec = entry.spec;
    if (key == "name") {
      if (const auto text = string_value(key, value)) {
        if (text->empty()) return problem(value, "empty column name; expected the CSV header of the column");
        spec.name = *text;
        spec.where = entry.key_at[key];  // the declaration is best pointed at by its name
        entry.has_name = true;
      }
    } else if (key == "role") {
      entry.role_value_at = toml_position(file_, value.source());
      if (const auto text = string_value(key, value)) read_role(*text, value, entry);
    } else if (key == "type") {
      entry.type_value_at = toml_position(file_, value.source());
      if (const auto text = string_value(key, value)) {
        if (*text == "numeric")
          spec.kind = ValueKind::Numeric;
        else if (*text == "categorical")
          spec.kind = ValueKind::Categorical;
        else if (*text == "functional")
          spec.kind = ValueKind::Functional;
        else
          problem(value,
                  "type \"" + *text + "\" is not known; expected \"numeric\", \"categorical\" or \"functional\"");
      }
    } else if (key == "unit") {
      if (const auto text = string_value(key, value)) spec.unit = *text;
    } else if (key == "min") {
      spec.min = number_value(key, value);
    } else if (key == "max") {
      spec.max = number_value(key, value);
    } else if (key == "abscissa") {
      if (const auto text = string_value(key, value)) spec.abscissa = *text;
    } else if (key == "file") {
      if (const auto text = string_value(key, value)) spec.file = resolve_beside(file_, *text);
    } else if (key == "grid") {
      read_grid(value, spec);
    } else {
      diag_.add(entry.key_at[key], "unknown key \"" + key + "\" in [[column]]; expected one of " + kColumnKeys);
    }
  }

  // An increasing list of finite abscissa values.
  void read_grid(const toml::node& value, ColumnSpec& spec) {
    const toml::array* list = value.as_array();
    if (!list || list->empty())
      return problem(value, "\"grid\" is " + describe_type(value) + "; expected a non-empty array of numbers");
    for (const toml::node& element : *list) {
      const auto number = number_value("grid", element);
      if (!number) return;
      if (!spec.grid.empty() && *number <= spec.grid.back())
        return problem(
            element, "grid value " + toml_number(*number) + " is not above the one before; expected increasing values");
      spec.grid.push_back(*number);
    }
  }

  void read_role(const std::string& text, const toml::node& value, ColumnEntry& entry) {
    static const std::map<std::string, Role> roles{
        {"id", Role::Id}, {"descriptor", Role::Descriptor}, {"endpoint", Role::Endpoint}, {"ignore", Role::Ignore}};
    const auto it = roles.find(text);
    if (it == roles.end())
      return problem(value, "role \"" + text + "\" is not known; expected id, descriptor, endpoint or ignore");
    entry.spec.role = it->second;
    entry.has_role = true;
  }

  // Checks that need several keys of the same table.
  void check_combination(const ColumnEntry& entry) {
    const ColumnSpec& spec = entry.spec;
    const std::string label = entry.has_name ? "column \"" + spec.name + "\"" : "[[column]]";
    if (!entry.has_name && !entry.key_at.count("name"))
      diag_.add(spec.where, "[[column]] without a name; expected name = \"<CSV header>\"");
    if (!entry.has_role && !entry.key_at.count("role"))
      diag_.add(spec.where, label + " has no role; expected role = \"id\", \"descriptor\", \"endpoint\" or \"ignore\"");
    if (!entry.has_role) return;
    if (spec.kind == ValueKind::Categorical && spec.role == Role::Endpoint)
      diag_.add(entry.type_value_at, label + " is a categorical endpoint; endpoints must be numeric");
    const bool bounded = spec.min || spec.max;
    const bool boundable =
        (spec.role == Role::Descriptor || spec.role == Role::Endpoint) && spec.kind != ValueKind::Categorical;
    if (bounded && !boundable) {
      const auto& at = entry.key_at.count("min") ? entry.key_at.at("min") : entry.key_at.at("max");
      diag_.add(at, label + " has bounds but is " +
                        (spec.kind == ValueKind::Categorical ? "categorical"
                                                             : "an " + std::string(to_string(spec.role)) + " column") +
                        "; min and max apply to numeric descriptors and endpoints only");
    }
    const bool functional = spec.kind == ValueKind::Functional;
    if (functional && spec.role != Role::Endpoint)
      diag_.add(entry.type_value_at, label + " is functional but a " + std::string(to_string(spec.role)) +
                                         " column; functional columns must be endpoints");
    if (functional && !entry.key_at.count("abscissa"))
      diag_.add(spec.where, label + " is functional without an abscissa; expected abscissa = \"<header in its file>\"");
    if (functional && !entry.key_at.count("file"))
      diag_.add(spec.where,
                label + " is functional without a file; expected file = \"<long-format CSV: id, abscissa, value>\"");
    for (const char* key : {"abscissa", "file", "grid"})
      if (!functional && entry.key_at.count(key))
        diag_.add(entry.key_at.at(key),
                  label + " has \"" + key + "\" but is not functional; expected type = \"functional\"");
    if (spec.min && spec.max && *spec.min > *spec.max)
      diag_.add(entry.key_at.at("max"), label + " has max = " + toml_number(*spec.max) +
                                            " below min = " + toml_number(*spec.min) + "; expected min <= max");
  }

  static std::string toml_number(double value) {
    std::ostringstream out;
    out << value;
    return out.str();
  }

  const std::string& file_;
  Diagnostics& diag_;
};

// One [[derived]] table: a scalar read off a functional column's curves.
DerivedSpec read_derived(const toml::table& table, ColumnReader& reader, const std::string& path, Diagnostics& diag) {
  DerivedSpec spec;
  spec.where = toml_position(path, table.source());
  std::map<std::string, SourcePosition> key_at;
  for (auto&& [key, value] : table) {
    const std::string name(key.str());
    key_at[name] = toml_position(path, key.source());
    if (name == "name") {
      if (const auto text = reader.string_value(name, value)) spec.name = *text, spec.where = key_at[name];
    } else if (name == "from") {
      if (const auto text = reader.string_value(name, value)) spec.from = *text;
    } else if (name == "kind") {
      if (const auto text = reader.string_value(name, value)) {
        if (*text == "value_at")
          spec.kind = DerivedKind::ValueAt;
        else if (*text == "crossing")
          spec.kind = DerivedKind::Crossing;
        else
          reader.problem(value, "kind \"" + *text + "\" is not known; expected \"value_at\" or \"crossing\"");
      }
    } else if (name == "at") {
      if (const auto number = reader.number_value(name, value)) spec.at = *number;
    } else if (name == "fraction") {
      if (const auto number = reader.number_value(name, value)) {
        if (*number <= 0.0 || *number >= 1.0)
          reader.problem(value, "fraction is outside (0, 1); expected e.g. 0.5");
        else
          spec.fraction = *number;
      }
    } else {
      diag.add(key_at[name], "unknown key \"" + name + "\" in [[derived]]; expected one of " + kDerivedKeys);
    }
  }
  for (const char* key : {"name", "from"})
    if (!key_at.count(key))
      diag.add(spec.where, std::string("[[derived]] without ") + key + "; expected " + key + " = \"...\"");
  if (spec.kind == DerivedKind::ValueAt && !key_at.count("at"))
    diag.add(spec.where, "[[derived]] \"" + spec.name + "\" of kind value_at has no abscissa; expected at = <number>");
  return spec;
}

// Derived scalars read off functional columns and do not clash with any column.
void check_derived(const std::vector<DerivedSpec>& derived, const Schema& schema, Diagnostics& diag) {
  std::map<std::string, int> seen;
  for (const auto& d : derived) {
    if (d.name.empty() || d.from.empty()) continue;
    if (schema.find(d.name) || seen[d.name]++)
      diag.add(d.where, "derived \"" + d.name + "\" is already a column or derived name; expected a new name");
    const ColumnSpec* from = schema.find(d.from);
    if (!from || from->kind != ValueKind::Functional)
      diag.add(d.where,
               "derived \"" + d.name + "\" reads \"" + d.from +
                   "\", which is not a functional column; expected from = one of the type = \"functional\" columns");
  }
}

// Checks across columns: names are unique, at most one id, at least one endpoint.
void check_columns(const std::vector<ColumnEntry>& entries, const std::string& path, Diagnostics& diag) {
  std::map<std::string, const ColumnEntry*> by_name;
  const ColumnEntry* id = nullptr;
  bool any_endpoint = false;
  for (const auto& entry : entries) {
    const ColumnSpec& spec = entry.spec;
    const auto [it, inserted] = by_name.emplace(spec.name, &entry);
    if (!inserted)
      diag.add(spec.where, "column \"" + spec.name + "\" is already declared at line " +
                               std::to_string(it->second->spec.where.line) + "; expected each column once");
    if (entry.has_role && spec.role == Role::Id) {
      if (id)
        diag.add(entry.role_value_at, "second id column \"" + spec.name + "\" (\"" + id->spec.name +
                                          "\" is the id); expected at most one id column");
      else
        id = &entry;
    }
    any_endpoint = any_endpoint || (entry.has_role && spec.role == Role::Endpoint);
  }
  const bool roles_complete =
      std::all_of(entries.begin(), entries.end(), [](const ColumnEntry& e) { return e.has_role; });
  if (!entries.empty() && roles_complete && !any_endpoint)
    diag.add({path, 0, 0}, "no endpoint column; expected at least one [[column]] with role = \"endpoint\"");
}

// read_schema, with its problems in the order they were found.
Schema parse_schema(const std::string& path, Diagnostics& diag) {
  Schema schema;
  schema.source = path;
  const auto text = read_text_file(path, diag);
  if (!text) return schema;
  schema.text = *text;
  const auto root = parse_toml(*text, path, diag);
  if (!root) return schema;

  for (auto&& [key, value] : *root)
    if (key.str() != "column" && key.str() != "derived")
      diag.add(toml_position(path, key.source()),
               "unknown key \"" + std::string(key.str()) + "\"; expected [[column]] and [[derived]] tables only");
  const toml::node* node = root->get("column");
  if (!node) {
    diag.add({path, 0, 0}, "no [[column]] tables; expected one [[column]] table per CSV column");
    return schema;
  }
  const toml::array* array = node->as_array();
  if (!array || !array->is_array_of_tables()) {
    diag.add(toml_position(path, node->source()),
             "\"column\" is " + describe_type(*node) + "; expected [[column]] tables");
    return schema;
  }

  ColumnReader reader(path, diag);
  std::vector<ColumnEntry> entries;
  for (const toml::node& element : *array) {
    ColumnEntry entry = reader.read(*element.as_table());
    if (entry.has_name) entries.push_back(std::move(entry));
  }
  check_columns(entries, path, diag);
  for (auto& entry : entries) schema.columns.push_back(std::move(entry.spec));
  if (const toml::node* derived = root->get("derived")) {
    const toml::array* tables = derived->as_array();
    if (!tables || !tables->is_array_of_tables()) {
      diag.add(toml_position(path, derived->source()),
               "\"derived\" is " + describe_type(*derived) + "; expected [[derived]] tables");
      return schema;
    }
    for (const toml::node& element : *tables)
      schema.derived.push_back(read_derived(*element.as_table(), reader, path, diag));
    check_derived(schema.derived, schema, diag);
  }
  return schema;
}

}  // namespace

const char* to_string(Role role) {
  switch (role) {
    case Role::Id:
      return "id";
    case Role::Descriptor:
      return "descriptor";
    case Role::Endpoint:
      return "endpoint";
    case Role::Ignore:
      return "ignore";
  }
  return "?";
}

const char* to_string(ValueKind kind) {
  switch (kind) {
    case ValueKind::Numeric:
      return "numeric";
    case ValueKind::Categorical:
      return "categorical";
    case ValueKind::Functional:
      return "functional";
  }
  return "?";
}

const ColumnSpec* Schema::find(const std::string& name) const {
  for (const auto& column : columns)
    if (column.name == name) return &column;
  return nullptr;
}

const DerivedSpec* Schema::find_derived(const std::string& name) const {
  for (const auto& d : derived)
    if (d.name == name) return &d;
  return nullptr;
}

Schema read_schema(const std::string& path, Diagnostics& diag) {
  Diagnostics found;
  Schema schema = parse_schema(path, found);
  append_in_file_order(found, diag);
  return schema;
}

Schema schema_all_endpoints(const CsvDocument& doc) {
  Schema schema;
  for (const auto& field : doc.header.fields) {
    ColumnSpec spec;
    spec.name = field.text;
    spec.where = {doc.file, doc.header.line, field.column};
    schema.columns.push_back(std::move(spec));
  }
  return schema;
}

}  // namespace elec::data
