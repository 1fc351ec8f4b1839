#include "elec/io/output_paths.hpp"

#include <sys/statvfs.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "elec/common/atomic_output.hpp"

namespace elec::io {
namespace {

namespace fs = std::filesystem;

// Why a file cannot be created in `directory`, or "" when it can. access(2) alone is not enough: root passes it
// on a read-only mount.
std::string unwritable(const std::string& directory) {
  std::error_code error;
  const auto status = fs::status(directory, error);
  if (!fs::exists(status)) return "directory '" + directory + "' does not exist";
  if (!fs::is_directory(status)) return "'" + directory + "' is not a directory";
  if (::access(directory.c_str(), W_OK | X_OK) != 0) return "directory '" + directory + "' is not writable";
  struct statvfs fs_info {};
  if (::statvfs(directory.c_str(), &fs_info) == 0 && (fs_info.f_flag & ST_RDONLY) != 0)
    return "directory '" + directory + "' is on a read-only file system";
  return "";
}

bool same_file(const std::string& a, const std::string& b) {
  std::error_code error;
  return fs::equivalent(a, b, error) && !error;
}

std::string normalised(const std::string& path) {
  std::error_code error;
  const fs::path absolute = fs::weakly_canonical(fs::absolute(path, error), error);
  return error ? path : absolute.string();
}

void check_one(const NamedPath& out, const std::vector<NamedPath>& inputs, data::Diagnostics& problems) {
  const data::SourcePosition where{out.path, 0, 0};
  if (out.path.empty()) {
    problems.add({out.option, 0, 0}, "empty path; expected a file to write");
    return;
  }
  std::error_code error;
  if (fs::is_directory(out.path, error)) {
    problems.add(where, out.option + " is a directory; expected a file path");
    return;
  }
  if (const std::string why = unwritable(common::directory_of(out.path)); !why.empty()) {
    problems.add(where, out.option + " cannot be written: " + why + "; expected an existing, writable directory");
    return;
  }
  for (const auto& in : inputs)
    if (!in.path.empty() && same_file(out.path, in.path))
      problems.add(where, out.option + " is the same file as the input " + in.option + " (" + in.path +
                              "); expected an output path that is not an input (it would be overwritten)");
}

}  // namespace

void check_output_paths(const std::vector<NamedPath>& outputs, const std::vector<NamedPath>& inputs,
                        data::Diagnostics& problems) {
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    check_one(outputs[k], inputs, problems);
    for (std::size_t j = 0; j < k; ++j)
      if (!outputs[k].path.empty() && normalised(outputs[k].path) == normalised(outputs[j].path))
        problems.add({outputs[k].path, 0, 0}, outputs[k].option + " is the same file as " + outputs[j].option +
                                                  "; expected a distinct path for each output");
  }
}

}  // namespace elec::io
