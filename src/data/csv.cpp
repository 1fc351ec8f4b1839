#include "elec/data/csv.hpp"

#include <fast_float/fast_float.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "elec/data/source_text.hpp"

namespace elec::data {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }
bool is_newline(char c) { return c == '\n' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (is_space(s.front()) || is_newline(s.front()))) s.remove_prefix(1);
  while (!s.empty() && (is_space(s.back()) || is_newline(s.back()))) s.remove_suffix(1);
  return s;
}

// Walks the text keeping the 1-based line and character column of the next character. Columns count UTF-8 code
// points, not bytes, so that they match what an editor shows.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool at_end() const { return pos_ >= text_.size(); }
  char peek(std::size_t ahead = 0) const { return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0'; }
  int line() const { return line_; }
  int column() const { return column_; }

  // Moves past one character that is not a line break.
  void advance() {
    const auto byte = static_cast<unsigned char>(text_[pos_++]);
    if ((byte & 0xC0) != 0x80) ++column_;
  }
  // Moves past LF, CRLF or a lone CR.
  void skip_newline() {
    if (peek() == '\r') ++pos_;
    if (peek() == '\n') ++pos_;
    ++line_;
    column_ = 1;
  }
  // A line holding only spaces or tabs counts as blank.
  bool skip_blank_line() {
    std::size_t end = pos_;
    while (end < text_.size() && is_space(text_[end])) ++end;
    if (end < text_.size() && !is_newline(text_[end])) return false;
    while (pos_ < end) advance();
    if (!at_end()) skip_newline();
    return true;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

// ',' unless the first record has an unquoted ';' and no unquoted ','.
char detect_delimiter(std::string_view text) {
  std::size_t start = 0;
  while (start < text.size() && (is_space(text[start]) || is_newline(text[start]))) ++start;
  bool quoted = false, comma = false, semicolon = false;
  for (std::size_t i = start; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"')
      quoted = !quoted;  // an escaped "" toggles twice, which is harmless here
    else if (!quoted && is_newline(c))
      break;
    else if (!quoted && c == ',')
      comma = true;
    else if (!quoted && c == ';')
      semicolon = true;
  }
  return semicolon && !comma ? ';' : ',';
}

class RecordReader {
 public:
  RecordReader(std::string_view text, char delimiter, const std::string& file, Diagnostics& diag)
      : cursor_(text), delimiter_(delimiter), file_(file), diag_(diag) {}

  // The next non-blank record; nullopt at the end of the text. Sets `broken` when the record could not be read
  // completely (the problem is already reported).
  std::optional<CsvRow> next(bool& broken) {
    broken = false;
    while (!cursor_.at_end() && cursor_.skip_blank_line()) {
    }
    if (cursor_.at_end()) return std::nullopt;
    CsvRow row;
    row.line = cursor_.line();
    for (;;) {
      CsvField field;
      field.column = cursor_.column();
      if (cursor_.peek() == '"') {
        if (!read_quoted(field.text)) {
          broken = true;
          return row;
        }
      } else {
        read_unquoted(field.text);
      }
      row.fields.push_back(std::move(field));
      if (cursor_.at_end()) break;
      if (cursor_.peek() == delimiter_) {
        cursor_.advance();
        continue;
      }
      cursor_.skip_newline();
      break;
    }
    return row;
  }

 private:
  bool at_field_end() const { return cursor_.at_end() || cursor_.peek() == delimiter_ || is_newline(cursor_.peek()); }

  void read_unquoted(std::string& out) {
    while (!at_field_end()) {
      out += cursor_.peek();
      cursor_.advance();
    }
  }

  // Returns false when the closing quote is missing: the rest of the file was swallowed and is reported once.
  bool read_quoted(std::string& out) {
    const SourcePosition opened{file_, cursor_.line(), cursor_.column()};
    cursor_.advance();
    for (;;) {
      if (cursor_.at_end()) {
        diag_.add(opened, "quoted field is never closed; expected a closing \" before the end of the file");
        return false;
      }
      const char c = cursor_.peek();
      if (c == '"' && cursor_.peek(1) == '"') {
        out += '"';
        cursor_.advance();
        cursor_.advance();
      } else if (c == '"') {
        cursor_.advance();
        break;
      } else if (is_newline(c)) {
        out += '\n';
        cursor_.skip_newline();
      } else {
        out += c;
        cursor_.advance();
      }
    }
    skip_after_closing_quote(out);
    return true;
  }

  // Spaces after the closing quote are dropped; other text is kept (as spreadsheets do) but reported.
  void skip_after_closing_quote(std::string& out) {
    while (!at_field_end() && is_space(cursor_.peek())) cursor_.advance();
    if (at_field_end()) return;
    diag_.add({file_, cursor_.line(), cursor_.column()},
              "text after a closing quote; expected a delimiter or the end of the line");
    read_unquoted(out);
  }

  Cursor cursor_;
  char delimiter_;
  const std::string& file_;
  Diagnostics& diag_;
};

// Trims header names and reports empty and repeated ones.
void check_header(CsvRow& header, const std::string& file, Diagnostics& diag) {
  std::map<std::string, const CsvField*> seen;
  for (auto& field : header.fields) {
    // A byte order mark (U+FEFF) is invisible: one left in a column name (e.g. after blank lines) is an encoding
    // accident, never part of the name.
    std::string_view name = trim(field.text);
    while (name.substr(0, 3) == "\xEF\xBB\xBF") name = trim(name.substr(3));
    field.text = std::string(name);
    const SourcePosition where{file, header.line, field.column};
    if (field.text.empty()) {
      diag.add(where, "empty column name; expected a name for every column of the header");
      continue;
    }
    const auto [it, inserted] = seen.emplace(field.text, &field);
    if (!inserted)
      diag.add(where, "column name \"" + field.text + "\" already used at " + std::to_string(header.line) + ":" +
                          std::to_string(it->second->column) + "; expected unique column names");
  }
}

// Both delimiters are quoted whichever is in use: an unquoted ',' in a ';' file would make read_csv take the file
// for a ',' file (found by tests/fuzz/csv_reader_fuzz.cpp's round trip).
std::string quote_if_needed(const std::string& text, char delimiter) {
  const bool needs_quotes =
      text.find_first_of(std::string{delimiter, ',', ';', '"', '\n', '\r'}) != std::string::npos ||
      (!text.empty() && (is_space(text.front()) || is_space(text.back())));
  if (!needs_quotes) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

CsvDocument read_csv(const std::string& path, Diagnostics& diag) {
  const auto content = read_text_file(path, diag);
  if (!content) {
    CsvDocument doc;
    doc.file = path;
    return doc;
  }
  return parse_csv(*content, path, diag);
}

CsvDocument parse_csv(std::string_view text, const std::string& path, Diagnostics& diag) {
  CsvDocument doc;
  doc.file = path;
  // UTF-8 byte order marks from Excel (a file re-saved twice can have two): not part of the first column's name.
  while (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (!check_text_encoding(text, path, diag)) return doc;
  doc.delimiter = detect_delimiter(text);

  RecordReader reader(text, doc.delimiter, path, diag);
  bool broken = false;
  auto header = reader.next(broken);
  if (!header) {
    diag.add({path, 0, 0}, "empty file; expected a header line with column names");
    return doc;
  }
  if (broken) return doc;
  doc.header = std::move(*header);
  check_header(doc.header, path, diag);

  const std::size_t expected = doc.header.fields.size();
  while (auto row = reader.next(broken)) {
    if (broken) break;
    if (row->fields.size() != expected) {
      // Reported once and dropped: checking its fields would only repeat the same problem.
      diag.add({path, row->line, 0},
               "expected " + std::to_string(expected) + " fields, found " + std::to_string(row->fields.size()));
      continue;
    }
    doc.rows.push_back(std::move(*row));
  }
  return doc;
}

bool is_missing(std::string_view text) {
  const std::string_view t = trim(text);
  for (const char* marker : {"", "NA", "NaN", "nan", "NAN", "N/A", "n/a", "null", "NULL"})
    if (t == marker) return true;
  return false;
}

std::optional<double> parse_number(std::string_view text) {
  std::string_view t = trim(text);
  // fast_float follows std::from_chars, which rejects a leading '+'; people do write "+0.5".
  if (t.size() > 1 && t.front() == '+' && t[1] != '-' && t[1] != '+') t.remove_prefix(1);
  if (t.empty()) return std::nullopt;
  double value = 0.0;
  const auto result = fast_float::from_chars(t.data(), t.data() + t.size(), value);
  if (result.ec != std::errc() || result.ptr != t.data() + t.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::string format_number(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (result.ec != std::errc()) throw std::logic_error("format_number: buffer too small");
  return std::string(buffer, result.ptr);
}

void write_csv(const std::string& path, char delimiter, const std::vector<std::string>& header,
               const std::vector<std::vector<std::string>>& rows) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw std::runtime_error(path + ": cannot write file (" + std::strerror(errno) + ")");
  auto write_line = [&](const std::vector<std::string>& fields) {
    // A lone empty field would make a blank line, which readers skip; "" keeps the record.
    if (fields.size() == 1 && fields[0].empty()) {
      out << "\"\"\n";
      return;
    }
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out << delimiter;
      out << quote_if_needed(fields[i], delimiter);
    }
    out << '\n';
  };
  write_line(header);
  for (const auto& row : rows) write_line(row);
  // A full disk shows at flush or close; both are checked, so a short file is never taken for a whole one.
  out.flush();
  out.close();
  if (!out) throw std::runtime_error(path + ": error while writing the file (" + std::strerror(errno) + ")");
}

}  // namespace elec::data
