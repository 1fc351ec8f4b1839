#pragma once
// A forest of regression trees, each grown on a bootstrap sample of the rows and averaged, the paper's random
// forest baseline: the model scikit-learn's `RandomForestRegressor()` fits, and its uncertainty, the population
// standard deviation of the trees' predictions. Tree t:
//   1. draws n rows with replacement (a row drawn k times weighs k);
//   2. grows from the root down, depth first: a node becomes a leaf when its targets are all equal, it holds
//      fewer than min_samples_split distinct rows, or no split leaves min_samples_leaf distinct rows on both sides;
//   3. otherwise splits where the weighted squared error of the two children about their means is least: the
//      candidate thresholds are midway between consecutive distinct values of a feature, and the features are tried
//      in a random order until max_features non-constant ones have been, the first best one (in that order, then
//      the smallest threshold) winning a tie;
//   4. predicts in each leaf the weighted mean of its targets.
// A row goes left when its value is <= the threshold.
//
// Tree t's random numbers (its bootstrap, then each node's feature order in the order nodes are grown) come from
// the stream (seed, common::Purpose::Baseline, t) and each tree fills its own slot, so the trees are grown in parallel
// (OpenMP) and the forest's bits do not depend on the thread count. Its sums run in index order in plain loops.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "elec/common/rng.hpp"
#include "elec/eval/regressor.hpp"

namespace elec::eval {

// RandomForestRegressor's defaults, under their names there.
struct RandomForestOptions {
  int trees = 100;            // n_estimators
  int min_samples_split = 2;  // fewest distinct rows a node needs to be split
  int min_samples_leaf = 1;   // fewest distinct rows a child may keep
  double max_features = 1.0;  // fraction of the features tried per split (at least one)
};

struct TreeNode {
  int feature = -1;  // -1: a leaf
  double threshold = 0.0;
  int left = -1, right = -1;  // children's indices into the tree's nodes
  double value = 0.0;         // a leaf's prediction
};

// One grown tree: nodes in the order they were grown, the root first.
class RegressionTree {
 public:
  RegressionTree() = default;  // no nodes: a slot for grow()'s result, not to predict with
  // Grows a tree on the rows of x with weight[i] > 0 (weight = how often row i was drawn): steps 2-4 above.
  // Expects what RandomForest::fit checks: matching sizes, finite values and at least one positive weight.
  static RegressionTree grow(const Matrix& x, const Vector& y, const std::vector<int>& weight,
                             const RandomForestOptions& options, common::CounterRng& rng);

  double predict(const Matrix& x, Eigen::Index row) const;
  const std::vector<TreeNode>& nodes() const { return nodes_; }

 private:
  explicit RegressionTree(std::vector<TreeNode> nodes) : nodes_(std::move(nodes)) {}
  std::vector<TreeNode> nodes_;
};

class RandomForest final : public Regressor {
 public:
  // Throws std::invalid_argument when trees or min_samples_leaf < 1, min_samples_split < 2, or max_features lies
  // outside (0, 1].
  explicit RandomForest(RandomForestOptions options = {});

  std::string name() const override { return "random_forest"; }
  bool has_uncertainty() const override { return true; }

  // Throws std::invalid_argument when x has no rows or columns, y's size differs from x's rows, or x or y is not
  // finite; a failed fit keeps the previous model.
  void fit(const Matrix& x, const Vector& y, std::uint64_t seed) override;

  // Mean and population standard deviation of the trees' predictions. Throws std::logic_error before the first
  // fit and std::invalid_argument when x's columns differ from the training data's or x is not finite.
  RegressorPrediction predict(const Matrix& x) const override;

  const RandomForestOptions& options() const { return options_; }
  bool fitted() const { return !trees_.empty(); }
  const std::vector<RegressionTree>& trees() const { return trees_; }

 private:
  RandomForestOptions options_;
  std::vector<RegressionTree> trees_;  // empty until the first successful fit
  Eigen::Index features_ = 0;
};

}  // namespace elec::eval
