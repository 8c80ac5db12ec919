// Chapter 4, exercise 6 — measuring load distribution.
// The numbers every later cluster test and the lab script report: per-worker
// counts, max/min and Jain's fairness index. Pure arithmetic, no processes.
#include "load_stats.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "kata/testing.hpp"

using kata::cluster::Counts;
namespace cl = kata::cluster;

TEST(LoadStats, TallyCountsAnswersAndListsIdleWorkersWithZero) {
  // Worker 3 was running but the kernel never woke it: it must appear with 0.
  Counts c = cl::tally({1, 2, 1, 1, 2}, {1, 2, 3});
  EXPECT_EQ(c, (Counts{{1, 3}, {2, 2}, {3, 0}}));
}

TEST(LoadStats, EqualCountsArePerfectlyFair) {
  Counts c{{1, 250}, {2, 250}, {3, 250}, {4, 250}};
  EXPECT_DOUBLE_EQ(cl::max_over_min(c), 1.0);
  EXPECT_DOUBLE_EQ(cl::jain_index(c), 1.0);
}

TEST(LoadStats, OneWorkerTakingEverythingScoresOneOverN) {
  Counts c{{1, 1000}, {2, 0}, {3, 0}, {4, 0}};
  EXPECT_DOUBLE_EQ(cl::jain_index(c), 0.25);
  EXPECT_EQ(cl::max_over_min(c), std::numeric_limits<double>::infinity());
}

TEST(LoadStats, SkewedLikeTheClusterDocsExample) {
  // "over 70% of all connections ended up in just two processes" — 4 workers here.
  Counts c{{1, 40}, {2, 32}, {3, 20}, {4, 8}};
  // Σx = 100, Σx² = 1600 + 1024 + 400 + 64 = 3088 → 10000 / (4 · 3088)
  EXPECT_NEAR(cl::jain_index(c), 10000.0 / 12352.0, 1e-12);
  EXPECT_DOUBLE_EQ(cl::max_over_min(c), 5.0);
}

TEST(LoadStats, RoundRobinOffByOneIsAlmostPerfect) {
  Counts c{{1, 334}, {2, 333}, {3, 333}};
  auto s = cl::summarize(c);
  EXPECT_EQ(s.workers, 3u);
  EXPECT_EQ(s.total, 1000u);
  EXPECT_EQ(s.min, 333u);
  EXPECT_EQ(s.max, 334u);
  EXPECT_NEAR(s.max_over_min, 334.0 / 333.0, 1e-12);
  EXPECT_GT(s.jain, 0.99999);
  EXPECT_LT(s.jain, 1.0);
}

TEST(LoadStats, NothingServedYetIsNotUnfair) {
  Counts c{{1, 0}, {2, 0}};
  EXPECT_DOUBLE_EQ(cl::max_over_min(c), 1.0);
  EXPECT_DOUBLE_EQ(cl::jain_index(c), 1.0);
  EXPECT_EQ(cl::summarize(c).total, 0u);
}

TEST(LoadStats, NoWorkersIsAnError) {
  EXPECT_THROW(cl::jain_index(Counts{}), std::invalid_argument);
  EXPECT_THROW(cl::max_over_min(Counts{}), std::invalid_argument);
  EXPECT_THROW(cl::summarize(Counts{}), std::invalid_argument);
}

TEST(LoadStats, BigCountsDoNotOverflow) {
  // 4e9 requests per worker: Σx² ≈ 3.2e19 overflows 64-bit integers.
  Counts c{{1, 4'000'000'000ull}, {2, 4'000'000'000ull}};
  EXPECT_NEAR(cl::jain_index(c), 1.0, 1e-12);
}

TEST(LoadStats, ReportIsJsonKeyedByWorkerIdInIdOrder) {
  Counts c{{2, 499}, {1, 501}, {10, 0}};
  EXPECT_EQ(cl::to_json(c), R"({"1":501,"2":499,"10":0})");
  EXPECT_EQ(cl::from_json(cl::to_json(c)), c);
  EXPECT_THROW(cl::from_json("[1,2]"), std::invalid_argument);
  EXPECT_THROW(cl::from_json(R"({"one":1})"), std::invalid_argument);
}
