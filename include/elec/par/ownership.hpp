#pragma once
// Which rank owns which items (ensemble members, folds, trials): contiguous blocks whose sizes differ by at
// most one. A pure function of (count, ranks, rank), so every rank can compute everyone's share.
#include <cstddef>

namespace elec::par {

struct Range {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t size() const { return end - begin; }
};

Range owned_range(std::size_t count, int ranks, int rank);

}  // namespace elec::par
