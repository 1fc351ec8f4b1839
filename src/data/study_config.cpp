#include "elec/data/study_config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <type_traits>
#include <variant>

#include "elec/data/config_table.hpp"
#include "elec/data/csv.hpp"
#include "elec/data/source_text.hpp"

namespace elec::data {
namespace {

// A study parameter: [section] key bound to its StudyConfig member (data/config_table).
using Parameter = Key<StudyConfig>;
constexpr auto at_least = Range::at_least;
constexpr auto above = Range::above;
constexpr auto half_open = Range::half_open;

// THE table: every parameter of a study, in the order of help text and outputs. Defaults live in the member
// initialisers of StudyConfig, not here, so they are written down once.
const std::vector<Parameter>& parameters() {
  static const std::vector<Parameter> table = {
      {"model", "hidden_units", &StudyConfig::hidden_units, at_least(1), {}, "tanh units per predicted column"},
      {"model", "members", &StudyConfig::members, at_least(1), {}, "bootstrap networks in the ensemble"},
      {"model", "learning_rate", &StudyConfig::learning_rate, above(0), {}, "Adam step size"},
      {"model", "epochs", &StudyConfig::epochs, at_least(0), {}, "full-batch epochs before the first imputation pass"},
      {"model", "l2", &StudyConfig::l2, at_least(0), {}, "L2 penalty on weights, added to the loss"},
      {"model",
       "input_penalty",
       &StudyConfig::input_penalty,
       at_least(0),
       {},
       "group-lasso penalty on each input's weights into a column's network (the penalty times the sum over "
       "inputs of their weights' norm), added to the loss: an input a column does not need is switched off as a "
       "whole, as a Gaussian process's per-input length-scale does; 0 = none"},
      {"model",
       "confidence_inputs",
       &StudyConfig::confidence_inputs,
       {},
       {},
       "each endpoint also enters as a confidence channel (1 = measured)"},
      {"model",
       "input_dropout",
       &StudyConfig::input_dropout,
       half_open(0, 1).or_value(-1),
       {},
       "probability that, in an epoch, a cell's endpoint (a whole curve at once) is hidden from the inputs as if "
       "not measured, so the networks also learn to predict from the descriptors alone; -1: 0.5 when the model "
       "predicts new cells (train, cv, tune, compare), 0 for `impute`"},
      {"model",
       "cell_dropout",
       &StudyConfig::cell_dropout,
       half_open(0, 1),
       {},
       "probability that, in an epoch, all of a cell's endpoints are hidden from the inputs at once, as a new "
       "cell's are when it is predicted from its descriptors alone"},
      {"model", "precision", &StudyConfig::precision, {}, {"float32", "float64"}, "arithmetic precision of training"},
      {"model",
       "centre",
       &StudyConfig::centre,
       {},
       {"mean", "median"},
       "the ensemble's prediction from its members' values: \"mean\" (the paper's) or \"median\", which the few "
       "members that extrapolate far from the others on a new cell cannot drag away; the reported spread is the "
       "members' root-mean-square deviation from it"},
      {"imputation",
       "softening",
       &StudyConfig::softening,
       half_open(0, 1),
       {},
       "g in z <- g z + (1-g) y when a blank is re-estimated"},
      {"imputation",
       "tolerance",
       &StudyConfig::tolerance,
       above(0),
       {},
       "stop when the largest change of a blank (standardised units) is below this"},
      {"imputation", "max_passes", &StudyConfig::max_passes, at_least(0), {}, "upper bound on imputation passes"},
      {"imputation", "pass_epochs", &StudyConfig::pass_epochs, at_least(0), {}, "warm-start epochs after each pass"},
      {"selection",
       "auto",
       &StudyConfig::auto_schedule,
       {},
       {},
       "choose the initial epochs and the number of passes on held-out measured cells (then epochs, "
       "pass_epochs and max_passes are chosen, max_passes as an upper bound)"},
      {"selection",
       "holdout_fraction",
       &StudyConfig::holdout_fraction,
       half_open(0, 1),
       {},
       "fraction of measured cells hidden to score the candidates"},
      {"selection",
       "holdout",
       &StudyConfig::holdout,
       {},
       {"auto", "cells", "rows"},
       "what the selection scores: \"cells\" hides single measured values, as blanks of known cells are imputed; "
       "\"rows\" hides whole recipes (every replicate row of a descriptor vector), predicted from their descriptors "
       "alone, as new cells are; \"auto\": cells for `impute`, rows for train, cv, tune and compare"},
      {"selection",
       "max_epochs",
       &StudyConfig::selection_max_epochs,
       at_least(1),
       {},
       "longest initial training considered"},
      {"selection",
       "check_every",
       &StudyConfig::selection_check_every,
       at_least(1),
       {},
       "epochs between two scored checkpoints"},
      {"selection",
       "members",
       &StudyConfig::selection_members,
       at_least(1),
       {},
       "ensemble size while selecting (at most model.members)"},
      {"selection",
       "l2_decades",
       &StudyConfig::selection_l2_decades,
       at_least(-1),
       {},
       "also score model.l2 x 10, x 100, ... (this many decades above it) and give each target's network the L2 "
       "penalty that predicts its held-out values best: a target nearly linear in the descriptors, or with few "
       "distinct recipes, wants a strong penalty, a curve a weak one (costs this many extra selection runs); -1: 3 "
       "when whole recipes are hidden, 0 when single cells are"},
      {"selection",
       "input_penalty",
       &StudyConfig::selection_input_penalty,
       at_least(0).or_value(-1),
       {},
       "also score every L2 candidate with this group-lasso input penalty (see model.input_penalty) and give each "
       "target's network the one that predicts its held-out values best (doubles the selection runs); 0 = not "
       "tried; -1: 3e-2 when whole recipes are hidden (new cells), 0 when single cells are"},
      {"selection",
       "input_dropout",
       &StudyConfig::selection_input_dropout,
       half_open(0, 1).or_value(-1),
       {},
       "another input dropout each target may take instead of model.input_dropout: one more selection run per draw "
       "trains every target with it (and the penalties it chose), and each target keeps the one that predicts its "
       "held-out values best (a target that another, well-predicted endpoint explains, such as a measured modulus "
       "beside its calculated value, wants less dropout than one learned from the descriptors); -1: none"},
      {"calibration",
       "folds",
       &StudyConfig::calibration_folds,
       at_least(0).or_value(-1),
       {},
       "train cross-validates the study on this many inner folds and fits, per target, the read-out (below) and a "
       "variance scale on their out-of-fold predictions, so that the reported std covers what it promises (0 = "
       "the ensemble and its raw spread; 1 is not allowed); costs this many extra trainings; -1: 5 when the model "
       "predicts new cells and the table has at least 10 recipes (distinct descriptor rows), 0 for impute"},
      {"calibration",
       "group",
       &StudyConfig::calibration_group,
       {},
       {},
       "column of the cell table whose equal values stay in one inner fold (e.g. the manufacturing case, so that "
       "replicates never score each other); empty = by recipe (cells with equal descriptors together)"},
      {"calibration",
       "neighbours",
       &StudyConfig::calibration_neighbours,
       at_least(0),
       {},
       "also predict each target from this many nearest training cells in descriptor space (distance-weighted), and "
       "read each target off the ensemble, the neighbours or their average, whichever predicts the out-of-fold cells "
       "best: train chooses on the calibration folds (without them the ensemble is read), cv on the other folds; "
       "for properties that are local functions of the recipe, such as an alloy's measured modulus; 0 = not "
       "offered"},
      {"calibration",
       "lasso",
       &StudyConfig::calibration_lasso,
       {},
       {},
       "also fit a lasso on the descriptors per target, and let each target be read off the average of the "
       "ensemble and the lasso when that predicts the out-of-fold cells best (chosen like `neighbours`, beside "
       "them); for nearly linear properties, where the average has less variance than the networks alone; false = "
       "not offered"},
      {"run", "seed", &StudyConfig::seed, at_least(0), {}, "random seed; equal seeds give equal results"},
  };
  return table;
}

const std::vector<std::string>& section_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& p : parameters())
      if (out.empty() || out.back() != p.section) out.push_back(p.section);
    return out;
  }();
  return names;
}

