#pragma once
// Choosing how long to train and how many imputation passes to run, by scoring on measured cells hidden from
// training. Measured on real tables (docs/defaults.md), the best fixed epoch count differs from table to table
// (25 on small dense tables, 800 on the sparse MPEA table, where passes even hurt), so a fixed default loses
// somewhere; a held-out score does not.
//
//   1. hide `holdout_fraction` of the measured cells (never a column's last one), or with `holdout = "rows"` that
//      fraction of whole recipes (all replicate rows of a descriptor vector: what predicting new cells from their
//      descriptors asks; a replicate left in training would score memory, not prediction); on a small table, repeat
//      with independent draws (up to 5) until about 100 cells are scored, and pool the scores;
//   2. run A: train `max_epochs` with no passes, scoring the ensemble mean on the hidden cells every
//      `check_every` epochs -> epochs* = the best checkpoint;
//   3. run B: train epochs*, then up to `max_passes` passes of pass_epochs* = max(check_every, epochs*/4),
//      scoring after each -> passes* = the best;
//   4. the caller retrains on every measured cell with (epochs*, passes*, pass_epochs*).
// With `l2_decades` > 0, run A is made once per L2 penalty (model.l2 and that many decades above it) and each
// target (a scalar endpoint, or a whole curve) keeps the penalty that scores best at the chosen checkpoint: the
// nearly linear targets and those measured on a few recipes want a strong one, a curve a weak one (measured for
// new cells in docs/defaults.md). Its networks are independent, so a target's choice does not change another's.
// With an input penalty to try (`selection.input_penalty` > 0, or by default 3e-2 when whole recipes are hidden),
// every L2 candidate is also run with that group-lasso input penalty, and each target chooses among them all.
// With `selection.input_dropout` >= 0, run A is made once more with that input dropout for every target (each with
// the penalties it chose), and each target keeps the dropout that scores best (run A': one more run per draw).
// Selection uses min(selection members, members) members; everything is seeded, so it is as reproducible as
// training.
#include <cstdint>
#include <vector>

#include "elec/data/matrix.hpp"
#include "elec/data/study_config.hpp"
#include "elec/model/distribution.hpp"
#include "elec/model/imputation_loop.hpp"

namespace elec::model {

struct ScheduleSelection {
  Schedule chosen;
  std::size_t held_out_cells = 0;  // over all draws
  std::size_t draws = 0;
  std::size_t members = 0;
  std::vector<ValidationPoint> initial;  // run A: scored checkpoints of the initial training
  std::vector<ValidationPoint> passes;   // run B: scored after each pass
  // The penalties tried per target: candidate k is (l2_candidates[k], input_penalty_candidates[k]); both empty:
  // the config's only; input_penalty_candidates empty: model.input_penalty with every L2 candidate.
  std::vector<double> l2_candidates;
  std::vector<double> input_penalty_candidates;
  // The input dropouts tried per target (the model's, then selection.input_dropout); empty: only the model's.
  std::vector<double> input_dropout_candidates;
};

// Measured cells to hide: each with probability `fraction`, reproducibly from (seed, draw), never the last
// measured cell of a column. With `recipes` (the descriptors), whole recipes are hidden instead: every row with
// those descriptors (a recipe's replicates), with all its measured cells, as a new cell is predicted from its
// descriptors alone, unless that would take a column's last measured cell. Returns them with their standardised
// values.
HeldOut choose_held_out(const Matrix& endpoints, double fraction, std::uint64_t seed, std::uint64_t draw,
                        const Matrix* recipes = nullptr);

// Given run A once per penalty candidate (`runs[c]`, the same checkpoints, squared errors per endpoint), the
// checkpoint and the candidate per target (`group_of`: endpoint -> target) that together give the lowest pooled
// held-out error: at each checkpoint every target takes its best candidate (the first listed on ties), and the
// checkpoint with the lowest total wins (the earliest on ties). Returns the combined curve (its RMSE over `cells`
// held-out cells is what the chosen penalties score at each checkpoint) and writes the chosen candidate's index
// per endpoint.
std::vector<ValidationPoint> choose_penalties_per_target(const std::vector<std::vector<ValidationPoint>>& runs,
                                                         const std::vector<int>& group_of, std::size_t cells,
                                                         std::vector<std::size_t>& candidate_of_endpoint);

// `safe`: each scoring run is a unit of these safe points ("<scope>/run k"), recorded when made and taken from the
// record when a resumed run meets it again.
template <class T>
ScheduleSelection select_schedule(const NetworkShape& shape, const Matrix& descriptors, const Matrix& endpoints,
                                  const data::StudyConfig& config, const MemberDistribution& distribution,
                                  const ScoreObserver& scored = nullptr, const std::vector<int>* groups = nullptr,
                                  const SafePointScope& safe = {});

}  // namespace elec::model
