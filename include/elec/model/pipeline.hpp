#pragma once
// From a validated dataset to a trained model, and from a trained model to predictions, in data units. The
// precision (float32/float64) is chosen here, once; processes appear only as the member distribution.
#include <functional>

#include "elec/data/dataset.hpp"
#include "elec/data/schema.hpp"
#include "elec/data/study_config.hpp"
#include "elec/model/distribution.hpp"
#include "elec/model/imputation_loop.hpp"
#include "elec/model/trained_model.hpp"

namespace elec::model {

struct Progress {
  PassObserver pass;                                          // each imputation pass of the final training
  ScoreObserver scored;                                       // each held-out score during the selection
  std::function<void(const ScheduleSelection&)> selected;     // once the schedule is chosen (auto selection)
};

// Standardises, chooses the schedule (when config.auto_schedule), trains this process's members with the
// imputation loop, and collects every member's weights, so that every process returns the same complete model.
// The model's config is the effective one: epochs, pass_epochs and max_passes are those actually run.
// `chosen`: a schedule already selected for this study (e.g. the final model's, for its calibration folds), run
// as given without a new selection.
TrainedModel train_model(const data::Dataset& dataset, const data::Schema& schema, const data::StudyConfig& config,
                         const MemberDistribution& distribution, const Progress& progress,
                         const Schedule* chosen = nullptr);

struct CellPredictions {
  Matrix values;      // rows x E: given values where given, ensemble mean elsewhere
  Matrix prediction;  // rows x E: ensemble mean of every cell
  Matrix spread;      // rows x E: the model's std: the members' spread times the model's calibration scale
  Matrix raw_spread;  // rows x E: standard deviation over members
  std::vector<double> members;  // members x rows x E, when asked for: stretched about the mean by the calibration
  std::vector<PassRecord> history;
  bool converged = false;
};

// Imputes new cells with a trained model (descriptors given; known endpoints used as inputs, NaN = blank), with
// the passes the model was trained with. The passes run on the raw spread; the calibration applies to the output.
CellPredictions predict_cells(const TrainedModel& model, const Matrix& descriptors, const Matrix& endpoints,
                              const MemberDistribution& distribution, const PassObserver& observe,
                              bool keep_members);

}  // namespace elec::model
