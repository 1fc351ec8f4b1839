#include "elec/par/node_memory.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace elec::par {
namespace {

double gib(double bytes) { return bytes / (1024.0 * 1024.0 * 1024.0); }

std::string describe(const std::string& what, double bytes, int ranks) {
  char text[160];
  std::snprintf(text, sizeof text, "%s %.1f GiB / %d rank%s on the node", what.c_str(), gib(bytes), ranks,
                ranks == 1 ? "" : "s");
  return text;
}

// cgroup v2 ("max" = none) or v1; 0 when there is none.
double cgroup_limit() {
  for (const char* file : {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
    std::ifstream in(file);
    std::string text;
    if (!(in >> text) || text == "max") continue;
    const double value = std::strtod(text.c_str(), nullptr);
    if (value > 0 && value < 1e18) return value;  // v1 reports "no limit" as a huge number
  }
  return 0.0;
}

}  // namespace

MemoryLimit memory_limit(int ranks_on_node) {
  const int ranks = ranks_on_node > 0 ? ranks_on_node : 1;
  double bytes = static_cast<double>(::sysconf(_SC_PHYS_PAGES)) * static_cast<double>(::sysconf(_SC_PAGESIZE));
  std::string what = "node memory";
  if (const double cgroup = cgroup_limit(); cgroup > 0 && cgroup < bytes) bytes = cgroup, what = "cgroup memory limit";
  if (const char* slurm = std::getenv("SLURM_MEM_PER_NODE")) {
    const double mib = std::strtod(slurm, nullptr);
    if (mib > 0 && mib * 1048576.0 < bytes) bytes = mib * 1048576.0, what = "SLURM --mem";
  }
  return {bytes / ranks, describe(what, bytes, ranks)};
}

}  // namespace elec::par
