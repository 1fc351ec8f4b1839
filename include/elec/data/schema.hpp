#pragma once
// What each column of a cell table means. Read from TOML; with no schema file, every column is a numeric endpoint.
#include <optional>
#include <string>
#include <vector>

#include "elec/data/csv.hpp"
#include "elec/data/diagnostics.hpp"

namespace elec::data {

enum class Role { Id, Descriptor, Endpoint, Ignore };
enum class ValueKind { Numeric, Categorical, Functional };

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
  // Functional endpoints only: the ordinate's values come from their own long-format file (id, abscissa, value).
  std::string abscissa;      // header of the abscissa column in that file, e.g. "cycle"
  std::string file;          // the file, as resolved (relative paths are relative to the schema file)
  std::vector<double> grid;  // abscissa values the curve is modelled at; empty = every distinct one in the data
};

// A scalar read off a functional endpoint's curve, e.g. the capacity at cycle 30 (D30) or the cycle at which the
// capacity falls to half its maximum. Computed for each member's predicted curve, so it has a spread too.
enum class DerivedKind { ValueAt, Crossing };

struct DerivedSpec {
  std::string name;
  std::string from;  // the functional column
  DerivedKind kind = DerivedKind::ValueAt;
  double at = 0.0;        // value_at: the abscissa
  double fraction = 0.5;  // crossing: the first abscissa where the curve falls below fraction x its maximum
  SourcePosition where;
};

struct Schema {
  std::string source;  // the schema file, or "" when derived from the table
  std::string text;    // the file's full text, kept in the model file for provenance
  std::vector<ColumnSpec> columns;
  std::vector<DerivedSpec> derived;

  const ColumnSpec* find(const std::string& name) const;  // nullptr when absent
  const DerivedSpec* find_derived(const std::string& name) const;
  bool in_table(const ColumnSpec& column) const { return column.kind != ValueKind::Functional; }
};

// Format (TOML):
//   [[column]]
//   name = "porosity"          # required, must match a CSV header exactly
//   role = "endpoint"          # id | descriptor | endpoint | ignore (required)
//   type = "numeric"           # numeric (default) | categorical (descriptors only) | functional (endpoints only)
//   unit = "%"                 # optional
//   min = 0.0                  # optional inclusive bounds (numeric and functional values)
//   max = 100.0
//   abscissa = "cycle"         # functional: abscissa header in `file`
//   file = "capacity.csv"      # functional: long format id, <abscissa>, <name>; relative to the schema file
//   grid = [1, 2, 3]           # functional, optional: abscissa values to model the curve at
//
//   [[derived]]
//   name = "D30"               # a scalar read off each predicted curve
//   from = "capacity_mAh_g"    # a functional column
//   kind = "value_at"          # value_at (needs at = <abscissa>) | crossing (optional fraction = 0.5)
//   at = 30
// Problems (syntax errors, unknown keys, bad roles/types, duplicate names, min > max, categorical endpoints,
// more than one id column) are added to diag with the line and column of the offending key.
Schema read_schema(const std::string& path, Diagnostics& diag);

// The schema used when none is given: every column is a numeric endpoint, no bounds.
Schema schema_all_endpoints(const CsvDocument& doc);

}  // namespace elec::data
