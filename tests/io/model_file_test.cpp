#include "elec/io/model_file.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <string>

#include "../support/temp_dir.hpp"
#include "elec/common/rng.hpp"
#include "elec/data/diagnostics.hpp"
#include "elec/io/hdf5.hpp"

namespace elec::io {
namespace {

model::TrainedModel small_model() {
  model::TrainedModel m;
  data::ColumnSpec id, gap, add, por;
  id.name = "id", id.role = data::Role::Id;
  gap.name = "gap", gap.role = data::Role::Descriptor;
  add.name = "additive", add.role = data::Role::Descriptor, add.kind = data::ValueKind::Categorical;
  por.name = "porosity", por.role = data::Role::Endpoint;
  por.unit = "%";
  por.min = 0.0;
  por.max = 100.0;
  m.schema.columns = {id, gap, add, por};
  m.schema.source = "schema.toml";
  m.schema.text = "[[column]]\n";
  m.config.members = 3;
  m.config.text = "[model]\nmembers = 3\n";
  m.descriptor_names = {"gap", "additive=CNT", "additive=none"};
  m.descriptor_units = {"um", "", ""};
  m.endpoint_names = {"porosity"};
  m.endpoint_units = {"%"};
  m.encodings = {{"additive", {"CNT", "none"}}};
  m.descriptor_scaling = {Vector::Constant(3, 1.5), Vector::Constant(3, 2.0)};
  m.endpoint_scaling = {Vector::Constant(1, 40.0), Vector::Constant(1, 5.0)};
  m.shape = {3, 1, 2, true};
  common::CounterRng rng(1, common::Purpose::Experiment, 0);
  for (int k = 0; k < 3; ++k) {
    auto p = model::NetworkParams<double>::zeros(m.shape);
    for (Eigen::Index i = 0; i < p.W1.size(); ++i) p.W1.data()[i] = rng.normal();
    p.b2[0] = k;
    m.members.push_back(p);
  }
  m.training_row_ids = {"c1", "c2"};
  m.training_descriptors = Matrix::Ones(2, 3);
  m.training_values = Matrix::Constant(2, 1, 41.0);
  m.training_spread = Matrix::Constant(2, 1, 0.5);
  m.training_prediction = Matrix::Constant(2, 1, 40.5);
  m.training_measured = Matrix::Ones(2, 1);
  m.training_measured(1, 0) = 0.0;
  m.history = {{0, 0, 0, 0.1}, {1, 0.2, 0.1, 0.3}};
  m.selection.chosen = {75, 2, 25, {}};
  m.selection.held_out_cells = 9;
  m.selection.initial = {{25, 0, 0.5, {}}, {50, 0, 0.4, {}}, {75, 0, 0.3, {}}};
  m.selection.passes = {{75, 0, 0.3, {}}, {75, 1, 0.25, {}}, {75, 2, 0.2, {}}};
  return m;
}

TEST(ModelFile, RoundTripsEverythingAPredictionNeeds) {
  const auto dir = std::filesystem::temp_directory_path() / ("elec_model_file_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "model.h5").string();
  const model::TrainedModel m = small_model();
  write_model(path, m, {"elec_hpc train", 2, 3});
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp-" + std::to_string(::getpid())));
  const model::TrainedModel back = read_model(path);
  EXPECT_EQ(model::checksum(back.members), model::checksum(m.members));
  EXPECT_EQ(back.encodings[0].levels, m.encodings[0].levels);
  EXPECT_EQ(back.schema.columns.size(), 4u);
  EXPECT_EQ(back.schema.columns[2].kind, data::ValueKind::Categorical);
  EXPECT_EQ(*back.schema.columns[3].max, 100.0);
  EXPECT_FALSE(back.schema.columns[1].min.has_value());
  EXPECT_EQ(back.config.members, 3);
  EXPECT_EQ(back.config.text, m.config.text);
  EXPECT_EQ(back.shape.inputs(), m.shape.inputs());
  EXPECT_EQ(back.descriptor_scaling.scale, m.descriptor_scaling.scale);
  EXPECT_EQ(back.training_measured, m.training_measured);
  EXPECT_EQ(back.history.size(), 2u);
  EXPECT_EQ(back.selection.chosen.passes, 2);
  EXPECT_EQ(back.selection.initial.size(), 3u);
  EXPECT_EQ(back.selection.passes[1].rmse, 0.25);
  EXPECT_TRUE(back.calibration.empty());  // none fitted, none stored
  const File file = File::open_read(path);
  EXPECT_EQ(file.int_attribute("ranks"), 2);
  EXPECT_EQ(file.string_attribute("model_checksum"), model::checksum_hex(model::checksum(m.members)));
  std::filesystem::remove_all(dir);
}

TEST(ModelFile, RoundTripsTheCalibration) {
  test_support::TempDir dir;
  model::TrainedModel m = small_model();
  m.calibration.scale = {2.75};
  m.calibration.fitted_on = "variance scale per target, 5-fold CV by case of 85 cells, seed 3";
  write_model(dir.path("model.h5"), m, {"elec_hpc train", 1, 1});
  const model::TrainedModel back = read_model(dir.path("model.h5"));
  EXPECT_EQ(back.calibration.scale, m.calibration.scale);
  EXPECT_EQ(back.calibration.fitted_on, m.calibration.fitted_on);
  EXPECT_EQ(File::open_read(dir.path("model.h5")).int_attribute("format_version"), kModelFormatVersion);
}

TEST(ModelFile, RoundTripsTheL2ChosenPerTargetAndChecksIt) {
  test_support::TempDir dir;
  model::TrainedModel m = small_model();
  m.selection.l2_candidates = {1e-4, 1e-3};
  m.selection.chosen.l2_by_endpoint = {1e-3};
  write_model(dir.path("model.h5"), m, {"elec_hpc train", 1, 1});
  const model::TrainedModel back = read_model(dir.path("model.h5"));
  EXPECT_EQ(back.selection.l2_candidates, m.selection.l2_candidates);
  EXPECT_EQ(back.selection.chosen.l2_by_endpoint, m.selection.chosen.l2_by_endpoint);
  m.selection.chosen.l2_by_endpoint = {1e-3, 1e-4};  // one per endpoint expected, two stored
  write_model(dir.path("bad.h5"), m, {"elec_hpc train", 1, 1});
  EXPECT_THROW(read_model(dir.path("bad.h5")), data::InputError);
}

TEST(ModelFile, RoundTripsTheInputPenaltyChosenPerTargetAndChecksIt) {
  test_support::TempDir dir;
  model::TrainedModel m = small_model();
  m.selection.l2_candidates = {1e-4, 1e-4};
  m.selection.input_penalty_candidates = {0.0, 3e-2};
  m.selection.chosen.l2_by_endpoint = {1e-4};
  m.selection.chosen.input_penalty_by_endpoint = {3e-2};
  write_model(dir.path("model.h5"), m, {"elec_hpc train", 1, 1});
  const model::TrainedModel back = read_model(dir.path("model.h5"));
  EXPECT_EQ(back.selection.input_penalty_candidates, m.selection.input_penalty_candidates);
  EXPECT_EQ(back.selection.chosen.input_penalty_by_endpoint, m.selection.chosen.input_penalty_by_endpoint);
  // A model whose selection tried no input penalty has none, as before.
  write_model(dir.path("plain.h5"), small_model(), {"elec_hpc train", 1, 1});
  EXPECT_TRUE(read_model(dir.path("plain.h5")).selection.chosen.input_penalty_by_endpoint.empty());
  m.selection.chosen.input_penalty_by_endpoint = {-1.0};
  write_model(dir.path("negative.h5"), m, {"elec_hpc train", 1, 1});
  EXPECT_THROW(read_model(dir.path("negative.h5")), data::InputError);
  m.selection.chosen.input_penalty_by_endpoint = {3e-2};
  m.selection.input_penalty_candidates = {3e-2};  // candidates are pairs: one per L2 candidate expected
  write_model(dir.path("unpaired.h5"), m, {"elec_hpc train", 1, 1});
  EXPECT_THROW(read_model(dir.path("unpaired.h5")), data::InputError);
}

TEST(ModelFile, RoundTripsTheInputDropoutChosenPerTargetAndChecksIt) {
  test_support::TempDir dir;
  model::TrainedModel m = small_model();
  m.selection.input_dropout_candidates = {0.5, 0.0};
  m.selection.chosen.input_dropout_by_endpoint = {0.0};
  write_model(dir.path("model.h5"), m, {"elec_hpc train", 1, 1});
  const model::TrainedModel back = read_model(dir.path("model.h5"));
  EXPECT_EQ(back.selection.input_dropout_candidates, m.selection.input_dropout_candidates);
  EXPECT_EQ(back.selection.chosen.input_dropout_by_endpoint, m.selection.chosen.input_dropout_by_endpoint);
  EXPECT_TRUE(read_model(dir.path("model.h5")).selection.chosen.input_penalty_by_endpoint.empty());
  m.selection.chosen.input_dropout_by_endpoint = {1.0};  // a probability below 1 expected
  write_model(dir.path("certain.h5"), m, {"elec_hpc train", 1, 1});
  EXPECT_THROW(read_model(dir.path("certain.h5")), data::InputError);
  m.selection.chosen.input_dropout_by_endpoint = {0.0, 0.5};  // one per endpoint expected
  write_model(dir.path("two.h5"), m, {"elec_hpc train", 1, 1});
  EXPECT_THROW(read_model(dir.path("two.h5")), data::InputError);
}

TEST(ModelFile, RefusesAFileThatIsNotAModel) {
  const auto dir = std::filesystem::temp_directory_path() / ("elec_not_model_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "other.h5").string();
  { File::create(path).set_attribute("format", "something else"); }
  try {
    read_model(path);
    FAIL() << "read_model accepted a foreign file";
  } catch (const data::InputError& e) {  // bad input: exit status 2
    EXPECT_NE(std::string(e.what()).find("other.h5:/: root attribute 'format'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("not a usable elec_hpc model"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}

// ------------------------------------------------------------------------------------- validation of read_model

// Opens a written model for writing through the C API and hands its root to `edit` (io::Group closes it).
void edit_model(const std::string& path, const std::function<void(Group&)>& edit) {
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(id, 0) << path;
  Group root(Handle(id), "/");
  edit(root);
}

// HDF5 cannot shrink a dataset in place: the link is deleted and a new dataset written under the same name.
void replace_doubles(Group& group, const std::string& name, const std::vector<double>& data,
                     const std::vector<hsize_t>& dims) {
  ASSERT_GE(H5Ldelete(group.id(), name.c_str(), H5P_DEFAULT), 0) << name;
  group.write(name, data, dims);
}

// The text of the data::InputError that read_model throws for `path` ("" when it throws nothing or another type).
std::string read_model_error(const std::string& path) {
  try {
    read_model(path);
  } catch (const data::InputError& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "read_model threw something other than data::InputError: " << e.what();
    return "";
  }
  ADD_FAILURE() << "read_model accepted a damaged file";
  return "";
}

class ModelFileDamage : public ::testing::Test {
 protected:
  void SetUp() override { write_model(path_, small_model(), {"elec_hpc train", 1, 1}); }
  test_support::TempDir dir_;
  std::string path_ = dir_.path("model.h5");
};

TEST_F(ModelFileDamage, TheUndamagedFileReads) { EXPECT_NO_THROW(read_model(path_)); }

TEST_F(ModelFileDamage, EndpointScaleOneElementShort) {
  edit_model(path_, [](Group& root) {
    Group norm = root.open_group("normalisation");
    replace_doubles(norm, "endpoint_scale", {}, {0});
  });
  const std::string what = read_model_error(path_);
  EXPECT_NE(what.find(path_ + ":/normalisation/endpoint_scale: 0 values; expected 1 (one per endpoint)"),
            std::string::npos)
      << what;
  EXPECT_NE(what.find(path_ + ": not a usable elec_hpc model"), std::string::npos) << what;
}

TEST_F(ModelFileDamage, DescriptorMeanOneElementShort) {
  edit_model(path_, [](Group& root) {
    Group norm = root.open_group("normalisation");
    replace_doubles(norm, "descriptor_mean", {1.5, 1.5}, {2});
  });
  const std::string what = read_model_error(path_);
  EXPECT_NE(what.find(path_ + ":/normalisation/descriptor_mean: 2 values; expected 3 (one per descriptor feature)"),
            std::string::npos)
      << what;
}

TEST_F(ModelFileDamage, NaNInW1) {
  edit_model(path_, [](Group& root) {
    Group members = root.open_group("members");
    auto W1 = members.read_doubles("W1");
    W1.data[5] = std::numeric_limits<double>::quiet_NaN();
    replace_doubles(members, "W1", W1.data, W1.dims);
  });
  const std::string what = read_model_error(path_);
  EXPECT_NE(what.find(path_ + ":/members/W1: element 5 is NaN; expected finite numbers"), std::string::npos) << what;
}

TEST_F(ModelFileDamage, InfinityInEndpointMean) {
  edit_model(path_, [](Group& root) {
    Group norm = root.open_group("normalisation");
    replace_doubles(norm, "endpoint_mean", {std::numeric_limits<double>::infinity()}, {1});
  });
  const std::string what = read_model_error(path_);
  EXPECT_NE(what.find(path_ + ":/normalisation/endpoint_mean: element 0 is infinite; expected finite numbers"),
            std::string::npos)
      << what;
}

TEST_F(ModelFileDamage, ZeroDescriptorScale) {
  edit_model(path_, [](Group& root) {
    Group norm = root.open_group("normalisation");
    replace_doubles(norm, "descriptor_scale", {2.0, 0.0, 2.0}, {3});
  });
  const std::string what = read_model_error(path_);
  EXPECT_NE(what.find(path_ + ":/normalisation/descriptor_scale: element 1 is 0"), std::string::npos) << what;
  EXPECT_NE(what.find("expected positive scales"), std::string::npos) << what;
}

TEST_F(ModelFileDamage, NegativeEndpointScale) {
  edit_model(path_, [](Group& root) {
    Group norm = root.open_group("normalisation");
    replace_doubles(norm, "endpoint_scale", {-5.0}, {1});
  });
  const std::string what = read_model_error(path_);
  EXPECT_NE(what.find(path_ + ":/normalisation/endpoint_scale: element 0 is -5"), std::string::npos) << what;
}

TEST(ModelFile, RoundTripsTheReadOutAndChecksIt) {
  test_support::TempDir dir;
  model::TrainedModel m = small_model();
  m.calibration.scale = {1.5};
  m.calibration.fitted_on = "read-out and variance scale per target";
  m.calibration.readout = {model::Readout::Average};
  m.calibration.neighbours = 7;
  const std::string path = dir.path("model.h5");
  write_model(path, m, {"elec_hpc train", 1, 1});
  model::TrainedModel back = read_model(path);
  EXPECT_EQ(back.calibration.readout, m.calibration.readout);
  EXPECT_EQ(back.calibration.neighbours, 7);
  auto rewrite = [&](const std::vector<std::string>& names, std::int64_t k) {
    edit_model(path, [&](Group& root) {
      Group calibration = root.open_group("calibration");
      ASSERT_GE(H5Ldelete(calibration.id(), "readout", H5P_DEFAULT), 0);
      calibration.write("readout", names);
      calibration.set_attribute("neighbours", k);
    });
  };
  rewrite({"kriging"}, 7);
  std::string what = read_model_error(path);
  EXPECT_NE(
      what.find(path + ":/calibration/readout: \"kriging\"; expected ensemble, neighbours, average or lasso_average"),
      std::string::npos)
      << what;
  rewrite({"average", "average"}, 0);
  what = read_model_error(path);
  EXPECT_NE(what.find(path + ":/calibration/readout: 2 values; expected 1 (one per endpoint)"), std::string::npos)
      << what;
  EXPECT_NE(what.find("neighbours = 0; expected at least 1"), std::string::npos) << what;
  // A lasso read-out carries its fit, read back bit for bit, and refused when it is missing or not finite.
  m.calibration.readout = {model::Readout::LassoAverage};
  m.calibration.neighbours = 0;
  m.calibration.lasso.coefficients = Matrix(1, 3);
  m.calibration.lasso.coefficients << 0.25, -1.5, 0.0;
  m.calibration.lasso.intercepts = Vector::Constant(1, 42.0);
  write_model(path, m, {"elec_hpc train", 1, 1});
  back = read_model(path);
  EXPECT_EQ(back.calibration.readout, m.calibration.readout);
  EXPECT_EQ(back.calibration.lasso.coefficients, m.calibration.lasso.coefficients);
  EXPECT_EQ(back.calibration.lasso.intercepts, m.calibration.lasso.intercepts);
  edit_model(path, [](Group& root) {
    Group calibration = root.open_group("calibration");
    replace_doubles(calibration, "lasso_intercepts", {std::nan("")}, {1});
  });
  what = read_model_error(path);
  EXPECT_NE(what.find(path + ":/calibration/lasso_coefficients: endpoint 0 reads lasso_average but its fit is not "
                             "finite"),
            std::string::npos)
      << what;
  edit_model(path, [](Group& root) {
    Group calibration = root.open_group("calibration");
    ASSERT_GE(H5Ldelete(calibration.id(), "lasso_coefficients", H5P_DEFAULT), 0);
  });
  what = read_model_error(path);
  EXPECT_NE(what.find("lasso_coefficients: missing; expected when some endpoint reads lasso_average"),
            std::string::npos)
      << what;
  m.calibration.lasso = {};
  // Without a read-out (the default) none is written, and the model reads every target off the ensemble.
  m.calibration.readout.clear();
  write_model(path, m, {"elec_hpc train", 1, 1});
  EXPECT_FALSE(File::open_read(path).open_group("calibration").contains("readout"));
  EXPECT_TRUE(read_model(path).calibration.readout.empty());
}

TEST_F(ModelFileDamage, CalibrationScaleNotPositiveOrOneShort) {
  model::TrainedModel m = small_model();
  m.calibration.scale = {2.0};
  m.calibration.fitted_on = "test";
  write_model(path_, m, {"elec_hpc train", 1, 1});
  edit_model(path_, [](Group& root) {
    Group calibration = root.open_group("calibration");
    replace_doubles(calibration, "scale", {-1.0}, {1});
  });
  std::string what = read_model_error(path_);
  EXPECT_NE(what.find(path_ + ":/calibration/scale: a scale of -1"), std::string::npos) << what;
  edit_model(path_, [](Group& root) {
    Group calibration = root.open_group("calibration");
    replace_doubles(calibration, "scale", {}, {0});
  });
  what = read_model_error(path_);
  EXPECT_NE(what.find(path_ + ":/calibration/scale: 0 values; expected 1 (one per endpoint)"), std::string::npos)
      << what;
}

TEST_F(ModelFileDamage, AChangedWeightNoLongerMatchesTheChecksum) {
  const std::string stored = File::open_read(path_).string_attribute("model_checksum");
  edit_model(path_, [](Group& root) {
    Group members = root.open_group("members");
    auto b2 = members.read_doubles("b2");
    b2.data[1] += 1e-12;  // finite, plausible, wrong
    replace_doubles(members, "b2", b2.data, b2.dims);
  });
  const std::string what = read_model_error(path_);
  EXPECT_NE(what.find(path_ + ":/members: the weights hash to "), std::string::npos) << what;
  EXPECT_NE(what.find("but the file's model_checksum is " + stored + "; the file was damaged or edited"),
            std::string::npos)
      << what;
}

TEST_F(ModelFileDamage, WeightsOfTheWrongShape) {
  edit_model(path_, [](Group& root) {
    Group members = root.open_group("members");
    auto b1 = members.read_doubles("b1");  // 3 members x 2 hidden units
    b1.data.pop_back();
    replace_doubles(members, "b1", b1.data, {b1.data.size()});
  });
  const std::string what = read_model_error(path_);
  EXPECT_NE(what.find(path_ + ":/members/b1: 5 values; expected 6 (members x hidden units)"), std::string::npos)
      << what;
}

TEST_F(ModelFileDamage, AMissingDatasetIsNamed) {
  edit_model(path_, [](Group& root) {
    Group training = root.open_group("training");
    ASSERT_GE(H5Ldelete(training.id(), "values", H5P_DEFAULT), 0);
  });
  const std::string what = read_model_error(path_);
  EXPECT_NE(what.find("/training/values"), std::string::npos) << what;
  // The documented form of every problem: "file:/group/dataset: ...".
  EXPECT_NE(what.find(path_ + ":/training/values"), std::string::npos) << what;
  EXPECT_NE(what.find(path_ + ": not a usable elec_hpc model"), std::string::npos) << what;
}

TEST_F(ModelFileDamage, TrainingValuesOfTheWrongShape) {
  edit_model(path_, [](Group& root) {
    Group training = root.open_group("training");
    ASSERT_GE(H5Ldelete(training.id(), "values", H5P_DEFAULT), 0);
    training.write("values", Matrix::Constant(1, 1, 41.0));  // 2 rows were trained on
  });
  const std::string what = read_model_error(path_);
  EXPECT_NE(what.find(path_ + ":/training/values: 1 x 1; expected 2 x 1 (rows x columns)"), std::string::npos) << what;
}

TEST_F(ModelFileDamage, ATruncatedFileIsInputError) {
  const auto size = std::filesystem::file_size(path_);
  std::filesystem::resize_file(path_, size / 2);
  const std::string what = read_model_error(path_);
  EXPECT_EQ(what.rfind(path_ + ": ", 0), 0u) << what;
  EXPECT_NE(what.find("not a usable elec_hpc model"), std::string::npos) << what;
}

TEST(ModelFile, ACsvFileIsNotAModel) {
  test_support::TempDir dir;
  const std::string path = dir.write("cells.csv", "id,gap_um,porosity\nc1,12,40\n");
  const std::string what = read_model_error(path);
  EXPECT_EQ(what.rfind(path + ": ", 0), 0u) << what;
  EXPECT_NE(what.find(path + ": not a usable elec_hpc model; expected a file written by elec_hpc train or tune"),
            std::string::npos)
      << what;
}

TEST(ModelFile, AMissingFileIsInputErrorNamingIt) {
  test_support::TempDir dir;
  const std::string path = dir.path("absent.h5");
  const std::string what = read_model_error(path);
  EXPECT_EQ(what.rfind(path + ": ", 0), 0u) << what;
}

}  // namespace
}  // namespace elec::io
