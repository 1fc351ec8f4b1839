#include "snapshot_edits.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace elec::fuzz {
namespace {

// Keeps every written file small, so that an input costs milliseconds whatever the edits ask for.
constexpr std::size_t kMaxElements = std::size_t{1} << 16;
constexpr std::size_t kMaxRank = 6;

enum class Edit {
  Resize,       // cut the first dimension short or extend it (padding with a copy or a special value)
  Reshape,      // same values, other dims: flattened, a leading or trailing 1, reversed
  SetElement,   // one value becomes NaN, inf, 0, negative, huge, ... (a text: a wrong or truncated string)
  SetAll,       // every value the same special value
  Swap,         // two elements trade places (e.g. two column names)
  ChangeType,   // stored as another type (double as int64, numbers as text, ...)
  Remove,       // the dataset or attribute is missing
  RemoveGroup,  // a whole group is missing
  kMaxValue = RemoveGroup
};

double special_real(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange(0, 12)) {
    case 0:
      return std::numeric_limits<double>::quiet_NaN();
    case 1:
      return std::numeric_limits<double>::infinity();
    case 2:
      return -std::numeric_limits<double>::infinity();
    case 3:
      return 0.0;
    case 4:
      return -1.0;
    case 5:
      return 1e308;
    case 6:
      return -1e308;
    case 7:
      return 2147483648.0;  // one past INT_MAX: a count that overflows int
    case 8:
      return 9.3e18;  // past INT64_MAX
    case 9:
      return 4.9e-324;  // smallest subnormal: a "positive" scale that divides to inf
    case 10:
      return 0.5;  // not an integer where a count is expected
    case 11:
      return 1e6;
    default:
      return in.ConsumeFloatingPoint<double>();
  }
}

std::int64_t special_integer(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange(0, 9)) {
    case 0:
      return 0;
    case 1:
      return -1;
    case 2:
      return 1;
    case 3:
      return 2;
    case 4:
      return std::numeric_limits<std::int32_t>::max();
    case 5:
      return std::int64_t{std::numeric_limits<std::int32_t>::max()} + 1;
    case 6:
      return std::numeric_limits<std::int64_t>::max();
    case 7:
      return std::numeric_limits<std::int64_t>::min();
    case 8:
      return std::int64_t{1} << 20;
    default:
      return in.ConsumeIntegral<std::int64_t>();
  }
}

std::string special_text(FuzzedDataProvider& in, const StoredObject& o) {
  // Words the model format gives meaning to: roles, kinds, derived kinds, precisions, format names.
  static const char* const kWords[] = {
      "",           "id",       "descriptor", "endpoint", "ignore",  "numeric",        "categorical",
      "functional", "value_at", "crossing",   "float32",  "float64", "elec_hpc model", "elec_hpc predictions"};
  switch (in.ConsumeIntegralInRange(0, 4)) {
    case 0:
      return kWords[in.ConsumeIntegralInRange<std::size_t>(0, std::size(kWords) - 1)];
    case 1:  // another element of the same dataset: duplicate names
      return o.texts.empty() ? std::string() : o.texts[in.ConsumeIntegralInRange<std::size_t>(0, o.texts.size() - 1)];
    case 2: {  // an element cut short
      if (o.texts.empty()) return std::string();
      const std::string& text = o.texts[in.ConsumeIntegralInRange<std::size_t>(0, o.texts.size() - 1)];
      return text.substr(0, in.ConsumeIntegralInRange<std::size_t>(0, text.size()));
    }
    case 3:
      return std::string(in.ConsumeIntegralInRange<std::size_t>(0, 100000), 'x');
    default:
      return in.ConsumeRandomLengthString(256);
  }
}

