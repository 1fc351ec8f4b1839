#pragma once
// What every harness of tests/fuzz shares: a scratch directory for the files the readers take by path, and the
// one way a harness reports a broken invariant.
//
// The rule of every harness: an exception from the code under test (std::exception: data::InputError, H5Error,
// std::runtime_error, ...) is a normal answer to bad input. Findings are crashes, sanitizer reports, hangs, and
// the invariants a harness checks explicitly with finding().
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace elec::fuzz {

// A broken invariant: abort, so that libFuzzer records the input as a crash.
[[noreturn]] inline void finding(const std::string& what) {
  std::fprintf(stderr, "FINDING: %s\n", what.c_str());
  std::abort();
}

// The harness itself cannot run (no scratch space, missing fixture): stop loudly rather than fuzz nothing.
[[noreturn]] inline void fail_setup(const std::string& what) {
  std::fprintf(stderr, "fuzz harness setup failed: %s\n", what.c_str());
  std::exit(3);
}

// A directory private to this process, in memory (/dev/shm) when there is one: the readers take paths, and a
// fuzzer rewrites the same few files hundreds of times a second. Removed when the process ends normally; a crash
// leaves it behind for inspection.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& harness) {
    const std::filesystem::path base = std::filesystem::is_directory("/dev/shm")
                                           ? std::filesystem::path("/dev/shm")
                                           : std::filesystem::temp_directory_path();
    dir_ = base / ("elec_fuzz_" + harness + "_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // Writes the bytes to `name` (the same path every time) and returns that path.
  std::string write(const std::string& name, const std::uint8_t* data, std::size_t size) const {
    const std::string file = path(name);
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out) fail_setup("cannot write " + file);
    return file;
  }
  std::string write(const std::string& name, const std::string& text) const {
    return write(name, reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  }

 private:
  std::filesystem::path dir_;
};

}  // namespace elec::fuzz