const Parameter* find_parameter(const std::string& section, const std::string& key) {
  for (const auto& p : parameters())
    if (section == p.section && key == p.key) return &p;
  return nullptr;
}

std::string section_list() {
  std::vector<std::string> bracketed;
  for (const auto& name : section_names()) bracketed.push_back("[" + name + "]");
  return join(bracketed, ", ");
}

// A key written before any [section]: name the section it belongs in when it is a known key.
void report_loose_key(const std::string& key, const toml::node& value, const SourcePosition& where, Diagnostics& diag) {
  const auto& sections = section_names();
  if (std::find(sections.begin(), sections.end(), key) != sections.end()) {
    diag.add(where, "\"" + key + "\" is " + describe_type(value) + "; expected a [" + key + "] table");
    return;
  }
  for (const auto& p : parameters())
    if (key == p.key) {
      diag.add(where, "\"" + key + "\" is outside a section; expected it under [" + p.section + "]");
      return;
    }
  diag.add(where, "unknown key \"" + key + "\" outside a section; expected sections " + section_list());
}

void read_section(const std::string& section, const toml::table& table, const std::string& path, StudyConfig& config,
                  Diagnostics& diag) {
  for (const auto& [key, where] : read_keys(table, parameters(), section, config, path, diag))
    config.positions[section + "." + key] = where;
  if (section == "calibration" && config.calibration_folds == 1)
    diag.add(config.positions["calibration.folds"], "folds = 1: expected 0 (no calibration) or at least 2");
}

