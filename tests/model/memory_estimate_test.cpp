#include "elec/model/memory_estimate.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace elec::model {
namespace {

RunSize base() {
  RunSize s;
  s.shape = {10, 4, 8, true};  // 18 inputs, 32 hidden units
  s.members = 100;
  s.rows = 1000;
  s.ranks = 1;
  s.threads = 2;
  return s;
}

double part(const MemoryEstimate& e, const std::string& what) {
  for (const auto& p : e.parts)
    if (p.what == what) return p.bytes;
  ADD_FAILURE() << "no part \"" << what << "\"";
  return 0.0;
}

using Estimator = MemoryEstimate (*)(const RunSize&);
const std::pair<const char*, Estimator> kEstimators[] = {{"training", &training_memory},
                                                         {"prediction", &prediction_memory}};

TEST(MemoryEstimate, GrowsWithMembersRowsAndColumns) {
  for (const auto& [name, estimate] : kEstimators) {
    SCOPED_TRACE(name);
    const double reference = estimate(base()).total();
    EXPECT_GT(reference, 0.0);
    RunSize s = base();
    s.members *= 2;
    EXPECT_GT(estimate(s).total(), reference);
    s = base();
    s.rows *= 2;
    EXPECT_GT(estimate(s).total(), reference);
    s = base();
    s.shape.descriptors *= 2;
    EXPECT_GT(estimate(s).total(), reference);
    s = base();
    s.shape.endpoints *= 2;
    EXPECT_GT(estimate(s).total(), reference);
    s = base();
    s.shape.hidden *= 2;
    EXPECT_GT(estimate(s).total(), reference);
    s = base();
    s.threads *= 2;
    EXPECT_GT(estimate(s).total(), reference);
  }
}

TEST(MemoryEstimate, RowsAndMembersCountLinearlyInTheirParts) {
  for (const auto& [name, estimate] : kEstimators) {
    SCOPED_TRACE(name);
    RunSize s = base();
    const MemoryEstimate one = estimate(s);
    s.members *= 3;
    const MemoryEstimate three = estimate(s);
    EXPECT_DOUBLE_EQ(part(three, "every member's weights, gathered"),
                     3.0 * part(one, "every member's weights, gathered"));
    EXPECT_DOUBLE_EQ(part(three, "read-out of every cell by every member"),
                     3.0 * part(one, "read-out of every cell by every member"));
    s = base();
    s.rows *= 5;
    const MemoryEstimate five = estimate(s);
    EXPECT_DOUBLE_EQ(part(five, "the table and its imputed copies"),
                     5.0 * part(one, "the table and its imputed copies"));
    EXPECT_DOUBLE_EQ(part(five, "read-out of every cell by every member"),
                     5.0 * part(one, "read-out of every cell by every member"));
    // The read-out: members x rows x endpoints doubles.
    EXPECT_DOUBLE_EQ(part(one, "read-out of every cell by every member"), 100.0 * 1000.0 * 4.0 * 8.0);
  }
}

TEST(MemoryEstimate, ShrinksWithRanks) {
  for (const auto& [name, estimate] : kEstimators) {
    SCOPED_TRACE(name);
    RunSize s = base();
    double previous = estimate(s).total();
    for (int ranks : {2, 4, 8, 100}) {
      s.ranks = ranks;
      const double total = estimate(s).total();
      EXPECT_LT(total, previous) << ranks << " ranks";
      previous = total;
    }
    // More ranks than members: each rank owns at most one member; no further gain, and never negative.
    s.ranks = 1000;
    EXPECT_DOUBLE_EQ(estimate(s).total(), previous);
  }
}

TEST(MemoryEstimate, Float32IsSmallerThanFloat64) {
  for (const auto& [name, estimate] : kEstimators) {
    SCOPED_TRACE(name);
    RunSize s = base();
    const double doubles = estimate(s).total();
    s.float32 = true;
    EXPECT_LT(estimate(s).total(), doubles);
  }
}

TEST(MemoryEstimate, OwnedMembersAreSharedOutByRanks) {
  RunSize s = base();
  const std::string owned = "owned members' weights and optimiser state";
  const double all = part(training_memory(s), owned);
  s.ranks = 4;
  EXPECT_DOUBLE_EQ(part(training_memory(s), owned), all / 4.0);
  s.ranks = 3;  // 100 members over 3 ranks: 34 on the busiest
  EXPECT_DOUBLE_EQ(part(training_memory(s), owned), all * 34.0 / 100.0);
  // What every rank holds whatever the rank count.
  EXPECT_DOUBLE_EQ(part(training_memory(s), "every member's weights, gathered"),
                   part(training_memory(base()), "every member's weights, gathered"));
}

TEST(MemoryEstimate, PredictionNeedsNoOptimiserButGrowsWithTheGrid) {
  RunSize s = base();
  EXPECT_LT(prediction_memory(s).total(), training_memory(s).total());
  EXPECT_DOUBLE_EQ(part(prediction_memory(s), "curves on the requested grid"), 0.0);
  s.curve_points = 50;
  // (members + mean and spread) x rows x points doubles
  EXPECT_DOUBLE_EQ(part(prediction_memory(s), "curves on the requested grid"), 102.0 * 1000.0 * 50.0 * 8.0);
  EXPECT_GT(prediction_memory(s).total(), prediction_memory(base()).total());
}

TEST(MemoryEstimate, TotalIsTheSumOfTheParts) {
  MemoryEstimate e;
  e.parts = {{"a", 1024.0}, {"b", 2048.0}};
  EXPECT_DOUBLE_EQ(e.total(), 3072.0);
  EXPECT_EQ(e.describe(), "3.0 KiB (a 1.0 KiB, b 2.0 KiB)");
  EXPECT_EQ(MemoryEstimate{}.total(), 0.0);
}

TEST(MemoryRefusal, EmptyWhenTheEstimateFits) {
  MemoryEstimate e;
  e.parts = {{"weights", 1000.0}};
  EXPECT_EQ(memory_refusal(e, 2000.0, "node memory"), "");
  EXPECT_EQ(memory_refusal(e, 1000.0, "node memory"), "");  // exactly at the limit still fits
}

TEST(MemoryRefusal, NamesTheEstimateAndTheLimitWhenOver) {
  MemoryEstimate e;
  e.parts = {{"owned members' weights and optimiser state", 3.0 * 1024 * 1024 * 1024},
             {"per-thread workspaces", 512.0 * 1024 * 1024}};
  const std::string refusal = memory_refusal(e, 2.0 * 1024 * 1024 * 1024, "cgroup limit 4.0 GiB / 2 ranks on the node");
  EXPECT_EQ(refusal.rfind("estimated memory per rank 3.5 GiB (owned members' weights and optimiser state 3.0 GiB, "
                          "per-thread workspaces 512.0 MiB) exceeds the limit of 2.0 GiB per rank (cgroup limit "
                          "4.0 GiB / 2 ranks on the node)",
                          0),
            0u)
      << refusal;
  EXPECT_NE(refusal.find("expected a smaller job"), std::string::npos) << refusal;
  EXPECT_NE(memory_refusal(e, 3.5 * 1024 * 1024 * 1024 - 1.0, "x"), "");
}

TEST(MemoryRefusal, ARealisticTooLargeJobIsRefused) {
  RunSize s = base();
  s.members = 10000;
  s.rows = 2000000;
  s.shape = {500, 200, 16, true};
  const MemoryEstimate e = training_memory(s);
  EXPECT_GT(e.total(), 64.0 * 1024 * 1024 * 1024);
  EXPECT_NE(memory_refusal(e, 64.0 * 1024 * 1024 * 1024, "node memory 64.0 GiB / 1 ranks on the node"), "");
  EXPECT_EQ(memory_refusal(training_memory(base()), 64.0 * 1024 * 1024 * 1024, "node"), "");
}

TEST(FormatBytes, PicksTheLargestUnitBelow1024) {
  EXPECT_EQ(format_bytes(0), "0 B");
  EXPECT_EQ(format_bytes(1), "1 B");
  EXPECT_EQ(format_bytes(1023), "1023 B");
  EXPECT_EQ(format_bytes(1024), "1.0 KiB");
  EXPECT_EQ(format_bytes(1536), "1.5 KiB");
  EXPECT_EQ(format_bytes(512.0 * 1024 * 1024), "512.0 MiB");
  EXPECT_EQ(format_bytes(12.3 * 1024 * 1024 * 1024), "12.3 GiB");
  EXPECT_EQ(format_bytes(2.0 * 1024 * 1024 * 1024 * 1024), "2.0 TiB");
  EXPECT_EQ(format_bytes(3.0 * 1024 * 1024 * 1024 * 1024 * 1024), "3.0 PiB");
  EXPECT_EQ(format_bytes(2048.0 * 1024 * 1024 * 1024 * 1024 * 1024), "2048.0 PiB");  // no unit above PiB
}

}  // namespace
}  // namespace elec::model
