// The "paper-scale train" unit through the real training code: N rows x P endpoint columns (30% blank), one
// masked tanh MLP per column with H hidden units, M bootstrap members, E full-batch epochs then 4 softened
// imputation passes with E/4 epochs after each. Prints member-epochs per second.
// Usage: train_throughput [--rows 91] [--cols 46] [--hidden 8] [--members 200] [--epochs 500]
//                         [--precision float32|float64] [--confidence 0|1]
#include <omp.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "elec/cli/reporter.hpp"
#include "elec/model/imputation_loop.hpp"
#include "elec/model/rng.hpp"
#include "elec/par/comm.hpp"

using namespace elec;

template <class T>
double run(int rows, int cols, int hidden, int members, int epochs, bool confidence, long& member_epochs) {
  model::CounterRng rng(0, model::Purpose::Experiment, 0);
  Matrix endpoints(rows, cols);
  for (Eigen::Index k = 0; k < endpoints.size(); ++k)
    endpoints.data()[k] = rng.uniform() < 0.3 ? std::nan("") : rng.normal();
  data::StudyConfig config;
  config.members = members;
  config.epochs = epochs;
  config.pass_epochs = epochs / 4;
  config.tolerance = 0.0;  // always the 4 passes, each followed by E/4 epochs, as the peer does
  config.hidden_units = hidden;
  const model::NetworkShape shape{0, cols, hidden, confidence};
  const auto comm = par::Comm::world();
  const cli::CommDistribution distribution(comm);
  model::Ensemble<T> ensemble(shape, members, distribution, config.seed, rows);
  const auto start = std::chrono::steady_clock::now();
  model::run_imputation(ensemble, Matrix(rows, 0), endpoints, {epochs, 4, epochs / 4}, config, nullptr, {});
  member_epochs = static_cast<long>(members) * (epochs + 4 * (epochs / 4));
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int main(int argc, char** argv) {
  par::Environment mpi(argc, argv);
  int rows = 91, cols = 46, hidden = 8, members = 200, epochs = 500, confidence = 0;
  std::string precision = "float32";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--rows") rows = std::stoi(value);
    else if (key == "--cols") cols = std::stoi(value);
    else if (key == "--hidden") hidden = std::stoi(value);
    else if (key == "--members") members = std::stoi(value);
    else if (key == "--epochs") epochs = std::stoi(value);
    else if (key == "--precision") precision = value;
    else if (key == "--confidence") confidence = std::stoi(value);
  }
  long member_epochs = 0;
  const double seconds = precision == "float32"
                             ? run<float>(rows, cols, hidden, members, epochs, confidence, member_epochs)
                             : run<double>(rows, cols, hidden, members, epochs, confidence, member_epochs);
  const auto comm = par::Comm::world();
  if (comm.is_root())
    std::printf("elec_hpc ranks=%d threads=%d N=%d P=%d H=%d M=%d E=%d confidence=%d: dtype=%s wall=%.2fs "
                "member_epochs_per_s=%.0f\n",
                comm.size(), omp_get_max_threads(), rows, cols, hidden, members, epochs, confidence,
                precision.c_str(), seconds, member_epochs / seconds);
  return 0;
}
