// Reading a model file back, and refusing it unless it is whole: a model is an input like any other, and a file
// that was damaged, truncated, edited or written by something else must be reported (exit 2, naming the dataset)
// rather than produce NaN or garbage predictions.
//
// read_model = check_format -> read_schema_group -> read_normalisation -> read_members -> read_training ->
// read_history and read_selection; each step checks what it read (lengths against each other and the schema,
// finite values, positive scales), and the members' checksum is recomputed and compared with the stored one.
#include <cmath>
#include <cstdint>

#include "elec/data/diagnostics.hpp"
#include "elec/io/hdf5.hpp"
#include "elec/io/model_file.hpp"

namespace elec::io {
namespace {

using model::NetworkParams;

// Collects what is wrong with a model file, each problem named "file:/group/dataset: ...".
class ModelChecks {
 public:
  explicit ModelChecks(std::string path) : path_(std::move(path)) {}

  void problem(const std::string& dataset, const std::string& message) {
    problems_.add({path_ + ":" + dataset, 0, 0}, message);
  }
  // Returns whether the count is right. Callers combine several with `&`, not `&&`, on purpose: every wrong
  // count is reported, not only the first.
  bool count(const std::string& dataset, std::size_t found, std::size_t expected, const std::string& what) {
    if (found == expected) return true;
    problem(dataset, std::to_string(found) + " values; expected " + std::to_string(expected) + " (" + what + ")");
    return false;
  }
  void finite(const std::string& dataset, const double* values, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k)
      if (!std::isfinite(values[k])) {
        problem(dataset, "element " + std::to_string(k) + " is " + (std::isnan(values[k]) ? "NaN" : "infinite") +
                             "; expected finite numbers");
        return;
      }
  }
  void positive(const std::string& dataset, const Vector& values) {
    finite(dataset, values.data(), static_cast<std::size_t>(values.size()));
    for (Eigen::Index k = 0; k < values.size(); ++k)
      if (values[k] <= 0.0) {
        problem(dataset,
                "element " + std::to_string(k) + " is " + std::to_string(values[k]) + "; expected positive scales");
        return;
      }
  }
  // Stops reading when what was read so far cannot be used safely.
  void stop_if_any() const {
    if (!problems_.empty())
      throw data::InputError(problems_.format() + path_ +
                             ": not a usable elec_hpc model; expected a file written by "
                             "elec_hpc train or tune\n");
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  data::Diagnostics problems_;
};

void check_format(const Group& root, ModelChecks& checks) {
  if (!root.has_attribute("format") || root.string_attribute("format") != "elec_hpc model")
    checks.problem("/", "root attribute 'format' is missing or not \"elec_hpc model\"");
  else if (const auto found = root.int_attribute("format_version"); found != kModelFormatVersion && found != 2)
    checks.problem("/", "model format version " + std::to_string(found) + "; this program reads versions 2 and " +
                            std::to_string(kModelFormatVersion));
  checks.stop_if_any();
}

Vector to_eigen(const std::vector<double>& v) { return Eigen::Map<const Vector>(v.data(), v.size()); }

template <class E>
bool parse_enum(const std::string& text, std::initializer_list<E> options, E& out) {
  for (auto option : options)
    if (text == data::to_string(option)) return out = option, true;
  return false;
}

data::Schema read_schema_group(const Group& group, ModelChecks& checks) {
  data::Schema schema;
  schema.source = group.string_attribute("source");
  schema.text = group.string_attribute("text");
  const auto names = group.read_strings("column_names");
  const auto roles = group.read_strings("column_roles");
  const auto kinds = group.read_strings("column_kinds");
  const auto units = group.read_strings("column_units");
  const auto lo = group.read_doubles("column_min").data;
  const auto hi = group.read_doubles("column_max").data;
  const std::size_t n = names.size();
  bool ok = checks.count("/schema/column_roles", roles.size(), n, "one per column");
  ok &= checks.count("/schema/column_kinds", kinds.size(), n, "one per column");
  ok &= checks.count("/schema/column_units", units.size(), n, "one per column");
  ok &= checks.count("/schema/column_min", lo.size(), n, "one per column");
  ok &= checks.count("/schema/column_max", hi.size(), n, "one per column");
  if (!ok) return schema;
  for (std::size_t k = 0; k < n; ++k) {
    data::ColumnSpec c;
    c.name = names[k];
    if (!parse_enum(roles[k], {data::Role::Id, data::Role::Descriptor, data::Role::Endpoint, data::Role::Ignore},
                    c.role))
      checks.problem("/schema/column_roles", "element " + std::to_string(k) + " \"" + roles[k] + "\" is not a role");
    if (!parse_enum(kinds[k], {data::ValueKind::Numeric, data::ValueKind::Categorical, data::ValueKind::Functional},
                    c.kind))
      checks.problem("/schema/column_kinds", "element " + std::to_string(k) + " \"" + kinds[k] + "\" is not a type");
    c.unit = units[k];
    if (!std::isnan(lo[k])) c.min = lo[k];
    if (!std::isnan(hi[k])) c.max = hi[k];
    schema.columns.push_back(c);
  }
  return schema;
}

void read_encodings(const Group& group, model::TrainedModel& m, ModelChecks& checks) {
  const auto columns = group.read_strings("categorical_columns");
  const auto levels = group.read_strings("categorical_levels");
  if (!checks.count("/schema/categorical_levels", levels.size(), columns.size(), "one per categorical_columns entry"))
    return;
  for (std::size_t k = 0; k < columns.size(); ++k) {
    if (m.encodings.empty() || m.encodings.back().column != columns[k]) m.encodings.push_back({columns[k], {}});
    m.encodings.back().levels.push_back(levels[k]);
  }
}

// Functional endpoints as blocks of the endpoints, and the derived scalars read off them.
void read_curves(const Group& group, model::TrainedModel& m, ModelChecks& checks) {
  const auto names = group.read_strings("curve_names");
  const auto units = group.read_strings("curve_units");
  const auto abscissas = group.read_strings("curve_abscissas");
  const auto first = group.read_doubles("curve_first_endpoint").data;
  const auto sizes = group.read_doubles("curve_points").data;
  const auto grids = group.read_doubles("curve_grids").data;
  const std::size_t n = names.size(), endpoints = m.endpoint_names.size();
  bool ok = checks.count("/schema/curve_units", units.size(), n, "one per curve") &
            checks.count("/schema/curve_abscissas", abscissas.size(), n, "one per curve") &
            checks.count("/schema/curve_first_endpoint", first.size(), n, "one per curve") &
            checks.count("/schema/curve_points", sizes.size(), n, "one per curve");
  std::size_t offset = 0;
  for (std::size_t c = 0; ok && c < n; ++c) {
    const bool whole = first[c] >= 0 && sizes[c] >= 1 && first[c] == std::floor(first[c]) &&
                       sizes[c] == std::floor(sizes[c]) && first[c] + sizes[c] <= static_cast<double>(endpoints);
    if (!whole) {
      checks.problem("/schema/curve_points",
                     "curve " + names[c] + " does not fit among the " + std::to_string(endpoints) + " endpoints");
      return;
    }
    const auto points = static_cast<std::size_t>(sizes[c]);
    if (offset + points > grids.size()) break;
    m.curves.push_back({names[c], units[c], abscissas[c],
                        std::vector<double>(grids.begin() + static_cast<std::ptrdiff_t>(offset),
                                            grids.begin() + static_cast<std::ptrdiff_t>(offset + points)),
                        static_cast<int>(first[c])});
    offset += points;
  }
  if (ok && checks.count("/schema/curve_grids", grids.size(), offset, "the sum of curve_points"))
    checks.finite("/schema/curve_grids", grids.data(), grids.size());
  const auto derived_names = group.read_strings("derived_names");
  const auto derived_from = group.read_strings("derived_from");
  const auto derived_kinds = group.read_strings("derived_kinds");
  const auto at = group.read_doubles("derived_at").data;
  const auto fraction = group.read_doubles("derived_fraction").data;
  const std::size_t d_count = derived_names.size();
  if (!(checks.count("/schema/derived_from", derived_from.size(), d_count, "one per derived scalar") &
        checks.count("/schema/derived_kinds", derived_kinds.size(), d_count, "one per derived scalar") &
        checks.count("/schema/derived_at", at.size(), d_count, "one per derived scalar") &
        checks.count("/schema/derived_fraction", fraction.size(), d_count, "one per derived scalar")))
    return;
  for (std::size_t d = 0; d < d_count; ++d) {
    const bool known =
        std::any_of(m.curves.begin(), m.curves.end(), [&](const auto& c) { return c.name == derived_from[d]; });
    if (!known || (derived_kinds[d] != "value_at" && derived_kinds[d] != "crossing"))
      checks.problem("/schema/derived_from", "derived scalar " + derived_names[d] +
                                                 " is not read off a stored curve "
                                                 "by value_at or crossing");
    m.schema.derived.push_back(
        {derived_names[d],
         derived_from[d],
         derived_kinds[d] == "value_at" ? data::DerivedKind::ValueAt : data::DerivedKind::Crossing,
         at[d],
         fraction[d],
         {checks.path() + ":/schema/derived_names", 0, 0}});
  }
}

void read_columns(const File& file, model::TrainedModel& m, ModelChecks& checks) {
  const auto schema = file.open_group("schema");
  m.schema = read_schema_group(schema, checks);
  m.descriptor_names = schema.read_strings("descriptor_names");
  m.descriptor_units = schema.read_strings("descriptor_units");
  m.endpoint_names = schema.read_strings("endpoint_names");
  m.endpoint_units = schema.read_strings("endpoint_units");
  checks.count("/schema/descriptor_units", m.descriptor_units.size(), m.descriptor_names.size(), "one per descriptor");
  checks.count("/schema/endpoint_units", m.endpoint_units.size(), m.endpoint_names.size(), "one per endpoint");
  if (m.endpoint_names.empty()) checks.problem("/schema/endpoint_names", "no endpoints; expected at least one");
  read_encodings(schema, m, checks);
  read_curves(schema, m, checks);
  checks.stop_if_any();
}

void read_normalisation(const File& file, model::TrainedModel& m, ModelChecks& checks) {
  const auto norm = file.open_group("normalisation");
  const std::size_t D = m.descriptor_names.size(), E = m.endpoint_names.size();
  auto read = [&](const std::string& name, std::size_t expected, const std::string& what) {
    const auto values = norm.read_doubles(name).data;
    checks.count("/normalisation/" + name, values.size(), expected, what);
    return to_eigen(values);
  };
  m.descriptor_scaling = {read("descriptor_mean", D, "one per descriptor feature"),
                          read("descriptor_scale", D, "one per descriptor feature")};
  m.endpoint_scaling = {read("endpoint_mean", E, "one per endpoint"), read("endpoint_scale", E, "one per endpoint")};
  checks.finite("/normalisation/descriptor_mean", m.descriptor_scaling.mean.data(), m.descriptor_scaling.mean.size());
  checks.finite("/normalisation/endpoint_mean", m.endpoint_scaling.mean.data(), m.endpoint_scaling.mean.size());
  checks.positive("/normalisation/descriptor_scale", m.descriptor_scaling.scale);
  checks.positive("/normalisation/endpoint_scale", m.endpoint_scaling.scale);
  checks.stop_if_any();
}

data::StudyConfig read_hyperparameters(const Group& group, const std::string& path) {
  data::Diagnostics problems;
  data::StudyConfig c =
      data::study_config_from_text(group.string_attribute("effective_config"), path + ":/hyperparameters", problems);
  problems.throw_if_any();
  c.source = group.string_attribute("config_source");
  c.text = group.string_attribute("config_text");
  return c;
}

// Every member's weights, checked against the shape the columns imply, finite, and hashing to the stored checksum.
void read_members(const File& file, model::TrainedModel& m, ModelChecks& checks) {
  const auto group = file.open_group("members");
  auto& s = m.shape;
  s.descriptors = static_cast<int>(group.int_attribute("descriptors"));
  s.endpoints = static_cast<int>(group.int_attribute("endpoints"));
  s.hidden = static_cast<int>(group.int_attribute("hidden"));
  s.confidence = group.int_attribute("confidence") != 0;
  if (s.descriptors != static_cast<int>(m.descriptor_names.size()) ||
      s.endpoints != static_cast<int>(m.endpoint_names.size()) || s.hidden < 1 || s.hidden > 4096)
    checks.problem("/members", "network shape (" + std::to_string(s.descriptors) + " descriptors, " +
                                   std::to_string(s.endpoints) + " endpoints, " + std::to_string(s.hidden) +
                                   " hidden units) does not match the stored columns");
  checks.stop_if_any();
  const auto W1 = group.read_doubles("W1"), b1 = group.read_doubles("b1"), w2 = group.read_doubles("w2"),
             b2 = group.read_doubles("b2");
  const std::size_t M = W1.dims.size() == 3 ? W1.dims[0] : 0, P = s.inputs(), EH = s.hidden_total(), E = s.endpoints;
  if (M == 0) checks.problem("/members/W1", "expected members x inputs x hidden weights, at least one member");
  checks.count(
      "/members/W1", W1.data.size(), M * P * EH,
      std::to_string(M) + " members x " + std::to_string(P) + " inputs x " + std::to_string(EH) + " hidden units");
  checks.count("/members/b1", b1.data.size(), M * EH, "members x hidden units");
  checks.count("/members/w2", w2.data.size(), M * EH, "members x hidden units");
  checks.count("/members/b2", b2.data.size(), M * E, "members x endpoints");
  checks.stop_if_any();
  for (const auto* array : {&W1, &b1, &w2, &b2})
    checks.finite(array == &W1   ? "/members/W1"
                  : array == &b1 ? "/members/b1"
                  : array == &w2 ? "/members/w2"
                                 : "/members/b2",
                  array->data.data(), array->data.size());
  for (std::size_t k = 0; k < M; ++k) {
    auto p = NetworkParams<double>::zeros(s);
    std::copy_n(W1.data.data() + k * P * EH, P * EH, p.W1.data());
    std::copy_n(b1.data.data() + k * EH, EH, p.b1.data());
    std::copy_n(w2.data.data() + k * EH, EH, p.w2.data());
    std::copy_n(b2.data.data() + k * E, E, p.b2.data());
    m.members.push_back(std::move(p));
  }
  const std::string stored = file.string_attribute("model_checksum");
  const std::string computed = model::checksum_hex(model::checksum(m.members));
  if (stored != computed)
    checks.problem("/members", "the weights hash to " + computed + " but the file's model_checksum is " + stored +
                                   "; the file was damaged or edited");
  checks.stop_if_any();
}

void read_training(const File& file, model::TrainedModel& m, ModelChecks& checks) {
  const auto training = file.open_group("training");
  m.training_row_ids = training.read_strings("row_ids");
  m.training_descriptors = training.read_matrix("descriptors");
  m.training_values = training.read_matrix("values");
  m.training_spread = training.read_matrix("std");
  m.training_prediction = training.read_matrix("prediction");
  m.training_measured = training.read_matrix("observed");
  const auto N = static_cast<Eigen::Index>(m.training_row_ids.size());
  const auto D = static_cast<Eigen::Index>(m.descriptor_names.size()),
             E = static_cast<Eigen::Index>(m.endpoint_names.size());
  auto shape = [&](const std::string& name, const Matrix& x, Eigen::Index cols) {
    if (x.rows() != N || x.cols() != cols)
      checks.problem("/training/" + name, std::to_string(x.rows()) + " x " + std::to_string(x.cols()) + "; expected " +
                                              std::to_string(N) + " x " + std::to_string(cols) + " (rows x columns)");
  };
  shape("descriptors", m.training_descriptors, D);
  shape("values", m.training_values, E);
  shape("std", m.training_spread, E);
  shape("prediction", m.training_prediction, E);
  shape("observed", m.training_measured, E);
  checks.stop_if_any();
}

std::vector<model::PassRecord> read_history(const Group& group, ModelChecks& checks) {
  const auto pass = group.read_int64("pass").data;
  const auto max_change = group.read_doubles("max_change").data;
  const auto mean_change = group.read_doubles("mean_change").data;
  const auto seconds = group.read_doubles("seconds").data;
  std::vector<model::PassRecord> out;
  if (pass.empty()) checks.problem("/history/pass", "no record; expected at least the initial training's");
  if (!(checks.count("/history/max_change", max_change.size(), pass.size(), "one per pass") &
        checks.count("/history/mean_change", mean_change.size(), pass.size(), "one per pass") &
        checks.count("/history/seconds", seconds.size(), pass.size(), "one per pass")))
    return out;
  for (std::size_t k = 0; k < pass.size(); ++k)
    out.push_back({static_cast<int>(pass[k]), max_change[k], mean_change[k], seconds[k]});
  return out;
}

std::vector<model::ValidationPoint> read_points(const Group& group, const std::string& prefix, ModelChecks& checks) {
  const auto epochs = group.read_int64(prefix + "_epochs").data;
  const auto passes = group.read_int64(prefix + "_passes").data;
  const auto rmse = group.read_doubles(prefix + "_rmse").data;
  std::vector<model::ValidationPoint> out;
  if (!(checks.count("/selection/" + prefix + "_passes", passes.size(), epochs.size(), "one per scored point") &
        checks.count("/selection/" + prefix + "_rmse", rmse.size(), epochs.size(), "one per scored point")))
    return out;
  for (std::size_t k = 0; k < epochs.size(); ++k)
    out.push_back({static_cast<int>(epochs[k]), static_cast<int>(passes[k]), rmse[k], {}});
  return out;
}

// Penalties chosen per endpoint: finite and >= 0, reported once per dataset.
void check_penalties(ModelChecks& checks, const std::string& dataset, const std::vector<double>& penalties) {
  for (const double v : penalties)
    if (!(std::isfinite(v) && v >= 0.0)) {
      checks.problem(dataset, "a penalty of " + std::to_string(v) + "; expected finite and >= 0");
      return;
    }
}

void check_dropouts(ModelChecks& checks, const std::string& dataset, const std::vector<double>& rates) {
  for (const double v : rates)
    if (!(v >= 0.0 && v < 1.0)) {
      checks.problem(dataset, "an input dropout of " + std::to_string(v) + "; expected a probability in [0, 1)");
      return;
    }
}

model::ScheduleSelection read_selection(const Group& group, ModelChecks& checks) {
  model::ScheduleSelection s;
  s.held_out_cells = static_cast<std::size_t>(group.int_attribute("held_out_cells"));
  s.members = static_cast<std::size_t>(group.int_attribute("members"));
  s.draws = static_cast<std::size_t>(group.int_attribute("draws"));
  s.chosen = model::Schedule::plain(static_cast<int>(group.int_attribute("chosen_epochs")),
                                    static_cast<int>(group.int_attribute("chosen_passes")),
                                    static_cast<int>(group.int_attribute("chosen_pass_epochs")));
  s.initial = read_points(group, "initial", checks);
  s.passes = read_points(group, "passes", checks);
  if (group.contains("l2_by_endpoint")) {
    s.l2_candidates = group.read_doubles("l2_candidates").data;
    s.chosen.l2_by_endpoint = group.read_doubles("l2_by_endpoint").data;
    check_penalties(checks, "/selection/l2_by_endpoint", s.chosen.l2_by_endpoint);
  }
  // Present only when the selection also tried an input penalty (by default for new cells).
  if (group.contains("input_penalty_by_endpoint")) {
    s.input_penalty_candidates = group.read_doubles("input_penalty_candidates").data;
    s.chosen.input_penalty_by_endpoint = group.read_doubles("input_penalty_by_endpoint").data;
    check_penalties(checks, "/selection/input_penalty_by_endpoint", s.chosen.input_penalty_by_endpoint);
  }
  // Present only when the selection also tried another input dropout (selection.input_dropout).
  if (group.contains("input_dropout_by_endpoint")) {
    s.input_dropout_candidates = group.read_doubles("input_dropout_candidates").data;
    s.chosen.input_dropout_by_endpoint = group.read_doubles("input_dropout_by_endpoint").data;
    check_dropouts(checks, "/selection/input_dropout_candidates", s.input_dropout_candidates);
    check_dropouts(checks, "/selection/input_dropout_by_endpoint", s.chosen.input_dropout_by_endpoint);
  }
  return s;
}

// The lasso of the columns read `lasso_average`: endpoints x descriptors coefficients and an intercept per
// endpoint, finite wherever a column reads it.
void read_lasso(const Group& group, std::size_t descriptors, model::Calibration& c, ModelChecks& checks) {
  if (!group.contains("lasso_coefficients") || !group.contains("lasso_intercepts")) {
    checks.problem("/calibration/lasso_coefficients", "missing; expected when some endpoint reads lasso_average");
    return;
  }
  c.lasso.coefficients = group.read_matrix("lasso_coefficients");
  const std::vector<double> intercepts = group.read_doubles("lasso_intercepts").data;
  c.lasso.intercepts = Eigen::Map<const Vector>(intercepts.data(), static_cast<Eigen::Index>(intercepts.size()));
  const auto E = static_cast<Eigen::Index>(c.readout.size()), D = static_cast<Eigen::Index>(descriptors);
  if (c.lasso.coefficients.rows() != E || c.lasso.coefficients.cols() != D || c.lasso.intercepts.size() != E) {
    checks.problem("/calibration/lasso_coefficients",
                   std::to_string(c.lasso.coefficients.rows()) + " x " + std::to_string(c.lasso.coefficients.cols()) +
                       " with " + std::to_string(c.lasso.intercepts.size()) + " intercepts; expected " +
                       std::to_string(E) + " x " + std::to_string(D) + " (endpoints x descriptors)");
    return;
  }
  for (Eigen::Index j = 0; j < E; ++j)
    if (c.readout[static_cast<std::size_t>(j)] == model::Readout::LassoAverage &&
        !(std::isfinite(c.lasso.intercepts(j)) && c.lasso.coefficients.row(j).allFinite())) {
      checks.problem("/calibration/lasso_coefficients",
                     "endpoint " + std::to_string(j) + " reads lasso_average but its fit is not finite");
      return;
    }
}

void read_readout(const Group& group, std::size_t endpoints, std::size_t descriptors, model::Calibration& c,
                  ModelChecks& checks) {
  const std::vector<std::string> names = group.read_strings("readout");
  checks.count("/calibration/readout", names.size(), endpoints, "one per endpoint");
  for (const std::string& name : names) {
    model::Readout r = model::Readout::Ensemble;
    if (!model::readout_named(name, r)) {
      checks.problem("/calibration/readout",
                     "\"" + name + "\"; expected ensemble, neighbours, average or lasso_average");
      return;
    }
    c.readout.push_back(r);
  }
  const std::int64_t k = group.has_attribute("neighbours") ? group.int_attribute("neighbours") : 0;
  if ((c.reads(model::Readout::Neighbours) || c.reads(model::Readout::Average)) && k < 1)
    checks.problem("/calibration/readout", "neighbours = " + std::to_string(k) + "; expected at least 1");
  c.neighbours = static_cast<int>(k);
  if (c.reads(model::Readout::LassoAverage)) read_lasso(group, descriptors, c, checks);
}

// Optional: a model without /calibration reports the raw ensemble spread (and version 2 files have none).
model::Calibration read_calibration(const File& file, std::size_t endpoints, std::size_t descriptors,
                                    ModelChecks& checks) {
  model::Calibration c;
  if (!file.contains("calibration")) return c;
  const auto group = file.open_group("calibration");
  c.scale = group.read_doubles("scale").data;
  c.fitted_on = group.string_attribute("fitted_on");
  checks.count("/calibration/scale", c.scale.size(), endpoints, "one per endpoint");
  for (double v : c.scale)
    if (!(std::isfinite(v) && v > 0.0)) {
      checks.problem("/calibration/scale", "a scale of " + std::to_string(v) + "; expected finite and positive");
      break;
    }
  // Optional: present when the neighbour read-out was chosen ([calibration] neighbours > 0).
  if (group.contains("readout")) read_readout(group, endpoints, descriptors, c, checks);
  return c;
}

model::TrainedModel read_checked(const std::string& path, ModelChecks& checks) {
  const File file = File::open_read(path);
  check_format(file, checks);
  model::TrainedModel m;
  read_columns(file, m, checks);
  read_normalisation(file, m, checks);
  m.config = read_hyperparameters(file.open_group("hyperparameters"), path);
  read_members(file, m, checks);
  read_training(file, m, checks);
  m.history = read_history(file.open_group("history"), checks);
  m.selection = read_selection(file.open_group("selection"), checks);
  if (!m.selection.chosen.l2_by_endpoint.empty())
    checks.count("/selection/l2_by_endpoint", m.selection.chosen.l2_by_endpoint.size(), m.endpoint_names.size(),
                 "one per endpoint");
  if (!m.selection.chosen.input_penalty_by_endpoint.empty()) {
    checks.count("/selection/input_penalty_by_endpoint", m.selection.chosen.input_penalty_by_endpoint.size(),
                 m.endpoint_names.size(), "one per endpoint");
    // Candidate k is (l2_candidates[k], input_penalty_candidates[k]): the summary reads them side by side.
    checks.count("/selection/input_penalty_candidates", m.selection.input_penalty_candidates.size(),
                 m.selection.l2_candidates.size(), "one per L2 candidate");
  }
  if (!m.selection.chosen.input_dropout_by_endpoint.empty())
    checks.count("/selection/input_dropout_by_endpoint", m.selection.chosen.input_dropout_by_endpoint.size(),
                 m.endpoint_names.size(), "one per endpoint");
  m.calibration = read_calibration(file, m.endpoint_names.size(), m.descriptor_names.size(), checks);
  checks.stop_if_any();
  return m;
}

}  // namespace

model::TrainedModel read_model(const std::string& path) {
  ModelChecks checks(path);
  try {
    return read_checked(path, checks);
  } catch (const H5Error& e) {
    // A missing dataset, a wrong type, a truncated or non-HDF5 file.
    throw data::InputError(path + (e.object().empty() ? "" : ":" + e.object()) + ": " + e.what() + "\n" + path +
                           ": not a usable elec_hpc model; expected a file written by elec_hpc train or tune\n");
  }
}

}  // namespace elec::io
