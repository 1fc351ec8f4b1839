#include "elec/io/design_file.hpp"

#include <cmath>

#include "elec/data/csv.hpp"
#include "elec/io/hdf5.hpp"

namespace elec::io {
namespace {

using opt::DesignExtra;

std::vector<double> extra_of(const std::vector<opt::TrialRecord>& history, DesignExtra extra) {
  std::vector<double> values;
  for (const auto& t : history) values.push_back(t.outcome.extras[extra]);
  return values;
}

// rows x quantities, from each evaluation's mean or spread.
Matrix quantity_matrix(const std::vector<opt::DesignEvaluation>& rows, bool spread) {
  Matrix m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.empty() ? 0 : rows[0].mean.size()));
  for (std::size_t r = 0; r < rows.size(); ++r)
    for (std::size_t k = 0; k < rows[r].mean.size(); ++k)
      m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(k)) = spread ? rows[r].spread[k] : rows[r].mean[k];
  return m;
}

void write_categorical_levels(Group& group, const opt::DesignProblem& p, const std::vector<opt::Design>& designs) {
  auto levels = group.create_group("levels");
  for (std::size_t k = 0; k < p.variables.size(); ++k) {
    if (!p.variables[k].categorical) continue;
    std::vector<std::string> column;
    for (const auto& d : designs) column.push_back(d.levels[k]);
    levels.write(p.variables[k].name, column);
  }
}

void write_top(File& file, const DesignReport& r) {
  auto top = file.create_group("top");
  std::vector<std::int64_t> trials(r.run.top_trials.begin(), r.run.top_trials.end());
  std::vector<double> p_joint, p_gaussian, objective;
  std::vector<opt::Design> designs;
  for (const auto& e : r.run.top)
    p_joint.push_back(e.p_joint), p_gaussian.push_back(e.p_gaussian), objective.push_back(e.objective),
        designs.push_back(e.design);
  top.write("trial", trials, {trials.size()});
  top.write("objective", objective, {objective.size()});
  top.write("p_joint", p_joint, {p_joint.size()});
  top.write("p_gaussian", p_gaussian, {p_gaussian.size()});
  const Matrix mean = quantity_matrix(r.run.top, false), spread = quantity_matrix(r.run.top, true);
  top.write("mean", mean);
  top.write("std", spread);
  write_categorical_levels(top, r.problem, designs);
  if (r.model.curves.empty()) return;
  auto curves = top.create_group("curves");
  for (const auto& c : r.model.curves) {
    auto group = curves.create_group(c.name);
    group.set_attribute("unit", c.unit);
    group.set_attribute("abscissa_name", c.abscissa);
    group.write("abscissa", c.grid, {c.grid.size()});
    const auto first = static_cast<Eigen::Index>(r.problem.first_endpoint) + c.first_endpoint;
    group.write("mean", Matrix(mean.middleCols(first, c.points())));
    group.write("std", Matrix(spread.middleCols(first, c.points())));
  }
}

void write_history(File& file, const DesignReport& r) {
  const auto& history = r.run.history;
  auto group = file.create_group("history");
  std::vector<std::int64_t> trials, broken;
  std::vector<std::uint8_t> feasible;
  std::vector<double> objective, points;
  std::vector<opt::Design> designs;
  Matrix design(static_cast<Eigen::Index>(history.size()), static_cast<Eigen::Index>(r.problem.first_endpoint));
  for (std::size_t n = 0; n < history.size(); ++n) {
    const auto& t = history[n];
    trials.push_back(t.number);
    objective.push_back(t.outcome.value);
    feasible.push_back(opt::is_feasible(t));
    broken.push_back(static_cast<std::int64_t>(t.outcome.extras[opt::kBroken]));
    points.insert(points.end(), t.point.begin(), t.point.end());
    designs.push_back(opt::decode_point(r.problem, t.point));
    for (std::size_t k = 0; k < r.problem.first_endpoint; ++k)
      design(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(k)) = designs.back().quantities[k];
  }
  group.write("trial", trials, {trials.size()});
  group.write("objective", objective, {objective.size()});
  group.write("p_joint", extra_of(history, opt::kPJoint), {history.size()});
  group.write("p_gaussian", extra_of(history, opt::kPGaussian), {history.size()});
  group.write("feasible", feasible, {feasible.size()});
  group.write("broken", broken, {broken.size()});
  group.write("design", design);
  std::vector<std::string> parameter_names;
  for (const auto& p : r.problem.parameters) parameter_names.push_back(p.name);
  group.write("parameter_names", parameter_names);
  group.write("points", points, {history.size(), r.problem.parameters.size()});
  write_categorical_levels(group, r.problem, designs);
}

