#pragma once
// Everything a trained study needs to predict new cells, independent of how it is stored: the column meaning,
// the normalisation, the hyperparameters and every member's weights (float64, member order), plus the imputed
// training table and the pass history for provenance.
#include <cstdint>
#include <string>
#include <vector>

#include "elec/data/dataset.hpp"
#include "elec/data/schema.hpp"
#include "elec/data/standardizer.hpp"
#include "elec/data/study_config.hpp"
#include "elec/model/calibration.hpp"
#include "elec/model/network.hpp"
#include "elec/model/schedule_selection.hpp"

namespace elec::model {

struct TrainedModel {
  data::Schema schema;
  data::StudyConfig config;
  std::vector<std::string> descriptor_names, descriptor_units, endpoint_names, endpoint_units;
  std::vector<data::CategoricalEncoding> encodings;
  std::vector<data::CurveBlock> curves;  // functional endpoints' blocks among the endpoints (derived: schema.derived)
  data::Standardizer descriptor_scaling, endpoint_scaling;
  NetworkShape shape;
  std::vector<NetworkParams<double>> members;

  // The training table after imputation, in the data's units.
  std::vector<std::string> training_row_ids;
  Matrix training_descriptors;  // rows x D (encoded)
  Matrix training_values;       // rows x E: measured, or imputed
  Matrix training_spread;       // rows x E: member standard deviation
  Matrix training_prediction;   // rows x E: ensemble mean of every cell
  Matrix training_measured;     // rows x E: 1 measured, 0 imputed
  std::vector<PassRecord> history;
  ScheduleSelection selection;  // empty traces when the schedule was fixed by the config
  Calibration calibration;      // variance scales of the reported std; empty when not fitted ([calibration] folds)
};

// FNV-1a over every member's weights in member order: equal checksums <=> bitwise-equal models.
std::uint64_t checksum(const std::vector<NetworkParams<double>>& members);
std::string checksum_hex(std::uint64_t value);

template <class T>
NetworkParams<double> to_double(const NetworkParams<T>& params);
template <class T>
NetworkParams<T> from_double(const NetworkParams<double>& params);

}  // namespace elec::model
