#include "elec/eval/gradient_boosting.hpp"

#include <xgboost/c_api.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace elec::eval {
namespace {

using FloatRows = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Every XGBoost C call returns 0 on success and leaves its message for XGBGetLastError otherwise. The message's
// first line says what went wrong; the rest is XGBoost's stack trace.
void check(int status) {
  if (status == 0) return;
  const std::string message = XGBGetLastError();
  throw std::runtime_error("XGBoost: " + message.substr(0, message.find('\n')));
}

// XGBoost's global configuration is per thread, so each thread that calls into it silences it anew.
void silence_xgboost_logging() { check(XGBSetGlobalConfig(R"({"verbosity": 0})")); }

class OwnedDMatrix {
 public:
  OwnedDMatrix() = default;
  OwnedDMatrix(const OwnedDMatrix&) = delete;
  OwnedDMatrix& operator=(const OwnedDMatrix&) = delete;
  ~OwnedDMatrix() {
    if (handle_ != nullptr) XGDMatrixFree(handle_);
  }
  DMatrixHandle* out() { return &handle_; }  // for the XGBoost call that creates it
  DMatrixHandle get() const { return handle_; }

 private:
  DMatrixHandle handle_ = nullptr;
};

// The rows of x as XGBoost's float32 data; NaN marks a missing value. One thread, as everything in here.
void fill_dmatrix_from_rows(const Matrix& x, OwnedDMatrix& dmatrix) {
  const FloatRows rows = x.cast<float>();
  check(XGDMatrixCreateFromMat_omp(rows.data(), static_cast<bst_ulong>(rows.rows()),
                                   static_cast<bst_ulong>(rows.cols()), std::numeric_limits<float>::quiet_NaN(),
                                   dmatrix.out(), 1));
}

void set_labels(const Vector& y, OwnedDMatrix& dmatrix) {
  const Eigen::VectorXf labels = y.cast<float>();
  check(XGDMatrixSetFloatInfo(dmatrix.get(), "label", labels.data(), static_cast<bst_ulong>(labels.size())));
}

// Shortest decimal that reads back as the same double ("0.3", not "0.29999999999999999"), the text Python's
// xgboost sends for the same value.
std::string shortest_decimal(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

void set_parameter(BoosterHandle booster, const char* name, const std::string& value) {
  check(XGBoosterSetParam(booster, name, value.c_str()));
}

void set_parameters(BoosterHandle booster, const GradientBoostingOptions& options, std::uint64_t seed) {
  set_parameter(booster, "verbosity", "0");
  set_parameter(booster, "objective", "reg:squarederror");
  set_parameter(booster, "tree_method", "exact");  // what 1.7's "auto" picks for data this size; 2.0 would pick hist
  set_parameter(booster, "nthread", "1");          // bits independent of the machine's cores (header comment)
  set_parameter(booster, "base_score", "0.5");     // 1.7's default, pinned: 2.0 estimates it from y instead
  set_parameter(booster, "seed", std::to_string(seed & 0x7fffffffu));  // XGBRegressor's random_state is an int32
  set_parameter(booster, "eta", shortest_decimal(options.learning_rate));
  set_parameter(booster, "max_depth", std::to_string(options.max_depth));
  set_parameter(booster, "min_child_weight", shortest_decimal(options.min_child_weight));
  set_parameter(booster, "subsample", shortest_decimal(options.subsample));
  set_parameter(booster, "lambda", shortest_decimal(options.lambda));
}

void validate(const GradientBoostingOptions& options) {
  if (options.rounds < 1) throw std::invalid_argument("gradient boosting needs at least one round");
  if (options.max_depth < 1) throw std::invalid_argument("gradient boosting max_depth must be >= 1");
  if (!(options.learning_rate > 0.0)) throw std::invalid_argument("gradient boosting learning rate must be > 0");
  if (!(options.subsample > 0.0 && options.subsample <= 1.0))
    throw std::invalid_argument("gradient boosting subsample must lie in (0, 1]");
  if (!(options.min_child_weight >= 0.0))
    throw std::invalid_argument("gradient boosting min_child_weight must be >= 0");
  if (!(options.lambda >= 0.0)) throw std::invalid_argument("gradient boosting lambda must be >= 0");
}

void check_training_data(const Matrix& x, const Vector& y) {
  if (x.rows() == 0 || x.cols() == 0) throw std::invalid_argument("gradient boosting: no training rows or columns");
  if (y.size() != x.rows())
    throw std::invalid_argument("gradient boosting: " + std::to_string(x.rows()) + " rows of x but " +
                                std::to_string(y.size()) + " values of y");
  if (!y.allFinite()) throw std::invalid_argument("gradient boosting: y must be finite");
}

}  // namespace

namespace detail {

OwnedBooster::OwnedBooster(const OwnedBooster& other) {
  if (!other) return;
  silence_xgboost_logging();
  bst_ulong length = 0;
  const char* state = nullptr;
  check(XGBoosterSerializeToBuffer(other.handle_, &length, &state));
  BoosterHandle created = nullptr;
  check(XGBoosterCreate(nullptr, 0, &created));
  OwnedBooster copy(created);  // frees the new booster if reading into it fails (no destructor runs for *this)
  check(XGBoosterUnserializeFromBuffer(copy.handle_, state, length));
  std::swap(handle_, copy.handle_);
}

OwnedBooster& OwnedBooster::operator=(OwnedBooster other) noexcept {
  std::swap(handle_, other.handle_);
  return *this;
}

OwnedBooster::~OwnedBooster() {
  if (handle_ != nullptr) XGBoosterFree(handle_);
}

}  // namespace detail

GradientBoosting::GradientBoosting(GradientBoostingOptions options) : options_(options) { validate(options_); }

void GradientBoosting::fit(const Matrix& x, const Vector& y, std::uint64_t seed) {
  check_training_data(x, y);
  silence_xgboost_logging();
  OwnedDMatrix training;
  fill_dmatrix_from_rows(x, training);
  set_labels(y, training);

  const DMatrixHandle cache[] = {training.get()};
  BoosterHandle handle = nullptr;
  check(XGBoosterCreate(cache, 1, &handle));
  detail::OwnedBooster booster(handle);
  set_parameters(booster.get(), options_, seed);
  for (int round = 0; round < options_.rounds; ++round)
    check(XGBoosterUpdateOneIter(booster.get(), round, training.get()));

  booster_ = std::move(booster);
  features_ = x.cols();
}

RegressorPrediction GradientBoosting::predict(const Matrix& x) const {
  if (!fitted()) throw std::logic_error("gradient boosting: predict before fit");
  if (x.cols() != features_)
    throw std::invalid_argument("gradient boosting: trained on " + std::to_string(features_) + " columns, given " +
                                std::to_string(x.cols()));
  RegressorPrediction prediction;
  if (x.rows() == 0) return prediction;
  silence_xgboost_logging();
  OwnedDMatrix rows;
  fill_dmatrix_from_rows(x, rows);
  bst_ulong length = 0;
  const float* values = nullptr;  // owned by XGBoost until this thread's next call on the booster
  check(XGBoosterPredict(booster_.get(), rows.get(), /*option_mask=*/0, /*ntree_limit=*/0, /*training=*/0, &length,
                         &values));
  if (length != static_cast<bst_ulong>(x.rows()))
    throw std::runtime_error("gradient boosting: XGBoost returned " + std::to_string(length) + " predictions for " +
                             std::to_string(x.rows()) + " rows");
  prediction.mean = Eigen::Map<const Eigen::VectorXf>(values, x.rows()).cast<double>();
  return prediction;
}

}  // namespace elec::eval
