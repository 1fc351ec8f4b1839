// read_journal = journal text -> cut_torn_tail (no final newline) -> parse_csv -> drop_damaged_last_line ->
// check_header -> read_record per row (checksum, fingerprint, numbers, the point inside the space, unique trial).
#include "elec/opt/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <set>
#include <stdexcept>

#include "elec/common/atomic_output.hpp"
#include "elec/data/csv.hpp"
#include "elec/data/hash.hpp"
#include "elec/data/source_text.hpp"

namespace elec::opt {
namespace {

std::vector<std::string> header_of(const JournalLayout& layout) {
  std::vector<std::string> header{"trial", "value", "seconds"};
  for (const auto& p : layout.space.parameters()) header.push_back(p.name);
  for (const auto& name : layout.extras) header.push_back(name);
  header.push_back("study");
  header.push_back("checksum");
  return header;
}

std::string cell_text(const Parameter& p, double value) {
  return p.kind == ParameterKind::Categorical ? p.choices[static_cast<std::size_t>(value)] : data::format_number(value);
}

// A CSV field: quoted when it holds a delimiter or a quote. Deterministic, so that a record read back and written
// again is the same text, which is what its checksum covers.
std::string field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string joined(const std::vector<std::string>& fields) {
  std::string line;
  for (const auto& f : fields) line += (line.empty() ? "" : ",") + field(f);
  return line;
}

std::string record_checksum(const std::string& text_before_checksum) {
  return data::Fnv1a().add(text_before_checksum).hex();
}

std::string record_line(const JournalLayout& layout, const JournalEntry& entry) {
  if (entry.point.size() != layout.space.size() || entry.extras.size() != layout.extras.size())
    throw std::invalid_argument("journal record: point or extras do not match the journal's columns");
  std::vector<std::string> fields{std::to_string(entry.number), data::format_number(entry.value),
                                  data::format_number(entry.seconds)};
  for (std::size_t k = 0; k < layout.space.size(); ++k) fields.push_back(cell_text(layout.space[k], entry.point[k]));
  for (double extra : entry.extras) fields.push_back(data::format_number(extra));
  fields.push_back(layout.fingerprint);
  const std::string text = joined(fields);
  return text + "," + record_checksum(text) + "\n";
}

// One write(2) per record and an fsync: a record is on disk whole, or (killed mid-write) torn at the end.
void append_text(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0)
    throw common::OutputError(path + ": cannot open the study journal for appending: " + std::strerror(errno));
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  const int error = errno;
  if (::close(fd) != 0 || !written)
    throw common::OutputError(path + ": cannot write the study journal: " + std::strerror(written ? errno : error));
}

// A last line without its newline was being written when the run died.
std::string_view cut_torn_tail(std::string_view text, const std::string& path, JournalContents& out) {
  if (text.empty() || text.back() == '\n') return text;
  const auto cut = text.rfind('\n');
  const auto line = std::count(text.begin(), text.end(), '\n') + 1;
  out.warnings.push_back(path + ":" + std::to_string(line) +
                         ": the last record is incomplete (the run was killed while writing it); dropped, that trial "
                         "runs again");
  out.needs_repair = true;
  return cut == std::string_view::npos ? std::string_view{} : text.substr(0, cut + 1);
}

// A whole last line that does not parse or whose checksum fails is a torn record too (an earlier version appended
// the next record onto a torn one); damage anywhere else is not explained by a kill and is refused.
bool last_line_is_damaged(const data::CsvDocument& doc, const data::Diagnostics& parse, int last_line) {
  for (const auto& p : parse.problems())
    if (p.where.line == last_line) return true;
  if (doc.rows.empty() || doc.rows.back().line != last_line) return false;
  const auto& fields = doc.rows.back().fields;
  std::vector<std::string> texts;
  for (std::size_t k = 0; k + 1 < fields.size(); ++k) texts.push_back(fields[k].text);
  return record_checksum(joined(texts)) != fields.back().text;
}

data::CsvDocument parse_whole_records(std::string_view text, const std::string& path, JournalContents& out,
                                      data::Diagnostics& diag) {
  data::Diagnostics parse;
  data::CsvDocument doc = data::parse_csv(text, path, parse);
  const int last_line = static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  if (last_line > 1 && last_line_is_damaged(doc, parse, last_line)) {
    out.warnings.push_back(path + ":" + std::to_string(last_line) +
                           ": the last record is damaged (torn by a killed run); dropped, that trial runs again");
    out.needs_repair = true;
    parse = {};
    doc = data::parse_csv(text.substr(0, text.rfind('\n', text.size() - 2) + 1), path, parse);
  }
  diag.append(parse);
  return doc;
}

class RecordReader {
 public:
  RecordReader(const std::string& path, const JournalLayout& layout, data::Diagnostics& diag)
      : path_(path),
        space_(layout.space),
        extras_(layout.extras.size()),
        fingerprint_(layout.fingerprint),
        diag_(diag) {}

