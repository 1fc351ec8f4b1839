#include "elec/cli/outputs.hpp"

#include <iostream>

namespace elec::cli {

void on_root_agreed(const RunContext& context, const std::function<void()>& action) {
  std::string failure;
  if (context.comm.is_root()) {
    try {
      action();
    } catch (const common::OutputError& e) {
      failure = e.what();
    }
  }
  const std::string first = context.comm.first_failure(failure);
  if (!first.empty()) throw common::OutputError(first);
}

void write_on_root(const RunContext& context, const std::vector<common::PendingOutput>& outputs) {
  on_root_agreed(context, [&] { common::write_atomically(outputs); });
}

opt::TrialJournal study_journal(const RunContext& context, const std::string& path, const opt::JournalLayout& layout,
                                const opt::JournalContents& contents) {
  if (context.comm.is_root())
    for (const auto& warning : contents.warnings) std::cerr << "elec_hpc: warning: " << warning << "\n";
  if (contents.needs_repair) on_root_agreed(context, [&] { opt::rewrite_journal(path, layout, contents.entries); });
  return {path, contents.entries, [&context, path, layout](const opt::JournalEntry& entry) {
            on_root_agreed(context, [&] { opt::append_to_journal(path, layout, entry); });
          }};
}

io::Provenance provenance(const RunContext& context) {
  return {context.command_line, context.comm.size(), context.threads};
}

}  // namespace elec::cli
