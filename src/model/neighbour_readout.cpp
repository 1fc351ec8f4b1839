#include "elec/model/neighbour_readout.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "elec/data/curves.hpp"

namespace elec::model {
namespace {

// Every descriptor z-scored with the training rows' mean and (population) deviation; a constant column is only
// centred, so that it cannot dominate or divide by zero.
void z_score(const Matrix& training, Matrix& a, Matrix& b) {
  for (Eigen::Index c = 0; c < training.cols(); ++c) {
    const double mean = training.col(c).mean();
    const double deviation = std::sqrt((training.col(c).array() - mean).square().mean());
    const double scale = deviation > 0.0 ? deviation : 1.0;
    a.col(c) = (a.col(c).array() - mean) / scale;
    b.col(c) = (b.col(c).array() - mean) / scale;
  }
}

// One query row, one column: the weighted mean of its k nearest donors. `order` holds the donors sorted by
// `distance` (k of them at most).
double weighted_mean(const std::vector<Eigen::Index>& order, const std::vector<double>& distance,
                     const Matrix& endpoints, Eigen::Index column) {
  if (distance[static_cast<std::size_t>(order.front())] == 0.0) {
    double sum = 0.0;
    int count = 0;
    for (Eigen::Index r : order)
      if (distance[static_cast<std::size_t>(r)] == 0.0) sum += endpoints(r, column), ++count;
    return sum / count;
  }
  double sum = 0.0, weights = 0.0;
  for (Eigen::Index r : order) {
    const double w = 1.0 / distance[static_cast<std::size_t>(r)];
    sum += w * endpoints(r, column), weights += w;
  }
  return sum / weights;
}

}  // namespace

std::string readout_name(Readout readout) {
  switch (readout) {
    case Readout::Ensemble:
      return "ensemble";
    case Readout::Neighbours:
      return "neighbours";
    case Readout::Average:
      return "average";
  }
  throw std::invalid_argument("unknown read-out");
}

bool readout_named(const std::string& name, Readout& readout) {
  for (Readout r : {Readout::Ensemble, Readout::Neighbours, Readout::Average})
    if (name == readout_name(r)) {
      readout = r;
      return true;
    }
  return false;
}

Matrix neighbour_predictions(const Matrix& training_descriptors, const Matrix& training_endpoints, const Matrix& query,
                             int k) {
  Matrix train = training_descriptors, ask = query;
  z_score(training_descriptors, train, ask);
  Matrix out = Matrix::Constant(query.rows(), training_endpoints.cols(), std::nan(""));
  std::vector<double> distance(static_cast<std::size_t>(train.rows()));
  std::vector<Eigen::Index> donors;
  for (Eigen::Index i = 0; i < ask.rows(); ++i) {
    for (Eigen::Index r = 0; r < train.rows(); ++r)
      distance[static_cast<std::size_t>(r)] = (train.row(r) - ask.row(i)).norm();
    for (Eigen::Index j = 0; j < training_endpoints.cols(); ++j) {
      donors.clear();
      for (Eigen::Index r = 0; r < train.rows(); ++r)
        if (!std::isnan(training_endpoints(r, j))) donors.push_back(r);
      if (donors.empty()) continue;
      const auto nearest = donors.begin() + std::min<std::ptrdiff_t>(k, static_cast<std::ptrdiff_t>(donors.size()));
      // Ties in distance go to the earlier row, so the result does not depend on the sort's implementation.
      std::partial_sort(donors.begin(), nearest, donors.end(), [&](Eigen::Index a, Eigen::Index b) {
        const double da = distance[static_cast<std::size_t>(a)], db = distance[static_cast<std::size_t>(b)];
        return da < db || (da == db && a < b);
      });
      donors.erase(nearest, donors.end());
      out(i, j) = weighted_mean(donors, distance, training_endpoints, j);
    }
  }
  return out;
}

Matrix read_out(const std::vector<Readout>& by_endpoint, const Matrix& ensemble, const Matrix& neighbours) {
  Matrix out = ensemble;
  for (Eigen::Index j = 0; j < out.cols(); ++j) {
    const Readout readout = by_endpoint[static_cast<std::size_t>(j)];
    if (readout == Readout::Ensemble) continue;
    for (Eigen::Index i = 0; i < out.rows(); ++i) {
      const double near = neighbours(i, j);
      if (std::isnan(near)) continue;
      out(i, j) = readout == Readout::Neighbours ? near : 0.5 * (ensemble(i, j) + near);
    }
  }
  return out;
}

void move_members(const Matrix& from, const Matrix& to, std::vector<double>& members) {
  const auto rows = static_cast<std::size_t>(from.rows()), columns = static_cast<std::size_t>(from.cols());
  for (std::size_t k = 0; k < members.size(); ++k) {
    const auto column = static_cast<Eigen::Index>(k % columns), row = static_cast<Eigen::Index>((k / columns) % rows);
    members[k] += to(row, column) - from(row, column);
  }
}

std::string describe_readouts(const std::vector<Readout>& by_endpoint, int k,
                              const std::vector<std::string>& endpoint_names,
                              const std::vector<data::CurveBlock>& curves) {
  const std::vector<int> groups = data::endpoint_groups(endpoint_names.size(), curves);
  std::map<Readout, std::vector<std::string>> targets;
  for (std::size_t j = 0; j < by_endpoint.size(); ++j) {
    if (j > 0 && groups[j] == groups[j - 1]) continue;  // a curve's later points
    std::string name = endpoint_names[j];
    for (const auto& c : curves)
      if (static_cast<std::size_t>(c.first_endpoint) == j) name = c.name;
    targets[by_endpoint[j]].push_back(name);
  }
  std::string out;
  for (Readout r : {Readout::Neighbours, Readout::Average}) {
    if (targets[r].empty()) continue;
    out += readout_name(r) + (r == Readout::Neighbours ? " (k = " + std::to_string(k) + ")" : "") + " for ";
    for (std::size_t t = 0; t < targets[r].size(); ++t) out += (t ? ", " : "") + targets[r][t];
    out += "; ";
  }
  const std::size_t rest = targets[Readout::Ensemble].size();
  if (out.empty()) return "the ensemble for every target";
  if (rest == 0) return out.substr(0, out.size() - 2);
  return out + "the ensemble for the other " + std::to_string(rest) + (rest == 1 ? " target" : " targets");
}

}  // namespace elec::model
