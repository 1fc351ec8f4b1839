#include "elec/cli/outputs.hpp"

namespace elec::cli {

void on_root_agreed(const RunContext& context, const std::function<void()>& action) {
  std::string failure;
  if (context.comm.is_root()) {
    try {
      action();
    } catch (const io::OutputError& e) {
      failure = e.what();
    }
  }
  const std::string first = context.comm.first_failure(failure);
  if (!first.empty()) throw io::OutputError(first);
}

void write_on_root(const RunContext& context, const std::vector<io::PendingOutput>& outputs) {
  on_root_agreed(context, [&] { io::write_atomically(outputs); });
}

io::Provenance provenance(const RunContext& context) {
  return {context.command_line, context.comm.size(), context.threads};
}

}  // namespace elec::cli
