#include "elec/par/ownership.hpp"

namespace elec::par {

Range owned_range(std::size_t count, int ranks, int rank) {
  const auto r = static_cast<std::size_t>(rank);
  const auto n = static_cast<std::size_t>(ranks);
  return {count * r / n, count * (r + 1) / n};
}

}  // namespace elec::par
