// Fuzzes the model-file reader (io::read_model), structure-aware. Raw HDF5 bytes would mostly exercise libhdf5's
// own parser (not instrumented, and with known crashes of its own), so instead:
//   1. once per process, a small real model is trained from the curves fixture (every part of the format is
//      present: categorical levels, a functional endpoint on a grid, derived scalars, schedule selection) and
//      held in memory as a Snapshot of its groups, datasets and attributes;
//   2. each input is a recipe of edits to that snapshot (snapshot_edits.hpp: cut or extend a dataset, NaN, inf,
//      0, negative or huge values, a lying shape attribute, a wrong string, another type, something missing);
//   3. the edited snapshot is written with the project's own writer (io::File / io::Group) and read back with
//      io::read_model.
// A reader that throws (data::InputError, H5Error, std::runtime_error) has done its job; a crash, a sanitizer
// report or a hang is a finding. A model that reads without complaint must also have consistent members.
#include <fuzzer/FuzzedDataProvider.h>
#include <hdf5.h>

#include <cstdint>
#include <string>

#include "elec/data/study_inputs.hpp"
#include "elec/io/model_file.hpp"
#include "elec/model/pipeline.hpp"
#include "elec/model/trained_model.hpp"
#include "fuzz_support.hpp"
#include "hdf5_snapshot.hpp"
#include "snapshot_edits.hpp"

namespace {

const std::string kFixtures = std::string(ELEC_SOURCE_DIR) + "/tests/fixtures/curves/";

// The curves fixture on a four-point grid, with both kinds of derived scalar, so the base model is small (a few
// thousand weights: each input costs milliseconds) and still has every dataset of the format.
std::string base_schema() {
  return R"([[column]]
name = "id"
role = "id"
[[column]]
name = "gap_um"
role = "descriptor"
unit = "um"
[[column]]
name = "additive"
role = "descriptor"
type = "categorical"
[[column]]
name = "porosity_pct"
role = "endpoint"
unit = "%"
min = 0
max = 100
[[column]]
name = "capacity_mAh_g"
role = "endpoint"
type = "functional"
abscissa = "cycle"
file = ")" +
         kFixtures + R"(capacity.csv"
unit = "mAh/g"
grid = [1, 2, 5, 10]
[[derived]]
name = "D5"
from = "capacity_mAh_g"
kind = "value_at"
at = 5
[[derived]]
name = "cycle_at_95pct"
from = "capacity_mAh_g"
kind = "crossing"
fraction = 0.95
)";
}

// Seconds of training even under the sanitizers: three members, a short automatic schedule selection.
const char* const kBaseConfig = R"([model]
members = 3
hidden_units = 2
epochs = 20
input_dropout = 0.2
[imputation]
max_passes = 2
pass_epochs = 5
[selection]
auto = true
max_epochs = 50
check_every = 25
members = 2
[run]
seed = 5
)";

struct BaseModel {
  elec::fuzz::ScratchDir dir{"model_file_reader"};
  elec::fuzz::Snapshot snapshot;

  BaseModel() {
    // HDF5 frees its large internal blocks when a file closes; under ASan every new one is a fresh mmap whose pages
    // the kernel zeroes, which made each input cost ~30 ms, mostly in the kernel. With unlimited free lists HDF5
    // reuses them: 4.4x more inputs per second (measured with -runs=300).
    H5set_free_list_limits(-1, -1, -1, -1, -1, -1);
    try {
      const auto in = elec::data::load_study_inputs(kFixtures + "cells.csv", dir.write("schema.toml", base_schema()),
                                                    dir.write("study.toml", kBaseConfig));
      const auto trained = elec::model::train_model(in.dataset, in.schema, in.config, elec::model::SingleProcess(), {});
      elec::io::write_model(dir.path("base.h5"), trained, {"model_file_reader_fuzz", 1, 1});
      snapshot = elec::fuzz::read_snapshot(dir.path("base.h5"));
      // Edits are only meaningful if the undamaged snapshot, written by the harness, is a valid model.
      elec::fuzz::write_snapshot(snapshot, dir.path("model.h5"));
      elec::io::read_model(dir.path("model.h5"));
    } catch (const std::exception& e) {
      elec::fuzz::fail_setup(std::string("base model: ") + e.what());
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const BaseModel base;
  FuzzedDataProvider input(data, size);
  elec::fuzz::Snapshot snapshot = base.snapshot;
  elec::fuzz::apply_edits(snapshot, input);
  const std::string path = base.dir.path("model.h5");
  try {
    elec::fuzz::write_snapshot(snapshot, path);
  } catch (const std::exception& e) {
    elec::fuzz::fail_setup(std::string("the harness wrote an edit the writer refuses: ") + e.what());
  }
  try {
    const elec::model::TrainedModel model = elec::io::read_model(path);
    // What predict does first with the members; the reader promised they match the stored shape.
    for (const auto& member : model.members)
      if (member.W1.rows() != model.shape.inputs() || member.W1.cols() != model.shape.hidden_total() ||
          member.b2.size() != model.shape.endpoints)
        elec::fuzz::finding("read_model returned members that do not match its shape");
    elec::model::checksum(model.members);
  } catch (const std::exception&) {
    // A damaged model refused with an exception is the expected outcome.
  }
  return 0;
}
