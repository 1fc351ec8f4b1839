#include "elec/io/atomic_output.hpp"

#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace elec::io {

AtomicOutput::AtomicOutput(std::string final_path)
    : final_path_(std::move(final_path)),
      temp_path_(final_path_ + ".tmp-" + std::to_string(static_cast<long long>(::getpid()))) {}

AtomicOutput::~AtomicOutput() {
  if (committed_) return;
  std::error_code ignored;
  std::filesystem::remove(temp_path_, ignored);  // may never have been created
}

void AtomicOutput::commit() {
  if (committed_) return;  // already in place; a second commit is a no-op
  std::error_code error;
  std::filesystem::rename(temp_path_, final_path_, error);  // rename(2): replaces final_path atomically
  if (error) {
    throw std::runtime_error("cannot commit output: renaming '" + temp_path_ + "' to '" + final_path_ +
                             "' failed: " + error.message());
  }
  committed_ = true;
}

}  // namespace elec::io
