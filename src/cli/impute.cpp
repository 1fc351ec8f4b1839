// elec_hpc impute IN.csv OUT.csv: fill the blanks of a table with the imputing ensemble. OUT keeps the columns,
// order and measured text of IN; OUT_std.csv beside it holds each imputed cell's standard deviation.
#include "elec/cli/command.hpp"
#include "elec/cli/outputs.hpp"
#include "elec/cli/reporter.hpp"
#include "elec/cli/training_run.hpp"

namespace elec::cli {
namespace {

struct ImputeOptions {
  StudyFiles study{"", "IN", "", "", -1};
  std::string out;
};

// "dir/out.csv" -> "dir/out_std.csv"
std::string companion_path(const std::string& out) {
  const auto slash = out.find_last_of('/');
  const auto dot = out.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return out + "_std";
  return out.substr(0, dot) + "_std" + out.substr(dot);
}

// OUT and OUT_std, written together: a reader never sees one without the other, or beside the other's old version.
void write_tables(const RunContext& context, const std::string& out, const data::StudyInputs& in,
                  const model::TrainedModel& trained) {
  const auto& doc = in.table;
  const auto& d = in.dataset;
  std::vector<std::string> header;
  for (const auto& f : doc.header.fields) header.push_back(f.text);
  std::vector<int> endpoint_of(header.size(), -1);
  // Curve points (functional endpoints) have no column of the table to fill.
  for (std::size_t j = 0; j < d.endpoint_csv_columns.size(); ++j)
    if (d.endpoint_csv_columns[j] >= 0) endpoint_of[d.endpoint_csv_columns[j]] = static_cast<int>(j);
  const data::ColumnSpec* id = nullptr;
  for (const auto& c : in.schema.columns)
    if (c.role == data::Role::Id) id = &c;

  const Matrix spread = model::calibrated_spread(trained.calibration, trained.training_spread);
  std::vector<std::vector<std::string>> values, spreads;
  for (std::size_t r = 0; r < doc.rows.size(); ++r) {
    std::vector<std::string> value_row, spread_row;
    for (std::size_t c = 0; c < header.size(); ++c) {
      const std::string& text = doc.rows[r].fields[c].text;
      const int j = endpoint_of[c];
      const bool blank = j >= 0 && std::isnan(d.endpoints(static_cast<Eigen::Index>(r), j));
      value_row.push_back(blank ? data::format_number(trained.training_values(r, j)) : text);
      if (j >= 0)
        spread_row.push_back(blank ? data::format_number(spread(r, j)) : "0");
      else
        spread_row.push_back(id && id->name == header[c] ? text : "");
    }
    values.push_back(std::move(value_row));
    spreads.push_back(std::move(spread_row));
  }
  write_on_root(context, {{out, [&](const std::string& temp) { data::write_csv(temp, doc.delimiter, header, values); }},
                          {companion_path(out),
                           [&](const std::string& temp) { data::write_csv(temp, doc.delimiter, header, spreads); }}});
}

int run_impute(const ImputeOptions& o, const RunContext& context) {
  Reporter report(context, "impute");
  const TrainingRun run = load_and_train(o.study, {{o.out, "OUT"}, {companion_path(o.out), "OUT's companion"}}, context,
                                         report, data::Purpose::ImputeTable);
  write_tables(context, o.out, run.inputs, run.model);

  summarise_training(report, run, context);
  report.add_summary("output", o.out + ", " + companion_path(o.out));
  report.print_summary();
  return 0;
}

}  // namespace

Command add_impute_command(CLI::App& parent) {
  auto options = std::make_shared<ImputeOptions>();
  CLI::App* app = parent.add_subcommand(
      "impute",
      "Fill the blanks of a table (same columns and order) and write their standard deviations to "
      "OUT_std.csv. With no schema every column is a numeric endpoint.");
  app->add_option("IN", options->study.table, "table with blanks (CSV)")->required();
  app->add_option("OUT", options->out, "imputed table to write (CSV)")->required();
  app->add_option("--schema", options->study.schema, "column roles, units and bounds (TOML)");
  app->add_option("--config", options->study.config, "study hyperparameters (TOML); default: documented defaults");
  app->add_option("--seed", options->study.seed, "override the study seed");
  return {app, [options](const RunContext& context) { return run_impute(*options, context); }};
}

}  // namespace elec::cli
