#include "elec/synth/study_writer.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>

#include "elec/common/atomic_output.hpp"
#include "elec/data/csv.hpp"
#include "elec/synth/graphite_physics.hpp"
#include "elec/synth/paper_table1.hpp"
#include "elec/version.hpp"

namespace elec::synth {
namespace {

// How a scalar endpoint is written and declared.
struct EndpointColumn {
  Endpoint endpoint;
  const char* name;
  const char* unit;
  const char* format;  // printf format of the recorded value: the instrument's resolution
  std::optional<double> max;
  const char* meaning;
};

const std::vector<EndpointColumn>& endpoint_columns() {
  static const std::vector<EndpointColumn> columns = {
      {Endpoint::Thickness, "thickness_um", "um", "%.1f", std::nullopt,
       "dry coating thickness (without the copper foil)"},
      {Endpoint::CoatWeight, "coat_weight_mg_cm2", "mg/cm2", "%.2f", std::nullopt, "dry coating mass per area"},
      {Endpoint::ActiveMass, "active_mass_mg", "mg", "%.2f", std::nullopt, "graphite in the 15 mm electrode disc"},
      {Endpoint::Porosity, "porosity_pct", "%", "%.1f", 100.0, "from thickness, coat weight and skeletal density"},
      {Endpoint::Adhesion, "adhesion_N_m", "N/m", "%.2f", std::nullopt, "180-degree peel (adhesion normal force)"},
      {Endpoint::IrDrop, "ir_drop_ohm", "ohm", "%.2f", std::nullopt,
       "ohmic resistance: IR drop at the first discharge after formation divided by its current (C/2)"},
      {Endpoint::Viscosity0_1, "viscosity_0_1_Pa_s", "Pa s", "%.4g", std::nullopt, "slurry viscosity at 0.1 1/s"},
      {Endpoint::Viscosity1, "viscosity_1_Pa_s", "Pa s", "%.4g", std::nullopt, "slurry viscosity at 1 1/s"},
      {Endpoint::Viscosity10, "viscosity_10_Pa_s", "Pa s", "%.4g", std::nullopt, "slurry viscosity at 10 1/s"},
      {Endpoint::Viscosity100, "viscosity_100_Pa_s", "Pa s", "%.4g", std::nullopt, "slurry viscosity at 100 1/s"},
  };
  return columns;
}

std::string printed(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

std::string case_text(int number) { return number > 0 ? std::to_string(number) : ""; }

std::vector<std::string> descriptor_fields(const PlannedCell& c) {
  const CellRecipe& r = c.recipe;
  return {c.id,
          case_text(c.case_number),
          to_string(r.cmc_sbr),
          to_string(r.additive),
          data::format_number(r.gap_um),
          data::format_number(r.speed_m_min),
          data::format_number(r.drying.first_C),
          data::format_number(r.drying.second_C),
          r.calendered ? "1" : "0"};
}

std::vector<std::vector<std::string>> cell_rows(const std::vector<CellRecord>& cells) {
  std::vector<std::vector<std::string>> rows;
  rows.reserve(cells.size());
  for (const auto& record : cells) {
    auto row = descriptor_fields(record.cell);
    for (const auto& column : endpoint_columns()) {
      const auto& value = record[column.endpoint];
      row.push_back(value ? printed(column.format, *value) : "");
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// Long format, written directly: a 10,000-cell study has half a million rows.
void write_capacity(const std::string& path, const std::vector<CellRecord>& cells) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw std::runtime_error(path + ": cannot write file");
  out << "id,cycle,capacity_mAh_g\n";
  for (const auto& record : cells)
    for (std::size_t i = 0; i < record.capacity_mAh_g.size(); ++i)
      out << record.cell.id << ',' << (i + 1) << ',' << printed("%.1f", record.capacity_mAh_g[i]) << '\n';
  out.close();
  if (!out) throw std::runtime_error(path + ": error while writing the file");
}

std::vector<std::vector<std::string>> test_cell_rows() {
  std::vector<std::vector<std::string>> rows;
  for (const auto& t : paper_table1()) {
    auto row = descriptor_fields({"case" + std::to_string(t.case_number), t.case_number, t.recipe});
    for (const auto& column : endpoint_columns())
      row.push_back(column.endpoint == Endpoint::Porosity ? printed("%.1f", t.porosity_pct) : "");
    row.push_back(printed("%.1f", t.d30_experimental_mAh_g));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string schema_text(const Provenance& p) {
  std::string s;
  s += "# Schema of cells.csv (and capacity.csv) of a SIMULATED graphite-anode study, NOT measurements.\n";
  s += "# Written by elec_hpc " + std::string(kVersion) + ": `" + p.command + "` (" + p.design + ", seed " +
       std::to_string(p.seed) + ").\n";
  s += "# The trends follow Drakopoulos et al. 2021, doi:10.1016/j.xcrp.2021.100683 (see SOURCE.md where the\n";
  s += "# study is shipped, and include/elec/synth/graphite_physics.hpp). test_cells.csv holds the paper's Table 1\n";
  s += "# (real test cells) with the same columns and a final D30_mAh_g.\n\n";
  s += "[[column]]\nname = \"id\"\nrole = \"id\"\n\n";
  s += "# Manufacturing case: groups the replicate cells of one recipe (not a model input).\n";
  s += "[[column]]\nname = \"case\"\nrole = \"ignore\"\n\n";
  s += "[[column]]\nname = \"cmc_sbr\"\nrole = \"descriptor\"\ntype = \"categorical\"    # 2:1, 1:3, 2:3 (binder 3% "
       "w/w)\n\n";
  s += "[[column]]\nname = \"additive\"\nrole = \"descriptor\"\ntype = \"categorical\"    # 0.5% w/w: long_cnt, "
       "short_cnt, carbon_fibre, dsa, none\n\n";
  auto numeric_descriptor = [&](const char* name, const char* unit, const Range& r, const char* meaning) {
    s += "# " + std::string(meaning) + "\n[[column]]\nname = \"" + name + "\"\nrole = \"descriptor\"\n";
    if (*unit) s += "unit = \"" + std::string(unit) + "\"\n";
    s += "min = " + data::format_number(r.min) + "\nmax = " + data::format_number(r.max) + "\n\n";
  };
  numeric_descriptor("gap_um", "um", kGapUm, "doctor-blade coating gap");
  numeric_descriptor("speed_m_min", "m/min", kSpeedMPerMin, "coating speed");
  numeric_descriptor("drying_first_C", "C", kDryingC, "first drying step");
  numeric_descriptor("drying_second_C", "C", kDryingC, "second drying step (equal to the first for one-step drying)");
  numeric_descriptor("calendered", "", Range{0, 1}, "1 = calendered, 0 = not");
  for (const auto& c : endpoint_columns()) {
    s += "# " + std::string(c.meaning) + "\n";
    s +=
        "[[column]]\nname = \"" + std::string(c.name) + "\"\nrole = \"endpoint\"\nunit = \"" + c.unit + "\"\nmin = 0\n";
    if (c.max) s += "max = " + data::format_number(*c.max) + "\n";
    s += "\n";
  }
  s += "# Discharge capacity at C/2 per cycle after formation (cycles 1-50; some curves cut short, some cells not\n";
  s += "# cycled), one row per point in capacity.csv.\n";
  s += "[[column]]\nname = \"capacity_mAh_g\"\nrole = \"endpoint\"\ntype = \"functional\"\nabscissa = \"cycle\"\n";
  s += "file = \"capacity.csv\"     # relative to this schema file\nunit = \"mAh/g\"\n\n";
  s += "# Derived from the curve: D5 and D30 (mAh/g), and the cycle at which it falls to 50% of its maximum.\n";
  s += "[[derived]]\nname = \"D5_mAh_g\"\nfrom = \"capacity_mAh_g\"\nkind = \"value_at\"\nat = 5\n\n";
  s += "[[derived]]\nname = \"D30_mAh_g\"\nfrom = \"capacity_mAh_g\"\nkind = \"value_at\"\nat = 30\n\n";
  s += "[[derived]]\nname = \"cycle_at_50pct\"\nfrom = \"capacity_mAh_g\"\nkind = \"crossing\"\nfraction = 0.5\n";
  return s;
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw std::runtime_error(path + ": cannot write file");
}

std::string in_dir(const std::string& dir, const char* name) { return (std::filesystem::path(dir) / name).string(); }

void make_dir(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) throw common::OutputError(dir + ": cannot create the output directory: " + error.message());
}

}  // namespace

std::vector<std::string> cells_header() {
  std::vector<std::string> header = {"id",          "case",           "cmc_sbr",         "additive",  "gap_um",
                                     "speed_m_min", "drying_first_C", "drying_second_C", "calendered"};
  for (const auto& c : endpoint_columns()) header.push_back(c.name);
  return header;
}

Provenance study_provenance(const SimulatedStudy& study, std::size_t random_cells) {
  std::string command = "elec_hpc synth --seed " + std::to_string(study.seed);
  if (random_cells) command += " --cells " + std::to_string(random_cells);
  return {command, study.design, study.seed};
}

void write_study(const std::string& dir, const SimulatedStudy& study, const Provenance& provenance) {
  make_dir(dir);
  auto test_header = cells_header();
  test_header.push_back("D30_mAh_g");
  common::write_atomically(
      {{in_dir(dir, "cells.csv"),
        [&](const std::string& t) { data::write_csv(t, ',', cells_header(), cell_rows(study.cells)); }},
       {in_dir(dir, "capacity.csv"), [&](const std::string& t) { write_capacity(t, study.cells); }},
       {in_dir(dir, "test_cells.csv"),
        [&](const std::string& t) { data::write_csv(t, ',', test_header, test_cell_rows()); }},
       {in_dir(dir, "schema.toml"), [&](const std::string& t) { write_text(t, schema_text(provenance)); }}});
}

void write_measurements(const std::string& dir, const std::vector<CellRecord>& records) {
  make_dir(dir);
  common::write_atomically(
      {{in_dir(dir, "cells.csv"),
        [&](const std::string& t) { data::write_csv(t, ',', cells_header(), cell_rows(records)); }},
       {in_dir(dir, "capacity.csv"), [&](const std::string& t) { write_capacity(t, records); }}});
}

}  // namespace elec::synth
