#include "elec/data/dataset.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>

namespace elec::data {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kAbsent = -1;
constexpr std::size_t kNamesShown = 10;  // longer lists in messages are cut short

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::string short_list(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < kNamesShown; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > kNamesShown) out += ", ... (" + std::to_string(names.size() - kNamesShown) + " more)";
  return out;
}

std::string quoted(const std::string& text) { return "\"" + text + "\""; }

// The CSV side of the work: where each cell is, what it says.
class Table {
 public:
  explicit Table(const CsvDocument& doc) : doc_(doc) {
    // read_csv drops ragged rows, so a mismatch here means the document was built wrongly in code.
    for (const auto& row : doc.rows)
      if (row.fields.size() != doc.header.fields.size())
        throw std::invalid_argument("build_dataset: row of line " + std::to_string(row.line) +
                                    " does not have as many fields as the header");
  }

  std::size_t rows() const { return doc_.rows.size(); }
  const std::string& text(std::size_t row, int column) const { return doc_.rows[row].fields[column].text; }
  SourcePosition cell(std::size_t row, int column) const {
    return {doc_.file, doc_.rows[row].line, doc_.rows[row].fields[column].column};
  }
  SourcePosition header(int column) const { return {doc_.file, doc_.header.line, doc_.header.fields[column].column}; }
  const std::string& file() const { return doc_.file; }
  const CsvDocument& doc() const { return doc_; }

  // Index of the first header field with this name, kAbsent when there is none.
  int find(const std::string& name) const {
    for (std::size_t i = 0; i < doc_.header.fields.size(); ++i)
      if (doc_.header.fields[i].text == name) return static_cast<int>(i);
    return kAbsent;
  }

 private:
  const CsvDocument& doc_;
};

// CSV columns that the schema does not declare: a typo in either file, better caught than silently dropped.
void check_unknown_columns(const Table& table, const Schema& schema, Diagnostics& diag) {
  std::vector<std::string> declared;
  for (const auto& spec : schema.columns)
    if (schema.in_table(spec)) declared.push_back(spec.name);
  for (const auto& derived : schema.derived) declared.push_back(derived.name);
  const auto& fields = table.doc().header.fields;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].text.empty()) continue;  // read_csv reported it
    const ColumnSpec* spec = schema.find(fields[i].text);
    if (spec && !schema.in_table(*spec))
      diag.add(table.header(static_cast<int>(i)), "column " + quoted(fields[i].text) +
                                                      " is functional; expected its points in " + spec->file +
                                                      " (long format), not a column of the cell table");
    else if (!spec && !schema.find_derived(fields[i].text))
      diag.add(table.header(static_cast<int>(i)),
               "unknown column " + quoted(fields[i].text) + "; the schema declares: " + short_list(declared));
  }
}

// CSV index of each schema column; kAbsent for endpoints and ignored columns that prediction may omit. Other
// absences are problems.
std::vector<int> locate_columns(const Table& table, const Schema& schema, const DatasetOptions& options,
                                Diagnostics& diag) {
  std::vector<int> index;
  for (const auto& spec : schema.columns) {
    const int at = table.find(spec.name);
    // Prediction needs neither endpoints nor ignored columns (a design's proposals have no manufacturing case yet).
    const bool may_be_absent =
        (options.allow_absent_endpoints && (spec.role == Role::Endpoint || spec.role == Role::Ignore)) ||
        !schema.in_table(spec);
    // A column declared in a schema file is reported there; one a model declares (predict), at the table's header.
    const SourcePosition where = spec.where.file.empty() ? SourcePosition{table.file(), 1, 0} : spec.where;
    if (at == kAbsent && !may_be_absent)
      diag.add(where, "column " + quoted(spec.name) + " is declared but " + table.file() +
                          " has no such column; expected a header named " + quoted(spec.name));
    index.push_back(at);
  }
  return index;
}

