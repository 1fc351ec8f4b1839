// The "paper-scale train" unit through the real training code (model::ImputationLoop over the ranks'
// CommDistribution): N rows x P endpoint columns (30% blank), one masked tanh MLP per column with H hidden units,
// M bootstrap members, E full-batch epochs then 4 softened imputation passes with E/4 epochs after each.
//
// Prints, on rank 0: member-epochs per second; the GEMM work as GFLOP/s against an Eigen GEMM peak measured in
// the same run on every thread of every rank at once; peak memory per rank; bytes received per rank per
// imputation pass; and a checksum of all member weights (equal checksums = bitwise-equal models, whatever the
// ranks and threads). The last line is `member_epochs_per_s=...` for scripts.
//
// Usage: train_throughput [--rows 91] [--cols 46] [--hidden 8] [--members 200] [--epochs 500]
//                         [--precision float32|float64] [--confidence 0|1] [--peak-seconds 1]
#include <omp.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "elec/cli/reporter.hpp"
#include "elec/common/rng.hpp"
#include "elec/model/imputation_loop.hpp"
#include "elec/model/trained_model.hpp"
#include "elec/par/comm.hpp"

using namespace elec;

namespace {

struct Options {
  int rows = 91, cols = 46, hidden = 8, members = 200, epochs = 500, confidence = 0;
  double peak_seconds = 1.0;
  std::string precision = "float32";
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Eigen's GEMM (single-threaded per call, as the training uses it) on a 1024^3 product, run by every thread of this
// rank at the same time; returns this rank's GFLOP/s. Ranks start together, so the sum over ranks is the node's.
template <class T>
double gemm_peak(double seconds) {
  constexpr int n = 1024;
  double flops = 0.0;
  const auto start = std::chrono::steady_clock::now();
#pragma omp parallel reduction(+ : flops)
  {
    const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> a =
        Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>::Random(n, n);
    const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> b =
        Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>::Random(n, n);
    Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> c(n, n);
    do {
      c.noalias() = a * b;
      flops += 2.0 * n * n * n;
    } while (seconds_since(start) < seconds);
  }
  return flops / seconds_since(start) / 1e9;
}

double sum_over_ranks(const par::Comm& comm, double mine) {
  const std::vector<double> all =
      comm.allgather_items(std::vector<double>{mine}, static_cast<std::size_t>(comm.size()), 1);
  double total = 0.0;
  for (double v : all) total += v;
  return total;
}

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
}

template <class T>
int run(const Options& o, const par::Comm& comm) {
  common::CounterRng rng(0, common::Purpose::Experiment, 0);
  Matrix endpoints(o.rows, o.cols);
  for (Eigen::Index k = 0; k < endpoints.size(); ++k)
    endpoints.data()[k] = rng.uniform() < 0.3 ? std::nan("") : rng.normal();
  data::StudyConfig config;
  config.members = o.members;
  config.epochs = o.epochs;
  config.pass_epochs = o.epochs / 4;
  config.tolerance = 0.0;  // always the 4 passes, each followed by E/4 epochs, as the peer does
  config.hidden_units = o.hidden;
  const model::NetworkShape shape{0, o.cols, o.hidden, o.confidence != 0};
  const cli::CommDistribution distribution(comm);
  const model::Schedule schedule = model::Schedule::plain(o.epochs, 4, o.epochs / 4);

  comm.barrier();
  const double peak = sum_over_ranks(comm, gemm_peak<T>(o.peak_seconds));

  model::Ensemble<T> ensemble(shape, static_cast<std::size_t>(o.members), distribution, config.seed,
                              static_cast<std::size_t>(o.rows));
  std::vector<double> received_at_pass;  // bytes received by this rank, cumulative, at the end of each pass
  const auto observe = [&](const model::PassRecord&) {
    received_at_pass.push_back(static_cast<double>(par::traffic().bytes_received));
  };
  comm.barrier();
  const double received_before = static_cast<double>(par::traffic().bytes_received);
  const auto start = std::chrono::steady_clock::now();
  const auto result =
      model::ImputationLoop<T>(ensemble, Matrix(o.rows, 0), endpoints, model::loop_settings(config, schedule), observe)
          .train(schedule, {});
  const double seconds = seconds_since(start);
  const double received_total = static_cast<double>(par::traffic().bytes_received) - received_before;
  const std::string checksum = model::checksum_hex(model::checksum(ensemble.all_params()));
  const std::vector<double> rss =
      comm.allgather_items(std::vector<double>{peak_rss_mb()}, static_cast<std::size_t>(comm.size()), 1);
  if (!comm.is_root()) return 0;

  // GEMM work per member-epoch as the workload defines it (all N rows, as the peer computes): forward X W1 and
  // backward X^T dH, each 2 N P (P H). elec_hpc trains each member on its distinct bootstrap rows only (duplicates
  // become weights), so it executes fewer: counted exactly from the members' bootstraps, plus the predictions.
  const int epochs_per_member = o.epochs + 4 * (o.epochs / 4);
  const double member_epochs = static_cast<double>(o.members) * epochs_per_member;
  const double gemm_per_row = 2.0 * shape.inputs() * shape.hidden_total();
  const double workload_flops = member_epochs * 2.0 * o.rows * gemm_per_row;
  double distinct_rows = 0.0;
  for (int m = 0; m < o.members; ++m)
    distinct_rows += static_cast<double>(
        model::Member<T>(shape, config.seed, static_cast<std::size_t>(m), static_cast<std::size_t>(o.rows))
            .bootstrap_rows()
            .size());
  const double predictions = static_cast<double>(result.history.size());  // one per pass, and the read-out
  const double executed_flops =
      distinct_rows * epochs_per_member * 2.0 * gemm_per_row + predictions * o.members * o.rows * gemm_per_row;
  const double rate = member_epochs / seconds;
  const double workload_gflops = workload_flops / seconds / 1e9, executed_gflops = executed_flops / seconds / 1e9;

  std::printf("workload: N=%d P=%d H=%d M=%d epochs=%d+4x%d confidence=%d %s; ranks=%d threads=%d\n", o.rows, o.cols,
              o.hidden, o.members, o.epochs, o.epochs / 4, o.confidence, o.precision.c_str(), comm.size(),
              omp_get_max_threads());
  std::printf("wall %.2f s, %.0f member-epochs/s\n", seconds, rate);
  std::printf("GEMM peak (Eigen %s 1024^3 on every thread of every rank at once, this run): %.1f GFLOP/s\n",
              o.precision.c_str(), peak);
  std::printf("GEMM work as specified (%.2f MFLOP per member-epoch, all rows): %.1f GFLOP/s = %.0f%% of peak\n",
              workload_flops / member_epochs / 1e6, workload_gflops, 100.0 * workload_gflops / peak);
  std::printf(
      "GEMM work executed (%.2f MFLOP per member-epoch: %.1f distinct bootstrap rows on average, and %d "
      "predictions): %.1f GFLOP/s = %.0f%% of peak\n",
      executed_flops / member_epochs / 1e6, distinct_rows / o.members, static_cast<int>(predictions), executed_gflops,
      100.0 * executed_gflops / peak);
  std::printf("peak memory per rank (max RSS, MiB):");
  for (double r : rss) std::printf(" %.1f", r);
  std::printf("\nreceived by rank 0 per imputation pass (bytes):");
  for (std::size_t p = 1; p < received_at_pass.size(); ++p)
    std::printf(" %.0f", received_at_pass[p] - received_at_pass[p - 1]);
  std::printf("; final read-out %.0f\n", received_before + received_total - received_at_pass.back());
  std::printf("model checksum %s\n", checksum.c_str());
  std::printf("member_epochs_per_s=%.0f\n", rate);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  par::Environment mpi(argc, argv);
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--rows")
      o.rows = std::stoi(value);
    else if (key == "--cols")
      o.cols = std::stoi(value);
    else if (key == "--hidden")
      o.hidden = std::stoi(value);
    else if (key == "--members")
      o.members = std::stoi(value);
    else if (key == "--epochs")
      o.epochs = std::stoi(value);
    else if (key == "--precision")
      o.precision = value;
    else if (key == "--confidence")
      o.confidence = std::stoi(value);
    else if (key == "--peak-seconds")
      o.peak_seconds = std::stod(value);
    else {
      std::fprintf(stderr, "train_throughput: unknown option %s\n", key.c_str());
      return 2;
    }
  }
  if (o.precision != "float32" && o.precision != "float64") {
    std::fprintf(stderr, "train_throughput: --precision must be float32 or float64, not %s\n", o.precision.c_str());
    return 2;
  }
  const auto comm = par::Comm::world();
  return o.precision == "float32" ? run<float>(o, comm) : run<double>(o, comm);
}
