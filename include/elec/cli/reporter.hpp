#pragma once
// What rank 0 tells the user: progress lines while passes run and the closing verification summary, a block of
// "label  value" lines meant to be compared by eye between two runs. Other ranks stay silent.
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "elec/cli/command.hpp"
#include "elec/model/ensemble.hpp"
#include "elec/model/pipeline.hpp"

namespace elec::cli {

class Reporter {
 public:
  Reporter(const RunContext& context, std::string command);
  void line(const std::string& text) const;  // rank 0 only, flushed
  // Progress of the imputation loop: pass, change, elapsed, an upper bound on the time left.
  model::PassObserver pass_observer(int max_passes) const;
  void add_summary(const std::string& label, const std::string& value);
  void print_summary() const;
  double elapsed_seconds() const;

 private:
  const RunContext& context_;
  std::string command_;
  std::chrono::steady_clock::time_point start_;
  std::vector<std::pair<std::string, std::string>> summary_;
};

// The gather every command uses: this rank's members' values -> all members' values in member order.
model::GatherMembers member_gather(const par::Comm& comm, std::size_t members);
model::MemberRange owned_members(const par::Comm& comm, std::size_t members);

std::string format_fixed(double value, int decimals);
std::string format_sci(double value);

}  // namespace elec::cli
