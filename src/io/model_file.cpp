#include "elec/io/model_file.hpp"

#include <chrono>
#include <cmath>
#include <ctime>
#include <stdexcept>

#include "elec/io/hdf5.hpp"
#include "elec/version.hpp"

namespace elec::io {
namespace {

using model::NetworkParams;

std::string utc_timestamp() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return text;
}

std::vector<double> optional_bounds(const std::vector<data::ColumnSpec>& columns, bool upper) {
  std::vector<double> out;
  for (const auto& c : columns) {
    const auto& bound = upper ? c.max : c.min;
    out.push_back(bound ? *bound : std::nan(""));
  }
  return out;
}

// Functional endpoints (name, unit, abscissa, first endpoint, grid; grids flattened with their sizes) and the
// derived scalars read off them.
void write_curves(Group& group, const model::TrainedModel& m) {
  std::vector<std::string> names, units, abscissas;
  std::vector<double> first, sizes, grids;
  for (const auto& c : m.curves) {
    names.push_back(c.name), units.push_back(c.unit), abscissas.push_back(c.abscissa);
    first.push_back(c.first_endpoint), sizes.push_back(c.points());
    grids.insert(grids.end(), c.grid.begin(), c.grid.end());
  }
  group.write("curve_names", names);
  group.write("curve_units", units);
  group.write("curve_abscissas", abscissas);
  group.write("curve_first_endpoint", first, {first.size()});
  group.write("curve_points", sizes, {sizes.size()});
  group.write("curve_grids", grids, {grids.size()});
  std::vector<std::string> derived_names, derived_from, derived_kinds;
  std::vector<double> at, fraction;
  for (const auto& d : m.schema.derived) {
    derived_names.push_back(d.name), derived_from.push_back(d.from);
    derived_kinds.push_back(d.kind == data::DerivedKind::ValueAt ? "value_at" : "crossing");
    at.push_back(d.at), fraction.push_back(d.fraction);
  }
  group.write("derived_names", derived_names);
  group.write("derived_from", derived_from);
  group.write("derived_kinds", derived_kinds);
  group.write("derived_at", at, {at.size()});
  group.write("derived_fraction", fraction, {fraction.size()});
}

void write_schema(Group group, const model::TrainedModel& m) {
  std::vector<std::string> names, roles, kinds, units;
  for (const auto& c : m.schema.columns) {
    names.push_back(c.name);
    roles.push_back(data::to_string(c.role));
    kinds.push_back(data::to_string(c.kind));
    units.push_back(c.unit);
  }
  group.set_attribute("source", m.schema.source);
  group.set_attribute("text", m.schema.text);
  group.write("column_names", names);
  group.write("column_roles", roles);
  group.write("column_kinds", kinds);
  group.write("column_units", units);
  group.write("column_min", optional_bounds(m.schema.columns, false), {m.schema.columns.size()});
  group.write("column_max", optional_bounds(m.schema.columns, true), {m.schema.columns.size()});
  group.write("descriptor_names", m.descriptor_names);
  group.write("descriptor_units", m.descriptor_units);
  group.write("endpoint_names", m.endpoint_names);
  group.write("endpoint_units", m.endpoint_units);
  // Categorical levels, flattened: level_columns[k] is the column of levels[k], in one-hot feature order.
  std::vector<std::string> level_columns, levels;
  for (const auto& e : m.encodings)
    for (const auto& level : e.levels) level_columns.push_back(e.column), levels.push_back(level);
  group.write("categorical_columns", level_columns);
  group.write("categorical_levels", levels);
  write_curves(group, m);
}

std::vector<double> to_vector(const Vector& v) { return std::vector<double>(v.data(), v.data() + v.size()); }

// The effective configuration (every key, after schedule selection) is stored as TOML text and read back with the
// same parser that reads study files, so the model file can never disagree with the parameter table.
void write_hyperparameters(Group group, const model::TrainedModel& m) {
  group.set_attribute("effective_config", data::to_toml(m.config));
  group.set_attribute("config_source", m.config.source);
  group.set_attribute("config_text", m.config.text);
}

void write_members(Group group, const model::TrainedModel& m) {
  const auto& s = m.shape;
  const hsize_t M = m.members.size(), P = s.inputs(), EH = s.hidden_total(), E = s.endpoints;
  std::vector<double> W1, b1, w2, b2;
  for (const auto& p : m.members) {
    W1.insert(W1.end(), p.W1.data(), p.W1.data() + p.W1.size());
    b1.insert(b1.end(), p.b1.data(), p.b1.data() + p.b1.size());
    w2.insert(w2.end(), p.w2.data(), p.w2.data() + p.w2.size());
    b2.insert(b2.end(), p.b2.data(), p.b2.data() + p.b2.size());
  }
  group.set_attribute("descriptors", static_cast<std::int64_t>(s.descriptors));
  group.set_attribute("endpoints", static_cast<std::int64_t>(s.endpoints));
  group.set_attribute("hidden", static_cast<std::int64_t>(s.hidden));
  group.set_attribute("confidence", static_cast<std::int64_t>(s.confidence));
  group.write("W1", W1, {M, P, EH});
  group.write("b1", b1, {M, EH});
  group.write("w2", w2, {M, EH});
  group.write("b2", b2, {M, E});
}

void write_history(Group group, const std::vector<model::PassRecord>& history) {
  std::vector<std::int64_t> pass;
  std::vector<double> max_change, mean_change, seconds;
  for (const auto& h : history) {
    pass.push_back(h.pass);
    max_change.push_back(h.max_change);
    mean_change.push_back(h.mean_change);
    seconds.push_back(h.seconds);
  }
  const hsize_t n = history.size();
  group.write("pass", pass, {n});
  group.write("max_change", max_change, {n});
  group.write("mean_change", mean_change, {n});
  group.write("seconds", seconds, {n});
}

void write_points(Group& group, const std::string& prefix, const std::vector<model::ValidationPoint>& points) {
  std::vector<std::int64_t> epochs, passes;
  std::vector<double> rmse;
  for (const auto& p : points) epochs.push_back(p.epochs), passes.push_back(p.passes), rmse.push_back(p.rmse);
  const hsize_t n = points.size();
  group.write(prefix + "_epochs", epochs, {n});
  group.write(prefix + "_passes", passes, {n});
  group.write(prefix + "_rmse", rmse, {n});
}

// The held-out scores behind the chosen schedule (empty when the config fixed it).
void write_selection(Group group, const model::ScheduleSelection& s) {
  group.set_attribute("held_out_cells", static_cast<std::int64_t>(s.held_out_cells));
  group.set_attribute("members", static_cast<std::int64_t>(s.members));
  group.set_attribute("draws", static_cast<std::int64_t>(s.draws));
  group.set_attribute("chosen_epochs", static_cast<std::int64_t>(s.chosen.epochs));
  group.set_attribute("chosen_passes", static_cast<std::int64_t>(s.chosen.passes));
  group.set_attribute("chosen_pass_epochs", static_cast<std::int64_t>(s.chosen.pass_epochs));
  write_points(group, "initial", s.initial);
  write_points(group, "passes", s.passes);
  // Present only when the penalty was chosen per target (selection.l2_decades > 0).
  if (!s.chosen.l2_by_endpoint.empty()) {
    group.write("l2_candidates", s.l2_candidates, {s.l2_candidates.size()});
    group.write("l2_by_endpoint", s.chosen.l2_by_endpoint, {s.chosen.l2_by_endpoint.size()});
  }
  // Present only when an input penalty was chosen per target too (tried by default for new cells).
  if (!s.chosen.input_penalty_by_endpoint.empty()) {
    group.write("input_penalty_candidates", s.input_penalty_candidates, {s.input_penalty_candidates.size()});
    group.write("input_penalty_by_endpoint", s.chosen.input_penalty_by_endpoint,
                {s.chosen.input_penalty_by_endpoint.size()});
  }
  // Present only when another input dropout was tried per target (selection.input_dropout).
  if (!s.chosen.input_dropout_by_endpoint.empty()) {
    group.write("input_dropout_candidates", s.input_dropout_candidates, {s.input_dropout_candidates.size()});
    group.write("input_dropout_by_endpoint", s.chosen.input_dropout_by_endpoint,
                {s.chosen.input_dropout_by_endpoint.size()});
  }
}

std::vector<std::uint8_t> to_mask(const Matrix& m) {
  std::vector<std::uint8_t> out(m.size());
  for (Eigen::Index k = 0; k < m.size(); ++k) out[k] = m.data()[k] != 0.0;
  return out;
}

}  // namespace

