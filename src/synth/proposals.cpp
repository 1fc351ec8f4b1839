#include "elec/synth/proposals.hpp"

#include <cmath>
#include <map>
#include <optional>

#include "elec/data/csv.hpp"

namespace elec::synth {
namespace {

std::string range_text(const Range& r) { return data::format_number(r.min) + " to " + data::format_number(r.max); }

class ProposalReader {
 public:
  ProposalReader(const data::CsvDocument& doc, data::Diagnostics& diag) : doc_(doc), diag_(diag) {
    for (std::size_t c = 0; c < doc.header.fields.size(); ++c) column_of_[doc.header.fields[c].text] = c;
  }

  // False (with a problem per missing column) when a required column is absent.
  bool has_columns() {
    bool complete = true;
    for (const char* name :
         {"id", "cmc_sbr", "additive", "gap_um", "speed_m_min", "drying_first_C", "drying_second_C", "calendered"})
      if (!column_of_.count(name)) {
        diag_.add({doc_.file, doc_.header.line, 0},
                  std::string("no column \"") + name +
                      "\"; expected the columns id, cmc_sbr, additive, gap_um, "
                      "speed_m_min, drying_first_C, drying_second_C, calendered (and optionally case)");
        complete = false;
      }
    return complete;
  }

  std::vector<PlannedCell> read() {
    std::vector<PlannedCell> cells;
    std::map<std::string, int> id_line;
    for (const auto& row : doc_.rows) {
      PlannedCell cell;
      bool ok = true;
      const auto& id = field(row, "id");
      cell.id = trimmed(id.text);
      if (cell.id.empty()) {
        ok = fail(row, id, "empty id; expected a name for the proposed cell");
      } else if (const auto [it, inserted] = id_line.emplace(cell.id, row.line); !inserted) {
        ok =
            fail(row, id,
                 "id \"" + cell.id + "\" already used on line " + std::to_string(it->second) + "; expected unique ids");
      }
      if (column_of_.count("case")) {
        const auto& f = field(row, "case");
        const auto number = data::parse_number(f.text);
        if (data::is_missing(f.text))
          cell.case_number = 0;
        else if (!number || *number < 1 || *number != std::floor(*number) || *number > 1e9)
          ok = fail(row, f, "case \"" + f.text + "\"; expected a positive whole number or a blank");
        else
          cell.case_number = static_cast<int>(*number);
      }
      const auto& ratio_field = field(row, "cmc_sbr");
      if (const auto ratio = parse_cmc_sbr(trimmed(ratio_field.text)))
        cell.recipe.cmc_sbr = *ratio;
      else
        ok = fail(row, ratio_field, "CMC:SBR ratio \"" + ratio_field.text + "\"; expected 2:1, 1:3 or 2:3");
      const auto& additive_field = field(row, "additive");
      if (const auto additive = parse_additive(trimmed(additive_field.text)))
        cell.recipe.additive = *additive;
      else
        ok = fail(row, additive_field,
                  "additive \"" + additive_field.text + "\"; expected long_cnt, short_cnt, carbon_fibre, dsa or none");
      ok = number_in(row, "gap_um", kGapUm, "coating gap (um)", cell.recipe.gap_um) && ok;
      ok = number_in(row, "speed_m_min", kSpeedMPerMin, "coating speed (m/min)", cell.recipe.speed_m_min) && ok;
      ok = number_in(row, "drying_first_C", kDryingC, "drying temperature (C)", cell.recipe.drying.first_C) && ok;
      const bool second_ok =
          number_in(row, "drying_second_C", kDryingC, "drying temperature (C)", cell.recipe.drying.second_C);
      ok = second_ok && ok;
      if (second_ok && cell.recipe.drying.second_C < cell.recipe.drying.first_C)
        ok = fail(row, field(row, "drying_second_C"),
                  "second drying step " + data::format_number(cell.recipe.drying.second_C) + " C is below the first (" +
                      data::format_number(cell.recipe.drying.first_C) +
                      " C); expected a second step at least as hot (equal for one-step drying)");
      const auto& calendered = field(row, "calendered");
      const std::string flag = trimmed(calendered.text);
      if (flag == "0" || flag == "1")
        cell.recipe.calendered = flag == "1";
      else
        ok = fail(row, calendered, "calendered \"" + calendered.text + "\"; expected 0 or 1");
      if (ok) cells.push_back(cell);
    }
    if (doc_.rows.empty())
      diag_.add({doc_.file, doc_.header.line, 0}, "no proposed cells; expected one row per cell after the header");
    return cells;
  }

 private:
  static std::string trimmed(const std::string& text) {
    const auto begin = text.find_first_not_of(" \t");
    if (begin == std::string::npos) return "";
    return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
  }

  const data::CsvField& field(const data::CsvRow& row, const char* name) const {
    return row.fields[column_of_.at(name)];
  }

  bool fail(const data::CsvRow& row, const data::CsvField& f, const std::string& message) {
    diag_.add({doc_.file, row.line, f.column}, message);
    return false;
  }

  bool number_in(const data::CsvRow& row, const char* name, const Range& range, const char* what, double& out) {
    const auto& f = field(row, name);
    if (data::is_missing(f.text))
      return fail(row, f,
                  std::string("blank ") + what + "; expected a number from " + range_text(range) +
                      " (descriptors must be given)");
    const auto value = data::parse_number(f.text);
    if (!value) return fail(row, f, std::string(what) + " \"" + f.text + "\"; expected a number");
    if (!range.contains(*value))
      return fail(row, f,
                  std::string(what) + " " + f.text + " is outside the simulated range; expected " + range_text(range));
    out = *value;
    return true;
  }

  const data::CsvDocument& doc_;
  data::Diagnostics& diag_;
  std::map<std::string, std::size_t> column_of_;
};

}  // namespace

std::vector<PlannedCell> read_proposals(const std::string& path, data::Diagnostics& diag) {
  const data::CsvDocument doc = data::read_csv(path, diag);
  if (doc.header.fields.empty()) return {};
  ProposalReader reader(doc, diag);
  if (!reader.has_columns()) return {};
  return reader.read();
}

}  // namespace elec::synth
