#include "elec/model/schedule_selection.hpp"

#include <algorithm>
#include <cmath>

#include "elec/model/rng.hpp"

namespace elec::model {
namespace {

// The first point with the lowest RMSE: on ties the shorter schedule wins.
const ValidationPoint& best(const std::vector<ValidationPoint>& points) {
  return *std::min_element(points.begin(), points.end(),
                           [](const ValidationPoint& a, const ValidationPoint& b) { return a.rmse < b.rmse; });
}

}  // namespace

HeldOut choose_held_out(const Matrix& endpoints, double fraction, std::uint64_t seed) {
  CounterRng rng(seed, Purpose::HoldOut, 1);
  std::vector<long> left(static_cast<std::size_t>(endpoints.cols()), 0);
  for (Eigen::Index i = 0; i < endpoints.rows(); ++i)
    for (Eigen::Index j = 0; j < endpoints.cols(); ++j) left[j] += std::isnan(endpoints(i, j)) ? 0 : 1;
  HeldOut held;
  for (Eigen::Index i = 0; i < endpoints.rows(); ++i)
    for (Eigen::Index j = 0; j < endpoints.cols(); ++j) {
      if (std::isnan(endpoints(i, j))) continue;
      // One draw per measured cell keeps the choice of every other cell independent of this column's count.
      const bool hide = rng.uniform() < fraction;
      if (hide && left[j] > 1) {
        held.cells.push_back({i, static_cast<int>(j)});
        held.truth.push_back(endpoints(i, j));
        --left[j];
      }
    }
  return held;
}

template <class T>
ScheduleSelection select_schedule(const NetworkShape& shape, const Matrix& descriptors, const Matrix& endpoints,
                                  const data::StudyConfig& config, const MemberDistribution& distribution,
                                  const ScoreObserver& scored) {
  ScheduleSelection s;
  s.chosen = {config.epochs, config.max_passes, config.pass_epochs};
  HeldOut held = choose_held_out(endpoints, config.holdout_fraction, config.seed);
  s.held_out_cells = held.cells.size();
  if (held.cells.empty()) return s;  // nothing to score on: keep the configured schedule
  Matrix training = endpoints;
  for (const auto& cell : held.cells) training(cell.row, cell.endpoint) = std::nan("");
  s.members = static_cast<std::size_t>(std::min(config.selection_members, config.members));
  const std::size_t rows = static_cast<std::size_t>(endpoints.rows());

  // Run A: how long to train before any pass.
  held.check_every = config.selection_check_every;
  {
    Ensemble<T> ensemble(shape, s.members, distribution, config.seed, rows);
    const Schedule longest{config.selection_max_epochs, 0, 0};
    s.initial = run_imputation(ensemble, descriptors, training, longest, config, nullptr, {true, false, &held, scored}).validation;
  }
  s.chosen.epochs = best(s.initial).epochs;
  s.chosen.pass_epochs = std::max(config.selection_check_every, s.chosen.epochs / 4);
  s.chosen.passes = 0;

  // Run B: how many passes, after that initial training.
  if (config.max_passes > 0) {
    held.check_every = 0;
    Ensemble<T> ensemble(shape, s.members, distribution, config.seed, rows);
    const Schedule with_passes{s.chosen.epochs, config.max_passes, s.chosen.pass_epochs};
    s.passes = run_imputation(ensemble, descriptors, training, with_passes, config, nullptr, {true, false, &held, scored}).validation;
    s.chosen.passes = best(s.passes).passes;
  }
  return s;
}

template ScheduleSelection select_schedule<float>(const NetworkShape&, const Matrix&, const Matrix&,
                                                  const data::StudyConfig&, const MemberDistribution&,
                                                  const ScoreObserver&);
template ScheduleSelection select_schedule<double>(const NetworkShape&, const Matrix&, const Matrix&,
                                                   const data::StudyConfig&, const MemberDistribution&,
                                                  const ScoreObserver&);

}  // namespace elec::model
