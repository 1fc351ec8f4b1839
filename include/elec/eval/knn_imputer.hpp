#pragma once
// k-nearest-neighbour imputation, the baseline the imputing ensemble must beat. Same rule as scikit-learn's
// KNNImputer (uniform weights, nan-Euclidean distance): for a blank in column j, the donors are the rows where j
// is measured; the distance to a donor uses the columns both rows have, scaled up by (all columns / shared
// columns); donors sharing no column rank last; the blank becomes the mean of the k nearest donors' values
// (fewer if fewer exist; the column mean if no donor shares a column).
#include "elec/data/matrix.hpp"

namespace elec::eval {

Matrix knn_impute(const Matrix& values, int k);  // NaN = blank; measured cells are returned unchanged
Matrix mean_impute(const Matrix& values);        // every blank becomes its column's measured mean

}  // namespace elec::eval