// A study config from TOML text, with its problems in the order they were found.
StudyConfig parse_study_config(const std::string& text, const std::string& source, Diagnostics& diag) {
  StudyConfig config;
  config.source = source;
  config.text = text;
  const auto root = parse_toml(text, source, diag);
  if (!root) return config;

  const auto& sections = section_names();
  for (auto&& [key, value] : *root) {
    const std::string name(key.str());
    const SourcePosition where = toml_position(source, key.source());
    if (!value.is_table()) {
      report_loose_key(name, value, where, diag);
    } else if (name == "tune" || name == "design") {
      continue;  // the searches' own sections, read by elec_hpc tune (opt/tune_config) and design (opt/design_config)
    } else if (std::find(sections.begin(), sections.end(), name) == sections.end()) {
      diag.add(where, "unknown section [" + name + "]; expected " + section_list() +
                          " (and [tune] for elec_hpc tune, [design] for elec_hpc design)");
    } else {
      read_section(name, *value.as_table(), source, config, diag);
    }
  }
  return config;
}

}  // namespace

void resolve_auto(StudyConfig& config, Purpose purpose, std::size_t recipes) {
  if (config.holdout == "auto") config.holdout = purpose == Purpose::ImputeTable ? "cells" : "rows";
  config.input_dropout = input_dropout_for(config);
  if (config.calibration_folds < 0)
    config.calibration_folds =
        purpose == Purpose::PredictNewCells && recipes >= kMinRecipesToCalibrate ? kAutoCalibrationFolds : 0;
}

bool scores_new_cells(const StudyConfig& config) { return config.holdout != "cells"; }

bool offers_readout(const StudyConfig& config) { return config.calibration_neighbours > 0 || config.calibration_lasso; }

double input_dropout_for(const StudyConfig& config) {
  if (config.input_dropout >= 0) return config.input_dropout;
  return scores_new_cells(config) ? 0.5 : 0.0;
}

StudyConfig read_study_config(const std::string& path, Diagnostics& diag) {
  const auto text = read_text_file(path, diag);
  if (!text) {
    StudyConfig defaults;
    defaults.source = path;
    return defaults;
  }
  return study_config_from_text(*text, path, diag);
}

