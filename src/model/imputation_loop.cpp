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

LoopSettings loop_settings(const data::StudyConfig& config, const Schedule& schedule) {
  LoopSettings out{
      {config.learning_rate, config.l2, data::input_dropout_for(config), config.cell_dropout, schedule.l2_by_endpoint,
       config.input_penalty, schedule.input_penalty_by_endpoint, schedule.input_dropout_by_endpoint},
      config.softening,
      config.tolerance};
  // One rate for every endpoint is the common dropout: the members need not draw the inputs twice.
  std::vector<double>& rate = out.training.input_dropout_by_endpoint;
  if (!rate.empty() && std::all_of(rate.begin(), rate.end(), [&](double r) { return r == rate.front(); })) {
    out.training.input_dropout = rate.front();
    rate.clear();
  }
  return out;
}

template <class T>
ImputationLoop<T>::ImputationLoop(Ensemble<T>& ensemble, const Matrix& descriptors, const Matrix& endpoints,
                                  LoopSettings settings, PassObserver observe)
    : ensemble_(ensemble),
      settings_(std::move(settings)),
      observe_(std::move(observe)),
      state_(ensemble.shape(), descriptors, endpoints),
      start_(std::chrono::steady_clock::now()) {
  for (const auto& blank : state_.blanks())
    blank_cells_.push_back(static_cast<std::size_t>(blank.row * endpoints.cols() + blank.endpoint));
}

template <class T>
ImputationResult ImputationLoop<T>::train(const Schedule& schedule, const TrainingOptions& options) {
  training_ = true;
  held_out_ = options.held_out;
  scored_ = options.scored;
  if (held_out_) held_positions_ = positions_among_blanks(state_.blanks(), *held_out_, state_.endpoints().cols());
  resume(options.safe_points);
  table_.inputs = state_.inputs<T>();
  set_targets(state_, options.groups ? *options.groups : std::vector<int>{}, table_);
  initial_training(schedule.epochs);
  for (int number = passes_done_ + 1; number <= schedule.passes && !state_.blanks().empty(); ++number)
    if (pass(number, schedule.epochs, schedule.pass_epochs)) break;
  read_out(schedule.epochs, false);
  if (safe_.points) safe_.points->finished(safe_.scope);
  return std::move(result_);
}

template <class T>
ImputationResult ImputationLoop<T>::impute(int passes, bool keep_members) {
  table_.inputs = state_.inputs<T>();
  for (int number = 1; number <= passes && !state_.blanks().empty(); ++number)
    if (pass(number, 0, 0)) break;
  read_out(0, keep_members);
  return std::move(result_);
}

// A saved state of this training (same scope) continues it: members, estimate and confidence, history, progress.
template <class T>
void ImputationLoop<T>::resume(const SafePointScope& safe) {
  safe_ = safe;
  const TrainingState* saved = safe_.points ? safe_.points->resumed(safe_.scope) : nullptr;
  if (!saved) return;
  ensemble_.restore_states(saved->members);
  state_.restore(saved->estimate, saved->confidence);
  result_.history = saved->history;
  epochs_done_ = saved->epochs_done, passes_done_ = saved->passes_done;
}

// Training on the mean-filled table, in chunks between held-out scores and safe points (the last chunk's score is
// made by the first pass or the read-out). Done once the history holds its record.
template <class T>
void ImputationLoop<T>::initial_training(int epochs) {
  const bool checked = held_out_ && held_out_->check_every > 0;
  const int chunk = checked ? held_out_->check_every : safe_.points ? kSafePointEpochs : epochs;
  while (result_.history.empty() && epochs_done_ < epochs) {
    const int step = std::min(chunk, epochs - epochs_done_);
    ensemble_.train(step, settings_.training, table_);
    epochs_done_ += step;
    if (checked && epochs_done_ < epochs)
      score(epochs_done_, 0, ensemble_.statistics(table_.inputs, blank_cells_).mean);
    if (epochs_done_ < epochs) offer_safe_point();
  }
  if (result_.history.empty()) {
    result_.history.push_back({0, 0.0, 0.0, seconds_since(start_)});
    if (observe_) observe_(result_.history.back());
    offer_safe_point();
  }
}

// Every member predicts the blanks, the estimate moves towards their mean, and (training) the members train on.
template <class T>
bool ImputationLoop<T>::pass(int number, int epochs_before, int pass_epochs) {
  const CellStatistics blank_statistics = ensemble_.statistics(table_.inputs, blank_cells_);
  score(epochs_before, passes_done_, blank_statistics.mean);
  const auto change = state_.update(blank_statistics.mean, blank_statistics.spread, settings_.softening);
  table_.inputs = state_.inputs<T>();
  result_.history.push_back({number, change.max, change.mean, seconds_since(start_)});
  if (observe_) observe_(result_.history.back());
  if (change.max < settings_.tolerance) return result_.converged = true;
  if (training_) ensemble_.train(pass_epochs, settings_.training, table_);
  passes_done_ = number;
  if (training_) offer_safe_point();
  return false;
}

// Every member predicts every cell from the settled table; blanks take the ensemble mean.
template <class T>
void ImputationLoop<T>::read_out(int epochs, bool keep_members) {
  if (state_.blanks().empty()) result_.converged = true;
  const CellStatistics every = ensemble_.statistics(table_.inputs);
  const Eigen::Index rows = state_.endpoints().rows(), E = state_.endpoints().cols();
  result_.prediction = Eigen::Map<const Matrix>(every.mean.data(), rows, E);
  result_.spread = Eigen::Map<const Matrix>(every.spread.data(), rows, E);
  result_.values = state_.endpoints();
  std::vector<double> blank_mean;
  for (const auto& blank : state_.blanks()) {
    result_.values(blank.row, blank.endpoint) = result_.prediction(blank.row, blank.endpoint);
    blank_mean.push_back(result_.prediction(blank.row, blank.endpoint));
  }
  score(epochs, passes_done_, blank_mean);
  if (keep_members) result_.member_predictions = ensemble_.predict_all(table_.inputs);
}

template <class T>
void ImputationLoop<T>::score(int epochs, int passes, const std::vector<double>& blank_mean) {
  if (!held_out_) return;
  result_.validation.push_back(
      score_at(epochs, passes, blank_mean, held_positions_, *held_out_, state_.endpoints().cols()));
  if (scored_) scored_(result_.validation.back());
}

template <class T>
void ImputationLoop<T>::offer_safe_point() {
  if (!safe_.points) return;
  safe_.points->reached([&] {
    return TrainingState{safe_.scope,         epochs_done_,    passes_done_,           state_.endpoints(),
                         state_.confidence(), result_.history, ensemble_.state_size(), ensemble_.all_states()};
  });
}

template class ImputationLoop<float>;
template class ImputationLoop<double>;

}  // namespace elec::model
