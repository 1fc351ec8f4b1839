#pragma once
// Outputs appear complete or not at all: they are written under a temporary name beside the final one and
// renamed (atomic on POSIX file systems) only by commit(). Destroying an uncommitted output removes the
// temporary, so an exception or a failed validation leaves nothing behind.
#include <string>

namespace elec::io {

class AtomicOutput {
 public:
  explicit AtomicOutput(std::string final_path);  // temp name: "<final>.tmp-<pid>"
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;
  ~AtomicOutput();
  const std::string& temp_path() const { return temp_path_; }
  const std::string& final_path() const { return final_path_; }
  void commit();  // rename temp -> final; throws std::runtime_error naming both paths on failure

 private:
  std::string final_path_;
  std::string temp_path_;
  bool committed_ = false;
};

}  // namespace elec::io
