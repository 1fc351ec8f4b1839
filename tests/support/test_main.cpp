// One main for unit and MPI test binaries: MPI is initialised (through the communicator layer) and only rank 0
// prints GoogleTest's report so that several ranks do not interleave it.
#include <gtest/gtest.h>

#include "elec/par/comm.hpp"

int main(int argc, char** argv) {
  elec::par::Environment mpi(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  const auto comm = elec::par::Comm::world();
  if (!comm.is_root()) {
    auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
    delete listeners.Release(listeners.default_result_printer());
  }
  const bool failed = RUN_ALL_TESTS() != 0;
  return comm.any(failed) ? 1 : 0;
}
