#pragma once
// CSV reading that remembers where every field came from, so that every later check can name file:line:col.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "elec/data/diagnostics.hpp"

namespace elec::data {

struct CsvField {
  std::string text;  // unquoted, "" escapes resolved, surrounding spaces kept
  int column = 0;    // 1-based character column where the field starts
};

struct CsvRow {
  int line = 0;  // 1-based line where the record starts
  std::vector<CsvField> fields;
};

struct CsvDocument {
  std::string file;
  char delimiter = ',';
  CsvRow header;
  std::vector<CsvRow> rows;
};

// RFC 4180: quoted fields, "" escapes, CRLF or LF, newlines inside quotes. The delimiter is ',' unless the
// header line has a ';' and no ',' (European exports). Blank lines are skipped. Structural problems go to diag:
// unreadable or empty file, ragged rows (expected N fields, found M), unterminated quote, empty or duplicate
// header names.
// Text that is not UTF-8, or holds a NUL byte, is one problem at its position and an empty document.
CsvDocument read_csv(const std::string& path, Diagnostics& diag);
// The same for text already in memory; `path` names it in messages.
CsvDocument parse_csv(std::string_view text, const std::string& path, Diagnostics& diag);

// Missing value: empty or whitespace only, or NA / NaN / nan / N/A / null (spreadsheet and pandas exports).
bool is_missing(std::string_view text);

// Exact decimal parsing (fast_float), surrounding whitespace allowed; nullopt when the whole text is not a number
// or the value is not finite.
std::optional<double> parse_number(std::string_view text);

// The shortest text that reads back as the same double (round trip).
std::string format_number(double value);

// Writes a document with the given header and rows of already-formatted text, quoting where needed.
void write_csv(const std::string& path, char delimiter, const std::vector<std::string>& header,
               const std::vector<std::vector<std::string>>& rows);

}  // namespace elec::data
