#pragma once
// Everything a command reads before heavy work starts, validated together: the cell table, its schema and the
// study config. Every problem in every file is reported at once.
#include <string>

#include "elec/data/csv.hpp"
#include "elec/data/curves.hpp"
#include "elec/data/dataset.hpp"
#include "elec/data/schema.hpp"
#include "elec/data/study_config.hpp"

namespace elec::data {

struct StudyInputs {
  CsvDocument table;
  Schema schema;
  StudyConfig config;
  Dataset dataset;  // functional columns appended as blocks of endpoints (dataset.curves)
};

// schema_path "" = every column is a numeric endpoint; config_path "" = documented defaults. Functional columns
// points are read from the files the schema names.
// Throws InputError listing every problem found in any of the files.
StudyInputs load_study_inputs(const std::string& table_path, const std::string& schema_path,
                              const std::string& config_path, const DatasetOptions& options = {});
// The same, adding the problems to `problems` instead of throwing (so a command can add its own checks to one
// report); the result is complete only when no problem was added.
StudyInputs read_study_inputs(const std::string& table_path, const std::string& schema_path,
                              const std::string& config_path, const DatasetOptions& options, Diagnostics& problems);

// Identifies a study: the table's cells, names and values (curves included), the schema and config texts and the
// effective seed, hashed. Journals (and checkpoints) carry it, so that one study's is never resumed by another.
std::string study_fingerprint(const StudyInputs& in);

}  // namespace elec::data
