#pragma once
// The lines train and impute share: what was read, and what the training achieved.
#include <string>

#include "elec/cli/reporter.hpp"
#include "elec/data/study_inputs.hpp"
#include "elec/model/trained_model.hpp"

namespace elec::cli {

// One line for rank 0 before the heavy work: table size, blanks, ensemble, ranks x threads.
std::string describe_run(const data::StudyInputs& in, const RunContext& context);

// data, ensemble, imputation, in-sample fit and model checksum lines of the verification summary.
void summarise_training(Reporter& report, const data::StudyInputs& in, const model::TrainedModel& trained,
                        const RunContext& context);

}  // namespace elec::cli
