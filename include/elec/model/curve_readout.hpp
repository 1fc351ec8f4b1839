#pragma once
// Reading predicted curves: a functional endpoint's block of per-point predictions, for every member, turned into
// curves on any abscissa grid and into derived scalars (D30, cycle at 50% of the maximum, ...). Everything is
// computed member by member and only then reduced to a mean and a spread, so derived scalars carry the ensemble's
// uncertainty (and its skew: the per-member values are kept).
#include <vector>

#include "elec/data/curves.hpp"
#include "elec/data/matrix.hpp"
#include "elec/data/schema.hpp"
#include "elec/model/member_statistics.hpp"

namespace elec::model {

// Every member's prediction of every cell: members x rows x endpoints, in data units.
struct MemberValues {
  const std::vector<double>& values;
  std::size_t members = 0, rows = 0, endpoints = 0;
  Centre centre = Centre::Mean;  // how mean and spread of MemberSpread are read from the members
  double at(std::size_t member, std::size_t row, std::size_t endpoint) const {
    return values[(member * rows + row) * endpoints + endpoint];
  }
};

// A quantity per member and cell (members x rows x count), reduced over members.
struct MemberSpread {
  std::vector<double> members;  // members x rows x count
  Matrix mean, spread;          // rows x count: the members' centre and their root-mean-square deviation from it
};

// One curve at `abscissa` values: linear interpolation between the grid's points (clamped at its ends).
double curve_value(const std::vector<double>& grid, const double* values, double abscissa);

// A derived scalar of one curve (grid values): value_at -> curve_value; crossing -> the first abscissa where the
// curve falls below fraction x its maximum, interpolated between grid points; a curve that never falls that low
// gives the grid's last abscissa (censored: "not before the end of the data").
double derived_value(const data::DerivedSpec& derived, const std::vector<double>& grid, const double* values);

// The curve of block `curve` for every member and cell on `abscissa` values.
MemberSpread curve_on(const MemberValues& all, const data::CurveBlock& curve, const std::vector<double>& abscissa);

// Every derived scalar for every member and cell.
MemberSpread derived_scalars(const MemberValues& all, const std::vector<data::CurveBlock>& curves,
                             const std::vector<data::DerivedSpec>& derived);

}  // namespace elec::model
