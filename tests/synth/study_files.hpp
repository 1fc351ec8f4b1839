#pragma once
// Reading back what `synth` wrote, with the project's own CSV reader, so the tests check the files and not the
// simulator's memory.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "elec/data/csv.hpp"

namespace elec::synth::test_support {

struct StudyRow {
  std::map<std::string, std::string> text;
  int line = 0;
  const std::string& operator[](const std::string& column) const { return text.at(column); }
  std::optional<double> number(const std::string& column) const {
    const std::string& t = text.at(column);
    if (data::is_missing(t)) return std::nullopt;
    return data::parse_number(t);
  }
  double value(const std::string& column) const { return number(column).value(); }
};

struct StudyFilesRead {
  std::vector<std::string> header;
  std::vector<StudyRow> cells;
  std::map<std::string, std::vector<double>> curves;  // id -> capacity at cycles 1, 2, ... (checked consecutive)

  std::optional<double> d(const std::string& id, int cycle) const {
    const auto it = curves.find(id);
    if (it == curves.end() || cycle < 1 || static_cast<std::size_t>(cycle) > it->second.size()) return std::nullopt;
    return it->second[static_cast<std::size_t>(cycle - 1)];
  }
};

inline std::vector<StudyRow> read_rows(const std::string& path, std::vector<std::string>* header = nullptr) {
  data::Diagnostics diag;
  const auto doc = data::read_csv(path, diag);
  EXPECT_TRUE(diag.empty()) << diag.format();
  if (header) {
    header->clear();
    for (const auto& f : doc.header.fields) header->push_back(f.text);
  }
  std::vector<StudyRow> rows;
  for (const auto& r : doc.rows) {
    StudyRow row;
    row.line = r.line;
    for (std::size_t c = 0; c < r.fields.size(); ++c) row.text[doc.header.fields[c].text] = r.fields[c].text;
    rows.push_back(std::move(row));
  }
  return rows;
}

inline StudyFilesRead read_study_files(const std::string& dir) {
  StudyFilesRead s;
  s.cells = read_rows(dir + "/cells.csv", &s.header);
  for (const auto& row : read_rows(dir + "/capacity.csv")) {
    auto& curve = s.curves[row["id"]];
    const double cycle = row.value("cycle");
    EXPECT_EQ(cycle, static_cast<double>(curve.size() + 1)) << "capacity.csv line " << row.line;
    curve.push_back(row.value("capacity_mAh_g"));
  }
  return s;
}

}  // namespace elec::synth::test_support