  // The entry of one row; false (with the problem reported) when the row is not a whole record of this study.
  bool read(const data::CsvRow& row, JournalEntry& e) {
    ok_ = true;
    const auto& f = row.fields;
    std::vector<std::string> texts;
    for (std::size_t k = 0; k + 1 < f.size(); ++k) texts.push_back(f[k].text);
    if (record_checksum(joined(texts)) != f.back().text)
      return problem(row, f.back(),
                     "record checksum " + f.back().text +
                         " does not match the record; expected an "
                         "undamaged journal (the file was edited or corrupted)");
    const auto& study = f[f.size() - 2];
    if (study.text != fingerprint_)
      return problem(row, study,
                     "written by another study (fingerprint " + study.text + ", this study's is " + fingerprint_ +
                         "); expected the journal of the same data, schema, config and seed");
    e.number = static_cast<int>(number(row, f[0]));
    e.value = f[1].text == "nan" ? std::nan("") : number(row, f[1]);
    e.seconds = number(row, f[2]);
    for (std::size_t k = 0; k < space_.size(); ++k) e.point.push_back(coordinate(row, space_[k], f[3 + k]));
    for (std::size_t k = 0; k < extras_; ++k) e.extras.push_back(extra(row, f[3 + space_.size() + k]));
    if (ok_ && !numbers_.insert(e.number).second)
      problem(row, f[0], "trial " + f[0].text + " appears twice; expected each trial once");
    return ok_;
  }

 private:
  bool problem(const data::CsvRow& row, const data::CsvField& at, const std::string& message) {
    diag_.add({path_, row.line, at.column}, message);
    return ok_ = false;
  }
  double number(const data::CsvRow& row, const data::CsvField& at) {
    const auto v = data::parse_number(at.text);
    if (!v) problem(row, at, "\"" + at.text + "\"; expected a number");
    return v.value_or(0.0);
  }
  double extra(const data::CsvRow& row, const data::CsvField& at) {
    return at.text == "nan" ? std::nan("") : number(row, at);
  }
  double coordinate(const data::CsvRow& row, const Parameter& p, const data::CsvField& at) {
    if (p.kind == ParameterKind::Categorical) {
      const auto it = std::find(p.choices.begin(), p.choices.end(), at.text);
      if (it == p.choices.end()) problem(row, at, "\"" + at.text + "\" is not a choice of " + p.name);
      return static_cast<double>(it - p.choices.begin());
    }
    const double v = number(row, at);
    if (ok_ && !p.admits(v)) problem(row, at, at.text + " is outside the range of " + p.name);
    return v;
  }

  const std::string& path_;
  const SearchSpace& space_;
  std::size_t extras_;
  const std::string& fingerprint_;
  data::Diagnostics& diag_;
  std::set<int> numbers_;
  bool ok_ = true;
};

}  // namespace

void append_to_journal(const std::string& path, const JournalLayout& layout, const JournalEntry& entry) {
  std::error_code ignored;
  const bool fresh = !std::filesystem::exists(path) || std::filesystem::file_size(path, ignored) == 0;
  append_text(path, (fresh ? joined(header_of(layout)) + "\n" : "") + record_line(layout, entry));
}

void rewrite_journal(const std::string& path, const JournalLayout& layout, const std::vector<JournalEntry>& entries) {
  std::string text = joined(header_of(layout)) + "\n";
  for (const auto& e : entries) text += record_line(layout, e);
  common::write_atomically({{path, [&](const std::string& temp) { append_text(temp, text); }}});
}

JournalContents read_journal(const std::string& path, const JournalLayout& layout, data::Diagnostics& diag) {
  JournalContents out;
  const auto content = data::read_text_file(path, diag);
  if (!content || content->empty()) return out;
  const std::string_view whole = cut_torn_tail(*content, path, out);
  if (whole.empty()) return out;  // killed while writing the header: no trial was recorded
  const data::CsvDocument doc = parse_whole_records(whole, path, out, diag);
  if (doc.header.fields.empty()) return out;
  std::vector<std::string> found;
  for (const auto& f : doc.header.fields) found.push_back(f.text);
  if (found != header_of(layout)) {
    diag.add({path, doc.header.line, 1},
             "the journal's columns are not this study's (trial, value, seconds, the searched "
             "parameters in the config's order, " +
                 (layout.extras.empty() ? std::string() : "the recorded quantities, ") +
                 "study, checksum); expected a journal of the "
                 "same search space written by this version");
    return out;
  }
  RecordReader reader(path, layout, diag);
  for (const auto& row : doc.rows) {
    JournalEntry e;
    if (reader.read(row, e)) out.entries.push_back(std::move(e));
  }
  return out;
}

JournalContents open_journal(const std::string& path, const JournalLayout& layout, bool resume,
                             data::Diagnostics& diag) {
  std::error_code error;
  if (!std::filesystem::exists(path) || std::filesystem::file_size(path, error) == 0) return {};
  if (!resume)
    throw data::InputError(
        path + ": a study journal is already there; expected --resume to continue it, or another --journal\n");
  return read_journal(path, layout, diag);
}

}  // namespace elec::opt
