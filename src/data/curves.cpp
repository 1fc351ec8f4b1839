#include "elec/data/curves.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "elec/data/csv.hpp"

namespace elec::data {
namespace {

// A grid wider than this is almost certainly a continuous abscissa read as distinct values; the user should say
// which points to model.
constexpr std::size_t kMaxDefaultGrid = 200;

std::string bounds_text(const ColumnSpec& spec) {
  return "[" + (spec.min ? format_number(*spec.min) : std::string("-inf")) + ", " +
         (spec.max ? format_number(*spec.max) : std::string("inf")) + "]";
}

}  // namespace

std::string CurveBlock::point_name(const std::string& name, double abscissa) {
  return name + "@" + format_number(abscissa);
}

CellCurves read_curve_file(const std::string& path, const ColumnSpec& spec, const std::string& id_column,
                           const std::vector<std::string>& row_ids, Diagnostics& diag) {
  CellCurves curves(row_ids.size());
  const CsvDocument doc = read_csv(path, diag);
  if (doc.header.fields.empty()) return curves;
  int id_at = -1, x_at = -1, y_at = -1;
  for (std::size_t c = 0; c < doc.header.fields.size(); ++c) {
    const auto& field = doc.header.fields[c];
    if (field.text == id_column)
      id_at = static_cast<int>(c);
    else if (field.text == spec.abscissa)
      x_at = static_cast<int>(c);
    else if (field.text == spec.name)
      y_at = static_cast<int>(c);
    else
      diag.add({path, doc.header.line, field.column}, "column \"" + field.text + "\" is not expected; expected only " +
                                                          id_column + ", " + spec.abscissa + " and " + spec.name +
                                                          " (long format: one row per measured point)");
  }
  for (const auto& [at, name] : {std::pair{id_at, id_column}, {x_at, spec.abscissa}, {y_at, spec.name}})
    if (at < 0)
      diag.add({path, doc.header.line, 0}, "no \"" + name + "\" column; expected a header with " + id_column + ", " +
                                               spec.abscissa + " and " + spec.name);
  if (id_at < 0 || x_at < 0 || y_at < 0) return curves;

  std::unordered_map<std::string, std::size_t> row_of;
  for (std::size_t r = 0; r < row_ids.size(); ++r) row_of.emplace(row_ids[r], r);
  std::vector<std::vector<SourcePosition>> where(row_ids.size());  // each point's abscissa, for duplicate messages
  for (const CsvRow& row : doc.rows) {
    const CsvField& id = row.fields[static_cast<std::size_t>(id_at)];
    const CsvField& x = row.fields[static_cast<std::size_t>(x_at)];
    const CsvField& y = row.fields[static_cast<std::size_t>(y_at)];
    const auto found = row_of.find(id.text);
    if (found == row_of.end()) {
      diag.add({path, row.line, id.column},
               "id \"" + id.text + "\" is not a cell of the table; expected an id from its " + id_column + " column");
      continue;
    }
    const auto abscissa = parse_number(x.text);
    if (!abscissa) {
      diag.add({path, row.line, x.column}, "\"" + x.text + "\" in " + spec.abscissa + "; expected a number");
      continue;
    }
    if (is_missing(y.text)) continue;  // a point not measured
    const auto value = parse_number(y.text);
    if (!value) {
      diag.add({path, row.line, y.column}, "\"" + y.text + "\" in " + spec.name + "; expected a number or a blank");
      continue;
    }
    if ((spec.min && *value < *spec.min) || (spec.max && *value > *spec.max)) {
      diag.add({path, row.line, y.column},
               spec.name + " = " + y.text + " is outside its bounds " + bounds_text(spec) + " declared in the schema");
      continue;
    }
    curves[found->second].push_back({*abscissa, *value});
    where[found->second].push_back({path, row.line, x.column});
  }
  for (std::size_t r = 0; r < curves.size(); ++r) {
    std::vector<std::size_t> order(curves[r].size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return curves[r][a].abscissa < curves[r][b].abscissa; });
    std::vector<CurvePoint> sorted;
    for (std::size_t k = 0; k < order.size(); ++k) {
      if (k > 0 && curves[r][order[k]].abscissa == curves[r][order[k - 1]].abscissa)
        diag.add(where[r][order[k]], "cell \"" + row_ids[r] + "\" has a second point at " + spec.abscissa + " = " +
                                         format_number(curves[r][order[k]].abscissa) + " (first at line " +
                                         std::to_string(where[r][order[k - 1]].line) +
                                         "); expected one value per cell and abscissa");
      sorted.push_back(curves[r][order[k]]);
    }
    curves[r] = std::move(sorted);
  }
  return curves;
}

std::vector<double> curve_grid(const ColumnSpec& spec, const CellCurves& curves) {
  if (!spec.grid.empty()) return spec.grid;
  std::vector<double> grid;
  for (const auto& cell : curves)
    for (const auto& point : cell) grid.push_back(point.abscissa);
  std::sort(grid.begin(), grid.end());
  grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
  return grid;
}

