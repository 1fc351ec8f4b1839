#include "elec/data/diagnostics.hpp"

namespace elec::data {
namespace {

// A message quotes what it found; a 10 MB field must not become a 10 MB message. The end is kept too, since it
// says what was expected.
constexpr std::size_t kMessageHead = 240, kMessageTail = 120;
// Past this many problems the rest are counted, not listed: the first ones are what to fix first, and ten thousand
// lines of the same mistake hide everything else.
constexpr std::size_t kProblemsListed = 100;

std::string shortened(std::string message) {
  if (message.size() <= kMessageHead + kMessageTail + 64) return message;
  // Cut on UTF-8 character boundaries so the message stays valid text.
  std::size_t head = kMessageHead, tail = message.size() - kMessageTail;
  while (head > 0 && (static_cast<unsigned char>(message[head]) & 0xC0) == 0x80) --head;
  while (tail < message.size() && (static_cast<unsigned char>(message[tail]) & 0xC0) == 0x80) ++tail;
  std::size_t omitted = 0;  // characters, not bytes
  for (std::size_t k = head; k < tail; ++k) omitted += (static_cast<unsigned char>(message[k]) & 0xC0) != 0x80;
  return message.substr(0, head) + " [... " + std::to_string(omitted) + " characters omitted ...] " +
         message.substr(tail);
}

}  // namespace

std::string Problem::format() const {
  std::string out = where.file;
  if (where.line > 0) out += ":" + std::to_string(where.line);
  if (where.column > 0) out += ":" + std::to_string(where.column);
  return out + ": " + message;
}

void Diagnostics::add(SourcePosition where, std::string message) {
  if (where.file.size() > kMessageHead) where.file = shortened(std::move(where.file));
  problems_.push_back({std::move(where), shortened(std::move(message))});
}

void Diagnostics::append(const Diagnostics& other) {
  problems_.insert(problems_.end(), other.problems_.begin(), other.problems_.end());
}

std::string Diagnostics::format() const {
  std::string out;
  for (std::size_t k = 0; k < problems_.size() && k < kProblemsListed; ++k) out += problems_[k].format() + "\n";
  if (problems_.size() > kProblemsListed)
    out += "... and " + std::to_string(problems_.size() - kProblemsListed) + " more problems (" +
           std::to_string(problems_.size()) + " in all; the first " + std::to_string(kProblemsListed) +
           " are listed)\n";
  return out;
}

void Diagnostics::throw_if_any() const {
  if (!problems_.empty()) throw InputError(format());
}

}  // namespace elec::data
