#pragma once
// The files of a simulated study: cells.csv (descriptors and scalar endpoints, blank = not measured),
// capacity.csv (long format: id, cycle, capacity_mAh_g), test_cells.csv (the paper's Table 1) and schema.toml
// (the columns, written from the same table the CSV writer uses, with the capacity curve as a functional endpoint
// and D5, D30 and the cycle at 50% as derived scalars). Every file is written under a temporary name and renamed
// when all of them are complete.
#include <string>
#include <vector>

#include "elec/synth/graphite_study.hpp"

namespace elec::synth {

// What produced the files, for the schema's header ("simulated by ..."). `command` is the canonical command
// (e.g. "elec_hpc synth --seed 1"), not the invocation, so that equal seeds give equal files.
struct Provenance {
  std::string command;
  std::string design;
  std::uint64_t seed = 1;
};

// "elec_hpc synth --seed S" (+ " --cells N" for a random design of N cells, 0 = the 27-case study).
Provenance study_provenance(const SimulatedStudy& study, std::size_t random_cells);

// cells.csv, capacity.csv, test_cells.csv and schema.toml in `dir` (created if needed).
void write_study(const std::string& dir, const SimulatedStudy& study, const Provenance& provenance);
// cells.csv and capacity.csv of manufactured cells in `dir` (created if needed).
void write_measurements(const std::string& dir, const std::vector<CellRecord>& cells);

// The header of cells.csv (test_cells.csv adds D30_mAh_g).
std::vector<std::string> cells_header();

}  // namespace elec::synth
