#include "elec/eval/random_forest.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

namespace elec::eval {
namespace {

void validate(const RandomForestOptions& options) {
  if (options.trees < 1) throw std::invalid_argument("random forest needs at least one tree");
  if (options.min_samples_split < 2) throw std::invalid_argument("random forest min_samples_split must be >= 2");
  if (options.min_samples_leaf < 1) throw std::invalid_argument("random forest min_samples_leaf must be >= 1");
  if (!(options.max_features > 0.0 && options.max_features <= 1.0))
    throw std::invalid_argument("random forest max_features must lie in (0, 1]");
}

void check_training_data(const Matrix& x, const Vector& y) {
  if (x.rows() == 0 || x.cols() == 0) throw std::invalid_argument("random forest: no training rows or columns");
  if (y.size() != x.rows())
    throw std::invalid_argument("random forest: " + std::to_string(x.rows()) + " rows of x but " +
                                std::to_string(y.size()) + " values of y");
  if (!x.allFinite()) throw std::invalid_argument("random forest: x must be finite");
  if (!y.allFinite()) throw std::invalid_argument("random forest: y must be finite");
}

// Step 1: how often each of the n rows is among n draws with replacement.
std::vector<int> bootstrap_weights(Eigen::Index rows, common::CounterRng& rng) {
  std::vector<int> weight(static_cast<std::size_t>(rows), 0);
  for (Eigen::Index draw = 0; draw < rows; ++draw) ++weight[rng.below(static_cast<std::uint64_t>(rows))];
  return weight;
}

// max(1, int(max_features * features)), as scikit-learn rounds a fraction.
int features_per_split(const RandomForestOptions& options, Eigen::Index features) {
  return std::max(1, static_cast<int>(options.max_features * static_cast<double>(features)));
}

struct Split {
  int feature = -1;  // -1: none found
  double threshold = 0.0;
  double score = 0.0;  // larger is better; only compared between splits of one node
};

// Steps 2-4 for one tree. A node owns a range of in_bag_, the in-bag rows, which splitting partitions in place.
class TreeGrower {
 public:
  TreeGrower(const Matrix& x, const Vector& y, const std::vector<int>& weight, const RandomForestOptions& options,
             common::CounterRng& rng)
      : x_(x),
        y_(y),
        weight_(weight),
        options_(options),
        rng_(rng),
        tried_per_split_(features_per_split(options, x.cols())) {
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      if (weight[static_cast<std::size_t>(i)] > 0) in_bag_.push_back(i);
  }

  // Depth first, the left child before the right one, so the random numbers are drawn in a fixed order.
  std::vector<TreeNode> grow() {
    struct Pending {
      std::size_t begin, end;
      int node;
    };
    std::vector<TreeNode> nodes(1);
    std::vector<Pending> stack{{0, in_bag_.size(), 0}};
    while (!stack.empty()) {
      const Pending p = stack.back();
      stack.pop_back();
      const Split split = may_split(p.begin, p.end) ? best_split(p.begin, p.end) : Split{};
      if (split.feature < 0) {
        nodes[static_cast<std::size_t>(p.node)].value = weighted_mean(p.begin, p.end);
        continue;
      }
      const std::size_t middle = partition(p.begin, p.end, split);
      const int left = static_cast<int>(nodes.size());
      nodes[static_cast<std::size_t>(p.node)] = TreeNode{split.feature, split.threshold, left, left + 1, 0.0};
      nodes.resize(nodes.size() + 2);
      stack.push_back({middle, p.end, left + 1});
      stack.push_back({p.begin, middle, left});
    }
    return nodes;
  }

 private:
  // A node with equal targets (pure) or too few distinct rows is a leaf.
  bool may_split(std::size_t begin, std::size_t end) const {
    if (end - begin < static_cast<std::size_t>(options_.min_samples_split)) return false;
    const double first = y_[in_bag_[begin]];
    for (std::size_t i = begin + 1; i < end; ++i)
      if (y_[in_bag_[i]] != first) return true;
    return false;
  }

  double weighted_mean(std::size_t begin, std::size_t end) const {
    double sum = 0.0, total = 0.0;
    for (std::size_t i = begin; i < end; ++i) {
      sum += weight_of(in_bag_[i]) * y_[in_bag_[i]];
      total += weight_of(in_bag_[i]);
    }
    return sum / total;
  }

  // Features in a random order (Fisher-Yates); constant ones are skipped without counting towards the budget.
  Split best_split(std::size_t begin, std::size_t end) {
    std::vector<int> order(static_cast<std::size_t>(x_.cols()));
    for (std::size_t f = 0; f < order.size(); ++f) order[f] = static_cast<int>(f);
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng_.below(i)]);
    const double mean = weighted_mean(begin, end);
    Split best;
    int tried = 0;
    for (const int feature : order) {
      if (tried == tried_per_split_) break;
      sort_by_feature(begin, end, feature);
      if (sorted_.front().first == sorted_.back().first) continue;
      ++tried;
      scan_thresholds(feature, mean, best);
    }
    return best;
  }

