#include "elec/model/readout.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "elec/data/curves.hpp"

namespace elec::model {
namespace {

// Every descriptor z-scored with the donors' mean and (population) deviation; a constant column is only centred,
// so that it cannot dominate or divide by zero.
void z_score(const Matrix& donors, Matrix& a, Matrix& b) {
  for (Eigen::Index c = 0; c < donors.cols(); ++c) {
    const double mean = donors.col(c).mean();
    const double deviation = std::sqrt((donors.col(c).array() - mean).square().mean());
    const double scale = deviation > 0.0 ? deviation : 1.0;
    a.col(c) = (a.col(c).array() - mean) / scale;
    b.col(c) = (b.col(c).array() - mean) / scale;
  }
}

// The weighted mean of the k donors nearest to `point` (ties in distance go to the earlier donor, so the result
// does not depend on the sort's implementation).
double nearest_mean(const Matrix& donors, const Vector& values, const Eigen::RowVectorXd& point, int k) {
  std::vector<double> distance(static_cast<std::size_t>(donors.rows()));
  std::vector<Eigen::Index> order(distance.size());
  for (Eigen::Index r = 0; r < donors.rows(); ++r) {
    distance[static_cast<std::size_t>(r)] = (donors.row(r) - point).norm();
    order[static_cast<std::size_t>(r)] = r;
  }
  const auto nearest = order.begin() + std::min<std::ptrdiff_t>(k, static_cast<std::ptrdiff_t>(order.size()));
  std::partial_sort(order.begin(), nearest, order.end(), [&](Eigen::Index a, Eigen::Index b) {
    const double da = distance[static_cast<std::size_t>(a)], db = distance[static_cast<std::size_t>(b)];
    return da < db || (da == db && a < b);
  });
  order.erase(nearest, order.end());
  // Donors at distance 0 (the same recipe) alone, equally; otherwise weights 1 / distance.
  const bool exact = distance[static_cast<std::size_t>(order.front())] == 0.0;
  double sum = 0.0, weights = 0.0;
  for (Eigen::Index r : order) {
    const double d = distance[static_cast<std::size_t>(r)];
    if (exact && d > 0.0) continue;
    const double w = exact ? 1.0 : 1.0 / d;
    sum += w * values(r), weights += w;
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
    case Readout::LassoAverage:
      return "lasso_average";
  }
  throw std::invalid_argument("unknown read-out");
}

bool readout_named(const std::string& name, Readout& readout) {
  for (Readout r : {Readout::Ensemble, Readout::Neighbours, Readout::Average, Readout::LassoAverage})
    if (name == readout_name(r)) {
      readout = r;
      return true;
    }
  return false;
}

Donors donors_of(const Matrix& training_descriptors, const Matrix& training_endpoints, Eigen::Index j) {
  std::vector<Eigen::Index> rows;
  for (Eigen::Index r = 0; r < training_endpoints.rows(); ++r)
    if (!std::isnan(training_endpoints(r, j))) rows.push_back(r);
  Donors out{Matrix(static_cast<Eigen::Index>(rows.size()), training_descriptors.cols()),
             Vector(static_cast<Eigen::Index>(rows.size()))};
  for (std::size_t d = 0; d < rows.size(); ++d) {
    out.descriptors.row(static_cast<Eigen::Index>(d)) = training_descriptors.row(rows[d]);
    out.values(static_cast<Eigen::Index>(d)) = training_endpoints(rows[d], j);
  }
  return out;
}

Matrix neighbour_predictions(const Matrix& training_descriptors, const Matrix& training_endpoints, const Matrix& query,
                             int k) {
  Matrix out = Matrix::Constant(query.rows(), training_endpoints.cols(), std::nan(""));
  for (Eigen::Index j = 0; j < training_endpoints.cols(); ++j) {
    const Donors d = donors_of(training_descriptors, training_endpoints, j);
    if (d.values.size() == 0) continue;
    const Matrix& donors = d.descriptors;
    const Vector& values = d.values;
    Matrix scaled = donors, asked = query;
    z_score(donors, scaled, asked);
    for (Eigen::Index i = 0; i < asked.rows(); ++i) out(i, j) = nearest_mean(scaled, values, asked.row(i), k);
  }
  return out;
}

Matrix LinearReadout::predict(const Matrix& query) const {
  Matrix out(query.rows(), intercepts.size());
  for (Eigen::Index j = 0; j < out.cols(); ++j)
    for (Eigen::Index i = 0; i < out.rows(); ++i) out(i, j) = intercepts(j) + query.row(i).dot(coefficients.row(j));
  return out;
}

Matrix read_out(const std::vector<Readout>& by_endpoint, const Matrix& ensemble, const ReadoutForecasts& forecasts) {
  Matrix out = ensemble;
  for (Eigen::Index j = 0; j < out.cols(); ++j) {
    const Readout readout = by_endpoint[static_cast<std::size_t>(j)];
    if (readout == Readout::Ensemble) continue;
    const Matrix& other = readout == Readout::LassoAverage ? forecasts.lasso : forecasts.neighbours;
    if (other.size() == 0) continue;
    for (Eigen::Index i = 0; i < out.rows(); ++i) {
      const double value = other(i, j);
      if (std::isnan(value)) continue;
      out(i, j) = readout == Readout::Neighbours ? value : 0.5 * (ensemble(i, j) + value);
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
  for (Readout r : {Readout::Neighbours, Readout::Average, Readout::LassoAverage}) {
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
