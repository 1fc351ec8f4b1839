// Fuzzes the study-config readers with arbitrary bytes as the TOML text of a study file: the study parameters
// (data::study_config_from_text, what read_study_config does once the file is read) and the [tune] section of
// the same file (opt::read_tune_config, which takes the path).
//
// Invariants checked beyond "no crash":
// - a config read without problems survives the model file's round trip: to_toml, read back with no problem,
//   and the same to_toml again (the effective config of every model is stored and re-read this way);
// - a [tune] section read without problems gives a search space elec_hpc tune can build: anything SearchSpace
//   rejects must have been reported by the reader at its line, not surface later as an unexpected error.
#include <cstdint>
#include <stdexcept>
#include <string>

#include "elec/data/study_config.hpp"
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
  return 0;
}
