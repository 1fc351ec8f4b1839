#pragma once
// 64-bit FNV-1a: the one hash behind model checksums, study fingerprints and journal record checksums. Not a
// cryptographic hash: it tells damaged or different data from the same data, not a forgery from the real thing.
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace elec::data {

class Fnv1a {
 public:
  Fnv1a& add(const void* data, std::size_t bytes) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < bytes; ++i) hash_ = (hash_ ^ p[i]) * 1099511628211ULL;
    return *this;
  }
  // Text is added with its length, so ("ab", "c") and ("a", "bc") differ.
  Fnv1a& add(std::string_view text) {
    const std::uint64_t length = text.size();
    return add(&length, sizeof length).add(text.data(), text.size());
  }
  std::uint64_t value() const { return hash_; }
  std::string hex() const {
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash_));
    return text;
  }

 private:
  std::uint64_t hash_ = 14695981039346656037ULL;
};

}  // namespace elec::data
