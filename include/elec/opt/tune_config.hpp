#pragma once
// The [tune] section of a study config: what elec_hpc tune searches and how. Read from the same TOML file as the
// study parameters (which ignore [tune]), with every problem reported at its line and column.
//
//   [tune]
//   trials = 30            # trials in all, including trial 0 = the config's own values
//   batch = 2              # trials suggested together (constant liar) and evaluated by groups of ranks at once
//   startup = 10           # random trials before TPE takes over
//   multivariate = true    # joint Parzen estimator over all parameters
//   folds = 5              # cross-validation folds per trial
//   group = "case"         # optional: a column whose equal values stay in one fold
//   objective = "median_r2"  # median_r2 | mean_r2 | r2:<target>
//   members = 50           # ensemble size during the search (the final model uses [model] members)
//
//   [[tune.parameter]]
//   name = "model.learning_rate"   # any numeric or text study parameter, as section.key
//   kind = "float"                 # float | int | categorical
//   low = 0.001
//   high = 0.05
//   log = true
//   # choices = ["float32", "float64"]   (categorical)
#include <string>
#include <vector>

#include "elec/data/diagnostics.hpp"
#include "elec/opt/search_space.hpp"

namespace elec::opt {

struct TuneConfig {
  int trials = 30;
  int batch = 1;
  int startup = 10;
  bool multivariate = true;
  int folds = 5;
  std::string group;
  std::string objective = "median_r2";
  data::SourcePosition objective_at;  // where the config set it (for messages about its target)
  int members = 0;                    // 0: as [model] members
  std::vector<Parameter> parameters;
};

// Reads [tune] from `path` (the study config). A file without [tune] is a problem: tune needs a search space.
TuneConfig read_tune_config(const std::string& path, data::Diagnostics& diag);

}  // namespace elec::opt
