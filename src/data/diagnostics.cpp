#include "elec/data/diagnostics.hpp"

namespace elec::data {

std::string Problem::format() const {
  std::string out = where.file;
  if (where.line > 0) out += ":" + std::to_string(where.line);
  if (where.column > 0) out += ":" + std::to_string(where.column);
  return out + ": " + message;
}

void Diagnostics::add(SourcePosition where, std::string message) {
  problems_.push_back({std::move(where), std::move(message)});
}

void Diagnostics::append(const Diagnostics& other) {
  problems_.insert(problems_.end(), other.problems_.begin(), other.problems_.end());
}

std::string Diagnostics::format() const {
  std::string out;
  for (const auto& p : problems_) out += p.format() + "\n";
  return out;
}

void Diagnostics::throw_if_any() const {
  if (!problems_.empty()) throw InputError(format());
}

}  // namespace elec::data
