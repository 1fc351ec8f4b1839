// Runs under mpiexec with 1, 2 and 4 ranks (registered by tests/CMakeLists.txt).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "elec/par/comm.hpp"
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

TEST(Comm, FirstFailureIsEmptyWhenNoRankFails) {
  const Comm comm = Comm::world();
  EXPECT_EQ(comm.first_failure(""), "");
}

TEST(Comm, FirstFailureIsTheLowestFailingRanksMessageOnEveryRank) {
  const Comm comm = Comm::world();
  // Ranks 1 and above fail, each with its own message (of its own length).
  const std::string mine =
      comm.rank() >= 1 ? "rank " + std::to_string(comm.rank()) + std::string(comm.rank(), '!') : "";
  EXPECT_EQ(comm.first_failure(mine), comm.size() >= 2 ? "rank 1!" : "");
  // Every rank fails: rank 0's message.
  EXPECT_EQ(comm.first_failure("rank " + std::to_string(comm.rank())), "rank 0");
  // Only the last rank fails.
  const int last = comm.size() - 1;
  EXPECT_EQ(comm.first_failure(comm.rank() == last ? "last rank" : ""), "last rank");
}

TEST(Comm, FirstFailureCarriesALongMessageWhole) {
  const Comm comm = Comm::world();
  std::string message(3 * 1024 * 1024, 'x');  // a report of many problems
  for (std::size_t k = 0; k < message.size(); k += 997) message[k] = static_cast<char>('a' + k % 26);
  message += "\nlast line\n";
  const int failing = comm.size() / 2;
  EXPECT_EQ(comm.first_failure(comm.rank() == failing ? message : ""), message);
}

TEST(Comm, FirstFailureWorksOnASplitCommunicator) {
  const Comm comm = Comm::world();
  const Comm group = comm.split(std::min(2, comm.size()));
  const std::string mine =
      group.rank() == group.size() - 1 ? "group " + std::to_string(comm.group_of_split(std::min(2, comm.size()))) : "";
  EXPECT_EQ(group.first_failure(mine), "group " + std::to_string(comm.group_of_split(std::min(2, comm.size()))));
}

TEST(Comm, RanksOnNodeIsTheCommunicatorSizeOnOneNode) {
  const Comm comm = Comm::world();
  EXPECT_EQ(comm.ranks_on_node(), comm.size());
  EXPECT_EQ(comm.ranks_on_node(), comm.size());  // callable again (the node communicator is freed each time)
  const Comm group = comm.split(std::min(2, comm.size()));
  EXPECT_EQ(group.ranks_on_node(), group.size());
}

}  // namespace
}  // namespace elec::par