std::string bounds_text(const ColumnSpec& spec) {
  if (spec.min && spec.max) return "a value in [" + format_number(*spec.min) + ", " + format_number(*spec.max) + "]";
  if (spec.min) return "a value >= " + format_number(*spec.min);
  return "a value <= " + format_number(*spec.max);
}

enum class Cell { Value, Blank, Bad };

// One numeric cell: blank, a number within the column's bounds, or a reported problem.
Cell read_number(const Table& table, std::size_t row, int column, const ColumnSpec& spec, bool blank_allowed,
                 Diagnostics& diag, double& value) {
  const std::string& text = table.text(row, column);
  if (is_missing(text)) return Cell::Blank;
  const auto number = parse_number(text);
  if (!number) {
    // European exports with ';' often also use a decimal comma; say which separator is expected.
    const std::string kind =
        text.find(',') != std::string::npos ? "a number with '.' as decimal separator" : "a number";
    diag.add(table.cell(row, column), quoted(trimmed(text)) + " is not a number (column " + quoted(spec.name) +
                                          "); expected " + kind + (blank_allowed ? " or a blank" : ""));
    return Cell::Bad;
  }
  if ((spec.min && *number < *spec.min) || (spec.max && *number > *spec.max)) {
    diag.add(table.cell(row, column), trimmed(text) + " is outside the bounds of column " + quoted(spec.name) +
                                          "; expected " + bounds_text(spec));
    return Cell::Bad;
  }
  value = *number;
  return Cell::Value;
}

void report_blank_descriptor(const Table& table, std::size_t row, int column, const ColumnSpec& spec,
                             Diagnostics& diag) {
  diag.add(table.cell(row, column),
           "blank descriptor (column " + quoted(spec.name) + "); descriptors must be given for every cell");
}

// Row identifiers: the id column's text (blank or repeated ids are problems), or else the CSV line numbers.
std::vector<std::string> read_row_ids(const Table& table, const Schema& schema, const std::vector<int>& index,
                                      Diagnostics& diag) {
  std::vector<std::string> ids;
  int id_column = kAbsent;
  for (std::size_t s = 0; s < schema.columns.size(); ++s)
    if (schema.columns[s].role == Role::Id) id_column = index[s];
  if (id_column == kAbsent) {
    for (const auto& row : table.doc().rows) ids.push_back(std::to_string(row.line));
    return ids;
  }
  const std::string& name = table.doc().header.fields[id_column].text;
  std::map<std::string, int> first_line;
  for (std::size_t r = 0; r < table.rows(); ++r) {
    std::string id = trimmed(table.text(r, id_column));
    if (id.empty()) {
      diag.add(table.cell(r, id_column), "blank id (column " + quoted(name) + "); expected an identifier in every row");
    } else if (const auto [it, inserted] = first_line.emplace(id, table.doc().rows[r].line); !inserted) {
      diag.add(table.cell(r, id_column),
               "id " + quoted(id) + " is already used on line " + std::to_string(it->second) + "; expected unique ids");
    }
    ids.push_back(std::move(id));
  }
  return ids;
}

// Descriptor features under construction, one column of values per feature.
struct Features {
  std::vector<std::string> names, units;
  std::vector<std::vector<double>> values;

  void add(std::string name, std::string unit, std::vector<double> column) {
    names.push_back(std::move(name));
    units.push_back(std::move(unit));
    values.push_back(std::move(column));
  }
};

void add_numeric_descriptor(const Table& table, int column, const ColumnSpec& spec, Features& features,
                            Diagnostics& diag) {
  std::vector<double> values(table.rows(), 0.0);
  for (std::size_t r = 0; r < table.rows(); ++r)
    if (read_number(table, r, column, spec, false, diag, values[r]) == Cell::Blank)
      report_blank_descriptor(table, r, column, spec, diag);
  features.add(spec.name, spec.unit, std::move(values));
}

