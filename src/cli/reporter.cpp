#include "elec/cli/reporter.hpp"

#include <algorithm>
#include <cmath>
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

model::PassObserver Reporter::pass_observer() const {
  return [this](const model::PassRecord& r) {
    const int max_passes = pass_limit_;
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

model::ScoreObserver Reporter::score_observer() const {
  return [this](const model::ValidationPoint& p) {
    if (p.passes == 0 && p.epochs % 100 != 0) return;
    line("selecting: " + std::to_string(p.epochs) + " epochs + " + std::to_string(p.passes) +
         " passes  held-out RMSE " + format_fixed(p.rmse, 4) + "  elapsed " + format_fixed(elapsed_seconds(), 1) +
         " s");
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

model::MemberRange CommDistribution::owned(std::size_t members) const {
  const par::Range r = par::owned_range(members, comm_.size(), comm_.rank());
  return {r.begin, r.end};
}

std::vector<double> CommDistribution::gather(const std::vector<double>& owned_values, std::size_t members,
                                             std::size_t per_member) const {
  return comm_.allgather_items(owned_values, members, per_member);
}

std::string describe_selection(const model::ScheduleSelection& s) {
  if (s.initial.empty()) return "schedule: no cell could be held out; using the configured epochs and passes";
  auto rmse_of = [](const std::vector<model::ValidationPoint>& points, int epochs, int passes) {
    for (const auto& p : points)
      if (p.epochs == epochs && p.passes == passes) return p.rmse;
    return std::nan("");
  };
  const double initial = rmse_of(s.initial, s.chosen.epochs, 0);
  std::string text = "schedule: " + std::to_string(s.chosen.epochs) + " initial epochs (held-out RMSE " +
                     format_fixed(initial, 4) + " std units, best of " + std::to_string(s.initial.size()) +
                     " checkpoints up to " + std::to_string(s.initial.back().epochs) + ")";
  if (!s.passes.empty())
    text += ", " + std::to_string(s.chosen.passes) + " passes of " + std::to_string(s.chosen.pass_epochs) +
            " epochs (RMSE " + format_fixed(rmse_of(s.passes, s.chosen.epochs, s.chosen.passes), 4) + ")";
  if (!s.chosen.l2_by_endpoint.empty()) {
    // How many endpoint columns (a curve counts each of its points) took each candidate.
    const auto& l2 = s.chosen.l2_by_endpoint;
    const auto& input = s.chosen.input_penalty_by_endpoint;
    text += ", L2 per target:";
    for (std::size_t c = 0; c < s.l2_candidates.size(); ++c) {
      long columns = 0;
      for (std::size_t j = 0; j < l2.size(); ++j)
        columns += l2[j] == s.l2_candidates[c] && (input.empty() || input[j] == s.input_penalty_candidates[c]);
      if (columns == 0) continue;
      text += " " + format_sci(s.l2_candidates[c]);
      if (!input.empty() && s.input_penalty_candidates[c] > 0.0)
        text += " + input " + format_sci(s.input_penalty_candidates[c]);
      text += " (" + std::to_string(columns) + " columns)";
    }
  }
  if (!s.chosen.input_dropout_by_endpoint.empty()) {
    text += ", input dropout per target:";
    for (const double rate : s.input_dropout_candidates) {
      const auto& chosen = s.chosen.input_dropout_by_endpoint;
      const long columns = std::count(chosen.begin(), chosen.end(), rate);
      if (columns > 0) text += " " + format_fixed(rate, 2) + " (" + std::to_string(columns) + " columns)";
    }
  }
  return text + "; scored on " + std::to_string(s.held_out_cells) + " held-out cells (" + std::to_string(s.draws) +
         (s.draws == 1 ? " draw" : " draws") + ") with " + std::to_string(s.members) + " members";
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
