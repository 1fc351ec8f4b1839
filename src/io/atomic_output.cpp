#include "elec/io/atomic_output.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <system_error>
#include <utility>

namespace elec::io {
namespace {

namespace fs = std::filesystem;

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "host";
  return name;
}

std::string directory_of(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
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

}  // namespace

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

void AtomicOutput::commit() {
  if (committed_) return;  // already in place; a second commit is a no-op
  sync();
  std::error_code error;
  fs::rename(temp_path_, final_path_, error);  // rename(2): replaces final_path atomically
  if (error)
    throw OutputError(final_path_ + ": cannot commit the output: renaming '" + temp_path_ + "' to '" + final_path_ +
                      "' failed: " + error.message());
  committed_ = true;
  sync_path(directory_of(final_path_), true, final_path_);
}

int remove_stale_temporaries(const std::string& final_path) {
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
  for (auto& output : staged) output->commit();
}

}  // namespace elec::io
