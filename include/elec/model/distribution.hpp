#pragma once
// How the members of an ensemble are shared among processes, as the numerical code sees it: which members this
// process owns, and how to collect every member's values in member order. The MPI implementation lives in the
// command-line layer (par::Comm); the model never sees a rank.
#include <cstddef>
#include <vector>

namespace elec::model {

struct MemberRange {
  std::size_t first = 0;
  std::size_t last = 0;  // exclusive
  std::size_t size() const { return last - first; }
};

class MemberDistribution {
 public:
  virtual ~MemberDistribution() = default;
  virtual MemberRange owned(std::size_t members) const = 0;
  // This process's values (its owned members in order, per_member values each) -> every member's values in member
  // order, identical in every process.
  virtual std::vector<double> gather(const std::vector<double>& owned_values, std::size_t members,
                                     std::size_t per_member) const = 0;
};

// One process owns everything (tests, benchmarks, single-rank runs).
class SingleProcess final : public MemberDistribution {
 public:
  MemberRange owned(std::size_t members) const override { return {0, members}; }
  std::vector<double> gather(const std::vector<double>& owned_values, std::size_t, std::size_t) const override {
    return owned_values;
  }
};

}  // namespace elec::model
