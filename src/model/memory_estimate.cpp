#include "elec/model/memory_estimate.hpp"

#include <cmath>
#include <cstdio>

namespace elec::model {
namespace {

double parameters(const NetworkShape& s) {
  const double hidden = static_cast<double>(s.hidden_total());
  return static_cast<double>(s.inputs()) * hidden + 2.0 * hidden + s.endpoints;
}

double owned_members(const RunSize& size) {
  return std::ceil(static_cast<double>(size.members) / std::max(1, size.ranks));
}

// Per thread: the member's rows of inputs (twice, with dropout), its activations and their gradients, and one set
// of weight gradients.
double workspace(const RunSize& size, double scalar) {
  const double rows = static_cast<double>(size.rows), hidden = size.shape.hidden_total();
  return size.threads * scalar *
         (2.0 * rows * size.shape.inputs() + 2.0 * rows * hidden + 3.0 * rows * size.shape.endpoints +
          parameters(size.shape));
}

// Every member's value of every cell (gathered once for the read-out) and the table in double precision.
void add_shared_parts(const RunSize& size, MemoryEstimate& e) {
  const double rows = static_cast<double>(size.rows), members = static_cast<double>(size.members);
  e.parts.push_back({"every member's weights, gathered", 2.0 * members * parameters(size.shape) * 8.0});
  e.parts.push_back({"read-out of every cell by every member", members * rows * size.shape.endpoints * 8.0});
  e.parts.push_back({"the table and its imputed copies", 6.0 * rows * size.shape.inputs() * 8.0});
}

}  // namespace

double MemoryEstimate::total() const {
  double sum = 0.0;
  for (const auto& p : parts) sum += p.bytes;
  return sum;
}

std::string MemoryEstimate::describe() const {
  std::string text = format_bytes(total()) + " (";
  for (std::size_t k = 0; k < parts.size(); ++k)
    text += (k ? ", " : "") + parts[k].what + " " + format_bytes(parts[k].bytes);
  return text + ")";
}

MemoryEstimate training_memory(const RunSize& size) {
  const double scalar = size.float32 ? 4.0 : 8.0;
  MemoryEstimate e;
  // Weights, Adam's two moments, and the double-precision copy kept for gathering.
  e.parts.push_back({"owned members' weights and optimiser state",
                     owned_members(size) * parameters(size.shape) * (3.0 * scalar + 8.0)});
  e.parts.push_back({"per-thread workspaces", workspace(size, scalar)});
  add_shared_parts(size, e);
  return e;
}

MemoryEstimate prediction_memory(const RunSize& size) {
  const double scalar = size.float32 ? 4.0 : 8.0;
  MemoryEstimate e;
  e.parts.push_back({"owned members' weights", owned_members(size) * parameters(size.shape) * (scalar + 8.0)});
  e.parts.push_back({"per-thread workspaces", workspace(size, scalar)});
  add_shared_parts(size, e);
  // Each curve on the requested grid, per member (for derived scalars and --members), plus mean and spread.
  e.parts.push_back(
      {"curves on the requested grid", (static_cast<double>(size.members) + 2.0) * static_cast<double>(size.rows) *
                                           static_cast<double>(size.curve_points) * 8.0});
  return e;
}

std::string memory_refusal(const MemoryEstimate& estimate, double limit_bytes, const std::string& limit_source) {
  if (estimate.total() <= limit_bytes) return "";
  return "estimated memory per rank " + estimate.describe() + " exceeds the limit of " + format_bytes(limit_bytes) +
         " per rank (" + limit_source +
         "); expected a smaller job: fewer members or columns, more ranks or nodes, "
         "or a shorter --grid";
}

std::string format_bytes(double bytes) {
  static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  int unit = 0;
  while (bytes >= 1024.0 && unit < 5) bytes /= 1024.0, ++unit;
  char text[64];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", bytes, units[unit]);
  return text;
}

}  // namespace elec::model
