#pragma once
// Test helpers shared by the test files: a scratch directory per test, and diagnostics as plain strings.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "elec/data/diagnostics.hpp"

namespace elec::test_support {

// A scratch directory named after the running test (and the process, for MPI ranks), removed afterwards.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("elec_" + std::string(info->test_suite_name()) + "_" + info->name() + "_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string write(const std::string& name, const std::string& content) const {
    std::ofstream(path(name), std::ios::binary) << content;
    return path(name);
  }

 private:
  std::filesystem::path dir_;
};

using Strings = std::vector<std::string>;

// Every problem as "file:line:col: message".
inline Strings messages(const data::Diagnostics& diag) {
  Strings out;
  for (const auto& p : diag.problems()) out.push_back(p.format());
  return out;
}

// The problems of one file without its "path" prefix (":line:col: message"), so expectations stay readable.
inline Strings relative(const data::Diagnostics& diag, const std::string& file) {
  Strings out;
  for (const auto& p : diag.problems()) {
    const std::string text = p.format();
    out.push_back(text.rfind(file, 0) == 0 ? text.substr(file.size()) : text);
  }
  return out;
}

}  // namespace elec::test_support
