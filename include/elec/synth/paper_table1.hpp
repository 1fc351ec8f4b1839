#pragma once
// The six test cells of the paper's Table 1 ("6 cells from different manufacturing conditions to the training
// data ... provided a dataset that the model was tested against"), transcribed. In the table an empty cell repeats
// the value above it (merged cells); "All the cells presented are characterized by a CMC/SBR ratio of 2:3".
#include <vector>

#include "elec/synth/graphite_design.hpp"

namespace elec::synth {

struct Table1Cell {
  int case_number = 0;
  int formulation = 0;  // the paper's Table S1 number (not published with the text)
  CellRecipe recipe;    // formulation number mapped to an additive: see formulation_of()
  double porosity_pct = 0;
  double d30_experimental_mAh_g = 0;
};

// Cases 40, 41, 47, 48, 60, 16 in the paper's order.
const std::vector<Table1Cell>& paper_table1();

// Assumption (Table S1 is not available): formulations are numbered in the order the paper lists them, the three
// CMC:SBR ratios first (1 = 2:1, 2 = 1:3, 3 = 2:3, no additive), then the additives on 2:3 in the order "long and
// short CNTs; carbon fibers; and DSA" (4-7). So 3 = 2:3 without additive and 6 = 2:3 with carbon fibre.
// Returns false for numbers outside 1-7.
bool formulation_of(int number, CmcSbr& ratio, Additive& additive);

}  // namespace elec::synth
