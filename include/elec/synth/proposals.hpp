#pragma once
// Reading proposed cells for `elec_hpc synth --manufacture`: a CSV with an `id` column and the descriptor columns
// of cells.csv (cmc_sbr, additive, gap_um, speed_m_min, drying_first_C, drying_second_C, calendered), optionally
// `case`; other columns (predictions, notes) are ignored.
#include <string>
#include <vector>

#include "elec/data/diagnostics.hpp"
#include "elec/synth/graphite_design.hpp"

namespace elec::synth {

// Every problem goes to diag as file:line:col with what was found and what was expected: missing columns, blank,
// unknown or out-of-range values, duplicate ids, a second drying step cooler than the first. Cells without a
// `case` column get case 0 (written blank).
std::vector<PlannedCell> read_proposals(const std::string& path, data::Diagnostics& diag);

}  // namespace elec::synth