void write_provenance(Group& root, const std::string& format, int version, const Provenance& p) {
  root.set_attribute("format", format);
  root.set_attribute("format_version", static_cast<std::int64_t>(version));
  root.set_attribute("program_version", kVersion);
  root.set_attribute("git_commit", kGitCommit);
  root.set_attribute("created", utc_timestamp());
  root.set_attribute("command_line", p.command_line);
  root.set_attribute("ranks", static_cast<std::int64_t>(p.ranks));
  root.set_attribute("threads", static_cast<std::int64_t>(p.threads));
}

void write_model(const std::string& path, const model::TrainedModel& m, const Provenance& provenance) {
  File file = File::create(path);
  {
    write_provenance(file, "elec_hpc model", kModelFormatVersion, provenance);
    file.set_attribute("seed", static_cast<std::int64_t>(m.config.seed));
    file.set_attribute("config_text", m.config.text);
    file.set_attribute("schema_text", m.schema.text);
    file.set_attribute("model_checksum", model::checksum_hex(model::checksum(m.members)));
    write_schema(file.create_group("schema"), m);
    auto norm = file.create_group("normalisation");
    norm.write("descriptor_mean", to_vector(m.descriptor_scaling.mean), {m.descriptor_names.size()});
    norm.write("descriptor_scale", to_vector(m.descriptor_scaling.scale), {m.descriptor_names.size()});
    norm.write("endpoint_mean", to_vector(m.endpoint_scaling.mean), {m.endpoint_names.size()});
    norm.write("endpoint_scale", to_vector(m.endpoint_scaling.scale), {m.endpoint_names.size()});
    write_hyperparameters(file.create_group("hyperparameters"), m);
    write_members(file.create_group("members"), m);
    auto training = file.create_group("training");
    training.write("row_ids", m.training_row_ids);
    training.write("descriptors", m.training_descriptors);
    training.write("values", m.training_values);
    training.write("std", m.training_spread);
    training.write("prediction", m.training_prediction);
    training.write(
        "observed", to_mask(m.training_measured),
        {static_cast<hsize_t>(m.training_measured.rows()), static_cast<hsize_t>(m.training_measured.cols())});
    write_history(file.create_group("history"), m.history);
    write_selection(file.create_group("selection"), m.selection);
    if (!m.calibration.empty()) {
      auto calibration = file.create_group("calibration");
      calibration.write("scale", m.calibration.scale, {m.calibration.scale.size()});
      calibration.set_attribute("fitted_on", m.calibration.fitted_on);
      if (!m.calibration.readout.empty()) {
        std::vector<std::string> names;
        for (model::Readout r : m.calibration.readout) names.push_back(model::readout_name(r));
        calibration.write("readout", names);
        calibration.set_attribute("neighbours", static_cast<std::int64_t>(m.calibration.neighbours));
        if (!m.calibration.lasso.empty()) {
          calibration.write("lasso_coefficients", m.calibration.lasso.coefficients);
          const Vector& b = m.calibration.lasso.intercepts;
          calibration.write("lasso_intercepts", std::vector<double>(b.data(), b.data() + b.size()),
                            {static_cast<hsize_t>(b.size())});
        }
      }
    }
  }
  file.close();
}

