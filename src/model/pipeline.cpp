#include "elec/model/pipeline.hpp"

#include <stdexcept>

namespace elec::model {
namespace {

// Weights travel between ranks flattened, one fixed-size block per member.
std::size_t flat_size(const NetworkShape& s) {
  return static_cast<std::size_t>(s.inputs()) * s.hidden_total() + 2 * s.hidden_total() + s.endpoints;
}

template <class T>
void flatten(const NetworkParams<T>& p, std::vector<double>& out) {
  for (const T* x = p.W1.data(); x != p.W1.data() + p.W1.size(); ++x) out.push_back(*x);
  for (const T* x = p.b1.data(); x != p.b1.data() + p.b1.size(); ++x) out.push_back(*x);
  for (const T* x = p.w2.data(); x != p.w2.data() + p.w2.size(); ++x) out.push_back(*x);
  for (const T* x = p.b2.data(); x != p.b2.data() + p.b2.size(); ++x) out.push_back(*x);
}

NetworkParams<double> unflatten(const NetworkShape& s, const double* x) {
  auto p = NetworkParams<double>::zeros(s);
  std::copy_n(x, p.W1.size(), p.W1.data());
  x += p.W1.size();
  std::copy_n(x, p.b1.size(), p.b1.data());
  x += p.b1.size();
  std::copy_n(x, p.w2.size(), p.w2.data());
  x += p.w2.size();
  std::copy_n(x, p.b2.size(), p.b2.data());
  return p;
}

template <class T>
TrainedModel train_in(const data::Dataset& dataset, const data::Schema& schema, const data::StudyConfig& config,
                      MemberRange owned, const GatherMembers& gather, const PassObserver& observe) {
  TrainedModel m;
  m.schema = schema;
  m.config = config;
  m.descriptor_names = dataset.descriptor_names;
  m.descriptor_units = dataset.descriptor_units;
  m.endpoint_names = dataset.endpoint_names;
  m.endpoint_units = dataset.endpoint_units;
  m.encodings = dataset.encodings;
  m.descriptor_scaling = data::Standardizer::fit(dataset.descriptors);
  m.endpoint_scaling = data::Standardizer::fit(dataset.endpoints);
  m.shape = {static_cast<int>(dataset.descriptors.cols()), static_cast<int>(dataset.endpoints.cols()),
             config.hidden_units, config.confidence_inputs};

  Ensemble<T> ensemble(m.shape, static_cast<std::size_t>(config.members), owned.first, owned.last, config.seed,
                       dataset.rows());
  const EnsembleResult fit = ensemble.fit(m.descriptor_scaling.apply(dataset.descriptors),
                                          m.endpoint_scaling.apply(dataset.endpoints), config, gather, observe);

  std::vector<double> owned_flat;
  for (const auto& member : ensemble.owned()) flatten(member.params(), owned_flat);
  const std::size_t size = flat_size(m.shape);
  const std::vector<double> all = gather(owned_flat, size);
  for (std::size_t k = 0; k < static_cast<std::size_t>(config.members); ++k)
    m.members.push_back(unflatten(m.shape, all.data() + k * size));

  m.training_row_ids = dataset.row_ids;
  m.training_descriptors = dataset.descriptors;
  m.training_values = m.endpoint_scaling.restore(fit.values);
  m.training_prediction = m.endpoint_scaling.restore(fit.prediction);
  m.training_spread = m.endpoint_scaling.restore_spread(fit.spread);
  m.training_measured = dataset.endpoints.unaryExpr([](double v) { return std::isnan(v) ? 0.0 : 1.0; });
  m.history = fit.history;
  return m;
}

template <class T>
CellPredictions predict_in(const TrainedModel& model, const Matrix& descriptors, const Matrix& endpoints,
                           MemberRange owned, const GatherMembers& gather, const PassObserver& observe,
                           bool keep_members) {
  std::vector<NetworkParams<T>> params;
  for (std::size_t m = owned.first; m < owned.last; ++m) params.push_back(from_double<T>(model.members.at(m)));
  Ensemble<T> ensemble(model.shape, model.members.size(), owned.first, std::move(params));
  const EnsembleResult r =
      ensemble.predict(model.descriptor_scaling.apply(descriptors), model.endpoint_scaling.apply(endpoints),
                       model.config, gather, observe, keep_members);
  CellPredictions out;
  out.values = model.endpoint_scaling.restore(r.values);
  out.prediction = model.endpoint_scaling.restore(r.prediction);
  out.spread = model.endpoint_scaling.restore_spread(r.spread);
  out.history = r.history;
  out.converged = r.converged;
  if (keep_members) {
    out.members = r.member_predictions;
    const std::size_t E = static_cast<std::size_t>(model.shape.endpoints);
    for (std::size_t k = 0; k < out.members.size(); ++k)
      out.members[k] = out.members[k] * model.endpoint_scaling.scale(k % E) + model.endpoint_scaling.mean(k % E);
  }
  return out;
}

bool single_precision(const std::string& precision) {
  if (precision == "float32") return true;
  if (precision == "float64") return false;
  throw std::invalid_argument("precision must be float32 or float64, not " + precision);
}

}  // namespace

TrainedModel train_model(const data::Dataset& dataset, const data::Schema& schema, const data::StudyConfig& config,
                         MemberRange owned, const GatherMembers& gather, const PassObserver& observe) {
  return single_precision(config.precision) ? train_in<float>(dataset, schema, config, owned, gather, observe)
                                            : train_in<double>(dataset, schema, config, owned, gather, observe);
}

CellPredictions predict_cells(const TrainedModel& model, const Matrix& descriptors, const Matrix& endpoints,
                              MemberRange owned, const GatherMembers& gather, const PassObserver& observe,
                              bool keep_members) {
  return single_precision(model.config.precision)
             ? predict_in<float>(model, descriptors, endpoints, owned, gather, observe, keep_members)
             : predict_in<double>(model, descriptors, endpoints, owned, gather, observe, keep_members);
}

}  // namespace elec::model
