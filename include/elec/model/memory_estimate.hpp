#pragma once
// How much memory a rank will need, estimated from the sizes alone before anything is allocated, so that a job
// that cannot fit is refused in its first second with the estimate and the limit, instead of ending in
// std::bad_alloc (or the node's OOM killer) minutes or hours later.
#include <cstddef>
#include <string>
#include <vector>

#include "elec/model/network.hpp"

namespace elec::model {

struct MemoryEstimate {
  struct Part {
    std::string what;
    double bytes = 0.0;
  };
  std::vector<Part> parts;
  double total() const;
  std::string describe() const;  // "12.3 GiB (members' weights and optimiser 11.9 GiB, ...)"
};

struct RunSize {
  NetworkShape shape;
  std::size_t members = 0;
  std::size_t rows = 0;  // cells trained on or predicted
  int ranks = 1;         // ranks sharing the members
  int threads = 1;       // OpenMP threads per rank (one workspace each)
  bool float32 = false;
  std::size_t curve_points = 0;  // abscissa values read out per cell over all curves (predict --grid)
};

// Per rank, for training (owned members with their optimiser state, per-thread workspaces, the gathered weights of
// every member and the members' read-out of every cell) or for prediction (no optimiser; curves on the grid).
MemoryEstimate training_memory(const RunSize& size);
MemoryEstimate prediction_memory(const RunSize& size);

// Empty when the estimate fits in `limit_bytes`; otherwise the message to refuse the job with.
std::string memory_refusal(const MemoryEstimate& estimate, double limit_bytes, const std::string& limit_source);

std::string format_bytes(double bytes);  // "512 B", "12.3 GiB"

}  // namespace elec::model
