#include "elec/data/source_text.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace elec::data {

// Reads the whole file; on failure adds "path: cannot open file (reason)" and returns nullopt.
std::optional<std::string> read_text_file(const std::string& path, Diagnostics& diag) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    diag.add({path, 0, 0}, "cannot open file (it is a directory)");
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diag.add({path, 0, 0}, std::string("cannot open file (") + std::strerror(errno) + ")");
    return std::nullopt;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0 (RFC 3629: no overlong forms, no surrogates).
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u; };
  const unsigned lead = byte(0);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF)
    length = 2;
  else if (lead >= 0xE0 && lead <= 0xEF)
    length = 3, low = lead == 0xE0 ? 0xA0 : 0x80, high = lead == 0xED ? 0x9F : 0xBF;
  else if (lead >= 0xF0 && lead <= 0xF4)
    length = 4, low = lead == 0xF0 ? 0x90 : 0x80, high = lead == 0xF4 ? 0x8F : 0xBF;
  else
    return 0;
  if (byte(1) < low || byte(1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k)
    if (byte(k) < 0x80 || byte(k) > 0xBF) return 0;
  return length;
}

}  // namespace

bool check_text_encoding(std::string_view text, const std::string& path, Diagnostics& diag) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = text[i] == '\0' ? 0 : utf8_length(text, i);
    if (length == 0) {
      diag.add({path, line, column}, text[i] == '\0'
                                         ? "NUL byte; expected text (is this a binary file?)"
                                         : "invalid UTF-8 byte sequence; expected UTF-8 text (re-export the "
                                           "file as UTF-8)");
      return false;
    }
    // Line breaks as the CSV reader counts them: LF, CRLF, or a lone CR (old Mac exports).
    const bool line_break = text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'));
    if (line_break)
      ++line, column = 1;
    else if (text[i] != '\r')
      ++column;
    i += length;
  }
  return true;
}

SourcePosition toml_position(const std::string& file, const toml::source_region& region) {
  return {file, static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

// toml++ reports syntax errors by exception or by result object depending on how it was built.
std::optional<toml::table> parse_toml(const std::string& text, const std::string& path, Diagnostics& diag) {
#if TOML_EXCEPTIONS
  try {
    return toml::parse(text, path);
  } catch (const toml::parse_error& err) {
    diag.add(toml_position(path, err.source()), "invalid TOML: " + std::string(err.description()));
    return std::nullopt;
  }
#else
  auto result = toml::parse(text, path);
  if (!result) {
    diag.add(toml_position(path, result.error().source()),
             "invalid TOML: " + std::string(result.error().description()));
    return std::nullopt;
  }
  return std::move(result).table();
#endif
}

// toml++ iterates a table's keys alphabetically; problems read best in the order of the file.
void append_in_file_order(const Diagnostics& found, Diagnostics& diag) {
  std::vector<Problem> problems = found.problems();
  std::stable_sort(problems.begin(), problems.end(), [](const Problem& a, const Problem& b) {
    return std::make_pair(a.where.line, a.where.column) < std::make_pair(b.where.line, b.where.column);
  });
  for (auto& p : problems) diag.add(std::move(p.where), std::move(p.message));
}

std::string describe_type(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    default:
      return "a date or time";
  }
}

std::string resolve_beside(const std::string& anchor_file, const std::string& path) {
  const std::filesystem::path named(path);
  if (named.is_absolute()) return path;
  return (std::filesystem::path(anchor_file).parent_path() / named).lexically_normal().string();
}

}  // namespace elec::data