  // The node's rows by their value of `feature`, ties by row index so that the order is one and the same always.
  void sort_by_feature(std::size_t begin, std::size_t end, int feature) {
    sorted_.clear();
    for (std::size_t i = begin; i < end; ++i) sorted_.emplace_back(x_(in_bag_[i], feature), in_bag_[i]);
    std::sort(sorted_.begin(), sorted_.end());
  }

  // Least weighted squared error of the children = largest s_L^2 / w_L + s_R^2 / w_R, where s is a child's sum of
  // weighted targets. The targets are taken about the node's mean first: then s_R = -s_L and the score is
  // s_L^2 (1 / w_L + 1 / w_R), free of the cancellation raw targets of a few hundred would bring.
  void scan_thresholds(int feature, double mean, Split& best) const {
    const std::size_t count = sorted_.size();
    double total = 0.0;
    for (const auto& entry : sorted_) total += weight_of(entry.second);
    double left_weight = 0.0, left_sum = 0.0;
    for (std::size_t k = 1; k < count; ++k) {  // children: sorted_[0, k) and sorted_[k, count)
      const Eigen::Index row = sorted_[k - 1].second;
      left_weight += weight_of(row);
      left_sum += weight_of(row) * (y_[row] - mean);
      const double below = sorted_[k - 1].first, above = sorted_[k].first;
      const std::size_t least_side = static_cast<std::size_t>(options_.min_samples_leaf);
      if (below == above || k < least_side || count - k < least_side) continue;
      const double score = left_sum * left_sum * (1.0 / left_weight + 1.0 / (total - left_weight));
      if (best.feature >= 0 && !(score > best.score)) continue;
      best = Split{feature, midpoint(below, above), score};
    }
  }

  // Halves first so that huge values cannot overflow; a midpoint that rounds up onto `above` would send it left.
  static double midpoint(double below, double above) {
    const double middle = below / 2.0 + above / 2.0;
    return middle >= above ? below : middle;
  }

  std::size_t partition(std::size_t begin, std::size_t end, const Split& split) {
    const auto first = in_bag_.begin() + static_cast<std::ptrdiff_t>(begin);
    const auto last = in_bag_.begin() + static_cast<std::ptrdiff_t>(end);
    const auto middle =
        std::stable_partition(first, last, [&](Eigen::Index row) { return x_(row, split.feature) <= split.threshold; });
    return static_cast<std::size_t>(middle - in_bag_.begin());
  }

  double weight_of(Eigen::Index row) const { return weight_[static_cast<std::size_t>(row)]; }

  const Matrix& x_;
  const Vector& y_;
  const std::vector<int>& weight_;
  const RandomForestOptions& options_;
  common::CounterRng& rng_;
  const int tried_per_split_;
  std::vector<Eigen::Index> in_bag_;
  std::vector<std::pair<double, Eigen::Index>> sorted_;  // scratch of sort_by_feature
};

}  // namespace

RegressionTree RegressionTree::grow(const Matrix& x, const Vector& y, const std::vector<int>& weight,
                                    const RandomForestOptions& options, common::CounterRng& rng) {
  return RegressionTree(TreeGrower(x, y, weight, options, rng).grow());
}

double RegressionTree::predict(const Matrix& x, Eigen::Index row) const {
  std::size_t n = 0;
  while (nodes_[n].feature >= 0)
    n = static_cast<std::size_t>(x(row, nodes_[n].feature) <= nodes_[n].threshold ? nodes_[n].left : nodes_[n].right);
  return nodes_[n].value;
}

RandomForest::RandomForest(RandomForestOptions options) : options_(options) { validate(options_); }

void RandomForest::fit(const Matrix& x, const Vector& y, std::uint64_t seed) {
  check_training_data(x, y);
  std::vector<RegressionTree> trees(static_cast<std::size_t>(options_.trees));
#pragma omp parallel for schedule(static)
  for (int t = 0; t < options_.trees; ++t) {
    common::CounterRng rng(seed, common::Purpose::Baseline, static_cast<std::uint64_t>(t));
    const std::vector<int> weight = bootstrap_weights(x.rows(), rng);
    trees[static_cast<std::size_t>(t)] = RegressionTree::grow(x, y, weight, options_, rng);
  }
  trees_ = std::move(trees);
  features_ = x.cols();
}

RegressorPrediction RandomForest::predict(const Matrix& x) const {
  if (!fitted()) throw std::logic_error("random forest: predict before fit");
  if (x.cols() != features_)
    throw std::invalid_argument("random forest: trained on " + std::to_string(features_) + " columns, given " +
                                std::to_string(x.cols()));
  if (!x.allFinite()) throw std::invalid_argument("random forest: x must be finite");
  RegressorPrediction prediction{Vector(x.rows()), Vector(x.rows())};
  const double trees = static_cast<double>(trees_.size());
#pragma omp parallel for schedule(static)
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    std::vector<double> votes(trees_.size());
    for (std::size_t t = 0; t < trees_.size(); ++t) votes[t] = trees_[t].predict(x, i);
    double sum = 0.0, squares = 0.0;
    for (const double v : votes) sum += v;
    const double mean = sum / trees;
    for (const double v : votes) squares += (v - mean) * (v - mean);
    prediction.mean[i] = mean;
    prediction.std[i] = std::sqrt(squares / trees);
  }
  return prediction;
}

}  // namespace elec::eval
