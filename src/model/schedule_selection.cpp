#include "elec/model/schedule_selection.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "elec/common/rng.hpp"
#include "elec/data/dataset.hpp"

namespace elec::model {
namespace {

// A scoring run's curve as one unit result of the safe points: per point epochs, passes, rmse, then the squared
// error of each endpoint.
std::vector<double> encode_points(const std::vector<ValidationPoint>& points) {
  std::vector<double> out;
  for (const auto& p : points) {
    out.insert(out.end(), {static_cast<double>(p.epochs), static_cast<double>(p.passes), p.rmse});
    out.insert(out.end(), p.squared_error.begin(), p.squared_error.end());
  }
  return out;
}

std::vector<ValidationPoint> decode_points(const std::vector<double>& values, std::size_t endpoints) {
  const std::size_t width = 3 + endpoints;
  if (values.size() % width != 0) throw std::invalid_argument("a recorded selection run of another table");
  std::vector<ValidationPoint> points;
  for (std::size_t k = 0; k < values.size(); k += width)
    points.push_back({static_cast<int>(values[k]), static_cast<int>(values[k + 1]), values[k + 2],
                      std::vector<double>(values.begin() + static_cast<std::ptrdiff_t>(k + 3),
                                          values.begin() + static_cast<std::ptrdiff_t>(k + width))});
  return points;
}

// The first point with the lowest RMSE: on ties the shorter schedule wins.
const ValidationPoint& best(const std::vector<ValidationPoint>& points) {
  return *std::min_element(points.begin(), points.end(),
                           [](const ValidationPoint& a, const ValidationPoint& b) { return a.rmse < b.rmse; });
}

// A whole recipe (every replicate row) hidden with probability `fraction`, unless that takes a column's last
// measured cell: a hidden replicate whose twin stays in training would not be a new cell.
void hide_recipes(const Matrix& endpoints, const Matrix& descriptors, double fraction, common::CounterRng& rng,
                  std::vector<long>& left, HeldOut& held) {
  const std::vector<std::size_t> recipe = data::recipe_of_rows(descriptors);
  const std::size_t recipes = recipe.empty() ? 0 : *std::max_element(recipe.begin(), recipe.end()) + 1;
  for (std::size_t r = 0; r < recipes; ++r) {
    if (!(rng.uniform() < fraction)) continue;
    std::vector<long> taken(left.size(), 0);
    for (Eigen::Index i = 0; i < endpoints.rows(); ++i)
      for (Eigen::Index j = 0; j < endpoints.cols(); ++j) taken[j] += recipe[i] == r && !std::isnan(endpoints(i, j));
    bool keeps_every_column = true;
    for (std::size_t j = 0; j < left.size(); ++j) keeps_every_column &= taken[j] == 0 || left[j] > taken[j];
    if (!keeps_every_column) continue;
    for (Eigen::Index i = 0; i < endpoints.rows(); ++i)
      for (Eigen::Index j = 0; j < endpoints.cols() && recipe[i] == r; ++j) {
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
                        const Matrix* recipes) {
  common::CounterRng rng(seed, common::Purpose::HoldOut, 1 + draw);
  std::vector<long> left(static_cast<std::size_t>(endpoints.cols()), 0);
  for (Eigen::Index i = 0; i < endpoints.rows(); ++i)
    for (Eigen::Index j = 0; j < endpoints.cols(); ++j) left[j] += std::isnan(endpoints(i, j)) ? 0 : 1;
  HeldOut held;
  if (recipes) {
    hide_recipes(endpoints, *recipes, fraction, rng, left, held);
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

// Held-out scores of several draws combined into one curve: the RMSE over all their held-out cells (and the
// squared errors per endpoint summed over the draws).
void accumulate(std::vector<ValidationPoint>& total, std::vector<double>& squares,
                const std::vector<ValidationPoint>& draw, std::size_t cells) {
  const bool first = total.empty();
  if (first) {
    total = draw;
    squares.assign(draw.size(), 0.0);
  }
  // A draw whose passes converged early has fewer points: keep the points every draw has.
  if (draw.size() < total.size()) total.resize(draw.size()), squares.resize(draw.size());
  for (std::size_t k = 0; k < total.size(); ++k) {
    squares[k] += draw[k].rmse * draw[k].rmse * static_cast<double>(cells);
    if (first) continue;
    for (std::size_t j = 0; j < total[k].squared_error.size(); ++j)
      total[k].squared_error[j] += draw[k].squared_error[j];
  }
}

void finish(std::vector<ValidationPoint>& total, const std::vector<double>& squares, std::size_t cells) {
  for (std::size_t k = 0; k < total.size(); ++k) total[k].rmse = std::sqrt(squares[k] / static_cast<double>(cells));
}

// One schedule scored on every draw (score_draw(held, schedule, check_every) trains without that draw's cells),
// pooled into one curve.
template <class ScoreDraw>
std::vector<ValidationPoint> score_on_draws(std::vector<HeldOut>& draws, const Schedule& schedule, int check_every,
                                            std::size_t cells, const ScoreDraw& score_draw) {
  std::vector<ValidationPoint> curve;
  std::vector<double> squares;
  for (auto& held : draws) accumulate(curve, squares, score_draw(held, schedule, check_every), held.cells.size());
  finish(curve, squares, cells);
  return curve;
}

// How many decades above model.l2 are tried: by default three for new cells (hidden recipes, where the penalty
// decides the score, docs/defaults.md) and none for hidden cells (the imputation defaults were measured without).
int l2_decades(const data::StudyConfig& config, bool recipes) {
  return config.selection_l2_decades >= 0 ? config.selection_l2_decades : (recipes ? 3 : 0);
}

// The group-lasso input penalty tried beside every L2 candidate: by default 3e-2 for new cells (it switches off
// inputs a target does not need: graphite's held-out median R^2 0.59 -> 0.64, MPEA's 0.36 -> 0.37,
// docs/defaults.md) and none for hidden cells (the imputation defaults were measured without).
double tried_input_penalty(const data::StudyConfig& config, bool recipes) {
  return config.selection_input_penalty >= 0 ? config.selection_input_penalty : (recipes ? 3e-2 : 0.0);
}

// The penalties tried per target: model.l2 and `decades` decades above it, each with model.input_penalty and,
// when an input penalty is tried, each again with that (s.input_penalty_candidates stays empty otherwise).
void penalty_candidates(const data::StudyConfig& config, int decades, double input_penalty, ScheduleSelection& s) {
  s.l2_candidates = {config.l2};
  for (int d = 1; d <= decades; ++d) s.l2_candidates.push_back(s.l2_candidates.back() * 10.0);
  if (!(input_penalty > 0.0)) return;
  const std::size_t n = s.l2_candidates.size();
  s.input_penalty_candidates.assign(n, config.input_penalty);
  s.input_penalty_candidates.resize(2 * n, input_penalty);
  s.l2_candidates.resize(2 * n);
  std::copy_n(s.l2_candidates.begin(), n, s.l2_candidates.begin() + static_cast<std::ptrdiff_t>(n));
}

// The target (loss group) of each endpoint: `groups`, or each endpoint its own.
std::vector<int> target_of_endpoints(const std::vector<int>* groups, std::size_t endpoints) {
  std::vector<int> group_of = groups ? *groups : std::vector<int>{};
  if (group_of.empty())
    for (std::size_t j = 0; j < endpoints; ++j) group_of.push_back(static_cast<int>(j));
  return group_of;
}

// Squared held-out error of each target (loss group) at one checkpoint.
std::vector<double> group_errors(const ValidationPoint& point, const std::vector<int>& group_of, int groups) {
  std::vector<double> out(static_cast<std::size_t>(groups), 0.0);
  for (std::size_t j = 0; j < point.squared_error.size(); ++j)
    out[static_cast<std::size_t>(group_of[j])] += point.squared_error[j];
  return out;
}

}  // namespace

std::vector<ValidationPoint> choose_penalties_per_target(const std::vector<std::vector<ValidationPoint>>& runs,
                                                         const std::vector<int>& group_of, std::size_t cells,
                                                         std::vector<std::size_t>& candidate_of_endpoint) {
  const int groups = group_of.empty() ? 0 : *std::max_element(group_of.begin(), group_of.end()) + 1;
  std::vector<ValidationPoint> combined = runs[0];
  std::vector<std::vector<std::size_t>> choice(combined.size());
  for (std::size_t k = 0; k < combined.size(); ++k) {
    std::vector<double> best_error = group_errors(runs[0][k], group_of, groups);
    choice[k].assign(best_error.size(), 0);
    for (std::size_t c = 1; c < runs.size(); ++c) {
      const std::vector<double> error = group_errors(runs[c][k], group_of, groups);
      for (std::size_t g = 0; g < error.size(); ++g)
        if (error[g] < best_error[g]) best_error[g] = error[g], choice[k][g] = c;
    }
    double total = 0.0;
    for (const double e : best_error) total += e;
    combined[k].rmse = std::sqrt(total / static_cast<double>(cells));
    for (std::size_t j = 0; j < group_of.size(); ++j)
      combined[k].squared_error[j] = runs[choice[k][static_cast<std::size_t>(group_of[j])]][k].squared_error[j];
  }
  const std::size_t chosen = static_cast<std::size_t>(&best(combined) - combined.data());
  candidate_of_endpoint.resize(group_of.size());
  for (std::size_t j = 0; j < group_of.size(); ++j)
    candidate_of_endpoint[j] = choice[chosen][static_cast<std::size_t>(group_of[j])];
  return combined;
}

namespace {

// Run A once per penalty candidate of `s` (score(schedule) pools its held-out scores over the draws), then each
// target's choice: writes s.chosen's penalties per endpoint and returns the combined curve.
template <class Score>
std::vector<ValidationPoint> choose_penalties(ScheduleSelection& s, std::size_t endpoints,
                                              const std::vector<int>* groups, const Score& score, int max_epochs) {
  const bool input_candidates = !s.input_penalty_candidates.empty();
  std::vector<std::vector<ValidationPoint>> runs;
  for (std::size_t c = 0; c < s.l2_candidates.size(); ++c) {
    Schedule run = Schedule::plain(max_epochs, 0, 0);
    run.l2_by_endpoint.assign(endpoints, s.l2_candidates[c]);
    if (input_candidates) run.input_penalty_by_endpoint.assign(endpoints, s.input_penalty_candidates[c]);
    runs.push_back(score(run));
  }
  const std::vector<int> group_of = target_of_endpoints(groups, endpoints);
  std::vector<std::size_t> candidate_of;
  std::vector<ValidationPoint> combined = choose_penalties_per_target(runs, group_of, s.held_out_cells, candidate_of);
  for (const std::size_t c : candidate_of) {
    s.chosen.l2_by_endpoint.push_back(s.l2_candidates[c]);
    if (input_candidates) s.chosen.input_penalty_by_endpoint.push_back(s.input_penalty_candidates[c]);
  }
  return combined;
}

// Run A' (when selection.input_dropout is set): run A again with the other input dropout for every target, each
// with the penalties it chose, then each target's choice between the two; writes s.chosen's dropout per endpoint
// and returns the combined curve.
template <class Score>
std::vector<ValidationPoint> choose_input_dropout(ScheduleSelection& s, double model_rate, double other_rate,
                                                  std::size_t endpoints, const std::vector<int>* groups,
                                                  const Score& score, int max_epochs) {
  Schedule run = Schedule::plain(max_epochs, 0, 0);
  run.l2_by_endpoint = s.chosen.l2_by_endpoint;
  run.input_penalty_by_endpoint = s.chosen.input_penalty_by_endpoint;
  run.input_dropout_by_endpoint.assign(endpoints, other_rate);
  const std::vector<std::vector<ValidationPoint>> runs{s.initial, score(run)};
  const std::vector<int> group_of = target_of_endpoints(groups, endpoints);
  std::vector<std::size_t> candidate_of;
  std::vector<ValidationPoint> combined = choose_penalties_per_target(runs, group_of, s.held_out_cells, candidate_of);
  s.input_dropout_candidates = {model_rate, other_rate};
  for (const std::size_t c : candidate_of)
    s.chosen.input_dropout_by_endpoint.push_back(c == 0 ? model_rate : other_rate);
  return combined;
}

}  // namespace

template <class T>
ScheduleSelection select_schedule(const NetworkShape& shape, const Matrix& descriptors, const Matrix& endpoints,
                                  const data::StudyConfig& config, const MemberDistribution& distribution,
                                  const ScoreObserver& scored, const std::vector<int>* groups,
                                  const SafePointScope& safe) {
  ScheduleSelection s;
  s.chosen = Schedule::plain(config.epochs, config.max_passes, config.pass_epochs);
  // On a small table one draw holds out a handful of cells and the choice is noise: draw again (independently)
  // until about kEnoughCells cells have been scored, at most kMostDraws times.
  constexpr std::size_t kEnoughCells = 100, kMostDraws = 5;
  const bool rows = data::scores_new_cells(config);
  const Matrix* recipes = rows ? &descriptors : nullptr;
  std::vector<HeldOut> draws{choose_held_out(endpoints, config.holdout_fraction, config.seed, 0, recipes)};
  if (draws[0].cells.empty()) return s;  // nothing to score on: keep the configured schedule
  // Whole rows: a curve's points make one row score many cells, so count rows instead (about 30 new cells).
  constexpr std::size_t kEnoughRows = 30;
  const std::size_t unit = rows ? held_rows(draws[0]) : draws[0].cells.size();
  const std::size_t enough = rows ? kEnoughRows : kEnoughCells;
  const std::size_t wanted = std::min(kMostDraws, (enough + unit - 1) / unit);
  while (draws.size() < wanted)
    draws.push_back(choose_held_out(endpoints, config.holdout_fraction, config.seed, draws.size(), recipes));
  for (const auto& d : draws) s.held_out_cells += d.cells.size();
  s.draws = draws.size();
  s.members = static_cast<std::size_t>(std::min(config.selection_members, config.members));
  const std::size_t table_rows = static_cast<std::size_t>(endpoints.rows());

  // Trains a fresh selection ensemble on the table without one draw's cells and returns that draw's scores. Each
  // such run is a unit of the safe points: a resumed selection takes the runs it had finished from the record.
  std::size_t runs_made = 0;
  auto score_draw = [&](HeldOut& held, const Schedule& schedule, int check_every) {
    const std::string unit = safe.unit("run " + std::to_string(++runs_made));
    if (const std::vector<double>* recorded = safe.points ? safe.points->recorded(unit) : nullptr)
      return decode_points(*recorded, static_cast<std::size_t>(endpoints.cols()));
    Matrix training = endpoints;
    for (const auto& cell : held.cells) training(cell.row, cell.endpoint) = std::nan("");
    held.check_every = check_every;
    Ensemble<T> ensemble(shape, s.members, distribution, config.seed, table_rows);
    ensemble.set_centre(centre_named(config.centre));
    TrainingOptions options;
    options.groups = groups;
    options.held_out = &held;
    options.scored = scored;
    std::vector<ValidationPoint> scores =
        ImputationLoop<T>(ensemble, descriptors, training, loop_settings(config, schedule), nullptr)
            .train(schedule, options)
            .validation;
    if (safe.points) {
      safe.points->record(unit, encode_points(scores));
      safe.points->reached({});
    }
    return scores;
  };

  // Run A: how long to train before any pass (and, when asked, with which penalties per target).
  const int check = config.selection_check_every;
  penalty_candidates(config, l2_decades(config, rows), tried_input_penalty(config, rows), s);
  if (s.l2_candidates.size() == 1) {
    s.l2_candidates.clear();
    s.initial =
        score_on_draws(draws, Schedule::plain(config.selection_max_epochs, 0, 0), check, s.held_out_cells, score_draw);
  } else {
    s.initial = choose_penalties(
        s, static_cast<std::size_t>(endpoints.cols()), groups,
        [&](const Schedule& run) { return score_on_draws(draws, run, check, s.held_out_cells, score_draw); },
        config.selection_max_epochs);
  }
  const double model_dropout = data::input_dropout_for(config), other_dropout = config.selection_input_dropout;
  if (other_dropout >= 0.0 && other_dropout != model_dropout)
    s.initial = choose_input_dropout(
        s, model_dropout, other_dropout, static_cast<std::size_t>(endpoints.cols()), groups,
        [&](const Schedule& run) { return score_on_draws(draws, run, check, s.held_out_cells, score_draw); },
        config.selection_max_epochs);
  s.chosen.epochs = best(s.initial).epochs;
  s.chosen.pass_epochs = std::max(check, s.chosen.epochs / 4);
  s.chosen.passes = 0;

  // Run B: how many passes, after that initial training.
  if (config.max_passes > 0) {
    Schedule with_passes = s.chosen;
    with_passes.passes = config.max_passes;
    s.passes = score_on_draws(draws, with_passes, 0, s.held_out_cells, score_draw);
    s.chosen.passes = best(s.passes).passes;
  }
  return s;
}

template ScheduleSelection select_schedule<float>(const NetworkShape&, const Matrix&, const Matrix&,
                                                  const data::StudyConfig&, const MemberDistribution&,
                                                  const ScoreObserver&, const std::vector<int>*, const SafePointScope&);
template ScheduleSelection select_schedule<double>(const NetworkShape&, const Matrix&, const Matrix&,
                                                   const data::StudyConfig&, const MemberDistribution&,
                                                   const ScoreObserver&, const std::vector<int>*,
                                                   const SafePointScope&);

}  // namespace elec::model
