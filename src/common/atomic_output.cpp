#include "elec/common/atomic_output.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <system_error>
#include <utility>

namespace elec::common {
namespace {

namespace fs = std::filesystem;

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "host";
  return name;
}

// fsync(2) on a freshly opened descriptor: it flushes the file's (or directory's) pages, whoever wrote them.
void sync_path(const std::string& path, bool directory, const std::string& output) {
  const int fd = ::open(path.c_str(), O_RDONLY | (directory ? O_DIRECTORY : 0));
  if (fd < 0) throw OutputError(output + ": cannot open '" + path + "' to flush it: " + std::strerror(errno));
  // Some file systems cannot sync a directory (EINVAL); the rename is then as durable as they make it.
  const bool synced = ::fsync(fd) == 0 || (directory && errno == EINVAL);
  const int sync_error = errno;
  const bool closed = ::close(fd) == 0;
  if (!synced || !closed)
    throw OutputError(output + ": cannot flush '" + path + "' to disk: " + std::strerror(synced ? errno : sync_error));
}

bool process_gone(long pid) { return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH; }

// "<host>-<pid>" or (earlier versions) "<pid>": the pid of a temporary of this host, or -1.
long pid_of_suffix(const std::string& suffix, const std::string& host) {
  const auto dash = suffix.rfind('-');
  const std::string digits = dash == std::string::npos ? suffix : suffix.substr(dash + 1);
  if (dash != std::string::npos && suffix.substr(0, dash) != host) return -1;
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::stol(digits);
}

// The commit record of a command with several outputs: "<directory of the first>/.elec-commit-<host>-<pid>", one
// "temporary<TAB>final" line per output (absolute paths). It exists, whole, exactly while the outputs are being
// renamed, so a run killed in between leaves the list of renames still to do.
std::string commit_record_prefix() { return ".elec-commit-" + host_name() + "-"; }

std::string write_commit_record(const std::vector<std::unique_ptr<AtomicOutput>>& staged) {
  std::string text;
  for (const auto& output : staged)
    text += fs::absolute(output->temp_path()).string() + "\t" + fs::absolute(output->final_path()).string() + "\n";
  const std::string directory = directory_of(staged.front()->final_path());
  const std::string record = (fs::path(directory) / (commit_record_prefix() + std::to_string(::getpid()))).string();
  const std::string temp = record + ".tmp";
  std::ofstream out(temp, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw OutputError(staged.front()->final_path() + ": cannot write the commit record '" + temp + "'");
  sync_path(temp, false, staged.front()->final_path());
  std::error_code error;
  fs::rename(temp, record, error);
  if (error) throw OutputError(staged.front()->final_path() + ": cannot write the commit record: " + error.message());
  sync_path(directory, true, staged.front()->final_path());
  return record;
}

// Finishes the renames a killed process listed in its commit record (only temporaries still there are renamed: the
// others were done), so that its outputs end up all from that run.
void roll_forward(const fs::path& record) {
  std::ifstream in(record);
  std::string line;
  while (std::getline(in, line)) {
    const auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    std::error_code error;
    if (fs::exists(line.substr(0, tab), error)) fs::rename(line.substr(0, tab), line.substr(tab + 1), error);
  }
  std::error_code ignored;
  fs::remove(record, ignored);
}

}  // namespace

std::string directory_of(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

int finish_interrupted_commits(const std::string& directory) {
  const std::string prefix = commit_record_prefix();
  std::error_code error;
  fs::directory_iterator entries(directory, error);
  if (error) return 0;
  std::vector<fs::path> records, unfinished;
  for (const auto& entry : entries) {
    const std::string name = entry.path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    // "<record>.tmp": killed while writing its record, before any rename: the outputs are still the older ones and
    // that record is litter (its temporaries are removed with the other stale ones).
    const bool partial = name.size() > 4 && name.compare(name.size() - 4, 4, ".tmp") == 0;
    const std::string suffix = name.substr(prefix.size(), name.size() - prefix.size() - (partial ? 4 : 0));
    if (process_gone(pid_of_suffix(suffix, host_name()))) (partial ? unfinished : records).push_back(entry.path());
  }
  for (const auto& record : unfinished) fs::remove(record, error);
  for (const auto& record : records) roll_forward(record);
  return static_cast<int>(records.size());
}

AtomicOutput::AtomicOutput(std::string final_path)
    : final_path_(std::move(final_path)),
      temp_path_(final_path_ + ".tmp-" + host_name() + "-" + std::to_string(static_cast<long long>(::getpid()))) {
  remove_stale_temporaries(final_path_);
}

AtomicOutput::~AtomicOutput() {
  if (committed_) return;
  std::error_code ignored;
  fs::remove(temp_path_, ignored);  // may never have been created
}

void AtomicOutput::sync() {
  if (synced_) return;
  sync_path(temp_path_, false, final_path_);
  synced_ = true;
}

void AtomicOutput::rename_into_place() {
  if (committed_) return;  // already in place; a second commit is a no-op
  sync();
  std::error_code error;
  fs::rename(temp_path_, final_path_, error);  // rename(2): replaces final_path atomically
  if (error)
    throw OutputError(final_path_ + ": cannot commit the output: renaming '" + temp_path_ + "' to '" + final_path_ +
                      "' failed: " + error.message());
  committed_ = true;
}

void AtomicOutput::commit() {
  rename_into_place();
  sync_path(directory_of(final_path_), true, final_path_);
}

int remove_stale_temporaries(const std::string& final_path) {
  finish_interrupted_commits(directory_of(final_path));  // first: those temporaries are results, not litter
  const fs::path target(final_path);
  const std::string prefix = target.filename().string() + ".tmp-";
  const std::string host = host_name();
  std::error_code error;
  fs::directory_iterator entries(directory_of(final_path), error);
  if (error) return 0;  // an unreadable directory is reported by the output checks, not here
  int removed = 0;
  for (const auto& entry : entries) {
    const std::string name = entry.path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    if (!process_gone(pid_of_suffix(name.substr(prefix.size()), host))) continue;
    std::error_code ignored;
    if (fs::remove(entry.path(), ignored)) ++removed;
  }
  return removed;
}

void write_atomically(const std::vector<PendingOutput>& outputs) {
  std::vector<std::unique_ptr<AtomicOutput>> staged;
  for (const auto& output : outputs) {
    staged.push_back(std::make_unique<AtomicOutput>(output.path));
    try {
      output.write(staged.back()->temp_path());
    } catch (const OutputError&) {
      throw;
    } catch (const std::exception& e) {
      throw OutputError(output.path + ": cannot be written (" + e.what() + ")");
    }
    staged.back()->sync();
  }
  // A rename fails on a final name that has become a directory or a directory that is no longer writable; check
  // them all before renaming any. (Were a rename still to fail past this point, say a directory removed in
  // between, the outputs renamed before it would hold the new results and the rest their old ones.)
  for (const auto& output : staged) {
    std::error_code error;
    if (fs::is_directory(output->final_path(), error))
      throw OutputError(output->final_path() + ": cannot commit the output: it is a directory");
    if (::access(directory_of(output->final_path()).c_str(), W_OK | X_OK) != 0)
      throw OutputError(output->final_path() + ": cannot commit the output: its directory is not writable (" +
                        std::strerror(errno) + ")");
  }
  if (staged.size() == 1) return staged.front()->commit();
  // Renamed back to back under a commit record: a run killed between two renames is completed by the next run
  // that writes (or checks) any output in that directory.
  const std::string record = write_commit_record(staged);
  for (auto& output : staged) output->rename_into_place();
  for (const auto& output : staged) sync_path(directory_of(output->final_path()), true, output->final_path());
  std::error_code ignored;
  fs::remove(record, ignored);
}

}  // namespace elec::common
