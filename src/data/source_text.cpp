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
    diag.add(toml_position(path, result.error().source()), "invalid TOML: " + std::string(result.error().description()));
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
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "a date or time";
  }
}

std::string resolve_beside(const std::string& anchor_file, const std::string& path) {
  const std::filesystem::path named(path);
  if (named.is_absolute()) return path;
  return (std::filesystem::path(anchor_file).parent_path() / named).lexically_normal().string();
}

}  // namespace elec::data
