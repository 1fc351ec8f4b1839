#pragma once
// Reducing the members' values of each cell to the ensemble's prediction and its spread.
#include <cstddef>
#include <string>
#include <vector>

namespace elec::model {

// How the ensemble's prediction is read from its members' values: their mean (the paper's), or their median, which
// a few members extrapolating far from the others on a new cell cannot drag away (docs/defaults.md). The spread is
// the members' root-mean-square deviation from it (for the mean: their standard deviation).
enum class Centre { Mean, Median };
// "mean" | "median", the values of [model] centre (validated when the study is read).
Centre centre_named(const std::string& name);

// The centre (mean or median) and the root-mean-square deviation from it over members of per-member values
// (members x per_member), summed in member order.
void member_statistics(const std::vector<double>& all, std::size_t members, std::size_t per_member, Centre centre,
                       std::vector<double>& prediction, std::vector<double>& spread);

}  // namespace elec::model