// Saturating conversions between the stored types (a real NaN becomes 0: there is no integer NaN).
std::int64_t to_integer(double value, StoredType type) {
  const double lo = type == StoredType::UInt8 ? 0.0 : -9.2e18, hi = type == StoredType::UInt8 ? 255.0 : 9.2e18;
  if (std::isnan(value)) return 0;
  return static_cast<std::int64_t>(std::clamp(value, lo, hi));
}
double to_float32_range(double value) {
  const double most = std::numeric_limits<float>::max();
  return std::isfinite(value) ? std::clamp(value, -most, most) : value;
}

void set_element(StoredObject& o, std::size_t k, FuzzedDataProvider& in) {
  switch (o.type) {
    case StoredType::Float64:
      o.reals[k] = special_real(in);
      break;
    case StoredType::Float32:
      o.reals[k] = to_float32_range(special_real(in));
      break;
    case StoredType::Int64:
      o.integers[k] = special_integer(in);
      break;
    case StoredType::UInt8:
      o.integers[k] = static_cast<std::uint8_t>(special_integer(in));
      break;
    case StoredType::Text:
      o.texts[k] = special_text(in, o);
      break;
  }
}

// New elements repeat the last one (a plausibly padded dataset) or are one special value.
void resize_elements(StoredObject& o, std::size_t n, FuzzedDataProvider& in) {
  const bool copy_last = o.count() > 0 && in.ConsumeBool();
  switch (o.type) {
    case StoredType::Float64:
    case StoredType::Float32: {
      double pad = copy_last ? o.reals.back() : special_real(in);
      if (o.type == StoredType::Float32) pad = to_float32_range(pad);
      o.reals.resize(n, pad);
      break;
    }
    case StoredType::Int64:
    case StoredType::UInt8: {
      std::int64_t pad = copy_last ? o.integers.back() : special_integer(in);
      if (o.type == StoredType::UInt8) pad = static_cast<std::uint8_t>(pad);
      o.integers.resize(n, pad);
      break;
    }
    case StoredType::Text: {
      const std::string pad = copy_last ? o.texts.back() : special_text(in, o);
      o.texts.resize(n, pad);
      break;
    }
  }
}

void resize(StoredObject& o, FuzzedDataProvider& in) {
  if (o.attribute) return;  // attributes are scalars
  const std::size_t first = o.dims[0];
  std::size_t rest = 1;
  for (std::size_t d = 1; d < o.dims.size(); ++d) rest *= o.dims[d];
  std::size_t wanted = 0;
  switch (in.ConsumeIntegralInRange(0, 4)) {
    case 0:
      wanted = 0;
      break;
    case 1:
      wanted = first > 0 ? first - 1 : 1;
      break;
    case 2:
      wanted = first + 1;
      break;
    case 3:
      wanted = 2 * first + 1;
      break;
    default:
      wanted = in.ConsumeIntegralInRange<std::size_t>(0, 64);
      break;
  }
  if (rest > 0) wanted = std::min(wanted, kMaxElements / rest);
  o.dims[0] = wanted;
  resize_elements(o, wanted * rest, in);
}

void reshape(StoredObject& o, FuzzedDataProvider& in) {
  if (o.attribute || o.type == StoredType::Text) return;  // string datasets are written 1-D
  switch (in.ConsumeIntegralInRange(0, 3)) {
    case 0:
      o.dims = {o.count()};
      break;
    case 1:
      if (o.dims.size() < kMaxRank) o.dims.insert(o.dims.begin(), 1);
      break;
    case 2:
      if (o.dims.size() < kMaxRank) o.dims.push_back(1);
      break;
    default:
      std::reverse(o.dims.begin(), o.dims.end());
      break;
  }
}

void swap_elements(StoredObject& o, FuzzedDataProvider& in) {
  const std::size_t n = o.count();
  if (n < 2) return;
  const std::size_t a = in.ConsumeIntegralInRange<std::size_t>(0, n - 1),
                    b = in.ConsumeIntegralInRange<std::size_t>(0, n - 1);
  if (!o.reals.empty()) std::swap(o.reals[a], o.reals[b]);
  if (!o.integers.empty()) std::swap(o.integers[a], o.integers[b]);
  if (!o.texts.empty()) std::swap(o.texts[a], o.texts[b]);
}

