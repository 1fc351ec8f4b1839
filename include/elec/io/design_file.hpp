#pragma once
// What elec_hpc design writes: the top distinct feasible candidates (every design variable, every predicted
// quantity with mean and std, both probabilities) and the whole search history, to HDF5 and to CSV. The top CSV
// has an `id` column and the descriptor columns as the training table spells them, so it is a proposals file
// (elec_hpc synth --manufacture reads it for the graphite study). Layout in README.md ("HDF5 layout").
#include <string>

#include "elec/io/model_file.hpp"
#include "elec/opt/design_problem.hpp"
#include "elec/opt/design_search.hpp"

namespace elec::io {

inline constexpr int kDesignsFormatVersion = 1;

struct DesignReport {
  const opt::DesignProblem& problem;
  const opt::DesignConfig& config;
  const opt::DesignRun& run;
  const model::TrainedModel& model;
  std::string model_checksum;
};

void write_designs(const std::string& path, const DesignReport& report, const Provenance& provenance);
// The top candidates, one row each: id (design1, ...), the descriptor columns, the derived quantities, trial,
// objective, p_joint, p_gaussian, and every predicted quantity with its _std.
void write_designs_csv(const std::string& path, const DesignReport& report);
// One row per candidate evaluated: trial, the design, objective, p_joint, p_gaussian, feasible, broken constraint.
void write_design_history_csv(const std::string& path, const DesignReport& report);

}  // namespace elec::io
