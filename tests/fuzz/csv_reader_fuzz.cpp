// Fuzzes the cell-table reader (data::read_csv) with arbitrary bytes, and what impute does with a clean table:
// build the dataset with every column a numeric endpoint (no schema), and write the table back.
//
// Invariants checked beyond "no crash":
// - a table read without problems has as many fields in every row as in its header;
// - write_csv of a clean table, in its own delimiter, reads back to the same header and fields (impute's output
//   keeps "the same columns, order and measured text as IN"). The delimiter itself may be detected differently
//   when that changes no field (a one-column table).
#include <cstdint>
#include <string>
#include <vector>

#include "elec/data/csv.hpp"
#include "elec/data/dataset.hpp"
#include "elec/data/schema.hpp"
#include "fuzz_support.hpp"

namespace {

using elec::data::CsvDocument;
using elec::data::Diagnostics;

std::vector<std::string> texts(const elec::data::CsvRow& row) {
  std::vector<std::string> out;
  for (const auto& field : row.fields) out.push_back(field.text);
  return out;
}

void check_shape(const CsvDocument& doc) {
  for (const auto& row : doc.rows)
    if (row.fields.size() != doc.header.fields.size())
      elec::fuzz::finding("row at line " + std::to_string(row.line) + " has " + std::to_string(row.fields.size()) +
                          " fields, header " + std::to_string(doc.header.fields.size()));
}

void check_round_trip(const CsvDocument& doc, const elec::fuzz::ScratchDir& dir) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& row : doc.rows) rows.push_back(texts(row));
  const std::string copy = dir.path("written.csv");
  elec::data::write_csv(copy, doc.delimiter, texts(doc.header), rows);
  Diagnostics diag;
  const CsvDocument back = elec::data::read_csv(copy, diag);
  if (!diag.empty()) elec::fuzz::finding("write_csv wrote a table read_csv rejects:\n" + diag.format());
  if (texts(back.header) != texts(doc.header)) elec::fuzz::finding("write_csv changed the header");
  if (back.rows.size() != doc.rows.size())
    elec::fuzz::finding("write_csv changed the number of rows: " + std::to_string(doc.rows.size()) + " -> " +
                        std::to_string(back.rows.size()));
  for (std::size_t r = 0; r < rows.size(); ++r)
    if (texts(back.rows[r]) != rows[r]) elec::fuzz::finding("write_csv changed row " + std::to_string(r));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const elec::fuzz::ScratchDir dir("csv_reader");
  const std::string path = dir.write("table.csv", data, size);
  try {
    Diagnostics diag;
    const CsvDocument doc = elec::data::read_csv(path, diag);
    if (!diag.empty()) return 0;
    check_shape(doc);
    check_round_trip(doc, dir);
    Diagnostics dataset_problems;
    elec::data::build_dataset(doc, elec::data::schema_all_endpoints(doc), {}, dataset_problems);
  } catch (const std::exception&) {
    // Bad input answered with an exception is the expected outcome.
  }
  return 0;
}