void change_type(StoredObject& o, FuzzedDataProvider& in) {
  StoredType to = in.PickValueInArray(
      {StoredType::Float64, StoredType::Float32, StoredType::Int64, StoredType::UInt8, StoredType::Text});
  if (o.attribute && to == StoredType::Float32) to = StoredType::Float64;  // attributes: double, int64 or text
  if (o.attribute && to == StoredType::UInt8) to = StoredType::Int64;
  if (to == o.type) return;
  // Through double, the one type every other converts to and from.
  std::vector<double> values;
  if (o.type == StoredType::Text)
    for (const auto& text : o.texts) values.push_back(std::strtod(text.c_str(), nullptr));
  else if (o.type == StoredType::Float64 || o.type == StoredType::Float32)
    values = o.reals;
  else
    values.assign(o.integers.begin(), o.integers.end());
  o.reals.clear(), o.integers.clear(), o.texts.clear();
  for (double v : values) {
    switch (to) {
      case StoredType::Float64:
        o.reals.push_back(v);
        break;
      case StoredType::Float32:
        o.reals.push_back(to_float32_range(v));
        break;
      case StoredType::Int64:
      case StoredType::UInt8:
        o.integers.push_back(to_integer(v, to));
        break;
      case StoredType::Text:
        o.texts.push_back(std::to_string(v));
        break;
    }
  }
  o.type = to;
  if (to == StoredType::Text && !o.attribute) o.dims = {o.texts.size()};
}

void remove_group(Snapshot& s, FuzzedDataProvider& in) {
  if (s.groups.size() < 2) return;
  const std::string gone = s.groups[in.ConsumeIntegralInRange<std::size_t>(1, s.groups.size() - 1)];
  const auto inside = [&](const std::string& path) { return path == gone || path.rfind(gone + "/", 0) == 0; };
  s.groups.erase(std::remove_if(s.groups.begin(), s.groups.end(), inside), s.groups.end());
  s.objects.erase(
      std::remove_if(s.objects.begin(), s.objects.end(), [&](const StoredObject& o) { return inside(o.group); }),
      s.objects.end());
}

void apply_edit(Snapshot& s, FuzzedDataProvider& in) {
  const Edit edit = in.ConsumeEnum<Edit>();
  if (edit == Edit::RemoveGroup) return remove_group(s, in);
  if (s.objects.empty()) return;
  const std::size_t index = in.ConsumeIntegralInRange<std::size_t>(0, s.objects.size() - 1);
  StoredObject& o = s.objects[index];
  switch (edit) {
    case Edit::Resize:
      resize(o, in);
      break;
    case Edit::Reshape:
      reshape(o, in);
      break;
    case Edit::SetElement:
      if (o.count() > 0) set_element(o, in.ConsumeIntegralInRange<std::size_t>(0, o.count() - 1), in);
      break;
    case Edit::SetAll:
      if (o.count() > 0) {
        set_element(o, 0, in);
        for (std::size_t k = 1; k < o.count(); ++k) {
          if (!o.reals.empty()) o.reals[k] = o.reals[0];
          if (!o.integers.empty()) o.integers[k] = o.integers[0];
          if (!o.texts.empty()) o.texts[k] = o.texts[0];
        }
      }
      break;
    case Edit::Swap:
      swap_elements(o, in);
      break;
    case Edit::ChangeType:
      change_type(o, in);
      break;
    case Edit::Remove:
      s.objects.erase(s.objects.begin() + static_cast<std::ptrdiff_t>(index));
      break;
    case Edit::RemoveGroup:
      break;
  }
}

}  // namespace

void apply_edits(Snapshot& snapshot, FuzzedDataProvider& input) {
  const int edits = input.ConsumeIntegralInRange(1, 4);
  for (int k = 0; k < edits && input.remaining_bytes() > 0; ++k) apply_edit(snapshot, input);
}

}  // namespace elec::fuzz
