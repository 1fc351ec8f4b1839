#pragma once
// The one communicator layer: every MPI call in elec_hpc is in src/par/comm.cpp. Collectives on results gather
// values into item order (members, folds, trials) and let every rank reduce identically, never with a
// floating-point MPI reduction, so results do not depend on the rank count.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace elec::par {

// MPI_Init_thread / MPI_Finalize for the life of main().
class Environment {
 public:
  Environment(int& argc, char**& argv);
  ~Environment();
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;
};

// What this process has received from other ranks through the collectives so far (payload bytes, not counting
// its own share), for the benchmarks' "bytes communicated per pass".
struct Traffic {
  std::uint64_t collectives = 0;
  std::uint64_t bytes_received = 0;
};
Traffic traffic();

class Comm {
 public:
  static Comm world();
  int rank() const { return rank_; }
  int size() const { return size_; }
  bool is_root() const { return rank_ == 0; }

  // Each rank passes the values of the items it owns (ownership by owned_range over `items`), each item
  // contributing `values_per_item` values. Returns every item's values, in item order, on every rank.
  std::vector<double> allgather_items(const std::vector<double>& local, std::size_t items,
                                      std::size_t values_per_item) const;
  std::vector<float> allgather_items(const std::vector<float>& local, std::size_t items,
                                     std::size_t values_per_item) const;
  // Root's values replace everyone's.
  void broadcast(std::vector<double>& values) const;
  void broadcast(std::string& text) const;
  // True on every rank when it is true on any rank (agreeing on failures before anyone writes).
  bool any(bool local) const;
  // Agreement on a failure: every rank passes its own message ("" = no failure) and gets the message of the
  // lowest-ranked rank that failed, or "" when none did. Lets ranks that validated their inputs fine stop with
  // the others instead of waiting forever in the next collective.
  std::string first_failure(const std::string& local_message) const;
  // Ranks of this communicator that share this rank's node (memory is a per-node resource).
  int ranks_on_node() const;
  void barrier() const;
  [[noreturn]] void abort(int status) const;

  // The ranks of this communicator dealt into `groups` contiguous groups (par::owned_range over the ranks); returns
  // the communicator of the group this rank is in. Collective over this communicator.
  Comm split(int groups) const;
  int group_of_split(int groups) const;  // which group split(groups) puts this rank in

 private:
  struct Handle;  // the MPI communicator, kept out of this header so that only comm.cpp sees mpi.h
  Comm(int rank, int size, std::shared_ptr<const Handle> handle)
      : rank_(rank), size_(size), handle_(std::move(handle)) {}
  int rank_ = 0;
  int size_ = 1;
  std::shared_ptr<const Handle> handle_;
};

}  // namespace elec::par
