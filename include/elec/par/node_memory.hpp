#pragma once
// The memory this process may use: the node's physical memory, lowered by a cgroup limit (what SLURM and
// containers enforce) or SLURM's --mem, shared by the ranks on the node.
#include <string>

namespace elec::par {

struct MemoryLimit {
  double bytes_per_rank = 0.0;
  std::string source;  // what set it, for messages: "node memory 23.4 GiB / 2 ranks on the node"
};

MemoryLimit memory_limit(int ranks_on_node);

}  // namespace elec::par
