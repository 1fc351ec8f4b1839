#include "elec/io/model_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "elec/io/hdf5.hpp"
#include "elec/model/rng.hpp"

namespace elec::io {
namespace {

model::TrainedModel small_model() {
  model::TrainedModel m;
  data::ColumnSpec id{"id", data::Role::Id}, gap{"gap", data::Role::Descriptor}, add{"additive", data::Role::Descriptor},
      por{"porosity", data::Role::Endpoint};
  add.kind = data::ValueKind::Categorical;
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
  model::CounterRng rng(1, model::Purpose::Experiment, 0);
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
  m.selection.chosen = {75, 2, 25};
  m.selection.held_out_cells = 9;
  m.selection.initial = {{25, 0, 0.5}, {50, 0, 0.4}, {75, 0, 0.3}};
  m.selection.passes = {{75, 0, 0.3}, {75, 1, 0.25}, {75, 2, 0.2}};
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
  const File file = File::open_read(path);
  EXPECT_EQ(file.int_attribute("ranks"), 2);
  EXPECT_EQ(file.string_attribute("model_checksum"), model::checksum_hex(model::checksum(m.members)));
  std::filesystem::remove_all(dir);
}

TEST(ModelFile, RefusesAFileThatIsNotAModel) {
  const auto dir = std::filesystem::temp_directory_path() / ("elec_not_model_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "other.h5").string();
  { File::create(path).set_attribute("format", "something else"); }
  try {
    read_model(path);
    FAIL() << "read_model accepted a foreign file";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("other.h5"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("not an elec_hpc model"), std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace elec::io
