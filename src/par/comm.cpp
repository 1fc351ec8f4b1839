// Every MPI call of elec_hpc lives in this file.
#include "elec/par/comm.hpp"

#include <mpi.h>

#include <cstdlib>
#include <stdexcept>

#include "elec/par/ownership.hpp"

namespace elec::par {
namespace {

Traffic tally;  // only the main thread calls MPI (MPI_THREAD_FUNNELED), so no lock is needed

void count(std::uint64_t bytes_received) {
  ++tally.collectives;
  tally.bytes_received += bytes_received;
}

template <class T>
MPI_Datatype mpi_type();
template <>
MPI_Datatype mpi_type<double>() {
  return MPI_DOUBLE;
}
template <>
MPI_Datatype mpi_type<float>() {
  return MPI_FLOAT;
}

// Allgatherv where rank r contributes the values of the items in owned_range(items, size, r); because ranks own
// contiguous, ascending blocks, concatenating in rank order is item order.
template <class T>
std::vector<T> gather_items(const std::vector<T>& local, std::size_t items, std::size_t per_item, int size, int rank,
                            MPI_Comm comm) {
  std::vector<int> counts(size), offsets(size);
  for (int r = 0; r < size; ++r) {
    const Range owned = owned_range(items, size, r);
    counts[r] = static_cast<int>(owned.size() * per_item);
    offsets[r] = static_cast<int>(owned.begin * per_item);
  }
  if (local.size() != static_cast<std::size_t>(counts[rank]))
    throw std::logic_error("allgather_items: this rank passed " + std::to_string(local.size()) +
                           " values, its share is " + std::to_string(counts[rank]));
  std::vector<T> all(items * per_item);
  MPI_Allgatherv(local.data(), counts[rank], mpi_type<T>(), all.data(), counts.data(), offsets.data(), mpi_type<T>(),
                 comm);
  count((all.size() - local.size()) * sizeof(T));
  return all;
}

}  // namespace

Traffic traffic() { return tally; }

Environment::Environment(int& argc, char**& argv) {
  int provided = 0;
  // Only the main thread talks to MPI; OpenMP threads compute between collectives.
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
}

Environment::~Environment() { MPI_Finalize(); }

// A communicator made by split() is freed with its last Comm; the world one belongs to MPI.
struct Comm::Handle {
  MPI_Comm comm = MPI_COMM_WORLD;
  ~Handle() {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (comm != MPI_COMM_WORLD && !finalized) MPI_Comm_free(&comm);
  }
};

Comm Comm::world() {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  return Comm(rank, size, std::make_shared<const Handle>());
}

int Comm::group_of_split(int groups) const {
  for (int g = 0; g < groups; ++g) {
    const Range r = owned_range(static_cast<std::size_t>(size_), groups, g);
    if (static_cast<std::size_t>(rank_) >= r.begin && static_cast<std::size_t>(rank_) < r.end) return g;
  }
  return groups - 1;
}

Comm Comm::split(int groups) const {
  auto handle = std::make_shared<Handle>();
  MPI_Comm_split(handle_->comm, group_of_split(groups), rank_, &handle->comm);
  int rank = 0, size = 1;
  MPI_Comm_rank(handle->comm, &rank);
  MPI_Comm_size(handle->comm, &size);
  return Comm(rank, size, std::move(handle));
}

std::vector<double> Comm::allgather_items(const std::vector<double>& local, std::size_t items,
                                          std::size_t values_per_item) const {
  return gather_items(local, items, values_per_item, size_, rank_, handle_->comm);
}

std::vector<float> Comm::allgather_items(const std::vector<float>& local, std::size_t items,
                                         std::size_t values_per_item) const {
  return gather_items(local, items, values_per_item, size_, rank_, handle_->comm);
}

void Comm::broadcast(std::vector<double>& values) const {
  unsigned long long n = values.size();
  MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, 0, handle_->comm);
  values.resize(n);
  MPI_Bcast(values.data(), static_cast<int>(n), MPI_DOUBLE, 0, handle_->comm);
  count(rank_ == 0 ? 0 : n * sizeof(double));
}

void Comm::broadcast(std::string& text) const {
  unsigned long long n = text.size();
  MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, 0, handle_->comm);
  text.resize(n);
  MPI_Bcast(text.data(), static_cast<int>(n), MPI_CHAR, 0, handle_->comm);
  count(rank_ == 0 ? 0 : n);
}

bool Comm::any(bool local) const {
  int mine = local ? 1 : 0, result = 0;
  MPI_Allreduce(&mine, &result, 1, MPI_INT, MPI_LOR, handle_->comm);
  return result != 0;
}

std::string Comm::first_failure(const std::string& local_message) const {
  const int mine = local_message.empty() ? size_ : rank_;
  int first = size_;
  MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, handle_->comm);
  if (first == size_) return "";
  unsigned long long n = local_message.size();
  MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, first, handle_->comm);
  std::string message = rank_ == first ? local_message : std::string(n, '\0');
  MPI_Bcast(message.data(), static_cast<int>(n), MPI_CHAR, first, handle_->comm);
  return message;
}

int Comm::ranks_on_node() const {
  MPI_Comm node = MPI_COMM_NULL;
  MPI_Comm_split_type(handle_->comm, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node);
  int size = 1;
  MPI_Comm_size(node, &size);
  MPI_Comm_free(&node);
  return size;
}

void Comm::barrier() const { MPI_Barrier(handle_->comm); }

void Comm::abort(int status) const {
  MPI_Abort(MPI_COMM_WORLD, status);
  std::abort();  // MPI_Abort does not return; this satisfies [[noreturn]]
}

}  // namespace elec::par
