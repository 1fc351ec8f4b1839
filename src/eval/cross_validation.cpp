#include "elec/eval/cross_validation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <unordered_map>

#include "elec/data/curves.hpp"
#include "elec/model/pipeline.hpp"
#include "elec/model/rng.hpp"

namespace elec::eval {
namespace {

data::Dataset rows_of(const data::Dataset& all, const std::vector<Eigen::Index>& rows) {
  data::Dataset part = all;
  part.row_ids.clear();
  part.row_lines.clear();
  part.descriptors.resize(static_cast<Eigen::Index>(rows.size()), all.descriptors.cols());
  part.endpoints.resize(static_cast<Eigen::Index>(rows.size()), all.endpoints.cols());
  part.derived_given.resize(static_cast<Eigen::Index>(rows.size()), all.derived_given.cols());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto r = rows[k], i = static_cast<Eigen::Index>(k);
    part.row_ids.push_back(all.row_ids[static_cast<std::size_t>(r)]);
    if (!all.row_lines.empty()) part.row_lines.push_back(all.row_lines[static_cast<std::size_t>(r)]);
    part.descriptors.row(i) = all.descriptors.row(r);
    part.endpoints.row(i) = all.endpoints.row(r);
    if (all.derived_given.cols() > 0) part.derived_given.row(i) = all.derived_given.row(r);
  }
  return part;
}

// The endpoint columns of each target: a loss group (a scalar alone, or a curve's whole block), named after the
// curve or the endpoint.
std::vector<std::pair<std::string, std::vector<Eigen::Index>>> targets_of(const data::Dataset& d) {
  std::vector<std::pair<std::string, std::vector<Eigen::Index>>> out;
  const std::vector<int> groups = data::endpoint_groups(static_cast<std::size_t>(d.endpoints.cols()), d.curves);
  for (Eigen::Index j = 0; j < d.endpoints.cols(); ++j) {
    const auto k = static_cast<std::size_t>(j);
    if (j > 0 && groups[k] == groups[k - 1]) {
      out.back().second.push_back(j);
      continue;
    }
    const auto curve = std::find_if(d.curves.begin(), d.curves.end(),
                                    [&](const data::CurveBlock& c) { return c.first_endpoint == j; });
    out.push_back({curve == d.curves.end() ? d.endpoint_names[k] : curve->name, {j}});
  }
  return out;
}

}  // namespace

std::vector<std::string> group_labels(const data::CsvDocument& table, const std::string& column) {
  if (column.empty()) return {};
  const auto& header = table.header.fields;
  for (std::size_t c = 0; c < header.size(); ++c)
    if (header[c].text == column) {
      std::vector<std::string> labels;
      for (const auto& row : table.rows) labels.push_back(row.fields[c].text);
      return labels;
    }
  throw data::InputError(table.file + ":" + std::to_string(table.header.line) + ": no column \"" + column +
                         "\"; expected the group to name a column of the cell table\n");
}

std::vector<int> assign_folds(const std::vector<std::string>& groups, std::size_t rows, int folds, std::uint64_t seed) {
  std::vector<std::size_t> group_of(rows);
  std::vector<std::size_t> first_rows;  // one entry per group, in order of first appearance
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t r = 0; r < rows; ++r) {
    if (groups.empty()) {
      group_of[r] = r;
      first_rows.push_back(r);
      continue;
    }
    const auto [it, inserted] = index.emplace(groups[r], index.size());
    group_of[r] = it->second;
    if (inserted) first_rows.push_back(r);
  }
  // Fisher-Yates with the study's counter-based stream: the same order on every rank.
  std::vector<std::size_t> order(first_rows.size());
  for (std::size_t g = 0; g < order.size(); ++g) order[g] = g;
  model::CounterRng rng(seed, model::Purpose::Folds, 0);
  for (std::size_t g = order.size(); g > 1; --g) std::swap(order[g - 1], order[rng.below(g)]);
  std::vector<int> fold_of_group(order.size());
  for (std::size_t k = 0; k < order.size(); ++k) fold_of_group[order[k]] = static_cast<int>(k % static_cast<std::size_t>(folds));
  std::vector<int> out(rows);
  for (std::size_t r = 0; r < rows; ++r) out[r] = fold_of_group[group_of[r]];
  return out;
}

