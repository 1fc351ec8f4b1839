#pragma once
// Hyperparameters of a study. Each key is declared once (section, name, default, range, description) in
// study_config.cpp; the parser, the validation, `elec_hpc --help-config` and the model file's attributes all
// come from that one table.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "elec/data/diagnostics.hpp"

namespace elec::data {

struct StudyConfig {
  // [model]
  int hidden_units = 8;           // tanh units per predicted column
  int members = 200;              // bootstrap networks in the ensemble
  double learning_rate = 0.01;    // Adam step size
  int epochs = 500;               // full-batch epochs before the first imputation pass
  double l2 = 1e-4;               // L2 penalty on weights, added to the loss
  double input_penalty = 0.0;     // group-lasso penalty per (input, predicted column), added to the loss
  bool confidence_inputs = true;  // each endpoint also enters as a confidence channel (1 = measured)
  // Per epoch, each cell's endpoint group (a scalar, or a whole curve) is hidden from the inputs with this
  // probability; -1: by purpose (input_dropout_for).
  double input_dropout = -1;
  double cell_dropout = 0.0;  // per epoch, all of a cell's endpoints hidden from the inputs with this probability
  std::string precision = "float64";  // float32 | float64 arithmetic in training
  std::string centre = "mean";        // the ensemble's prediction: the members' mean | median
  // [imputation]
  double softening = 0.5;   // g in z <- g z + (1-g) y
  double tolerance = 1e-3;  // stop when the largest change of a blank (standardised units) is below this
  int max_passes = 4;       // upper bound on imputation passes
  int pass_epochs = 125;    // warm-start epochs after each pass
  // [selection] Defaults chosen by measurement on real tables (docs/defaults.md): a fixed epoch count wins on
  // some tables and loses on others, so by default the schedule is chosen on held-out measured cells.
  bool auto_schedule = true;
  double holdout_fraction = 0.12;
  std::string holdout = "auto";  // cells: hide measured cells (blanks to impute) | rows: hide whole recipes (new
                                 // cells) | auto: cells for `impute`, rows for every other command
  int selection_max_epochs = 800;
  int selection_check_every = 25;
  int selection_members = 50;
  int selection_l2_decades = -1;        // also try l2 x 10, 100, ... (this many decades) and keep the best per target;
                                        // -1: 3 when whole recipes are hidden, 0 when cells are
  double selection_input_penalty = -1;  // also score each L2 candidate with this input penalty, keep the best per
                                        // target; 0: not tried; -1: 3e-2 when whole recipes are hidden, 0 when cells
  double selection_input_dropout = -1;  // another input dropout each target may take, scored with its penalties;
                                        // -1: none
  // [calibration]
  int calibration_folds = -1;       // inner CV folds on which train fits the read-out and variance scale (0 = raw
                                    // spread); -1: by purpose (resolve_auto)
  std::string calibration_group;    // column whose equal values stay in one fold ("" = by recipe)
  bool calibration_lasso = true;    // a target may also be read off the average of the ensemble and a lasso
  int calibration_neighbours = 10;  // k of the neighbour read-out each target may take (0 = not offered)
  // [run]
  std::uint64_t seed = 1;

  std::map<std::string, SourcePosition> positions;  // "section.key" -> where its value was written
  std::string source;                               // file it came from, "" for defaults
  std::string text;                                 // that file's text, stored in outputs for provenance
};

// What a model is trained for, which decides the "auto" settings: imputing the blanks of the table itself, or
// predicting new cells from their descriptors alone.
enum class Purpose { ImputeTable, PredictNewCells };
// Replaces every "auto" setting (holdout "auto", input_dropout -1, calibration folds -1) by its value for
// `purpose` and a table of `recipes` distinct descriptor rows, so that a model file's effective config says what was
// done. A library function handed an unresolved config reads it as PredictNewCells, the purpose of every command but
// `impute`, except that unresolved calibration folds (-1) are none.
void resolve_auto(StudyConfig& config, Purpose purpose, std::size_t recipes);
// The calibration folds resolve_auto gives: kAutoCalibrationFolds when the model predicts new cells and the table
// has at least kMinRecipesToCalibrate recipes (the raw spread covers about half of what it promises there,
// docs/defaults.md; fewer recipes leave too few new ones to score), none when the blanks of the table are imputed.
inline constexpr int kAutoCalibrationFolds = 5;
inline constexpr std::size_t kMinRecipesToCalibrate = 10;
// Whether the schedule selection scores new cells (hidden recipes) rather than hidden single cells.
bool scores_new_cells(const StudyConfig& config);
// Whether a read-out other than the ensemble is offered ([calibration] neighbours > 0 or lasso = true).
bool offers_readout(const StudyConfig& config);
// The input dropout to train with: the configured one, or by purpose 0.5 for new cells (the networks must learn to
// predict from descriptors alone; without it graphite's held-out median R^2 falls from 0.59 to 0.16,
// docs/defaults.md) and 0 for imputing the table (the measured imputation defaults).
double input_dropout_for(const StudyConfig& config);

// Reads a TOML study file. Unknown sections or keys, wrong value types and out-of-range values are added to diag
// with line and column; keys that are absent keep their default.
StudyConfig read_study_config(const std::string& path, Diagnostics& diag);
// The same from text already in memory (e.g. the effective config stored in a model file); `source` names it
// in messages.
StudyConfig study_config_from_text(const std::string& text, const std::string& source, Diagnostics& diag);

struct ParameterInfo {
  std::string section, key, type, default_value, range, description;
};
// Every parameter, in declaration order (used for help text and provenance).
std::vector<ParameterInfo> describe_parameters();
// Sets one parameter named "section.key" (e.g. "model.learning_rate") as a hyperparameter search does: a number
// for numeric parameters (integers are rounded, booleans are 0/1) or a text for text parameters. Returns "" when
// set, else what is wrong (unknown name, wrong type, out of range), and then leaves the config unchanged.
std::string set_parameter(StudyConfig& config, const std::string& name, double number, const std::string& text = "");
// The current value of "section.key": a number (booleans 0/1), or for text parameters the text.
void get_parameter(const StudyConfig& config, const std::string& name, double& number, std::string& text);
// True when "section.key" names a parameter; `numeric` tells whether it takes a number.
bool is_parameter(const std::string& name, bool* numeric = nullptr);

// "key = value" lines of the effective configuration, stable order (written to outputs and printed by rank 0).
std::string to_toml(const StudyConfig& config);

}  // namespace elec::data