// The levels of a categorical column: the model's when given (prediction), else the sorted distinct values.
std::optional<CategoricalEncoding> categorical_levels(const Table& table, int column, const ColumnSpec& spec,
                                                      const DatasetOptions& options, Diagnostics& diag) {
  if (options.encodings) {
    for (const auto& encoding : *options.encodings)
      if (encoding.column == spec.name) return encoding;
    diag.add(spec.where, "categorical column " + quoted(spec.name) +
                             " has no levels in the trained model; expected the schema the model was trained with");
    return std::nullopt;
  }
  std::set<std::string> distinct;
  for (std::size_t r = 0; r < table.rows(); ++r)
    if (!is_missing(table.text(r, column))) distinct.insert(trimmed(table.text(r, column)));
  return CategoricalEncoding{spec.name, {distinct.begin(), distinct.end()}};
}

void add_categorical_descriptor(const Table& table, int column, const ColumnSpec& spec, const DatasetOptions& options,
                                Features& features, std::vector<CategoricalEncoding>& encodings, Diagnostics& diag) {
  const auto encoding = categorical_levels(table, column, spec, options, diag);
  if (!encoding) return;
  const auto& levels = encoding->levels;
  std::vector<std::vector<double>> one_hot(levels.size(), std::vector<double>(table.rows(), 0.0));
  for (std::size_t r = 0; r < table.rows(); ++r) {
    if (is_missing(table.text(r, column))) {
      report_blank_descriptor(table, r, column, spec, diag);
      continue;
    }
    const std::string value = trimmed(table.text(r, column));
    const auto it = std::find(levels.begin(), levels.end(), value);
    if (it == levels.end()) {
      diag.add(table.cell(r, column), quoted(value) + " is not a level of column " + quoted(spec.name) +
                                          " seen in training; expected one of: " + short_list(levels));
      continue;
    }
    one_hot[it - levels.begin()][r] = 1.0;
  }
  for (std::size_t l = 0; l < levels.size(); ++l) features.add(spec.name + "=" + levels[l], "", std::move(one_hot[l]));
  encodings.push_back(*encoding);
}

// One endpoint column: blanks become NaN. Training needs at least one measurement per endpoint.
std::vector<double> read_endpoint(const Table& table, int column, const ColumnSpec& spec, const DatasetOptions& options,
                                  Diagnostics& diag) {
  std::vector<double> values(table.rows(), kNaN);
  if (column == kAbsent) {
    // Without allow_absent_endpoints the absence itself has been reported; do not repeat it.
    if (options.allow_absent_endpoints && options.require_observed_endpoints && table.rows() > 0)
      diag.add(spec.where,
               "column " + quoted(spec.name) + " has no observed value; an endpoint needs at least one measurement");
    return values;
  }
  std::size_t observed = 0, bad = 0;
  for (std::size_t r = 0; r < table.rows(); ++r) {
    double value = kNaN;
    const Cell cell = read_number(table, r, column, spec, true, diag, value);
    if (cell == Cell::Value) values[r] = value, ++observed;
    if (cell == Cell::Bad) ++bad;
  }
  // With malformed cells the column's emptiness is a consequence, not a separate problem.
  if (options.require_observed_endpoints && observed == 0 && bad == 0 && table.rows() > 0)
    diag.add(table.header(column),
             "column " + quoted(spec.name) + " has no observed value; an endpoint needs at least one measurement");
  return values;
}

// A column of text where numbers were expected would otherwise give one line per row: show the first few of a
// column's problems and count the rest, so the report stays readable for large tables.
void append_capped(Diagnostics& diag, const Diagnostics& column_problems, const SourcePosition& header,
                   const std::string& name) {
  constexpr std::size_t kShown = 5;
  const auto& all = column_problems.problems();
  for (std::size_t k = 0; k < std::min(all.size(), kShown); ++k) diag.add(all[k].where, all[k].message);
  if (all.size() > kShown)
    diag.add(header, std::to_string(all.size() - kShown) + " more problems in column " + quoted(name) +
                         " (the last on line " + std::to_string(all.back().where.line) +
                         "); if the column is text, declare it in a schema as id, categorical or ignore");
}

