#include "elec/data/study_inputs.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "../support/temp_dir.hpp"

namespace elec::data {
namespace {

namespace fs = std::filesystem;
using test_support::TempDir;

const std::string kFixtures = std::string(ELEC_SOURCE_DIR) + "/tests/fixtures/curves/";

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A copy of the curve study (cells, capacity curves, schema, config) in `dir`/`sub`, with `edit` applied to the
// text of one of its files.
class StudyCopy {
 public:
  StudyCopy(const TempDir& dir, const std::string& sub) : root_(dir.path(sub)) {
    fs::create_directories(root_);
    for (const char* name : {"cells.csv", "capacity.csv", "schema.toml", "tune.toml"})
      fs::copy_file(kFixtures + name, root_ + "/" + name);
  }
  void replace(const std::string& file, const std::string& from, const std::string& to) const {
    std::string text = read_text(root_ + "/" + file);
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from << " not in " << file;
    text.replace(at, from.size(), to);
    std::ofstream(root_ + "/" + file, std::ios::binary) << text;
  }
  void replace_all(const std::string& file, const std::string& from, const std::string& to) const {
    std::string text = read_text(root_ + "/" + file);
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
    std::ofstream(root_ + "/" + file, std::ios::binary) << text;
  }
  void append(const std::string& file, const std::string& text) const {
    std::ofstream(root_ + "/" + file, std::ios::binary | std::ios::app) << text;
  }
  StudyInputs load() const {
    return load_study_inputs(root_ + "/cells.csv", root_ + "/schema.toml", root_ + "/tune.toml");
  }
  std::string fingerprint() const { return study_fingerprint(load()); }

 private:
  std::string root_;
};

TEST(StudyFingerprint, IsEqualForEqualInputsWhereverTheyAre) {
  TempDir dir;
  const StudyCopy a(dir, "a"), b(dir, "b");
  const std::string fingerprint = a.fingerprint();
  EXPECT_EQ(fingerprint.size(), 16u);
  EXPECT_EQ(fingerprint.find_first_not_of("0123456789abcdef"), std::string::npos) << fingerprint;
  EXPECT_EQ(a.fingerprint(), fingerprint);  // deterministic
  EXPECT_EQ(b.fingerprint(), fingerprint);  // the files' location is not part of the study
}

TEST(StudyFingerprint, ChangesWithAnEndpointValue) {
  TempDir dir;
  const StudyCopy a(dir, "a"), b(dir, "b");
  b.replace("cells.csv", "c01,81.2,none,37.83", "c01,81.2,none,37.84");
  EXPECT_NE(b.fingerprint(), a.fingerprint());
}

TEST(StudyFingerprint, ChangesWithADescriptorValue) {
  TempDir dir;
  const StudyCopy a(dir, "a"), b(dir, "b");
  b.replace("cells.csv", "c01,81.2,none,", "c01,81.3,none,");
  EXPECT_NE(b.fingerprint(), a.fingerprint());
}

TEST(StudyFingerprint, ChangesWithACurvePoint) {
  TempDir dir;
  const StudyCopy a(dir, "a"), b(dir, "b");
  b.replace("capacity.csv", "c00,2,321.52", "c00,2,321.53");
  EXPECT_NE(b.fingerprint(), a.fingerprint());
}

TEST(StudyFingerprint, ChangesWhenAValueIsBlanked) {
  TempDir dir;
  const StudyCopy a(dir, "a"), b(dir, "b");
  b.replace("cells.csv", "c01,81.2,none,37.83", "c01,81.2,none,");
  EXPECT_NE(b.fingerprint(), a.fingerprint());
}

TEST(StudyFingerprint, ChangesWithACellId) {
  TempDir dir;
  const StudyCopy a(dir, "a"), b(dir, "b");
  b.replace_all("cells.csv", "\nc01,", "\nc01b,");
  b.replace_all("capacity.csv", "\nc01,", "\nc01b,");  // its curve follows it
  EXPECT_NE(b.fingerprint(), a.fingerprint());
}

TEST(StudyFingerprint, ChangesWithTheSeed) {
  TempDir dir;
  const StudyCopy a(dir, "a");
  StudyInputs in = a.load();
  const std::string fingerprint = study_fingerprint(in);
  in.config.seed += 1;  // a --seed override: same files, another study
  EXPECT_NE(study_fingerprint(in), fingerprint);
  in.config.seed -= 1;
  EXPECT_EQ(study_fingerprint(in), fingerprint);
}

TEST(StudyFingerprint, ChangesWithTheConfigText) {
  TempDir dir;
  const StudyCopy a(dir, "a"), b(dir, "b"), c(dir, "c");
  b.append("tune.toml", "# an added comment changes nothing computed, but it is another config text\n");
  EXPECT_NE(b.fingerprint(), a.fingerprint());
  c.replace("tune.toml", "epochs = 1200", "epochs = 1100");
  EXPECT_NE(c.fingerprint(), a.fingerprint());
}

TEST(StudyFingerprint, ChangesWithTheSchemaText) {
  TempDir dir;
  const StudyCopy a(dir, "a"), b(dir, "b");
  b.replace("schema.toml", "max = 100", "max = 101");
  EXPECT_NE(b.fingerprint(), a.fingerprint());
}

TEST(StudyFingerprint, ASpellingOfTheSameNumberIsTheSameStudy) {
  TempDir dir;
  const StudyCopy a(dir, "a"), b(dir, "b");
  b.replace("cells.csv", "c01,81.2,none,37.83", "c01,81.20,none,37.830");  // the same values
  EXPECT_EQ(b.fingerprint(), a.fingerprint());
}

TEST(StudyInputs, CalibrationSectionIsCheckedAgainstTheTableWithPositions) {
  TempDir dir;
  const StudyCopy a(dir, "a"), b(dir, "b");
  a.append("tune.toml", "\n[calibration]\nfolds = 1\ngroup = \"batch\"\n");
  const std::string config = dir.path("a") + "/tune.toml";
  try {
    a.load();
    FAIL() << "a [calibration] with one fold and an unknown group column loaded";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(config + ":40:9: folds = 1: expected 0 (no calibration) or at least 2"), std::string::npos)
        << what;
    EXPECT_NE(what.find(config + ":41:9: group = \"batch\": expected a column of"), std::string::npos) << what;
  }
  b.append("tune.toml", "\n[calibration]\nfolds = 5\ngroup = \"additive\"\n");
  const StudyInputs in = b.load();
  EXPECT_EQ(in.config.calibration_folds, 5);
  EXPECT_EQ(in.config.calibration_group, "additive");
}

}  // namespace
}  // namespace elec::data
