#include "elec/par/ownership.hpp"

#include <gtest/gtest.h>

namespace elec::par {
namespace {

TEST(Ownership, BlocksCoverEveryItemOnceInOrderAndDifferByAtMostOne) {
  for (std::size_t count : {0u, 1u, 5u, 200u, 201u})
    for (int ranks : {1, 2, 3, 4, 7, 64}) {
      std::size_t next = 0, smallest = count, largest = 0;
      for (int rank = 0; rank < ranks; ++rank) {
        const Range r = owned_range(count, ranks, rank);
        EXPECT_EQ(r.begin, next);
        next = r.end;
        smallest = std::min(smallest, r.size());
        largest = std::max(largest, r.size());
      }
      EXPECT_EQ(next, count);
      EXPECT_LE(largest - smallest, 1u);
    }
}

}  // namespace
}  // namespace elec::par