StudyConfig study_config_from_text(const std::string& text, const std::string& source, Diagnostics& diag) {
  Diagnostics found;
  StudyConfig config = parse_study_config(text, source, found);
  append_in_file_order(found, diag);
  return config;
}

namespace {

const Parameter* find_dotted(const std::string& name) {
  const auto dot = name.find('.');
  return dot == std::string::npos ? nullptr : find_parameter(name.substr(0, dot), name.substr(dot + 1));
}

// Whether a double converts to Int without overflow: converting one outside Int's range is undefined behaviour,
// and an open-ended range (hidden_units >= 1) admits any huge value a search space may hold. The upper limit is
// max + 1, a power of two, computed exactly (a double cannot hold max itself for 64-bit types).
template <typename Int>
bool converts_exactly(double v) {
  const double past_max = 2.0 * static_cast<double>(std::numeric_limits<Int>::max() / 2 + 1);
  return v >= static_cast<double>(std::numeric_limits<Int>::min()) && v < past_max;
}

}  // namespace

bool is_parameter(const std::string& name, bool* numeric) {
  const Parameter* p = find_dotted(name);
  if (p && numeric) *numeric = !std::holds_alternative<std::string StudyConfig::*>(p->member);
  return p != nullptr;
}

void get_parameter(const StudyConfig& config, const std::string& name, double& number, std::string& text) {
  const Parameter* p = find_dotted(name);
  if (!p) throw std::invalid_argument("\"" + name + "\" is not a study parameter");
  std::visit(
      [&](auto member) {
        using Value = std::remove_cv_t<std::remove_reference_t<decltype(config.*member)>>;
        if constexpr (std::is_same_v<Value, std::string>)
          text = config.*member;
        else if constexpr (std::is_arithmetic_v<Value>)
          number = static_cast<double>(config.*member);
        else
          throw std::logic_error("study parameters are numbers or texts");
      },
      p->member);
}

std::string set_parameter(StudyConfig& config, const std::string& name, double number, const std::string& text) {
  const Parameter* p = find_dotted(name);
  if (!p) return "\"" + name + "\" is not a study parameter; expected section.key, e.g. model.learning_rate";
  return std::visit(
      [&](auto member) -> std::string {
        using Value = std::remove_cv_t<std::remove_reference_t<decltype(config.*member)>>;
        if constexpr (std::is_same_v<Value, std::string>) {
          if (!p->choices.empty() && std::find(p->choices.begin(), p->choices.end(), text) == p->choices.end())
            return name + " = \"" + text + "\" is not one of its choices";
          config.*member = text;
        } else if constexpr (std::is_same_v<Value, bool>) {
          config.*member = number != 0.0;
        } else if constexpr (!std::is_arithmetic_v<Value>) {
          throw std::logic_error("study parameters are numbers or texts");
        } else {
          const double value = std::is_floating_point_v<Value> ? number : std::round(number);
          bool representable = true;
          if constexpr (std::is_integral_v<Value>) representable = converts_exactly<Value>(value);
          if (!p->range.contains(value) || !representable)
            return name + " = " + std::to_string(value) + " is outside its allowed range";
          config.*member = static_cast<Value>(value);
        }
        return "";
      },
      p->member);
}

std::vector<ParameterInfo> describe_parameters() {
  const StudyConfig defaults;
  std::vector<ParameterInfo> out;
  for (const auto& p : parameters())
    out.push_back({p.section, p.key, type_name(p), value_text(p, defaults), range_text(p), p.description});
  return out;
}

std::string to_toml(const StudyConfig& config) {
  std::string out, section;
  for (const auto& p : parameters()) {
    if (section != p.section) {
      section = p.section;
      out += (out.empty() ? "[" : "\n[") + section + "]\n";
    }
    out += std::string(p.key) + " = " + value_text(p, config) + "\n";
  }
  return out;
}

}  // namespace elec::data
