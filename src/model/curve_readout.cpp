#include "elec/model/curve_readout.hpp"

#include <algorithm>
#include <cmath>

namespace elec::model {
namespace {

// Centre and spread over members (model::member_statistics, as for every other prediction).
MemberSpread reduce(std::vector<double> per_member, std::size_t members, std::size_t rows, std::size_t count,
                    Centre centre) {
  std::vector<double> mean, spread;
  member_statistics(per_member, members, rows * count, centre, mean, spread);
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const auto r = static_cast<Eigen::Index>(rows), c = static_cast<Eigen::Index>(count);
  MemberSpread out;
  out.mean = Eigen::Map<const RowMajor>(mean.data(), r, c);
  out.spread = Eigen::Map<const RowMajor>(spread.data(), r, c);
  out.members = std::move(per_member);
  return out;
}

// One member's curve for one cell, gathered from its block of endpoints.
void gather_curve(const MemberValues& all, const data::CurveBlock& curve, std::size_t m, std::size_t r,
                  std::vector<double>& values) {
  values.resize(static_cast<std::size_t>(curve.points()));
  for (int k = 0; k < curve.points(); ++k) values[k] = all.at(m, r, static_cast<std::size_t>(curve.first_endpoint + k));
}

}  // namespace

double curve_value(const std::vector<double>& grid, const double* values, double abscissa) {
  if (abscissa <= grid.front()) return values[0];
  if (abscissa >= grid.back()) return values[grid.size() - 1];
  const std::size_t after =
      static_cast<std::size_t>(std::upper_bound(grid.begin(), grid.end(), abscissa) - grid.begin());
  const double t = (abscissa - grid[after - 1]) / (grid[after] - grid[after - 1]);
  return values[after - 1] + t * (values[after] - values[after - 1]);
}

double derived_value(const data::DerivedSpec& derived, const std::vector<double>& grid, const double* values) {
  if (derived.kind == data::DerivedKind::ValueAt) return curve_value(grid, values, derived.at);
  const double threshold = derived.fraction * *std::max_element(values, values + grid.size());
  // Falling below the threshold only counts after the maximum: a curve that starts low and rises has not faded.
  const std::size_t peak = static_cast<std::size_t>(std::max_element(values, values + grid.size()) - values);
  for (std::size_t k = peak + 1; k < grid.size(); ++k)
    if (values[k] < threshold) {
      const double t = (values[k - 1] - threshold) / (values[k - 1] - values[k]);
      return grid[k - 1] + t * (grid[k] - grid[k - 1]);
    }
  return grid.back();
}

MemberSpread curve_on(const MemberValues& all, const data::CurveBlock& curve, const std::vector<double>& abscissa) {
  std::vector<double> out(all.members * all.rows * abscissa.size()), values;
  for (std::size_t m = 0; m < all.members; ++m)
    for (std::size_t r = 0; r < all.rows; ++r) {
      gather_curve(all, curve, m, r, values);
      for (std::size_t k = 0; k < abscissa.size(); ++k)
        out[(m * all.rows + r) * abscissa.size() + k] = curve_value(curve.grid, values.data(), abscissa[k]);
    }
  return reduce(std::move(out), all.members, all.rows, abscissa.size(), all.centre);
}

MemberSpread derived_scalars(const MemberValues& all, const std::vector<data::CurveBlock>& curves,
                             const std::vector<data::DerivedSpec>& derived) {
  std::vector<double> out(all.members * all.rows * derived.size()), values;
  for (std::size_t d = 0; d < derived.size(); ++d) {
    const auto curve = std::find_if(curves.begin(), curves.end(),
                                    [&](const data::CurveBlock& c) { return c.name == derived[d].from; });
    for (std::size_t m = 0; m < all.members; ++m)
      for (std::size_t r = 0; r < all.rows; ++r) {
        gather_curve(all, *curve, m, r, values);
        out[(m * all.rows + r) * derived.size() + d] = derived_value(derived[d], curve->grid, values.data());
      }
  }
  return reduce(std::move(out), all.members, all.rows, derived.size(), all.centre);
}

}  // namespace elec::model
