#include "elec/io/checkpoint_file.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <fstream>

#include "../support/temp_dir.hpp"

namespace elec::io {
namespace {

Checkpoint sample() {
  Checkpoint c;
  c.fingerprint = "train 0123456789abcdef elec_hpc 1.0";
  c.units["selection/run 1"] = {25, 0, 0.5, 0.1, 0.2};
  c.units["calibration/fold 1"] = {1.5, -2.25};
  model::TrainingState t;
  t.scope = "model/final";
  t.epochs_done = 300;
  t.passes_done = 1;
  t.estimate = (Matrix(2, 2) << 1.0, 0.25, -0.5, 2.0).finished();
  t.confidence = (Matrix(2, 2) << 1.0, 0.75, 1.0, 1.0).finished();
  t.history = {{0, 0.0, 0.0, 1.5}, {1, 0.3, 0.1, 2.5}};
  t.per_member = 3;
  t.members = {0.1, 0.2, 0.3, 1e-300, -4.0, 7.0};
  c.training = t;
  return c;
}

// Overwrites the first value of a double dataset in place, as a damaged disk or an editor would.
void damage(const std::string& path, const char* dataset) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  const hid_t set = H5Dopen2(file, dataset, H5P_DEFAULT);
  const hid_t space = H5Dget_space(set);
  std::vector<double> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  H5Dread(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  values[0] += 1.0;
  H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  H5Sclose(space), H5Dclose(set), H5Fclose(file);
}

std::string problems_of(const std::string& path, const std::string& fingerprint) {
  data::Diagnostics diag;
  EXPECT_FALSE(read_checkpoint(path, fingerprint, diag).has_value());
  return diag.format();
}

TEST(CheckpointFile, RoundTripsEveryUnitAndTheTrainingUnderWayExactly) {
  test_support::TempDir dir;
  const Checkpoint c = sample();
  write_checkpoint(dir.path("c.h5"), c);
  data::Diagnostics diag;
  const std::optional<Checkpoint> back = read_checkpoint(dir.path("c.h5"), c.fingerprint, diag);
  ASSERT_TRUE(back.has_value()) << diag.format();
  EXPECT_EQ(back->units, c.units);
  ASSERT_TRUE(back->training.has_value());
  const model::TrainingState& t = *back->training;
  EXPECT_EQ(t.scope, "model/final");
  EXPECT_EQ(t.epochs_done, 300);
  EXPECT_EQ(t.passes_done, 1);
  EXPECT_EQ(t.estimate, c.training->estimate);
  EXPECT_EQ(t.confidence, c.training->confidence);
  EXPECT_EQ(t.members, c.training->members);
  EXPECT_EQ(t.per_member, 3u);
  ASSERT_EQ(t.history.size(), 2u);
  EXPECT_EQ(t.history[1].max_change, 0.3);

  Checkpoint between = c;  // between trainings: units only
  between.training.reset();
  write_checkpoint(dir.path("u.h5"), between);
  EXPECT_FALSE(read_checkpoint(dir.path("u.h5"), c.fingerprint, diag)->training.has_value());
}

TEST(CheckpointFile, RefusesAnotherRunsCheckpointADamagedOneAndOtherFiles) {
  test_support::TempDir dir;
  write_checkpoint(dir.path("c.h5"), sample());
  EXPECT_NE(problems_of(dir.path("c.h5"), "train fedcba9876543210 elec_hpc 1.0").find("belongs to another run"),
            std::string::npos);
  for (const char* dataset : {"/units/values", "/training/members", "/training/estimate"}) {
    write_checkpoint(dir.path("d.h5"), sample());
    damage(dir.path("d.h5"), dataset);
    EXPECT_NE(problems_of(dir.path("d.h5"), sample().fingerprint).find("the checkpoint is damaged"), std::string::npos)
        << dataset;
  }
  std::ofstream(dir.path("text.h5")) << "not hdf5\n";
  EXPECT_NE(problems_of(dir.path("text.h5"), sample().fingerprint).find("not a usable elec_hpc checkpoint"),
            std::string::npos);
  EXPECT_NE(problems_of(dir.path("missing.h5"), sample().fingerprint).find("missing.h5"), std::string::npos);
}

}  // namespace
}  // namespace elec::io