Matrix sample_on_grid(const CellCurves& curves, const std::vector<double>& grid, bool interpolate) {
  Matrix out =
      Matrix::Constant(static_cast<Eigen::Index>(curves.size()), static_cast<Eigen::Index>(grid.size()), std::nan(""));
  for (std::size_t r = 0; r < curves.size(); ++r) {
    const auto& cell = curves[r];
    for (std::size_t g = 0; g < grid.size(); ++g) {
      const auto after = std::lower_bound(cell.begin(), cell.end(), grid[g],
                                          [](const CurvePoint& p, double x) { return p.abscissa < x; });
      if (after != cell.end() && after->abscissa == grid[g]) {
        out(r, g) = after->value;
      } else if (interpolate && after != cell.begin() && after != cell.end()) {
        const CurvePoint& before = *(after - 1);
        const double t = (grid[g] - before.abscissa) / (after->abscissa - before.abscissa);
        out(r, g) = before.value + t * (after->value - before.value);
      }
    }
  }
  return out;
}

std::vector<int> endpoint_groups(std::size_t endpoints, const std::vector<CurveBlock>& curves) {
  std::vector<int> curve_of(endpoints, -1);
  for (std::size_t c = 0; c < curves.size(); ++c)
    for (int k = 0; k < curves[c].points(); ++k)
      curve_of[static_cast<std::size_t>(curves[c].first_endpoint + k)] = static_cast<int>(c);
  std::vector<int> groups(endpoints);
  int next = -1, previous_curve = -1;
  for (std::size_t j = 0; j < endpoints; ++j) {
    if (curve_of[j] < 0 || curve_of[j] != previous_curve) ++next;
    groups[j] = next;
    previous_curve = curve_of[j];
  }
  return groups;
}

std::vector<CurveBlock> attach_curves(Dataset& dataset, const Schema& schema, const CurveSources& sources,
                                      Diagnostics& diag) {
  std::vector<CurveBlock> blocks;
  std::string id_column;
  for (const auto& column : schema.columns)
    if (column.role == Role::Id) id_column = column.name;
  for (ColumnSpec spec : schema.columns) {
    if (spec.kind != ValueKind::Functional) continue;
    const CurveBlock* known = nullptr;  // prediction: the model's layout of this curve
    if (sources.grids)
      for (const auto& block : *sources.grids)
        if (block.name == spec.name) known = &block, spec.abscissa = block.abscissa;
    if (id_column.empty()) {
      diag.add(spec.where,
               "functional column \"" + spec.name +
                   "\" needs the table's id column to join its points on; expected a column with role = \"id\"");
      continue;
    }
    std::string file = spec.file;
    if (!sources.from_schema) {
      const auto named = sources.files.find(spec.name);
      file = named == sources.files.end() ? std::string() : named->second;
    }
    CellCurves curves(dataset.rows());
    if (!file.empty()) curves = read_curve_file(file, spec, id_column, dataset.row_ids, diag);

    CurveBlock block{spec.name, spec.unit, spec.abscissa, {}, static_cast<int>(dataset.endpoints.cols())};
    if (known) {
      block.grid = known->grid;
    } else {
      block.grid = curve_grid(spec, curves);
      if (block.grid.empty()) {
        diag.add({file, 0, 0}, "functional column \"" + spec.name + "\" has no measured point; expected at least one");
        continue;
      }
      if (spec.grid.empty() && block.grid.size() > kMaxDefaultGrid) {
        diag.add(spec.where, "functional column \"" + spec.name + "\" has " + std::to_string(block.grid.size()) +
                                 " distinct " + spec.abscissa + " values; expected at most " +
                                 std::to_string(kMaxDefaultGrid) + ", or grid = [...] in the schema");
        continue;
      }
    }
    for (const auto& derived : schema.derived)
      if (derived.from == spec.name && derived.kind == DerivedKind::ValueAt && !block.grid.empty() &&
          (derived.at < block.grid.front() || derived.at > block.grid.back()))
        diag.add(derived.where, "derived \"" + derived.name + "\" reads " + spec.name + " at " + spec.abscissa + " = " +
                                    format_number(derived.at) + ", outside its grid [" +
                                    format_number(block.grid.front()) + ", " + format_number(block.grid.back()) +
                                    "]; expected an abscissa inside it");
    const Matrix sampled = sample_on_grid(curves, block.grid, !spec.grid.empty());
    Matrix widened(dataset.endpoints.rows(), dataset.endpoints.cols() + sampled.cols());
    widened << dataset.endpoints, sampled;
    dataset.endpoints = std::move(widened);
    for (double x : block.grid) {
      dataset.endpoint_names.push_back(CurveBlock::point_name(spec.name, x));
      dataset.endpoint_units.push_back(spec.unit);
      dataset.endpoint_csv_columns.push_back(-1);
    }
    blocks.push_back(std::move(block));
  }
  return blocks;
}

}  // namespace elec::data
