#pragma once
// From a validated dataset to a trained model, and from a trained model to predictions, in data units. The
// precision (float32/float64) is chosen here, once; processes appear only as the member distribution.
#include <functional>

#include "elec/data/dataset.hpp"
#include "elec/data/schema.hpp"
#include "elec/data/study_config.hpp"
#include "elec/model/distribution.hpp"
#include "elec/model/imputation_loop.hpp"
#include "elec/model/schedule_selection.hpp"
#include "elec/model/trained_model.hpp"

namespace elec::model {

struct Progress {
  PassObserver pass;                                       // each imputation pass of the final training
  ScoreObserver scored;                                    // each held-out score during the selection
  std::function<void(const ScheduleSelection&)> selected;  // once the schedule is chosen (auto selection)
};

// Standardises, chooses the schedule (when config.auto_schedule), trains this process's members with the
// imputation loop, and collects every member's weights, so that every process returns the same complete model.
// The model's config is the effective one: epochs, pass_epochs and max_passes are those actually run.
// `selected`: a selection already made for this study (select_training_schedule, e.g. shared with the calibration
// folds), whose schedule is run as chosen. `safe`: the selection's runs ("<scope>/selection/run k") and the final
// training ("<scope>/final") are safe points of the caller's run.
TrainedModel train_model(const data::Dataset& dataset, const data::Schema& schema, const data::StudyConfig& config,
                         const MemberDistribution& distribution, const Progress& progress,
                         const ScheduleSelection* selected = nullptr, const SafePointScope& safe = {});

// The schedule selection train_model would make (call it only when config.auto_schedule), on its own: its runs
// are units of `safe` ("<scope>/run k"); progress.selected is told the choice.
ScheduleSelection select_training_schedule(const data::Dataset& dataset, const data::StudyConfig& config,
                                           const MemberDistribution& distribution, const Progress& progress,
                                           const SafePointScope& safe = {});

struct CellPredictions {
  Matrix values;  // rows x E: given values where given, the prediction elsewhere
  // rows x E: the ensemble's centre (members' mean or median) of every cell, or for a cell given by its descriptors
  // alone the read-out its calibration chose (model/readout)
  Matrix prediction;
  Matrix spread;                // rows x E: the model's std: the members' spread times the model's calibration scale
  Matrix raw_spread;            // rows x E: standard deviation over members
  std::vector<double> members;  // members x rows x E, when asked for: stretched about the mean by the calibration
  std::vector<PassRecord> history;
  bool converged = false;
};

// Imputes new cells with a trained model (descriptors given; known endpoints used as inputs, NaN = blank), with
// the passes the model was trained with. The passes run on the raw spread; the calibration (read-out, then scale)
// applies to the output.
CellPredictions predict_cells(const TrainedModel& model, const Matrix& descriptors, const Matrix& endpoints,
                              const MemberDistribution& distribution, const PassObserver& observe, bool keep_members);

}  // namespace elec::model
