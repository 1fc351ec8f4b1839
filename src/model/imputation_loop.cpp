#include "elec/model/imputation_loop.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <unordered_map>

namespace elec::model {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Measured cells are the training targets; imputed values are inputs, never targets.
template <class T>
void set_targets(const ImputationState& state, const std::vector<int>& groups, TrainingTable<T>& table) {
  const Matrix measured = state.measured_mask();
  table.targets = state.endpoints().cast<T>();
  table.targets.array() *= measured.cast<T>().array();
  table.weights = target_weights(measured, groups).cast<T>();
  table.group_of = groups;
}

// Where each held-out cell sits in the list of blanks (held-out cells are blanks of the training table).
std::vector<std::size_t> positions_among_blanks(const std::vector<BlankCell>& blanks, const HeldOut& held_out,
                                                Eigen::Index endpoints) {
  std::unordered_map<Eigen::Index, std::size_t> index_of;
  for (std::size_t b = 0; b < blanks.size(); ++b) index_of[blanks[b].row * endpoints + blanks[b].endpoint] = b;
  std::vector<std::size_t> out;
  for (const auto& cell : held_out.cells) out.push_back(index_of.at(cell.row * endpoints + cell.endpoint));
  return out;
}

ValidationPoint score_at(int epochs, int passes, const std::vector<double>& mean,
                         const std::vector<std::size_t>& positions, const HeldOut& held_out, Eigen::Index endpoints) {
  ValidationPoint point{epochs, passes, std::nan(""), std::vector<double>(static_cast<std::size_t>(endpoints), 0.0)};
  double sum = 0.0;
  for (std::size_t k = 0; k < positions.size(); ++k) {
    const double error = (mean[positions[k]] - held_out.truth[k]) * (mean[positions[k]] - held_out.truth[k]);
    sum += error;
    point.squared_error[static_cast<std::size_t>(held_out.cells[k].endpoint)] += error;
  }
  if (!positions.empty()) point.rmse = std::sqrt(sum / static_cast<double>(positions.size()));
  return point;
}

}  // namespace

template <class T>
ImputationResult run_imputation(Ensemble<T>& ensemble, const Matrix& descriptors, const Matrix& endpoints,
                                const Schedule& schedule, const data::StudyConfig& config, const PassObserver& observe,
                                const LoopOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const TrainingSettings settings{config.learning_rate, config.l2, data::input_dropout_for(config), config.cell_dropout,
                                  schedule.l2_by_endpoint};
  ImputationState state(ensemble.shape(), descriptors, endpoints);
  const auto& blanks = state.blanks();
  ImputationResult result;
  std::vector<std::size_t> blank_cells;  // flat cell indices of the blanks, in their order
  for (const auto& blank : blanks)
    blank_cells.push_back(static_cast<std::size_t>(blank.row * endpoints.cols() + blank.endpoint));

  std::vector<std::size_t> held_positions;
  if (options.held_out) held_positions = positions_among_blanks(blanks, *options.held_out, endpoints.cols());
  auto score = [&](int epochs, int passes, const std::vector<double>& blank_mean) {
    if (!options.held_out) return;
    result.validation.push_back(
        score_at(epochs, passes, blank_mean, held_positions, *options.held_out, endpoints.cols()));
    if (options.scored) options.scored(result.validation.back());
  };

  // Safe points (training only): a saved state of this training continues it; after every chunk of initial epochs
  // and every pass the state is offered to be saved.
  const SafePointScope& safe = options.safe_points;
  int epochs_done = 0, passes_done = 0;
  const TrainingState* saved = options.train && safe.points ? safe.points->resumed(safe.scope) : nullptr;
  if (saved) {
    ensemble.restore_states(saved->members);
    state.restore(saved->estimate, saved->confidence);
    result.history = saved->history;
    epochs_done = saved->epochs_done, passes_done = saved->passes_done;
  }
  auto safe_point = [&] {
    if (!safe.points) return;
    safe.points->reached([&] {
      return TrainingState{safe.scope,         epochs_done,    passes_done,           state.endpoints(),
                           state.confidence(), result.history, ensemble.state_size(), ensemble.all_states()};
    });
  };

  // table.inputs is the network's view of the current estimate, refreshed after every update and shared by
  // prediction and training.
  TrainingTable<T> table;
  table.inputs = state.inputs<T>();
  if (options.train) {
    set_targets(state, options.groups ? *options.groups : std::vector<int>{}, table);
    const bool checked = options.held_out && options.held_out->check_every > 0;
    const int chunk = checked ? options.held_out->check_every : safe.points ? kSafePointEpochs : schedule.epochs;
    // Scored checkpoints during the initial training (the last one is scored by the first pass or the read-out).
    // The initial training is done once history holds its record.
    while (result.history.empty() && epochs_done < schedule.epochs) {
      const int step = std::min(chunk, schedule.epochs - epochs_done);
      ensemble.train(step, settings, table);
      epochs_done += step;
      if (checked && epochs_done < schedule.epochs)
        score(epochs_done, 0, ensemble.statistics(table.inputs, blank_cells).mean);
      if (epochs_done < schedule.epochs) safe_point();
    }
    if (result.history.empty()) {
      result.history.push_back({0, 0.0, 0.0, seconds_since(start)});
      if (observe) observe(result.history.back());
      safe_point();
    }
  }

  for (int pass = passes_done + 1; pass <= schedule.passes && !blanks.empty(); ++pass) {
    const CellStatistics blank_statistics = ensemble.statistics(table.inputs, blank_cells);
    score(schedule.epochs, passes_done, blank_statistics.mean);
    const auto change = state.update(blank_statistics.mean, blank_statistics.spread, config.softening);
    table.inputs = state.inputs<T>();
    result.history.push_back({pass, change.max, change.mean, seconds_since(start)});
    if (observe) observe(result.history.back());
    if (change.max < config.tolerance) {
      result.converged = true;
      break;
    }
    if (options.train) ensemble.train(schedule.pass_epochs, settings, table);
    passes_done = pass;
    if (options.train) safe_point();
  }
  if (blanks.empty()) result.converged = true;

  // Final read-out: every member predicts every cell from the settled table.
  const std::size_t rows = static_cast<std::size_t>(endpoints.rows());
  const std::size_t E = static_cast<std::size_t>(endpoints.cols());
  const CellStatistics every = ensemble.statistics(table.inputs);
  result.prediction =
      Eigen::Map<const Matrix>(every.mean.data(), static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(E));
  result.spread =
      Eigen::Map<const Matrix>(every.spread.data(), static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(E));
  result.values = state.endpoints();
  std::vector<double> blank_mean;
  for (const auto& blank : blanks) {
    result.values(blank.row, blank.endpoint) = result.prediction(blank.row, blank.endpoint);
    blank_mean.push_back(result.prediction(blank.row, blank.endpoint));
  }
  score(schedule.epochs, passes_done, blank_mean);
  if (options.keep_members) result.member_predictions = ensemble.predict_all(table.inputs);
  if (options.train && safe.points) safe.points->finished(safe.scope);
  return result;
}

template ImputationResult run_imputation<float>(Ensemble<float>&, const Matrix&, const Matrix&, const Schedule&,
                                                const data::StudyConfig&, const PassObserver&, const LoopOptions&);
template ImputationResult run_imputation<double>(Ensemble<double>&, const Matrix&, const Matrix&, const Schedule&,
                                                 const data::StudyConfig&, const PassObserver&, const LoopOptions&);

}  // namespace elec::model