void write_predictions(const std::string& path, const Predictions& p, const Provenance& provenance) {
  File file = File::create(path);
  {
    write_provenance(file, "elec_hpc predictions", kPredictionsFormatVersion, provenance);
    file.set_attribute("model_checksum", p.model_checksum);
    file.set_attribute("members", static_cast<std::int64_t>(p.member_count));
    file.write("row_ids", p.row_ids);
    file.write("endpoint_names", p.endpoint_names);
    file.write("endpoint_units", p.endpoint_units);
    file.write("mean", p.mean);
    file.write("std", p.spread);
    file.write("ensemble_spread", p.raw_spread);
    file.set_attribute("std_calibration",
                       p.calibration.empty() ? std::string("none: std = ensemble_spread") : p.calibration);
    if (!p.readout.empty()) file.set_attribute("readout", p.readout);
    file.write("input", p.input);
    file.write("measured", to_mask(p.measured),
               {static_cast<hsize_t>(p.measured.rows()), static_cast<hsize_t>(p.measured.cols())});
    if (!p.members.empty())
      file.write("members", p.members,
                 {p.member_count, static_cast<hsize_t>(p.mean.rows()), static_cast<hsize_t>(p.mean.cols())});
    const auto rows = static_cast<hsize_t>(p.mean.rows());
    // Curves are numeric datasets (cells x abscissa), one group per functional endpoint.
    if (!p.curves.empty()) {
      auto curves = file.create_group("curves");
      for (const auto& c : p.curves) {
        auto group = curves.create_group(c.name);
        group.set_attribute("unit", c.unit);
        group.set_attribute("abscissa_name", c.abscissa_name);
        group.write("abscissa", c.abscissa, {c.abscissa.size()});
        group.write("mean", c.mean);
        group.write("std", c.spread);
        group.write("ensemble_spread", c.raw_spread);
        if (!c.members.empty()) group.write("members", c.members, {p.member_count, rows, c.abscissa.size()});
      }
    }
    if (!p.derived.names.empty()) {
      auto derived = file.create_group("derived");
      derived.write("names", p.derived.names);
      derived.write("mean", p.derived.mean);
      derived.write("std", p.derived.spread);
      derived.write("ensemble_spread", p.derived.raw_spread);
      derived.write("given", p.derived.given);
      if (!p.derived.members.empty())
        derived.write("members", p.derived.members, {p.member_count, rows, p.derived.names.size()});
    }
  }
  file.close();
}

}  // namespace elec::io
