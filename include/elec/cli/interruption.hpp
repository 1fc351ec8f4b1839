#pragma once
// Scheduler signals as a request to stop at the next safe point. While a command that can resume runs (design,
// tune: their journals hold every finished trial; train, cv: cli/checkpointer saves at their safe points),
// SIGTERM, SIGINT, SIGUSR1 and SIGUSR2 only set a flag; at the next safe point the ranks agree on it (any rank's
// signal stops all), stop, and the command exits with status 75 (EX_TEMPFAIL), which job scripts take as "requeue
// and run again with --resume". A second signal while a stop is pending ends the process at once (the signal's
// default action). Commands without safe points (impute, predict, ...) never install the handlers: a signal still
// ends them at once.
#include <string>

#include "elec/cli/command.hpp"
#include "elec/opt/trial_loop.hpp"

namespace elec::cli {

inline constexpr int kInterruptedStatus = 75;

// Installs the flag-only handlers for its lifetime and restores the previous actions after.
class InterruptionScope {
 public:
  InterruptionScope();
  ~InterruptionScope();
  InterruptionScope(const InterruptionScope&) = delete;
  InterruptionScope& operator=(const InterruptionScope&) = delete;
};

// The first signal received inside a scope (e.g. "SIGUSR1"), or "" when none was.
std::string received_signal();

// The search's stop check: true on every rank when any rank received a signal (collective: call it on all ranks).
opt::StopCheck stop_on_signal(const RunContext& context);

// Rank 0 says what was kept (`journal`: the command's journal, always given) and how to go on; returns
// kInterruptedStatus.
int report_interruption(const RunContext& context, const std::string& command, const opt::Interrupted& stop,
                        const std::string& journal);

}  // namespace elec::cli