Matrix to_matrix(const std::vector<std::vector<double>>& columns, std::size_t rows) {
  Matrix m(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(columns.size()));
  for (std::size_t c = 0; c < columns.size(); ++c)
    for (std::size_t r = 0; r < rows; ++r)
      m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = columns[c][r];
  return m;
}

}  // namespace

Dataset build_dataset(const CsvDocument& doc, const Schema& schema, const DatasetOptions& options, Diagnostics& diag) {
  Dataset ds;
  ds.descriptors = Matrix(0, 0);
  ds.endpoints = Matrix(0, 0);
  if (doc.header.fields.empty()) return ds;  // the file could not be read; read_csv has said why
  const Table table(doc);
  if (table.rows() == 0)
    diag.add({doc.file, doc.header.line, 0}, "no data rows; expected at least one row below the header");

  check_unknown_columns(table, schema, diag);
  const std::vector<int> index = locate_columns(table, schema, options, diag);
  for (const auto& row : doc.rows) ds.row_lines.push_back(row.line);
  ds.row_ids = read_row_ids(table, schema, index, diag);

  Features features;
  std::vector<std::vector<double>> endpoint_values;
  for (std::size_t s = 0; s < schema.columns.size(); ++s) {
    const ColumnSpec& spec = schema.columns[s];
    const int column = index[s];
    Diagnostics column_problems;
    if (spec.role == Role::Descriptor && column != kAbsent) {
      if (spec.kind == ValueKind::Categorical)
        add_categorical_descriptor(table, column, spec, options, features, ds.encodings, column_problems);
      else
        add_numeric_descriptor(table, column, spec, features, column_problems);
    } else if (spec.role == Role::Endpoint && schema.in_table(spec)) {
      ds.endpoint_names.push_back(spec.name);
      ds.endpoint_units.push_back(spec.unit);
      ds.endpoint_csv_columns.push_back(column);
      endpoint_values.push_back(read_endpoint(table, column, spec, options, column_problems));
    }
    append_capped(diag, column_problems, column != kAbsent ? table.header(column) : spec.where, spec.name);
  }
  ds.descriptor_names = std::move(features.names);
  ds.descriptor_units = std::move(features.units);
  ds.descriptors = to_matrix(features.values, table.rows());
  ds.endpoints = to_matrix(endpoint_values, table.rows());

  // Derived scalars given in the table (e.g. a measured D30) are kept for comparison with the predicted ones.
  std::vector<std::vector<double>> derived_values;
  DatasetOptions optional = options;
  optional.require_observed_endpoints = false;
  for (const auto& derived : schema.derived) {
    ColumnSpec as_value;
    as_value.name = derived.name;
    as_value.where = derived.where;
    Diagnostics column_problems;
    const int column = table.find(derived.name);
    derived_values.push_back(read_endpoint(table, column, as_value, optional, column_problems));
    if (column != kAbsent) append_capped(diag, column_problems, table.header(column), derived.name);
  }
  ds.derived_given = to_matrix(derived_values, table.rows());
  return ds;
}

std::vector<std::size_t> recipe_of_rows(const Matrix& descriptors) {
  std::vector<std::size_t> recipe(static_cast<std::size_t>(descriptors.rows()));
  std::map<std::vector<double>, std::size_t> number;  // descriptors are never NaN, so they compare as values
  for (Eigen::Index i = 0; i < descriptors.rows(); ++i) {
    std::vector<double> row(static_cast<std::size_t>(descriptors.cols()));
    for (Eigen::Index j = 0; j < descriptors.cols(); ++j) row[static_cast<std::size_t>(j)] = descriptors(i, j);
    recipe[static_cast<std::size_t>(i)] = number.emplace(std::move(row), number.size()).first->second;
  }
  return recipe;
}

std::size_t count_recipes(const Matrix& descriptors) {
  const std::vector<std::size_t> recipe = recipe_of_rows(descriptors);
  return recipe.empty() ? 0 : *std::max_element(recipe.begin(), recipe.end()) + 1;
}

}  // namespace elec::data
