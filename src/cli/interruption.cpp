#include "elec/cli/interruption.hpp"

#include <atomic>
#include <csignal>
#include <iostream>

namespace elec::cli {
namespace {

constexpr int kSignals[] = {SIGTERM, SIGINT, SIGUSR1, SIGUSR2};
std::atomic<int> first_signal{0};
struct sigaction previous[sizeof kSignals / sizeof kSignals[0]];

extern "C" void note_signal(int number) {
  int none = 0;
  if (first_signal.compare_exchange_strong(none, number)) return;
  // Asked twice: the user or the scheduler means it.
  std::signal(number, SIG_DFL);
  std::raise(number);
}

const char* name_of(int number) {
  switch (number) {
    case SIGTERM:
      return "SIGTERM";
    case SIGINT:
      return "SIGINT";
    case SIGUSR1:
      return "SIGUSR1";
    case SIGUSR2:
      return "SIGUSR2";
    default:
      return "a signal";
  }
}

}  // namespace

InterruptionScope::InterruptionScope() {
  first_signal = 0;
  struct sigaction action {};
  action.sa_handler = note_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // a write or wait under way completes; the flag is read at the next safe point
  for (std::size_t k = 0; k < std::size(kSignals); ++k) sigaction(kSignals[k], &action, &previous[k]);
}

InterruptionScope::~InterruptionScope() {
  for (std::size_t k = 0; k < std::size(kSignals); ++k) sigaction(kSignals[k], &previous[k], nullptr);
}

std::string received_signal() {
  const int number = first_signal.load();
  return number == 0 ? std::string() : name_of(number);
}

opt::StopCheck stop_on_signal(const RunContext& context) {
  return [&context] { return context.comm.any(first_signal.load() != 0); };
}

int report_interruption(const RunContext& context, const std::string& command, const opt::Interrupted& stop,
                        const std::string& journal) {
  if (!context.comm.is_root()) return kInterruptedStatus;
  const std::string received = received_signal();
  std::cerr << "elec_hpc " << command << ": stopped by " << (received.empty() ? "a signal on another rank" : received)
            << " after " << stop.finished << " of " << stop.total << " trials; no output was written.\n"
            << "elec_hpc " << command << ": every finished trial is in " << journal
            << "; run the same command with --resume to continue (exit status " << kInterruptedStatus
            << " = interrupted, resumable)\n";
  return kInterruptedStatus;
}

}  // namespace elec::cli
