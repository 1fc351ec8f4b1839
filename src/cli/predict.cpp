// elec_hpc predict: impute new cells with a trained model. Descriptors must be given; measured endpoints, where
// known, are used as inputs; every endpoint gets an ensemble mean and standard deviation.
#include "elec/cli/command.hpp"
#include "elec/cli/reporter.hpp"
#include "elec/data/csv.hpp"
#include "elec/data/dataset.hpp"
#include "elec/io/atomic_output.hpp"
#include "elec/io/model_file.hpp"
#include "elec/model/pipeline.hpp"

namespace elec::cli {
namespace {

struct PredictOptions {
  std::string model, data, out = "predictions.h5", csv;
  bool members = false;
};

data::Dataset read_new_cells(const std::string& path, const model::TrainedModel& trained) {
  data::Diagnostics problems;
  const data::CsvDocument doc = data::read_csv(path, problems);
  data::Dataset cells;
  if (!doc.header.fields.empty()) {
    data::DatasetOptions options;
    options.require_observed_endpoints = false;
    options.allow_absent_endpoints = true;
    options.encodings = &trained.encodings;
    cells = data::build_dataset(doc, trained.schema, options, problems);
  }
  problems.throw_if_any();
  if (cells.descriptor_names != trained.descriptor_names || cells.endpoint_names != trained.endpoint_names)
    throw data::InputError(path + ": its columns do not encode to the model's features");
  return cells;
}

// Same convention as impute's output: a given value stays as given (std 0); a blank gets the ensemble mean and
// standard deviation. The HDF5 file also has the model's own prediction of the given cells.
void write_csv_table(const std::string& path, const data::Dataset& cells, const model::CellPredictions& p) {
  std::vector<std::string> header{"id"};
  for (const auto& name : cells.endpoint_names) header.push_back(name), header.push_back(name + "_std");
  std::vector<std::vector<std::string>> rows;
  for (std::size_t r = 0; r < cells.rows(); ++r) {
    std::vector<std::string> row{cells.row_ids[r]};
    for (Eigen::Index j = 0; j < p.values.cols(); ++j) {
      const bool given = !std::isnan(cells.endpoints(r, j));
      row.push_back(data::format_number(p.values(r, j)));
      row.push_back(given ? "0" : data::format_number(p.spread(r, j)));
    }
    rows.push_back(std::move(row));
  }
  io::AtomicOutput output(path);
  data::write_csv(output.temp_path(), ',', header, rows);
  output.commit();
}

int run_predict(const PredictOptions& o, const RunContext& context) {
  Reporter report(context, "predict");
  const model::TrainedModel trained = io::read_model(o.model);
  const data::Dataset cells = read_new_cells(o.data, trained);
  const std::size_t members = trained.members.size();
  report.set_pass_limit(trained.config.max_passes);
  report.line(o.data + ": " + std::to_string(cells.rows()) + " cells to predict with " + std::to_string(members) +
              " members on " + std::to_string(context.comm.size()) + " ranks x " +
              std::to_string(context.threads) + " threads");

  const model::CellPredictions p =
      model::predict_cells(trained, cells.descriptors, cells.endpoints, CommDistribution(context.comm),
                           report.pass_observer(), o.members);
  const std::string checksum = model::checksum_hex(model::checksum(trained.members));
  if (context.comm.is_root()) {
    io::Predictions out{cells.row_ids, cells.endpoint_names, cells.endpoint_units, p.prediction, p.spread,
                        cells.endpoints.unaryExpr([](double v) { return std::isnan(v) ? 0.0 : 1.0; }),
                        cells.endpoints, p.members, members, checksum};
    io::write_predictions(o.out, out, {context.command_line, context.comm.size(), context.threads});
    if (!o.csv.empty()) write_csv_table(o.csv, cells, p);
  }
  context.comm.barrier();

  report.add_summary("model", o.model + " (" + std::to_string(members) + " members, checksum " + checksum + ")");
  const int passes = static_cast<int>(p.history.size());
  report.add_summary("cells", std::to_string(cells.rows()) + " predicted, " +
                                  (passes == 0 ? std::string("no passes (as the model was trained)")
                                               : std::to_string(passes) + " passes, " +
                                                     (p.converged ? "converged" : "stopped at the pass limit")));
  // Spread relative to each endpoint's spread in the training data, so endpoints in different units compare.
  const Matrix relative = p.spread.array().rowwise() / trained.endpoint_scaling.scale.transpose().array();
  report.add_summary("uncertainty", "mean std " + format_fixed(relative.mean(), 4) +
                                        " of the training spread (over cells and endpoints)");
  report.add_summary("output", o.out + (o.csv.empty() ? "" : ", " + o.csv) +
                                   (o.members ? " (with per-member values)" : ""));
  report.print_summary();
  return 0;
}

}  // namespace

Command add_predict_command(CLI::App& parent) {
  auto options = std::make_shared<PredictOptions>();
  CLI::App* app = parent.add_subcommand("predict", "Predict every endpoint of new cells, with uncertainty.");
  app->add_option("--model", options->model, "model file written by train")->required();
  app->add_option("--data", options->data, "new cells (CSV with the model's descriptor columns)")->required();
  app->add_option("--out", options->out, "predictions file to write (HDF5)")->capture_default_str();
  app->add_option("--csv", options->csv, "also write id, <endpoint>, <endpoint>_std columns as CSV");
  app->add_flag("--members", options->members, "store every member's prediction (for histograms)");
  return {app, [options](const RunContext& context) { return run_predict(*options, context); }};
}

}  // namespace elec::cli
