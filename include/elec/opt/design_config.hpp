#pragma once
// The [design] section of a study config: what elec_hpc design searches (the recipe most likely to meet targets)
// and how. Read with the same key tables as the study parameters and [tune] (data/config_table); every problem at
// its line and column. Names are checked against the model later (opt/design_problem), with these positions.
//
//   [design]
//   evaluations = 1000     # candidates in all
//   batch = 50             # candidates suggested together (constant liar) and predicted together by all ranks
//   startup = 100          # random candidates before TPE takes over
//   sampler = "tpe"        # tpe | random (every candidate drawn uniformly: the baseline TPE must beat)
//   multivariate = true
//   objective = "joint"    # joint: fraction of members meeting every target | gaussian: product of per-target
//                          # normal probabilities from the ensemble mean and std
//   top = 10               # distinct feasible candidates reported
//   distinct = 0.02        # two candidates are one design when no categorical differs and every free variable
//                          # differs by less than this fraction of its range
//   seed = 1
//
//   [[design.variable]]    # a descriptor; descriptors not listed are free within the training data's range
//   name = "gap_um"
//   low = 100              # free within low..high (default: training min..max)
//   high = 300
//   kind = "int"           # float | int (default: int when every training value is a whole number)
//   # value = 0.2          # fixed
//   # choices = ["2:3"]    # categorical: the levels searched (default: all seen in training; one level = fixed)
//
//   [[design.sum]]         # descriptors that sum to a total (mass or mole fractions), sampled on that simplex
//   names = ["x_Co", "x_Cr", "x_Fe", "x_Ni"]
//   total = 1
//
//   [[design.derived]]     # a quantity computed from others (muparser expression, opt/expression); when its name
//   name = "drying_step_C" # is a descriptor, that descriptor is derived (and must stay in its range)
//   expression = "drying_second_C - drying_first_C"
//
//   [[design.constraint]]  # on a design variable, a derived quantity, a predicted endpoint or a derived curve
//   name = "active_mass_mg"  # scalar (predictions: on the ensemble mean); a candidate breaking one is infeasible
//   min = 25
//
//   [[design.target]]      # a threshold on a predicted quantity; the objective is the probability of meeting all
//   name = "D30_mAh_g"
//   min = 150
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "elec/data/diagnostics.hpp"

namespace elec::opt {

struct DesignSettings {
  int evaluations = 1000;
  int batch = 50;
  int startup = 100;
  std::string sampler = "tpe";
  bool multivariate = true;
  std::string objective = "joint";
  int top = 10;
  double distinct = 0.02;
  std::uint64_t seed = 1;
};

struct DesignVariableSpec {
  std::string name;
  std::optional<double> low, high, value;
  std::string kind;  // "" = from the training data
  std::vector<std::string> choices;
  data::SourcePosition where;
};

struct DesignSumSpec {
  std::vector<std::string> names;
  std::optional<double> total;
  data::SourcePosition where;
};

struct DesignDerivedSpec {
  std::string name, expression;
  data::SourcePosition where, expression_at;  // expression_at: the expression's first character
};

// A bound on a quantity: a constraint (feasibility) or a target (probability).
struct DesignBoundSpec {
  std::string name;
  std::optional<double> min, max;
  data::SourcePosition where;
};

struct DesignConfig {
  DesignSettings settings;
  std::vector<DesignVariableSpec> variables;
  std::vector<DesignSumSpec> sums;
  std::vector<DesignDerivedSpec> derived;
  std::vector<DesignBoundSpec> constraints, targets;
  std::string source, text;  // the file and its text (part of the design study's fingerprint)
};

// Every key of [design] and its tables, with defaults and descriptions (elec_hpc design --help).
std::string design_config_help();

// Reads [design] from `path`. A file without [design], or without a target, is a problem.
DesignConfig read_design_config(const std::string& path, data::Diagnostics& diag);
// The same from text in memory; `source` names it in messages.
DesignConfig design_config_from_text(const std::string& text, const std::string& source, data::Diagnostics& diag);

}  // namespace elec::opt
