#pragma once
// What rank 0 tells the user: progress lines while passes run and the closing verification summary, a block of
// "label  value" lines meant to be compared by eye between two runs. Other ranks stay silent.
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "elec/cli/command.hpp"
#include "elec/model/distribution.hpp"
#include "elec/model/imputation_loop.hpp"
#include "elec/model/schedule_selection.hpp"

namespace elec::cli {

class Reporter {
 public:
  Reporter(const RunContext& context, std::string command);
  void line(const std::string& text) const;  // rank 0 only, flushed
  // Progress of the imputation loop: pass, change, elapsed, an upper bound on the time left. The pass limit is
  // read when a pass is reported, so a schedule chosen after the observer was made is taken into account.
  model::PassObserver pass_observer() const;
  void set_pass_limit(int max_passes) { pass_limit_ = max_passes; }
  // Held-out scores while the schedule is being chosen (every 100 initial epochs, and every pass).
  model::ScoreObserver score_observer() const;
  void add_summary(const std::string& label, const std::string& value);
  void print_summary() const;
  double elapsed_seconds() const;

 private:
  const RunContext& context_;
  std::string command_;
  std::chrono::steady_clock::time_point start_;
  std::vector<std::pair<std::string, std::string>> summary_;
  int pass_limit_ = 0;
};

// Members shared among the ranks of a communicator: contiguous blocks (par::owned_range), gathered in member
// order with one Allgatherv.
class CommDistribution final : public model::MemberDistribution {
 public:
  explicit CommDistribution(const par::Comm& comm) : comm_(comm) {}
  model::MemberRange owned(std::size_t members) const override;
  std::vector<double> gather(const std::vector<double>& owned_values, std::size_t members,
                             std::size_t per_member) const override;

 private:
  const par::Comm& comm_;
};

// One line about a finished schedule selection (chosen epochs and passes, with their held-out scores).
std::string describe_selection(const model::ScheduleSelection& selection);

std::string format_fixed(double value, int decimals);
std::string format_sci(double value);

}  // namespace elec::cli
