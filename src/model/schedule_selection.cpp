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

namespace {

// A whole row hidden with probability `fraction`, unless it holds a column's last measured cell.
void hide_rows(const Matrix& endpoints, double fraction, CounterRng& rng, std::vector<long>& left, HeldOut& held) {
  for (Eigen::Index i = 0; i < endpoints.rows(); ++i) {
    if (!(rng.uniform() < fraction)) continue;
    bool keeps_every_column = true;
    for (Eigen::Index j = 0; j < endpoints.cols(); ++j)
      keeps_every_column &= std::isnan(endpoints(i, j)) || left[j] > 1;
    if (!keeps_every_column) continue;
    for (Eigen::Index j = 0; j < endpoints.cols(); ++j) {
      if (std::isnan(endpoints(i, j))) continue;
      held.cells.push_back({i, static_cast<int>(j)});
      held.truth.push_back(endpoints(i, j));
      --left[j];
    }
  }
}

std::size_t held_rows(const HeldOut& held) {
  std::size_t count = 0;
  for (std::size_t k = 0; k < held.cells.size(); ++k) count += k == 0 || held.cells[k].row != held.cells[k - 1].row;
  return count;
}

}  // namespace

HeldOut choose_held_out(const Matrix& endpoints, double fraction, std::uint64_t seed, std::uint64_t draw,
                        bool whole_rows) {
  CounterRng rng(seed, Purpose::HoldOut, 1 + draw);
  std::vector<long> left(static_cast<std::size_t>(endpoints.cols()), 0);
  for (Eigen::Index i = 0; i < endpoints.rows(); ++i)
    for (Eigen::Index j = 0; j < endpoints.cols(); ++j) left[j] += std::isnan(endpoints(i, j)) ? 0 : 1;
  HeldOut held;
  if (whole_rows) {
    hide_rows(endpoints, fraction, rng, left, held);
    return held;
  }
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

namespace {

// Held-out scores of several draws combined into one curve: the RMSE over all their held-out cells.
void accumulate(std::vector<ValidationPoint>& total, std::vector<double>& squares, const std::vector<ValidationPoint>& draw,
                std::size_t cells) {
  if (total.empty()) {
    total = draw;
    squares.assign(draw.size(), 0.0);
  }
  // A draw whose passes converged early has fewer points: keep the points every draw has.
  if (draw.size() < total.size()) total.resize(draw.size()), squares.resize(draw.size());
  for (std::size_t k = 0; k < total.size(); ++k) squares[k] += draw[k].rmse * draw[k].rmse * static_cast<double>(cells);
}

void finish(std::vector<ValidationPoint>& total, const std::vector<double>& squares, std::size_t cells) {
  for (std::size_t k = 0; k < total.size(); ++k) total[k].rmse = std::sqrt(squares[k] / static_cast<double>(cells));
}

}  // namespace

template <class T>
ScheduleSelection select_schedule(const NetworkShape& shape, const Matrix& descriptors, const Matrix& endpoints,
                                  const data::StudyConfig& config, const MemberDistribution& distribution,
                                  const ScoreObserver& scored, const std::vector<int>* groups) {
  ScheduleSelection s;
  s.chosen = {config.epochs, config.max_passes, config.pass_epochs};
  // On a small table one draw holds out a handful of cells and the choice is noise: draw again (independently)
  // until about kEnoughCells cells have been scored, at most kMostDraws times.
  constexpr std::size_t kEnoughCells = 100, kMostDraws = 5;
  const bool rows = config.holdout == "rows";
  std::vector<HeldOut> draws{choose_held_out(endpoints, config.holdout_fraction, config.seed, 0, rows)};
  if (draws[0].cells.empty()) return s;  // nothing to score on: keep the configured schedule
  // Whole rows: a curve's points make one row score many cells, so count rows instead (about 30 new cells).
  constexpr std::size_t kEnoughRows = 30;
  const std::size_t unit = rows ? held_rows(draws[0]) : draws[0].cells.size();
  const std::size_t enough = rows ? kEnoughRows : kEnoughCells;
  const std::size_t wanted = std::min(kMostDraws, (enough + unit - 1) / unit);
  while (draws.size() < wanted)
    draws.push_back(choose_held_out(endpoints, config.holdout_fraction, config.seed, draws.size(), rows));
  for (const auto& d : draws) s.held_out_cells += d.cells.size();
  s.draws = draws.size();
  s.members = static_cast<std::size_t>(std::min(config.selection_members, config.members));
  const std::size_t table_rows = static_cast<std::size_t>(endpoints.rows());

  // Trains a fresh selection ensemble on the table without one draw's cells and returns that draw's scores.
  auto score_draw = [&](HeldOut& held, const Schedule& schedule, int check_every) {
    Matrix training = endpoints;
    for (const auto& cell : held.cells) training(cell.row, cell.endpoint) = std::nan("");
    held.check_every = check_every;
    Ensemble<T> ensemble(shape, s.members, distribution, config.seed, table_rows);
    return run_imputation(ensemble, descriptors, training, schedule, config, nullptr, {true, false, &held, scored, groups})
        .validation;
  };

  // Run A: how long to train before any pass.
  std::vector<double> squares;
  for (auto& held : draws)
    accumulate(s.initial, squares, score_draw(held, {config.selection_max_epochs, 0, 0}, config.selection_check_every),
               held.cells.size());
  finish(s.initial, squares, s.held_out_cells);
  s.chosen.epochs = best(s.initial).epochs;
  s.chosen.pass_epochs = std::max(config.selection_check_every, s.chosen.epochs / 4);
  s.chosen.passes = 0;

  // Run B: how many passes, after that initial training.
  if (config.max_passes > 0) {
    squares.clear();
    for (auto& held : draws)
      accumulate(s.passes, squares, score_draw(held, {s.chosen.epochs, config.max_passes, s.chosen.pass_epochs}, 0),
                 held.cells.size());
    finish(s.passes, squares, s.held_out_cells);
    s.chosen.passes = best(s.passes).passes;
  }
  return s;
}

template ScheduleSelection select_schedule<float>(const NetworkShape&, const Matrix&, const Matrix&,
                                                  const data::StudyConfig&, const MemberDistribution&,
                                                  const ScoreObserver&, const std::vector<int>*);
template ScheduleSelection select_schedule<double>(const NetworkShape&, const Matrix&, const Matrix&,
                                                   const data::StudyConfig&, const MemberDistribution&,
                                                  const ScoreObserver&, const std::vector<int>*);

}  // namespace elec::model
