#include "elec/model/member_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace elec::model {

Centre centre_named(const std::string& name) {
  if (name == "mean") return Centre::Mean;
  if (name == "median") return Centre::Median;
  throw std::invalid_argument("ensemble centre \"" + name + "\": expected \"mean\" or \"median\"");
}

namespace {

void member_medians(const std::vector<double>& all, std::size_t members, std::size_t per_member,
                    std::vector<double>& median) {
  std::vector<double> column(members);
  for (std::size_t v = 0; v < per_member; ++v) {
    for (std::size_t m = 0; m < members; ++m) column[m] = all[m * per_member + v];
    const auto middle = column.begin() + static_cast<std::ptrdiff_t>(members / 2);
    std::nth_element(column.begin(), middle, column.end());
    // An even count averages the two middle values; the lower one is the largest of the lower half.
    median[v] = members % 2 ? *middle : 0.5 * (*middle + *std::max_element(column.begin(), middle));
  }
}

}  // namespace

void member_statistics(const std::vector<double>& all, std::size_t members, std::size_t per_member, Centre centre,
                       std::vector<double>& prediction, std::vector<double>& spread) {
  prediction.assign(per_member, 0.0);
  spread.assign(per_member, 0.0);
  if (centre == Centre::Median) {
    member_medians(all, members, per_member, prediction);
  } else {
    for (std::size_t m = 0; m < members; ++m)
      for (std::size_t v = 0; v < per_member; ++v) prediction[v] += all[m * per_member + v];
    for (std::size_t v = 0; v < per_member; ++v) prediction[v] /= static_cast<double>(members);
  }
  for (std::size_t m = 0; m < members; ++m)
    for (std::size_t v = 0; v < per_member; ++v) {
      const double d = all[m * per_member + v] - prediction[v];
      spread[v] += d * d;
    }
  for (std::size_t v = 0; v < per_member; ++v) spread[v] = std::sqrt(spread[v] / static_cast<double>(members));
}

}  // namespace elec::model
