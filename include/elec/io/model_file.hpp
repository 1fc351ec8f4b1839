#pragma once
// The model and predictions file formats (HDF5), and the provenance every output carries. Layout documented in
// README.md ("HDF5 layout"). The writers write the file at the path they are given and check its flush and close;
// commands give them the temporary of an common::write_atomically output.
#include <string>
#include <vector>

#include "elec/data/matrix.hpp"
#include "elec/model/trained_model.hpp"

namespace elec::io {

inline constexpr int kModelFormatVersion = 3;  // 2: functional endpoints and derived scalars; 3: /calibration
inline constexpr int kPredictionsFormatVersion = 1;

// Who made a file and how; written as root attributes of every output.
struct Provenance {
  std::string command_line;
  int ranks = 1;
  int threads = 1;
};
class Group;
// The root attributes every elec_hpc HDF5 output carries: format and version, program version and commit, creation
// time, command line, ranks and threads.
void write_provenance(Group& root, const std::string& format, int version, const Provenance& provenance);

void write_model(const std::string& path, const model::TrainedModel& model, const Provenance& provenance);
// Reads and validates a model file (src/io/model_reader.cpp): shapes against each other and the columns, finite
// weights and normalisation, positive scales, the stored checksum recomputed. Throws data::InputError listing
// every problem as "file:/group/dataset: ..." when the file is not a whole elec_hpc model of a readable version.
model::TrainedModel read_model(const std::string& path);

// A predicted curve on the requested abscissa values, and the derived scalars read off every member's curves.
struct CurvePrediction {
  std::string name, unit, abscissa_name;
  std::vector<double> abscissa;
  Matrix mean, spread;          // rows x abscissa; spread = the model's (calibrated) std
  Matrix raw_spread;            // rows x abscissa: the members' own spread
  std::vector<double> members;  // members x rows x abscissa, empty unless asked for
};

struct DerivedPrediction {
  std::vector<std::string> names;
  Matrix mean, spread;          // rows x derived; spread = the model's (calibrated) std
  Matrix raw_spread;            // rows x derived: the members' own spread
  Matrix given;                 // rows x derived: values the input table gave (NaN: none)
  std::vector<double> members;  // members x rows x derived, empty unless asked for
};

struct Predictions {
  std::vector<std::string> row_ids;
  std::vector<std::string> endpoint_names, endpoint_units;
  Matrix mean;                  // rows x E, data units: ensemble mean (measured inputs are predicted from the others)
  Matrix spread;                // rows x E: the model's std (the members' spread times the model's calibration scale)
  Matrix raw_spread;            // rows x E: standard deviation over members
  std::string calibration;      // how the std was calibrated ("" = not: std is the members' spread)
  std::string readout;          // what each target is read off ("" = the ensemble for every target)
  Matrix measured;              // rows x E: 1 where the input table gave a value
  Matrix input;                 // rows x E: the given values, NaN where blank
  std::vector<double> members;  // members x rows x E (data units), empty unless asked for
  std::size_t member_count = 0;
  std::string model_checksum;
  std::vector<CurvePrediction> curves;
  DerivedPrediction derived;
};

void write_predictions(const std::string& path, const Predictions& predictions, const Provenance& provenance);
}  // namespace elec::io
