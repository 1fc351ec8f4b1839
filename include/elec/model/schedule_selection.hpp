#pragma once
// Choosing how long to train and how many imputation passes to run, by scoring on measured cells hidden from
// training. Measured on real tables (docs/defaults.md), the best fixed epoch count differs from table to table
// (25 on small dense tables, 800 on the sparse MPEA table, where passes even hurt), so a fixed default loses
// somewhere; a held-out score does not.
//
//   1. hide `holdout_fraction` of the measured cells (never a column's last one), or with `holdout = "rows"` that
//      fraction of whole rows (what predicting new cells from their descriptors asks); on a small table, repeat
//      with independent draws (up to 5) until about 100 cells are scored, and pool the scores;
//   2. run A: train `max_epochs` with no passes, scoring the ensemble mean on the hidden cells every
//      `check_every` epochs -> epochs* = the best checkpoint;
//   3. run B: train epochs*, then up to `max_passes` passes of pass_epochs* = max(check_every, epochs*/4),
//      scoring after each -> passes* = the best;
//   4. the caller retrains on every measured cell with (epochs*, passes*, pass_epochs*).
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
};

// Measured cells to hide: each with probability `fraction`, reproducibly from (seed, draw), never the last
// measured cell of a column. With whole_rows, a row is hidden with all its measured cells (a new cell, predicted
// from its descriptors alone), unless that would take a column's last measured cell. Returns them with their
// standardised values.
HeldOut choose_held_out(const Matrix& endpoints, double fraction, std::uint64_t seed, std::uint64_t draw,
                        bool whole_rows = false);

template <class T>
ScheduleSelection select_schedule(const NetworkShape& shape, const Matrix& descriptors, const Matrix& endpoints,
                                  const data::StudyConfig& config, const MemberDistribution& distribution,
                                  const ScoreObserver& scored = nullptr, const std::vector<int>* groups = nullptr);

}  // namespace elec::model
