#pragma once
// From a validated dataset to a trained model, and from a trained model to predictions, in data units. The
// precision (float32/float64) is chosen here, once; ranks appear only as the owned member range and the gather.
#include <cstddef>

#include "elec/data/dataset.hpp"
#include "elec/data/schema.hpp"
#include "elec/data/study_config.hpp"
#include "elec/model/ensemble.hpp"
#include "elec/model/trained_model.hpp"

namespace elec::model {

struct MemberRange {
  std::size_t first = 0;
  std::size_t last = 0;  // exclusive
};

// Standardises, trains the owned members with the imputation loop, and gathers every member's weights so that
// all ranks return the same complete model.
TrainedModel train_model(const data::Dataset& dataset, const data::Schema& schema, const data::StudyConfig& config,
                         MemberRange owned, const GatherMembers& gather, const PassObserver& observe);

struct CellPredictions {
  Matrix values;      // rows x E: given values where given, ensemble mean elsewhere
  Matrix prediction;  // rows x E: ensemble mean of every cell
  Matrix spread;      // rows x E: standard deviation over members
  std::vector<double> members;  // members x rows x E, when asked for
  std::vector<PassRecord> history;
  bool converged = false;
};

// Imputes new cells with a trained model (descriptors given; known endpoints used as inputs, NaN = blank).
CellPredictions predict_cells(const TrainedModel& model, const Matrix& descriptors, const Matrix& endpoints,
                              MemberRange owned, const GatherMembers& gather, const PassObserver& observe,
                              bool keep_members);

}  // namespace elec::model
