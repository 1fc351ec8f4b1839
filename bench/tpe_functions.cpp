// elec::opt::Tpe on the standard test functions of the Optuna peer (../shared/peers/tpe_bench.py, same definitions
// and domains), one sequential study: suggest, evaluate, record, TRIALS times.
//
// Usage: tpe_functions [--multivariate] [--candidates 24] [--startup 10] FUNCTION TRIALS SEED
//   FUNCTION: branin | hartmann6 | rosenbrock4
// Prints the settings, the best point, and as its last line the best value found (what the peer reads).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "elec/opt/tpe.hpp"

using namespace elec;

namespace {

struct TestFunction {
  std::function<double(const std::vector<double>&)> f;
  std::vector<std::pair<double, double>> domain;
  double minimum;
};

double branin(const std::vector<double>& x) {
  const double pi = M_PI;
  const double t = x[1] - 5.1 / (4 * pi * pi) * x[0] * x[0] + 5 / pi * x[0] - 6;
  return t * t + 10 * (1 - 1 / (8 * pi)) * std::cos(x[0]) + 10;
}

double hartmann6(const std::vector<double>& x) {
  static const double a[4][6] = {
      {10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14}, {3, 3.5, 1.7, 10, 17, 8}, {17, 8, 0.05, 10, 0.1, 14}};
  static const double p[4][6] = {{1312, 1696, 5569, 124, 8283, 5886},
                                 {2329, 4135, 8307, 3736, 1004, 9991},
                                 {2348, 1451, 3522, 2883, 3047, 6650},
                                 {4047, 8828, 8732, 5743, 1091, 381}};
  static const double alpha[4] = {1.0, 1.2, 3.0, 3.2};
  double sum = 0.0;
  for (int i = 0; i < 4; ++i) {
    double inner = 0.0;
    for (int j = 0; j < 6; ++j) {
      const double d = x[j] - 1e-4 * p[i][j];
      inner += a[i][j] * d * d;
    }
    sum += alpha[i] * std::exp(-inner);
  }
  return -sum;
}

double rosenbrock4(const std::vector<double>& x) {
  double sum = 0.0;
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    const double a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
    sum += 100 * a * a + b * b;
  }
  return sum;
}

TestFunction lookup(const std::string& name) {
  if (name == "branin") return {branin, {{-5, 10}, {0, 15}}, 0.397887};
  if (name == "hartmann6") return {hartmann6, std::vector<std::pair<double, double>>(6, {0, 1}), -3.32237};
  if (name == "rosenbrock4") return {rosenbrock4, std::vector<std::pair<double, double>>(4, {-2, 2}), 0.0};
  throw std::invalid_argument("unknown function '" + name + "' (branin, hartmann6, rosenbrock4)");
}

int usage(const char* what) {
  std::fprintf(stderr,
               "tpe_functions: %s\nusage: tpe_functions [--multivariate] [--candidates N] [--startup N] "
               "branin|hartmann6|rosenbrock4 TRIALS SEED\n",
               what);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  opt::TpeSettings settings;
  std::vector<std::string> positional;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      if (arg == "--multivariate") {
        settings.multivariate = true;
      } else if ((arg == "--candidates" || arg == "--startup") && i + 1 < argc) {
        (arg == "--candidates" ? settings.candidates : settings.startup_trials) = std::stoi(argv[++i]);
      } else if (arg.rfind("--", 0) == 0) {
        return usage(("unknown option " + arg).c_str());
      } else {
        positional.push_back(arg);
      }
    }
    if (positional.size() != 3) return usage("expected FUNCTION TRIALS SEED");
    const TestFunction function = lookup(positional[0]);
    const int trials = std::stoi(positional[1]);
    if (trials < 1) return usage("TRIALS must be >= 1");
    const auto seed = static_cast<std::uint64_t>(std::stoull(positional[2]));

    std::vector<opt::Parameter> parameters;
    for (std::size_t i = 0; i < function.domain.size(); ++i)
      parameters.push_back(
          opt::Parameter::floating("x" + std::to_string(i), function.domain[i].first, function.domain[i].second));
    const opt::Tpe tpe(opt::SearchSpace(parameters), settings, seed);

    std::vector<opt::Trial> history;
    std::size_t best = 0;
    for (int t = 0; t < trials; ++t) {
      std::vector<double> x = tpe.suggest(t, history);
      const double value = function.f(x);
      history.push_back(opt::Trial{t, std::move(x), value});
      if (*history.back().value < *history[best].value) best = history.size() - 1;
    }
    std::printf("function=%s trials=%d seed=%llu multivariate=%d candidates=%d startup=%d\n", positional[0].c_str(),
                trials, static_cast<unsigned long long>(seed), settings.multivariate ? 1 : 0, settings.candidates,
                settings.startup_trials);
    std::printf("best trial %d at", history[best].number);
    for (const double v : history[best].point) std::printf(" %.6f", v);
    std::printf("; simple regret %.6g\n%.17g\n", *history[best].value - function.minimum, *history[best].value);
  } catch (const std::exception& e) {
    return usage(e.what());
  }
  return 0;
}
