#pragma once
// Outputs appear complete or not at all. Each is written under a temporary name beside the final one; commit()
// forces the temporary to disk (fsync), renames it over the final name (atomic on POSIX file systems) and forces
// the directory entry to disk too, so neither a crash nor a full disk can leave a half-written file under the
// final name or destroy the file that was there. Destroying an uncommitted output removes its temporary.
//
// Temporary names carry the host and the process ("<final>.tmp-<host>-<pid>"), so a later run writing the same
// output recognises the temporaries of processes of this host that are gone (killed) and removes them.
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace elec::common {

// An output that could not be written (full disk, I/O error, vanished directory). Nothing was replaced: every
// output keeps what it held before the run. The CLI reports it with exit status 2, like bad input.
class OutputError : public std::runtime_error {
 public:
  explicit OutputError(const std::string& what) : std::runtime_error(what) {}
};

class AtomicOutput {
 public:
  explicit AtomicOutput(std::string final_path);
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;
  ~AtomicOutput();
  const std::string& temp_path() const { return temp_path_; }
  const std::string& final_path() const { return final_path_; }
  // Forces the temporary's contents to disk; throws OutputError naming the output.
  void sync();
  // sync(), rename over the final name, then sync the directory; throws OutputError naming both paths.
  void commit();
  // commit() without the directory sync, for renaming several outputs back to back (write_atomically).
  void rename_into_place();

 private:
  std::string final_path_;
  std::string temp_path_;
  bool synced_ = false;
  bool committed_ = false;
};

// The directory a path is in ("." for a bare file name).
std::string directory_of(const std::string& path);

// Completes the renames of commands with several outputs that were killed while renaming them (their commit
// records in `directory`, of processes of this host that no longer exist), and removes the half-written records of
// such processes (killed before their first rename). Returns how many were completed.
int finish_interrupted_commits(const std::string& directory);

// finish_interrupted_commits in the directory of `final_path`, then removes the "<final>.tmp-<host>-<pid>" files of
// `final_path` left by processes of this host that no longer exist (and "<final>.tmp-<pid>" of earlier versions).
// Returns how many temporaries were removed.
int remove_stale_temporaries(const std::string& final_path);

// One output of a command: where it goes, and how to write it to a given (temporary) path.
struct PendingOutput {
  std::string path;
  std::function<void(const std::string& temp_path)> write;
};

// The whole protocol for a command's outputs: every output is written to its temporary and synced before any is
// renamed, so a reader never sees the outputs of two runs side by side. Any failure (a writer's exception, a full
// disk at flush, close or fsync, a final name that became a directory) becomes an OutputError naming the output,
// and leaves no temporary behind and every existing output as it was.
void write_atomically(const std::vector<PendingOutput>& outputs);

}  // namespace elec::common
