#include "elec/io/atomic_output.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "elec/io/hdf5.hpp"

namespace elec::io {
namespace {

namespace fs = std::filesystem;

class AtomicOutputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("elec_atomic_test_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  std::vector<std::string> listing() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_)) names.push_back(entry.path().filename().string());
    return names;
  }
  static void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  static std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  fs::path dir_;
};

TEST_F(AtomicOutputTest, TempPathIsBesideFinal) {
  const std::string final_path = (dir_ / "out.h5").string();
  AtomicOutput out(final_path);
  EXPECT_EQ(out.final_path(), final_path);
  EXPECT_EQ(out.temp_path(), final_path + ".tmp-" + std::to_string(::getpid()));
  EXPECT_EQ(fs::path(out.temp_path()).parent_path(), dir_);
}

TEST_F(AtomicOutputTest, UncommittedLeavesNothing) {
  {
    AtomicOutput out((dir_ / "out.txt").string());
    write_text(out.temp_path(), "partial");
    ASSERT_TRUE(fs::exists(out.temp_path()));
  }
  EXPECT_TRUE(listing().empty());
}

TEST_F(AtomicOutputTest, UncommittedWithoutTempIsFine) {
  { AtomicOutput out((dir_ / "never_written.txt").string()); }
  EXPECT_TRUE(listing().empty());
}

TEST_F(AtomicOutputTest, ExceptionBeforeCommitLeavesNothing) {
  try {
    AtomicOutput out((dir_ / "out.txt").string());
    write_text(out.temp_path(), "partial");
    throw std::runtime_error("validation failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_TRUE(listing().empty());
}

TEST_F(AtomicOutputTest, CommittedLeavesOnlyFinal) {
  const std::string final_path = (dir_ / "out.txt").string();
  {
    AtomicOutput out(final_path);
    write_text(out.temp_path(), "complete");
    EXPECT_FALSE(fs::exists(final_path));
    out.commit();
    EXPECT_TRUE(fs::exists(final_path));
    EXPECT_FALSE(fs::exists(out.temp_path()));
  }
  EXPECT_EQ(listing(), std::vector<std::string>{"out.txt"});
  EXPECT_EQ(read_text(final_path), "complete");
}

TEST_F(AtomicOutputTest, CommitReplacesExistingFinal) {
  const std::string final_path = (dir_ / "out.txt").string();
  write_text(final_path, "old contents");
  {
    AtomicOutput out(final_path);
    write_text(out.temp_path(), "new");
    EXPECT_EQ(read_text(final_path), "old contents");  // untouched until commit
    out.commit();
  }
  EXPECT_EQ(listing(), std::vector<std::string>{"out.txt"});
  EXPECT_EQ(read_text(final_path), "new");
}

TEST_F(AtomicOutputTest, UncommittedKeepsExistingFinal) {
  const std::string final_path = (dir_ / "out.txt").string();
  write_text(final_path, "old contents");
  {
    AtomicOutput out(final_path);
    write_text(out.temp_path(), "abandoned");
  }
  EXPECT_EQ(listing(), std::vector<std::string>{"out.txt"});
  EXPECT_EQ(read_text(final_path), "old contents");
}

TEST_F(AtomicOutputTest, CommitFailureNamesBothPaths) {
  const std::string final_path = (dir_ / "missing_dir" / "out.txt").string();
  AtomicOutput out(final_path);
  try {
    out.commit();  // no temp file was written and the directory does not exist
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(out.temp_path()), std::string::npos) << what;
    EXPECT_NE(what.find(final_path), std::string::npos) << what;
  }
}

TEST_F(AtomicOutputTest, WorksWithHdf5File) {
  const std::string final_path = (dir_ / "result.h5").string();
  {
    AtomicOutput out(final_path);
    {
      File file = File::create(out.temp_path());
      file.write("x", std::vector<double>{1.0, 2.0}, {2});
    }
    out.commit();
  }
  EXPECT_EQ(listing(), std::vector<std::string>{"result.h5"});
  File file = File::open_read(final_path);
  EXPECT_EQ(file.read_doubles("x").data, (std::vector<double>{1.0, 2.0}));
}

}  // namespace
}  // namespace elec::io
