#include "elec/opt/journal.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>
#include <stdexcept>

#include "elec/data/csv.hpp"

namespace elec::opt {
namespace {

std::vector<std::string> header_of(const SearchSpace& space) {
  std::vector<std::string> header{"trial", "value", "seconds"};
  for (const auto& p : space.parameters()) header.push_back(p.name);
  return header;
}

std::string cell_text(const Parameter& p, double value) {
  return p.kind == ParameterKind::Categorical ? p.choices[static_cast<std::size_t>(value)] : data::format_number(value);
}

// A CSV field: quoted when it holds a delimiter or a quote.
std::string field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

void append_to_journal(const std::string& path, const SearchSpace& space, const JournalEntry& entry) {
  const bool fresh = !std::filesystem::exists(path);
  std::FILE* file = std::fopen(path.c_str(), "a");
  if (!file) throw std::runtime_error(path + ": cannot open the study journal for appending");
  std::string line;
  if (fresh) {
    for (const auto& name : header_of(space)) line += (line.empty() ? "" : ",") + field(name);
    line += "\n";
  }
  line += std::to_string(entry.number) + "," + data::format_number(entry.value) + "," + data::format_number(entry.seconds);
  for (std::size_t k = 0; k < space.size(); ++k) line += "," + field(cell_text(space[k], entry.point[k]));
  line += "\n";
  const bool written = std::fputs(line.c_str(), file) >= 0 && std::fflush(file) == 0 && ::fsync(::fileno(file)) == 0;
  std::fclose(file);
  if (!written) throw std::runtime_error(path + ": cannot write the study journal");
}

std::vector<JournalEntry> read_journal(const std::string& path, const SearchSpace& space, data::Diagnostics& diag) {
  std::vector<JournalEntry> entries;
  const data::CsvDocument doc = data::read_csv(path, diag);
  if (doc.header.fields.empty()) return entries;
  std::vector<std::string> found;
  for (const auto& f : doc.header.fields) found.push_back(f.text);
  if (found != header_of(space)) {
    diag.add({path, doc.header.line, 1}, "the journal's columns are not this study's (trial, value, seconds and the tuned "
                                         "parameters in the config's order); expected a journal of the same [tune] space");
    return entries;
  }
  std::set<int> numbers;
  for (const auto& row : doc.rows) {
    JournalEntry e;
    bool ok = true;
    auto number = [&](std::size_t c) {
      const auto v = data::parse_number(row.fields[c].text);
      if (!v) diag.add({path, row.line, row.fields[c].column}, "\"" + row.fields[c].text + "\"; expected a number"), ok = false;
      return v.value_or(0.0);
    };
    e.number = static_cast<int>(number(0));
    e.value = row.fields[1].text == "nan" ? std::nan("") : number(1);
    e.seconds = number(2);
    for (std::size_t k = 0; k < space.size(); ++k) {
      const auto& p = space[k];
      const auto& cell = row.fields[3 + k];
      double v = 0.0;
      if (p.kind == ParameterKind::Categorical) {
        const auto it = std::find(p.choices.begin(), p.choices.end(), cell.text);
        if (it == p.choices.end()) diag.add({path, row.line, cell.column}, "\"" + cell.text + "\" is not a choice of " + p.name), ok = false;
        v = static_cast<double>(it - p.choices.begin());
      } else {
        v = number(3 + k);
        if (ok && !p.admits(v)) diag.add({path, row.line, cell.column}, cell.text + " is outside the range of " + p.name), ok = false;
      }
      e.point.push_back(v);
    }
    if (ok && !numbers.insert(e.number).second)
      diag.add({path, row.line, row.fields[0].column}, "trial " + row.fields[0].text + " appears twice; expected each trial once"), ok = false;
    if (ok) entries.push_back(std::move(e));
  }
  return entries;
}

}  // namespace elec::opt
