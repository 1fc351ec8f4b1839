#pragma once
// Functional endpoints (e.g. discharge capacity vs cycle): read from their long-format file (one row per measured
// point: id, abscissa, value), joined to the cell table by id, and laid out as a block of endpoint columns, one
// per abscissa of the curve's grid ("capacity_mAh_g@30"). The network then predicts each point of a curve from the
// descriptors, the scalar endpoints and the curve's other points (docs/architecture.md says why a grid and not
// one training row per point).
#include <map>
#include <string>
#include <vector>

#include "elec/data/dataset.hpp"
#include "elec/data/diagnostics.hpp"
#include "elec/data/schema.hpp"

namespace elec::data {

// The measured points of one functional column, per cell of the table (ascending abscissa).
struct CurvePoint {
  double abscissa = 0.0;
  double value = 0.0;
};
using CellCurves = std::vector<std::vector<CurvePoint>>;

// Reads `path` (header: the id column, spec.abscissa and spec.name, in any order), joining rows to
// `row_ids`. Reports every problem with its file:line:col: unknown ids, malformed or out-of-bounds numbers,
// duplicate (id, abscissa) points, missing header columns. A blank value is a point not measured.
CellCurves read_curve_file(const std::string& path, const ColumnSpec& spec, const std::string& id_column,
                           const std::vector<std::string>& row_ids, Diagnostics& diag);

// The abscissa values of the curve's grid: the schema's, or every distinct abscissa measured.
std::vector<double> curve_grid(const ColumnSpec& spec, const CellCurves& curves);

// rows x grid points, NaN where not measured. A point measured exactly at a grid abscissa is taken as it is; a
// grid abscissa inside a cell's measured range but between two of its points is interpolated linearly only when
// the schema gave the grid (the data are then resampled onto it); nothing is extrapolated.
Matrix sample_on_grid(const CellCurves& curves, const std::vector<double>& grid, bool interpolate);

// Where each functional column's data come from: the schema's file (training), or files named by the user for
// new cells (prediction; a curve without a file is all blank).
struct CurveSources {
  bool from_schema = true;
  std::map<std::string, std::string> files;  // functional column -> file, when not from the schema
  // Prediction lays curves on the model's grids; training takes them from the schema or the data.
  const std::vector<CurveBlock>* grids = nullptr;
};

// The loss group of each of `endpoints` endpoints: a scalar endpoint is a group of its own, the points of one
// curve form one group. Groups are numbered 0, 1, ... in endpoint order.
std::vector<int> endpoint_groups(std::size_t endpoints, const std::vector<CurveBlock>& curves);

// Appends each functional column of the schema to the dataset as a block of endpoint columns and returns the
// blocks. Problems go to diag; a training curve with no measured point at all is one.
std::vector<CurveBlock> attach_curves(Dataset& dataset, const Schema& schema, const CurveSources& sources,
                                      Diagnostics& diag);

}  // namespace elec::data
