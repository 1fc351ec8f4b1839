#include "elec/cli/reporter.hpp"

#include <cstdio>
#include <iostream>

#include "elec/par/ownership.hpp"

namespace elec::cli {

Reporter::Reporter(const RunContext& context, std::string command)
    : context_(context), command_(std::move(command)), start_(std::chrono::steady_clock::now()) {}

void Reporter::line(const std::string& text) const {
  if (context_.comm.is_root()) std::cout << text << std::endl;
}

double Reporter::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

model::PassObserver Reporter::pass_observer(int max_passes) const {
  return [this, max_passes](const model::PassRecord& r) {
    if (r.pass == 0) {
      line("trained initial epochs  elapsed " + format_fixed(r.seconds, 1) + " s");
      return;
    }
    const double per_pass = r.seconds / r.pass;
    const double left = per_pass * (max_passes - r.pass);
    line("pass " + std::to_string(r.pass) + "/" + std::to_string(max_passes) + "  max change " +
         format_sci(r.max_change) + "  mean change " + format_sci(r.mean_change) + "  elapsed " +
         format_fixed(r.seconds, 1) + " s  ETA <= " + format_fixed(left, 1) + " s");
  };
}

void Reporter::add_summary(const std::string& label, const std::string& value) { summary_.emplace_back(label, value); }

void Reporter::print_summary() const {
  line("== elec_hpc " + command_ + ": verification summary ==");
  for (const auto& [label, value] : summary_) {
    std::string padded = label;
    padded.resize(std::max<std::size_t>(label.size() + 2, 18), ' ');
    line(padded + value);
  }
  line(std::string("time") + std::string(14, ' ') + format_fixed(elapsed_seconds(), 1) + " s");
}

model::GatherMembers member_gather(const par::Comm& comm, std::size_t members) {
  return [&comm, members](const std::vector<double>& owned, std::size_t per_member) {
    return comm.allgather_items(owned, members, per_member);
  };
}

model::MemberRange owned_members(const par::Comm& comm, std::size_t members) {
  const par::Range r = par::owned_range(members, comm.size(), comm.rank());
  return {r.begin, r.end};
}

std::string format_fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string format_sci(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.2e", value);
  return text;
}

}  // namespace elec::cli
