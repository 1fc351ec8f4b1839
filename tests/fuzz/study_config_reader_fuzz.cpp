// Fuzzes the study-config readers with arbitrary bytes as the TOML text of a study file: the study parameters
// (data::study_config_from_text, what read_study_config does once the file is read), the [tune] section of
// the same file (opt::read_tune_config, which takes the path) and the [design] section (opt::design_config_from_text,
// then resolved against a small model by opt::build_design_problem).
//
// Invariants checked beyond "no crash":
// - a config read without problems survives the model file's round trip: to_toml, read back with no problem,
//   and the same to_toml again (the effective config of every model is stored and re-read this way);
// - a [tune] section read without problems gives a search space elec_hpc tune can build: anything SearchSpace
//   rejects must have been reported by the reader at its line, not surface later as an unexpected error;
// - a [design] section resolved without problems gives a search space, and every point of it decodes to a design
//   whose simplex members sum to their total.
#include <cstdint>
#include <stdexcept>
#include <string>

#include "elec/common/rng.hpp"
#include "elec/data/study_config.hpp"
#include "elec/opt/design_problem.hpp"
#include "elec/opt/search_space.hpp"
#include "elec/opt/tune_config.hpp"
#include "fuzz_support.hpp"

namespace {

void check_round_trip(const elec::data::StudyConfig& config) {
  const std::string stored = elec::data::to_toml(config);
  elec::data::Diagnostics diag;
  const elec::data::StudyConfig back = elec::data::study_config_from_text(stored, "stored", diag);
  if (!diag.empty()) elec::fuzz::finding("to_toml wrote a config its reader rejects:\n" + stored + diag.format());
  if (elec::data::to_toml(back) != stored)
    elec::fuzz::finding("config changed in the round trip:\n" + stored + "->\n" + elec::data::to_toml(back));
}

void check_search_space(const elec::opt::TuneConfig& tune) {
  try {
    const elec::opt::SearchSpace space(tune.parameters);
  } catch (const std::invalid_argument& e) {
    elec::fuzz::finding(std::string("[tune] read without problems, but its search space is invalid: ") + e.what());
  }
}

// A model's outline as build_design_problem reads it: descriptors a, b (numeric), c (categorical: p, q), an endpoint
// y and a curve point y@1.
const elec::model::TrainedModel& small_model() {
  static const elec::model::TrainedModel model = [] {
    elec::model::TrainedModel m;
    for (const char* name : {"a", "b", "c"}) {
      elec::data::ColumnSpec column;
      column.name = name;
      column.role = elec::data::Role::Descriptor;
      if (std::string(name) == "c") column.kind = elec::data::ValueKind::Categorical;
      m.schema.columns.push_back(column);
    }
    m.encodings = {{"c", {"p", "q"}}};
    m.descriptor_names = {"a", "b", "c=p", "c=q"};
    m.training_descriptors = elec::Matrix(3, 4);
    m.training_descriptors << 0, 1, 1, 0, 0.5, 2, 0, 1, 1, 3, 1, 0;
    m.endpoint_names = {"y", "y@1"};
    return m;
  }();
  return model;
}

void check_design(const elec::opt::DesignConfig& config) {
  elec::data::Diagnostics diag;
  const elec::opt::DesignProblem problem = elec::opt::build_design_problem(config, small_model(), diag);
  if (!diag.empty()) return;
  try {
    const elec::opt::SearchSpace space(problem.parameters);
    elec::common::CounterRng rng(1, elec::common::Purpose::Tuning, 0);
    for (int k = 0; k < 4; ++k) {
      const elec::opt::Design d = elec::opt::decode_point(problem, space.sample_uniform(rng));
      for (const auto& group : problem.sums) {
        double sum = 0.0;
        for (int v : group.variables) sum += d.quantities[static_cast<std::size_t>(v)];
        if (!(std::abs(sum - group.total) <= 1e-9 * std::max(1.0, std::abs(group.total))))
          elec::fuzz::finding("a simplex point does not sum to its total: " + std::to_string(sum));
      }
    }
  } catch (const std::invalid_argument& e) {
    elec::fuzz::finding(std::string("[design] resolved without problems, but its search space is invalid: ") +
                        e.what());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const elec::fuzz::ScratchDir dir("study_config_reader");
  const std::string path = dir.write("study.toml", data, size);
  try {
    elec::data::Diagnostics diag;
    const auto config =
        elec::data::study_config_from_text(std::string(reinterpret_cast<const char*>(data), size), path, diag);
    if (diag.empty()) check_round_trip(config);
  } catch (const std::exception&) {
    // Bad input answered with an exception is the expected outcome.
  }
  try {
    elec::data::Diagnostics diag;
    const auto tune = elec::opt::read_tune_config(path, diag);
    if (diag.empty()) check_search_space(tune);
  } catch (const std::exception&) {
  }
  try {
    elec::data::Diagnostics diag;
    const auto design =
        elec::opt::design_config_from_text(std::string(reinterpret_cast<const char*>(data), size), path, diag);
    if (diag.empty()) check_design(design);
  } catch (const std::exception&) {
  }
  return 0;
}
