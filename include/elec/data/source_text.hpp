#pragma once
// Reading the text of an input file and its TOML, keeping positions for diagnostics. Shared by the CSV, schema and
// study-config readers so they report unreadable files and TOML syntax errors the same way.
#include <toml++/toml.h>

#include <optional>
#include <string>
#include <string_view>

#include "elec/data/diagnostics.hpp"

namespace elec::data {

// The whole file; on failure adds "path: cannot open file (reason)" and returns nullopt.
std::optional<std::string> read_text_file(const std::string& path, Diagnostics& diag);

// Text files must be UTF-8 without NUL bytes: names and ids are copied into outputs, and a NUL would cut them
// short in every C API downstream. Adds one problem at the first offending byte's line and column and returns
// false when the text is not.
bool check_text_encoding(std::string_view text, const std::string& path, Diagnostics& diag);

// Parses TOML text; a syntax error becomes "path:line:col: invalid TOML: ..." and nullopt.
std::optional<toml::table> parse_toml(const std::string& text, const std::string& path, Diagnostics& diag);

// "a string", "an integer", ... for messages that say what was found.
std::string describe_type(const toml::node& node);

SourcePosition toml_position(const std::string& file, const toml::source_region& region);

// A path named inside `anchor_file` (e.g. a schema's data file): relative paths are relative to that file's folder.
std::string resolve_beside(const std::string& anchor_file, const std::string& path);

// toml++ visits a table's keys alphabetically; problems read best in the order of the file.
void append_in_file_order(const Diagnostics& found, Diagnostics& diag);

}  // namespace elec::data
