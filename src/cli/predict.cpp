// elec_hpc predict: impute new cells with a trained model. Descriptors must be given; measured endpoints, where
// known, are used as inputs; every endpoint gets an ensemble mean and standard deviation.
#include <algorithm>

#include "elec/cli/command.hpp"
#include "elec/cli/outputs.hpp"
#include "elec/cli/preflight.hpp"
#include "elec/cli/reporter.hpp"
#include "elec/data/csv.hpp"
#include "elec/data/curves.hpp"
#include "elec/data/dataset.hpp"
#include "elec/io/model_file.hpp"
#include "elec/model/curve_readout.hpp"
#include "elec/model/pipeline.hpp"

namespace elec::cli {
namespace {

struct PredictOptions {
  std::string model, data, out = "predictions.h5", csv, grid;
  std::vector<std::string> curve_files;  // NAME=FILE
  bool members = false;
};

// "NAME=FILE" for each measured (partial) curve of the new cells.
data::CurveSources curve_sources(const std::vector<std::string>& named, const model::TrainedModel& trained,
                                 data::Diagnostics& problems) {
  data::CurveSources sources;
  sources.from_schema = false;
  sources.grids = &trained.curves;
  for (const auto& item : named) {
    const auto equals = item.find('=');
    const std::string name = item.substr(0, equals);
    const bool known = std::any_of(trained.curves.begin(), trained.curves.end(),
                                   [&](const data::CurveBlock& c) { return c.name == name; });
    if (equals == std::string::npos || !known)
      problems.add({"--curve", 0, 0},
                   "\"" + item + "\"; expected NAME=FILE with NAME one of the model's functional endpoints");
    else
      sources.files[name] = item.substr(equals + 1);
  }
  return sources;
}

data::Dataset read_new_cells(const PredictOptions& o, const model::TrainedModel& trained, data::Diagnostics& problems) {
  const data::CsvDocument doc = data::read_csv(o.data, problems);
  const data::CurveSources sources = curve_sources(o.curve_files, trained, problems);
  data::Dataset cells;
  if (doc.header.fields.empty()) return cells;
  data::DatasetOptions options;
  options.require_observed_endpoints = false;
  options.allow_absent_endpoints = true;
  options.encodings = &trained.encodings;
  cells = data::build_dataset(doc, trained.schema, options, problems);
  cells.curves = data::attach_curves(cells, trained.schema, sources, problems);
  if (problems.empty() &&
      (cells.descriptor_names != trained.descriptor_names || cells.endpoint_names != trained.endpoint_names))
    problems.add({o.data, 0, 0},
                 "its columns do not encode to the model's features; expected the columns of " + o.model);
  return cells;
}

// Same convention as impute's output: a given value stays as given (std 0); a blank gets the ensemble mean and
// standard deviation. The HDF5 file also has the model's own prediction of the given cells.
void write_csv_table(const std::string& path, const data::Dataset& cells, const model::CellPredictions& p,
                     const io::DerivedPrediction& derived) {
  std::vector<std::string> header{"id"};
  for (const auto& name : cells.endpoint_names) header.push_back(name), header.push_back(name + "_std");
  for (const auto& name : derived.names)
    header.push_back(name), header.push_back(name + "_std"), header.push_back(name + "_given");
  std::vector<std::vector<std::string>> rows;
  for (std::size_t r = 0; r < cells.rows(); ++r) {
    std::vector<std::string> row{cells.row_ids[r]};
    for (Eigen::Index j = 0; j < p.values.cols(); ++j) {
      const bool given = !std::isnan(cells.endpoints(r, j));
      row.push_back(data::format_number(p.values(r, j)));
      row.push_back(given ? "0" : data::format_number(p.spread(r, j)));
    }
    for (Eigen::Index d = 0; d < derived.mean.cols(); ++d) {
      row.push_back(data::format_number(derived.mean(r, d)));
      row.push_back(data::format_number(derived.spread(r, d)));
      row.push_back(std::isnan(derived.given(r, d)) ? "" : data::format_number(derived.given(r, d)));
    }
    rows.push_back(std::move(row));
  }
  data::write_csv(path, ',', header, rows);
}

// The most abscissa values a --grid may ask for; the memory check refuses smaller grids that still do not fit.
constexpr double kMaxGridPoints = 1e8;

// --grid: "" = each curve on its model grid; "a:b" = a, a+1, ..., b; "a:b:step"; or "x1,x2,...". The number of
// values is known (and checked) before any is made.
std::vector<double> requested_grid(const std::string& text) {
  std::vector<double> grid;
  if (text.empty()) return grid;
  auto number = [&](const std::string& part) {
    const auto value = data::parse_number(part);
    if (!value)
      throw data::InputError("--grid: \"" + part + "\" in \"" + text +
                             "\"; expected numbers as a:b, a:b:step or x1,x2,...\n");
    return *value;
  };
  const char separator = text.find(':') != std::string::npos ? ':' : ',';
  std::vector<double> parts;
  std::size_t start = 0;
  for (std::size_t at; (at = text.find(separator, start)) != std::string::npos; start = at + 1)
    parts.push_back(number(text.substr(start, at - start)));
  parts.push_back(number(text.substr(start)));
  if (separator == ',') return parts;
  const double step = parts.size() == 3 ? parts[2] : 1.0;
  if (parts.size() > 3 || step <= 0 || parts[1] < parts[0])
    throw data::InputError("--grid: \"" + text + "\"; expected a:b or a:b:step with a <= b and step > 0\n");
  const double count = std::floor((parts[1] - parts[0]) / step + 1e-9) + 1.0;
  if (count > kMaxGridPoints)
    throw data::InputError("--grid: \"" + text + "\" asks for " + data::format_number(count) +
                           " abscissa values; expected at most " + data::format_number(kMaxGridPoints) + "\n");
  for (std::size_t k = 0; k < static_cast<std::size_t>(count); ++k)
    grid.push_back(parts[0] + static_cast<double>(k) * step);
  return grid;
}

// Each functional endpoint as a curve on the requested grid, and every derived scalar, from every member: with the
// model's calibration (the members as predict_cells stretched them) and without it (the members' own spread).
void read_curves(const model::TrainedModel& trained, const data::Dataset& cells, const model::CellPredictions& p,
                 const std::vector<double>& grid, bool keep_members, io::Predictions& out) {
  if (trained.curves.empty()) return;
  // Without a calibration the members are their own: no copy, and the raw spreads are the spreads.
  std::vector<double> own;
  const bool calibrated = !trained.calibration.empty();
  if (calibrated) {
    own = p.members;
    model::stretch_members(model::inverse(trained.calibration), p.prediction, own);
  }
  const std::size_t E = static_cast<std::size_t>(trained.shape.endpoints), M = trained.members.size();
  const model::Centre centre = model::centre_named(trained.config.centre);
  const model::MemberValues all{p.members, M, cells.rows(), E, centre}, raw{own, M, cells.rows(), E, centre};
  for (const auto& curve : trained.curves) {
    const std::vector<double>& abscissa = grid.empty() ? curve.grid : grid;
    model::MemberSpread on = model::curve_on(all, curve, abscissa);
    Matrix raw_spread = calibrated ? model::curve_on(raw, curve, abscissa).spread : on.spread;
    out.curves.push_back({curve.name, curve.unit, curve.abscissa, abscissa, on.mean, on.spread, std::move(raw_spread),
                          keep_members ? std::move(on.members) : std::vector<double>{}});
  }
  if (trained.schema.derived.empty()) return;
  model::MemberSpread derived = model::derived_scalars(all, trained.curves, trained.schema.derived);
  for (const auto& d : trained.schema.derived) out.derived.names.push_back(d.name);
  out.derived.mean = derived.mean;
  out.derived.spread = derived.spread;
  out.derived.raw_spread =
      calibrated ? model::derived_scalars(raw, trained.curves, trained.schema.derived).spread : derived.spread;
  out.derived.given = cells.derived_given;
  if (keep_members) out.derived.members = std::move(derived.members);
}

struct PredictInputs {
  model::TrainedModel trained;
  data::Dataset cells;
  std::vector<double> grid;
};

// The model, the new cells, the grid, where the outputs go and the memory it takes, validated on every rank.
PredictInputs read_inputs(const PredictOptions& o, const RunContext& context) {
  return validated_on_every_rank(context, [&] {
    PredictInputs in;
    in.trained = io::read_model(o.model);
    data::Diagnostics problems;
    in.cells = read_new_cells(o, in.trained, problems);
    in.grid = requested_grid(o.grid);
    std::vector<io::NamedPath> inputs{{o.model, "--model"}, {o.data, "--data"}}, outputs{{o.out, "--out"}};
    for (const auto& item : o.curve_files) inputs.push_back({item.substr(item.find('=') + 1), "--curve"});
    if (!o.csv.empty()) outputs.push_back({o.csv, "--csv"});
    check_outputs(context, outputs, inputs, problems);
    problems.throw_if_any();
    model::RunSize size{in.trained.shape,
                        in.trained.members.size(),
                        in.cells.rows(),
                        context.comm.size(),
                        context.threads,
                        in.trained.config.precision == "float32",
                        0};
    for (const auto& curve : in.trained.curves)
      size.curve_points += in.grid.empty() ? curve.grid.size() : in.grid.size();
    check_memory(context, model::prediction_memory(size));
    return in;
  });
}

// What each target of the new cells is read off; "" when every target is the ensemble's.
std::string describe_readout(const model::TrainedModel& trained) {
  const model::Calibration& c = trained.calibration;
  if (!c.leaves_ensemble()) return "";
  return model::describe_readouts(c.readout, c.neighbours, trained.endpoint_names, trained.curves) +
         ", for the cells given by their descriptors alone (a cell that gives an endpoint is read off the ensemble)";
}

int run_predict(const PredictOptions& o, const RunContext& context) {
  Reporter report(context, "predict");
  const PredictInputs in = read_inputs(o, context);
  const model::TrainedModel& trained = in.trained;
  const data::Dataset& cells = in.cells;
  const std::size_t members = trained.members.size();
  report.set_pass_limit(trained.config.max_passes);
  report.line(o.data + ": " + std::to_string(cells.rows()) + " cells to predict with " + std::to_string(members) +
              " members on " + std::to_string(context.comm.size()) + " ranks x " + std::to_string(context.threads) +
              " threads");

  // Curves and derived scalars are read off every member's prediction.
  const bool need_members = o.members || !trained.curves.empty();
  const model::CellPredictions p =
      model::predict_cells(trained, cells.descriptors, cells.endpoints, CommDistribution(context.comm),
                           report.pass_observer(), need_members);
  const std::string checksum = model::checksum_hex(model::checksum(trained.members));
  const std::string readout = describe_readout(trained);
  io::Predictions out;
  if (context.comm.is_root()) {
    out.row_ids = cells.row_ids;
    out.endpoint_names = cells.endpoint_names;
    out.endpoint_units = cells.endpoint_units;
    out.mean = p.prediction;
    out.spread = p.spread;
    out.raw_spread = p.raw_spread;
    out.calibration = trained.calibration.fitted_on;
    out.readout = readout;
    out.measured = cells.endpoints.unaryExpr([](double v) { return std::isnan(v) ? 0.0 : 1.0; });
    out.input = cells.endpoints;
    if (o.members) out.members = p.members;
    out.member_count = members;
    out.model_checksum = checksum;
    read_curves(trained, cells, p, in.grid, o.members, out);
  }
  std::vector<common::PendingOutput> outputs{
      {o.out, [&](const std::string& temp) { io::write_predictions(temp, out, provenance(context)); }}};
  if (!o.csv.empty())
    outputs.push_back({o.csv, [&](const std::string& temp) { write_csv_table(temp, cells, p, out.derived); }});
  write_on_root(context, outputs);

  report.add_summary("model", o.model + " (" + std::to_string(members) + " members, checksum " + checksum + ")");
  const int passes = static_cast<int>(p.history.size());
  report.add_summary("cells", std::to_string(cells.rows()) + " predicted, " +
                                  (passes == 0 ? std::string("no passes (as the model was trained)")
                                               : std::to_string(passes) + " passes, " +
                                                     (p.converged ? "converged" : "stopped at the pass limit")));
  // Spread relative to each endpoint's spread in the training data, so endpoints in different units compare.
  const Matrix relative = p.spread.array().rowwise() / trained.endpoint_scaling.scale.transpose().array();
  report.add_summary(
      "uncertainty",
      "mean std " + format_fixed(relative.mean(), 4) + " of the training spread (over cells and endpoints); " +
          (trained.calibration.empty() ? std::string("std = the members' spread (the model has no calibration)")
                                       : "calibrated: " + trained.calibration.fitted_on));
  if (!readout.empty()) report.add_summary("read-out", readout);
  report.add_summary("output",
                     o.out + (o.csv.empty() ? "" : ", " + o.csv) + (o.members ? " (with per-member values)" : ""));
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
  app->add_option("--curve", options->curve_files,
                  "NAME=FILE: measured points of functional endpoint NAME for the new cells (long format: id, "
                  "abscissa, value); used as inputs. Repeatable");
  app->add_option("--grid", options->grid,
                  "abscissa values to report curves at: a:b, a:b:step or x1,x2,... "
                  "(default: each curve's model grid)");
  return {app, [options](const RunContext& context) { return run_predict(*options, context); }};
}

}  // namespace elec::cli
