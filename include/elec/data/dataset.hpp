#pragma once
// A validated cell table in numbers: descriptors (categoricals one-hot encoded) and endpoints with blanks as NaN.
#include <string>
#include <vector>

#include "elec/data/csv.hpp"
#include "elec/data/diagnostics.hpp"
#include "elec/data/matrix.hpp"
#include "elec/data/schema.hpp"

namespace elec::data {

struct CategoricalEncoding {
  std::string column;               // the descriptor column
  std::vector<std::string> levels;  // one one-hot feature per level, in this order
};

// One functional endpoint's place among the dataset's endpoint columns.
struct CurveBlock {
  std::string name;  // the functional column
  std::string unit;
  std::string abscissa;  // e.g. "cycle"
  std::vector<double> grid;
  int first_endpoint = 0;  // endpoint index of grid[0]; the block is grid.size() consecutive endpoints

  int points() const { return static_cast<int>(grid.size()); }
  static std::string point_name(const std::string& name, double abscissa);  // "capacity_mAh_g@30"
};

struct Dataset {
  std::vector<std::string> row_ids;           // id column text, or the CSV line number as text
  std::vector<std::string> descriptor_names;  // encoded features: "gap_um", "additive=CNT", ...
  std::vector<std::string> descriptor_units;
  std::vector<std::string> endpoint_names;
  std::vector<std::string> endpoint_units;
  std::vector<CategoricalEncoding> encodings;
  Matrix descriptors;              // rows x descriptor features, always observed
  Matrix endpoints;                // rows x endpoints, NaN where not measured
  Matrix derived_given;            // rows x schema.derived, values the table gives for derived scalars (NaN: none)
  std::vector<CurveBlock> curves;  // functional endpoints, appended after the scalar ones (data::attach_curves)
  std::vector<int> endpoint_csv_columns;  // index into the CSV header of each endpoint (-1: absent from the CSV)
  std::vector<int> row_lines;             // CSV line of each row, for messages

  std::size_t rows() const { return static_cast<std::size_t>(endpoints.rows()); }
};

struct DatasetOptions {
  // Training needs at least one observed value per endpoint; prediction does not.
  bool require_observed_endpoints = true;
  // Prediction may omit endpoint columns altogether (they are then all blank), and ignored columns.
  bool allow_absent_endpoints = false;
  // Prediction must encode categoricals with the levels the model was trained on (an unseen level is an error).
  const std::vector<CategoricalEncoding>* encodings = nullptr;
};

// Applies the schema to the document and reports every problem at once: CSV columns the schema does not know,
// schema columns missing from the CSV, malformed numbers (file:line:col, the text found, "expected a number"),
// blank descriptors, endpoints with no observed value, values outside declared bounds, unseen categorical
// levels. Learned categorical levels are sorted for a stable encoding.
Dataset build_dataset(const CsvDocument& doc, const Schema& schema, const DatasetOptions& options, Diagnostics& diag);

// The recipe of each row: rows with equal descriptors (replicates of one recipe) share a number, numbered in order
// of first appearance. A new cell is a new recipe, so held-out cells are chosen by recipe.
std::vector<std::size_t> recipe_of_rows(const Matrix& descriptors);
std::size_t count_recipes(const Matrix& descriptors);

}  // namespace elec::data
