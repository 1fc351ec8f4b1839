// Fuzzes the schema reader (data::read_schema) with arbitrary bytes and, when the schema reads cleanly, validates
// a real cell table against it as train does (data::load_study_inputs: dataset, one-hot encoding, functional
// columns joined from their long-format file, derived scalars).
//
// The table is the curves fixture (id, gap_um, additive, porosity_pct) and its capacity.csv is copied beside the
// fuzzed schema, so a schema that declares `file = "capacity.csv"` reaches the curve code.
#include <cstdint>
#include <filesystem>
#include <string>

#include "elec/data/schema.hpp"
#include "elec/data/study_inputs.hpp"
#include "fuzz_support.hpp"

namespace {

const std::string kFixtures = std::string(ELEC_SOURCE_DIR) + "/tests/fixtures/curves/";

// The scratch directory, with the curve file the fuzzed schemas may name.
struct Scratch {
  elec::fuzz::ScratchDir dir{"schema_reader"};
  Scratch() {
    std::error_code error;
    std::filesystem::copy_file(kFixtures + "capacity.csv", dir.path("capacity.csv"),
                               std::filesystem::copy_options::overwrite_existing, error);
    if (error) elec::fuzz::fail_setup("cannot copy " + kFixtures + "capacity.csv: " + error.message());
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Scratch scratch;
  const std::string path = scratch.dir.write("schema.toml", data, size);
  try {
    elec::data::Diagnostics diag;
    elec::data::read_schema(path, diag);
    if (!diag.empty()) return 0;
    elec::data::load_study_inputs(kFixtures + "cells.csv", path, "");
  } catch (const std::exception&) {
    // Bad input answered with an exception (data::InputError here) is the expected outcome.
  }
  return 0;
}