std::vector<std::string> bound_texts(const std::vector<opt::Bound>& bounds) {
  std::vector<std::string> texts;
  for (const auto& b : bounds) texts.push_back(b.text() + (b.predicted ? " (predicted)" : ""));
  return texts;
}

std::string number_or_blank(double v) { return std::isnan(v) ? "" : data::format_number(v); }

// The design's value of variable/quantity k as the training table spells it.
std::string design_text(const opt::DesignProblem& p, const opt::Design& d, std::size_t k) {
  return k < p.variables.size() && p.variables[k].categorical ? d.levels[k] : number_or_blank(d.quantities[k]);
}

}  // namespace

void write_designs(const std::string& path, const DesignReport& r, const Provenance& provenance) {
  File file = File::create(path);
  {
    write_provenance(file, "elec_hpc designs", kDesignsFormatVersion, provenance);
    file.set_attribute("model_checksum", r.model_checksum);
    file.set_attribute("objective", r.config.settings.objective);
    file.set_attribute("sampler", r.config.settings.sampler);
    file.set_attribute("seed", static_cast<std::int64_t>(r.config.settings.seed));
    file.set_attribute("design_config", r.config.text);
    file.write("quantity_names", r.problem.quantity_names);
    std::vector<std::uint8_t> predicted;
    for (std::size_t k = 0; k < r.problem.quantity_names.size(); ++k) predicted.push_back(r.problem.predicted(k));
    file.write("quantity_predicted", predicted, {predicted.size()});
    file.write("constraints", bound_texts(r.problem.constraints));
    file.write("targets", bound_texts(r.problem.targets));
    write_top(file, r);
    write_history(file, r);
  }
  file.close();
}

void write_designs_csv(const std::string& path, const DesignReport& r) {
  const auto& p = r.problem;
  std::vector<std::string> header{"id"};
  for (std::size_t k = 0; k < p.quantity_names.size(); ++k)
    if (!p.predicted(k)) header.push_back(p.quantity_names[k]);
  for (const char* name : {"trial", "objective", "p_joint", "p_gaussian"}) header.push_back(name);
  for (std::size_t k = 0; k < p.quantity_names.size(); ++k)
    if (p.predicted(k)) header.push_back(p.quantity_names[k]), header.push_back(p.quantity_names[k] + "_std");
  std::vector<std::vector<std::string>> rows;
  for (std::size_t n = 0; n < r.run.top.size(); ++n) {
    const auto& e = r.run.top[n];
    std::vector<std::string> row{"design" + std::to_string(n + 1)};
    for (std::size_t k = 0; k < p.quantity_names.size(); ++k)
      if (!p.predicted(k)) row.push_back(design_text(p, e.design, k));
    row.push_back(std::to_string(r.run.top_trials[n]));
    for (double v : {e.objective, e.p_joint, e.p_gaussian}) row.push_back(number_or_blank(v));
    for (std::size_t k = 0; k < p.quantity_names.size(); ++k)
      if (p.predicted(k)) row.push_back(number_or_blank(e.mean[k])), row.push_back(number_or_blank(e.spread[k]));
    rows.push_back(std::move(row));
  }
  data::write_csv(path, ',', header, rows);
}

void write_design_history_csv(const std::string& path, const DesignReport& r) {
  const auto& p = r.problem;
  std::vector<std::string> header{"trial"};
  for (std::size_t k = 0; k < p.first_endpoint; ++k)
    if (!p.predicted(k)) header.push_back(p.quantity_names[k]);
  for (const char* name : {"objective", "p_joint", "p_gaussian", "feasible", "broken"}) header.push_back(name);
  std::vector<std::vector<std::string>> rows;
  for (const auto& t : r.run.history) {
    const opt::Design d = opt::decode_point(p, t.point);
    std::vector<std::string> row{std::to_string(t.number)};
    for (std::size_t k = 0; k < p.first_endpoint; ++k)
      if (!p.predicted(k)) row.push_back(design_text(p, d, k));
    for (double v : {t.outcome.value, t.outcome.extras[opt::kPJoint], t.outcome.extras[opt::kPGaussian]})
      row.push_back(number_or_blank(v));
    row.push_back(opt::is_feasible(t) ? "1" : "0");
    const auto broken = static_cast<long>(t.outcome.extras[opt::kBroken]);
    row.push_back(broken >= 0 ? p.constraints[static_cast<std::size_t>(broken)].text() : "");
    rows.push_back(std::move(row));
  }
  data::write_csv(path, ',', header, rows);
}

}  // namespace elec::io