std::vector<TargetScore> score_targets(const data::Dataset& dataset, const Matrix& mean, const Matrix& spread) {
  std::vector<TargetScore> out;
  for (const auto& [name, columns] : targets_of(dataset)) {
    TargetScore s;
    s.name = name;
    double sum = 0.0, squares = 0.0, errors = 0.0, inside1 = 0.0, inside2 = 0.0;
    for (Eigen::Index j : columns)
      for (Eigen::Index i = 0; i < dataset.endpoints.rows(); ++i) {
        const double y = dataset.endpoints(i, j);
        if (std::isnan(y)) continue;
        const double e = mean(i, j) - y;
        ++s.values, sum += y, squares += y * y, errors += e * e;
        inside1 += std::abs(e) <= spread(i, j) ? 1.0 : 0.0;
        inside2 += std::abs(e) <= 2.0 * spread(i, j) ? 1.0 : 0.0;
      }
    const double n = static_cast<double>(s.values);
    const double total = squares - sum * sum / std::max(n, 1.0);
    s.r_squared = s.values >= 2 && total > 0.0 ? 1.0 - errors / total : std::nan("");
    s.rmse = s.values > 0 ? std::sqrt(errors / n) : std::nan("");
    s.within_1std = s.values > 0 ? inside1 / n : std::nan("");
    s.within_2std = s.values > 0 ? inside2 / n : std::nan("");
    out.push_back(s);
  }
  return out;
}

double median_r_squared(const std::vector<TargetScore>& targets) {
  std::vector<double> values;
  for (const auto& t : targets)
    if (!std::isnan(t.r_squared)) values.push_back(t.r_squared);
  if (values.empty()) return std::nan("");
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

CrossValidation cross_validate(const data::Dataset& dataset, const data::Schema& schema,
                               const data::StudyConfig& config, const model::MemberDistribution& distribution,
                               const std::vector<int>& fold_of_row, int folds,
                               const std::function<void(const FoldProgress&)>& progress) {
  const auto start = std::chrono::steady_clock::now();
  CrossValidation cv;
  cv.folds = folds;
  cv.fold_of_row = fold_of_row;
  cv.mean = Matrix::Constant(dataset.endpoints.rows(), dataset.endpoints.cols(), std::nan(""));
  cv.spread = cv.mean;
  // Folds run one after the other, each fold's members spread over every rank: the work items (fold, member) are
  // shared by all ranks, and each fold's arithmetic is that of an ordinary, rank-invariant training.
  for (int fold = 0; fold < folds; ++fold) {
    std::vector<Eigen::Index> training, held;
    for (std::size_t r = 0; r < fold_of_row.size(); ++r)
      (fold_of_row[r] == fold ? held : training).push_back(static_cast<Eigen::Index>(r));
    if (held.empty() || training.empty()) continue;
    const model::TrainedModel trained =
        model::train_model(rows_of(dataset, training), schema, config, distribution, {});
    // The paper's test protocol: the held-out cells' endpoints predicted from their descriptors alone.
    const data::Dataset test = rows_of(dataset, held);
    const Matrix blank = Matrix::Constant(test.endpoints.rows(), test.endpoints.cols(), std::nan(""));
    const model::CellPredictions p = model::predict_cells(trained, test.descriptors, blank, distribution, nullptr, false);
    for (std::size_t k = 0; k < held.size(); ++k) {
      cv.mean.row(held[k]) = p.prediction.row(static_cast<Eigen::Index>(k));
      cv.spread.row(held[k]) = p.spread.row(static_cast<Eigen::Index>(k));
    }
    if (progress)
      progress({fold + 1, folds, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()});
  }
  cv.targets = score_targets(dataset, cv.mean, cv.spread);
  cv.median_r_squared = median_r_squared(cv.targets);
  return cv;
}

}  // namespace elec::eval
