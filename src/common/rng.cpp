#include "elec/common/rng.hpp"

#include <Random123/philox.h>

#include <cmath>

namespace elec::common {

CounterRng::CounterRng(std::uint64_t seed, Purpose purpose, std::uint64_t index) {
  key_ = {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)};
  counter_ = {0u, static_cast<std::uint32_t>(purpose), static_cast<std::uint32_t>(index),
              static_cast<std::uint32_t>(index >> 32)};
}

void CounterRng::refill() {
  r123::Philox4x32 generator;
  r123::Philox4x32::ctr_type counter = {{counter_[0], counter_[1], counter_[2], counter_[3]}};
  r123::Philox4x32::key_type key = {{key_[0], key_[1]}};
  const auto out = generator(counter, key);
  for (int i = 0; i < 4; ++i) block_[i] = out.v[i];
  ++counter_[0];
  used_ = 0;
}

std::uint32_t CounterRng::next_u32() {
  if (used_ == 4) refill();
  return block_[used_++];
}

double CounterRng::uniform() {
  const std::uint64_t hi = next_u32() >> 5;  // 27 bits
  const std::uint64_t lo = next_u32() >> 6;  // 26 bits
  return static_cast<double>((hi << 26) | lo) * 0x1.0p-53;
}

double CounterRng::normal() {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return spare_normal_;
  }
  double u1 = uniform();
  while (u1 <= 0.0) u1 = uniform();
  const double u2 = uniform();
  const double radius = std::sqrt(-2.0 * std::log(u1));
  const double angle = 2.0 * M_PI * u2;
  spare_normal_ = radius * std::sin(angle);
  has_spare_normal_ = true;
  return radius * std::cos(angle);
}

std::uint64_t CounterRng::below(std::uint64_t n) {
  // Multiply-shift on 53 uniform bits: bias below 2^-20 for the table sizes this program sees.
  return static_cast<std::uint64_t>(uniform() * static_cast<double>(n));
}

void CounterRng::save(std::vector<double>& out) const {
  for (std::uint32_t k : key_) out.push_back(k);
  for (std::uint32_t c : counter_) out.push_back(c);
  for (std::uint32_t b : block_) out.push_back(b);
  out.push_back(used_);
  out.push_back(has_spare_normal_ ? 1.0 : 0.0);
  out.push_back(spare_normal_);
}

void CounterRng::restore(const double* state) {
  for (auto& k : key_) k = static_cast<std::uint32_t>(*state++);
  for (auto& c : counter_) c = static_cast<std::uint32_t>(*state++);
  for (auto& b : block_) b = static_cast<std::uint32_t>(*state++);
  used_ = static_cast<int>(*state++);
  has_spare_normal_ = *state++ != 0.0;
  spare_normal_ = *state;
}

}  // namespace elec::common
