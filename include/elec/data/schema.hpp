#pragma once
// What each column of a cell table means. Read from TOML; with no schema file, every column is a numeric endpoint.
#include <optional>
#include <string>
#include <vector>

#include "elec/data/csv.hpp"
#include "elec/data/diagnostics.hpp"

namespace elec::data {

enum class Role { Id, Descriptor, Endpoint, Ignore };
enum class ValueKind { Numeric, Categorical };

const char* to_string(Role role);
const char* to_string(ValueKind kind);

struct ColumnSpec {
  std::string name;
  Role role = Role::Endpoint;
  ValueKind kind = ValueKind::Numeric;
  std::string unit;
  std::optional<double> min;  // physical bounds, inclusive; checked on observed values
  std::optional<double> max;
  SourcePosition where;  // where the column was declared in the schema file
};

struct Schema {
  std::string source;  // the schema file, or "" when derived from the table
  std::string text;    // the file's full text, kept in the model file for provenance
  std::vector<ColumnSpec> columns;

  const ColumnSpec* find(const std::string& name) const;  // nullptr when absent
};

// Format (TOML):
//   [[column]]
//   name = "porosity"          # required, must match a CSV header exactly
//   role = "endpoint"          # id | descriptor | endpoint | ignore (required)
//   type = "numeric"           # numeric (default) | categorical (descriptors only)
//   unit = "%"                 # optional
//   min = 0.0                  # optional inclusive bounds (numeric only)
//   max = 100.0
// Problems (syntax errors, unknown keys, bad roles/types, duplicate names, min > max, categorical endpoints,
// more than one id column) are added to diag with the line and column of the offending key.
Schema read_schema(const std::string& path, Diagnostics& diag);

// The schema used when none is given: every column is a numeric endpoint, no bounds.
Schema schema_all_endpoints(const CsvDocument& doc);

}  // namespace elec::data
