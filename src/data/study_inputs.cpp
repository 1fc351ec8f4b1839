#include "elec/data/study_inputs.hpp"

#include "elec/data/hash.hpp"

namespace elec::data {
namespace {

// [calibration] against the table: its group names a column, and there are enough cells for its folds.
void check_calibration(const StudyInputs& in, Diagnostics& problems) {
  const StudyConfig& c = in.config;
  const auto where = [&](const std::string& key) {
    const auto p = c.positions.find("calibration." + key);
    return p != c.positions.end() ? p->second : SourcePosition{c.source};
  };
  if (c.calibration_folds > 0 && static_cast<std::size_t>(c.calibration_folds) > in.dataset.rows())
    problems.add(where("folds"), "folds = " + std::to_string(c.calibration_folds) + ": expected at most " +
                                     std::to_string(in.dataset.rows()) + " (the cells of " + in.table.file + ")");
  if (c.calibration_group.empty()) return;
  for (const auto& field : in.table.header.fields)
    if (field.text == c.calibration_group) return;
  problems.add(where("group"), "group = \"" + c.calibration_group + "\": expected a column of " + in.table.file);
}

}  // namespace

StudyInputs load_study_inputs(const std::string& table_path, const std::string& schema_path,
                              const std::string& config_path, const DatasetOptions& options) {
  Diagnostics problems;
  StudyInputs in = read_study_inputs(table_path, schema_path, config_path, options, problems);
  problems.throw_if_any();
  return in;
}

StudyInputs read_study_inputs(const std::string& table_path, const std::string& schema_path,
                              const std::string& config_path, const DatasetOptions& options, Diagnostics& problems) {
  StudyInputs in;
  if (!config_path.empty()) in.config = read_study_config(config_path, problems);
  Diagnostics table_problems;
  in.table = read_csv(table_path, table_problems);
  problems.append(table_problems);
  const bool table_readable = !in.table.header.fields.empty();
  Diagnostics schema_problems;
  if (!schema_path.empty()) {
    in.schema = read_schema(schema_path, schema_problems);
    problems.append(schema_problems);
  } else if (table_readable) {
    in.schema = schema_all_endpoints(in.table);
  }
  // Checking the table against a broken schema would only repeat the schema's problems as the table's.
  if (table_readable && schema_problems.empty()) {
    in.dataset = build_dataset(in.table, in.schema, options, problems);
    in.dataset.curves = attach_curves(in.dataset, in.schema, {}, problems);
    check_calibration(in, problems);
  }
  return in;
}

std::string study_fingerprint(const StudyInputs& in) {
  Fnv1a hash;
  const auto& d = in.dataset;
  for (const auto* names : {&d.row_ids, &d.descriptor_names, &d.endpoint_names})
    for (const auto& name : *names) hash.add(name);
  hash.add(d.descriptors.data(), static_cast<std::size_t>(d.descriptors.size()) * sizeof(double));
  hash.add(d.endpoints.data(), static_cast<std::size_t>(d.endpoints.size()) * sizeof(double));
  hash.add(in.schema.text).add(in.config.text);
  const std::uint64_t seed = in.config.seed;
  return hash.add(&seed, sizeof seed).hex();
}

}  // namespace elec::data
