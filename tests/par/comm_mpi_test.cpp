// Runs under mpiexec with 1, 2 and 4 ranks (registered by tests/CMakeLists.txt).
#include "elec/par/comm.hpp"

#include <gtest/gtest.h>

#include "elec/par/ownership.hpp"

namespace elec::par {
namespace {

TEST(Comm, AllgatherReturnsEveryItemInItemOrderOnEveryRank) {
  const Comm comm = Comm::world();
  for (std::size_t items : {0u, 1u, 3u, 7u, 200u}) {
    const Range mine = owned_range(items, comm.size(), comm.rank());
    std::vector<double> local;
    for (std::size_t item = mine.begin; item < mine.end; ++item)
      local.insert(local.end(), {static_cast<double>(item), -static_cast<double>(item)});
    const std::vector<double> all = comm.allgather_items(local, items, 2);
    ASSERT_EQ(all.size(), items * 2);
    for (std::size_t item = 0; item < items; ++item) {
      EXPECT_EQ(all[2 * item], static_cast<double>(item));
      EXPECT_EQ(all[2 * item + 1], -static_cast<double>(item));
    }
  }
}

TEST(Comm, BroadcastAndAnyAgreeAcrossRanks) {
  const Comm comm = Comm::world();
  std::string text = comm.is_root() ? "from root" : "";
  comm.broadcast(text);
  EXPECT_EQ(text, "from root");
  std::vector<double> values = comm.is_root() ? std::vector<double>{1.5, 2.5} : std::vector<double>{};
  comm.broadcast(values);
  EXPECT_EQ(values, (std::vector<double>{1.5, 2.5}));
  EXPECT_TRUE(comm.any(comm.rank() == comm.size() - 1));
  EXPECT_FALSE(comm.any(false));
}

TEST(Comm, WrongShareIsAProgrammingError) {
  const Comm comm = Comm::world();
  EXPECT_THROW(comm.allgather_items(std::vector<double>(1000), 3, 1), std::logic_error);
}

}  // namespace
}  // namespace elec::par
