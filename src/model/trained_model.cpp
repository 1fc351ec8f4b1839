#include "elec/model/trained_model.hpp"

#include <cstdio>
#include <cstring>

#include "elec/data/hash.hpp"

namespace elec::model {

std::uint64_t checksum(const std::vector<NetworkParams<double>>& members) {
  data::Fnv1a hash;
  for (const auto& p : members)
    p.for_each_block(
        [&](const double* x, Eigen::Index n) { hash.add(x, static_cast<std::size_t>(n) * sizeof(double)); });
  return hash.value();
}

std::string checksum_hex(std::uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

template <class T>
NetworkParams<double> to_double(const NetworkParams<T>& p) {
  return {p.W1.template cast<double>(), p.b1.template cast<double>(), p.w2.template cast<double>(),
          p.b2.template cast<double>()};
}

template <class T>
NetworkParams<T> from_double(const NetworkParams<double>& p) {
  return {p.W1.template cast<T>(), p.b1.template cast<T>(), p.w2.template cast<T>(), p.b2.template cast<T>()};
}

template NetworkParams<double> to_double(const NetworkParams<float>&);
template NetworkParams<double> to_double(const NetworkParams<double>&);
template NetworkParams<float> from_double(const NetworkParams<double>&);
template NetworkParams<double> from_double(const NetworkParams<double>&);

}  // namespace elec::model
