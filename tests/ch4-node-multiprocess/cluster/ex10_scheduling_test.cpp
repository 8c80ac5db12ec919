// Chapter 4, exercise 10 — scheduling policies, measured on real processes
// and real TCP: rr (the primary accepts and hands out connections), none (the
// seed's first model: every worker accepts on one shared socket) and
// reuseport (the kernel spreads connections over per-worker sockets).
//
// rr taking turns is asserted (sequential connections; a window under
// concurrency); none, reuseport and Node's one-at-a-time rr under
// concurrency are *measured* (the kernel's scheduling decides) and only
// "every request answered" is asserted. Balance is per
// connection: each request here is a fresh connection (Connection: close).
#include <algorithm>
#include <cstdio>

#include "cluster.hpp"
#include "cluster_test_support.hpp"
#include "kata/testing.hpp"
#include "load_client.hpp"
#include "load_stats.hpp"
#include "worker_scenarios.hpp"

using kata::cluster::SchedulingPolicy;
using kata_cluster_test::ClusterLoad;
using kata_cluster_test::LoadResult;
using kata_cluster_test::run_cluster;
namespace cl = kata::cluster;

namespace {

class Scheduling : public kata::testing::NoLeaks {};

cl::Counts counts_of(const ClusterLoad& r) {
  std::vector<int> answered_by;
  for (auto& [w, n] : r.load.by_worker) answered_by.insert(answered_by.end(), n, w);
  return cl::tally(answered_by, r.worker_ids);
}

// Prints and records the spread (shown by ctest -V and in the XML report).
void report(const char* name, const ClusterLoad& r) {
  const cl::Counts counts = counts_of(r);
  const auto s = cl::summarize(counts);
  std::printf("  %s: %s  max/min %.3f  Jain %.4f  (%llu ok, %llu failed)\n", name, cl::to_json(counts).c_str(),
              s.max_over_min, s.jain, (unsigned long long)r.load.ok, (unsigned long long)r.load.failed);
  ::testing::Test::RecordProperty(std::string(name) + "_counts", cl::to_json(counts));
  ::testing::Test::RecordProperty(std::string(name) + "_jain", std::to_string(s.jain));
}

void expect_all_answered(const ClusterLoad& r, std::uint64_t total) {
  EXPECT_EQ(r.load.ok, total);
  EXPECT_EQ(r.load.failed, 0u) << (r.load.errors.empty() ? "" : r.load.errors.front());
  for (auto& [w, n] : r.load.by_worker)
    EXPECT_NE(std::find(r.worker_ids.begin(), r.worker_ids.end(), w), r.worker_ids.end()) << "unknown worker " << w;
  EXPECT_EQ(r.ports.size(), 1u) << "every worker listens on the same port";
  for (int code : r.exit_codes) EXPECT_EQ(code, 0);
}

}  // namespace

TEST_F(Scheduling, RoundRobinSequentialConnectionsTakeTurns) {
  // One connection at a time: each worker acknowledged its last one long
  // before the next arrives, so the order is a strict rotation.
  std::vector<int> order;
  auto r = run_cluster(SchedulingPolicy::rr, 3, [&](int port) {
    LoadResult res;
    for (int i = 0; i < 300; ++i) {
      auto a = kata_cluster_test::get_once(port);
      if (a.ok) {
        ++res.ok;
        ++res.by_worker[a.worker];
        order.push_back(a.worker);
      } else {
        ++res.failed;
      }
    }
    return res;
  });
  expect_all_answered(r, 300);
  report("rr_sequential", r);
  const auto s = cl::summarize(counts_of(r));
  EXPECT_LE(s.max - s.min, 1u) << "rr with sequential connections: counts differ by at most 1";
  for (std::size_t i = 3; i < order.size(); ++i)
    ASSERT_EQ(order[i], order[i - 3]) << "connection " << i << " broke the rotation";
}

// The seed's ab -c20, over 1200 connections and two workers, twice.
//
// Node's algorithm (the default: one unanswered connection per worker) gives
// each new connection to whichever worker is free first, so under
// concurrency the split follows how fast each worker answers — the kernel's
// scheduling, not the dispatcher's: 1.0 to 1.7 measured here, and Node's own
// cluster 1.14 in the lab. Asserting 1.05 on it would assert what Node does
// not do, so it is measured and reported, like none and reuseport.
TEST_F(Scheduling, NodesRoundRobinUnderConcurrencyFollowsWorkerSpeed) {
  auto r = run_cluster(SchedulingPolicy::rr, 2, [](int port) { return kata_cluster_test::run_load(port, 1200, 20); });
  expect_all_answered(r, 1200);
  report("rr_concurrent (Node's algorithm)", r);
}

// With a window (exercise 8's extension) the dispatcher deals connections
// strictly in turn to workers with room, whatever their speed: that split is
// the dispatcher's own, and it must be fair.
TEST_F(Scheduling, RoundRobinUnderConcurrencyIsBalanced) {
  constexpr std::size_t kWindow = 64;
  auto r = run_cluster(
      SchedulingPolicy::rr, 2, [](int port) { return kata_cluster_test::run_load(port, 1200, 20); }, kWindow);
  expect_all_answered(r, 1200);
  report("rr_concurrent (window 64)", r);
  EXPECT_LE(cl::max_over_min(counts_of(r)), 1.05);
}

TEST_F(Scheduling, NoneSharesOneSocketAndTheKernelDecides) {
  auto r = run_cluster(SchedulingPolicy::none, 4, [](int port) { return kata_cluster_test::run_load(port, 1000, 20); });
  expect_all_answered(r, 1000);
  report("none", r);  // measured, not asserted: the seed's 负载不均衡 shows up (or not) here
}

TEST_F(Scheduling, ReusePortGivesEachWorkerItsOwnSocket) {
  auto r = run_cluster(SchedulingPolicy::reuseport, 4,
                       [](int port) { return kata_cluster_test::run_load(port, 1000, 20); });
  expect_all_answered(r, 1000);
  report("reuseport", r);
}

TEST_F(Scheduling, WorkersReportWhatTheyServedAsTheyLeave) {
  // The primary's per-worker report (what the lab prints as JSON at exit)
  // must match what the client counted.
  auto r = run_cluster(SchedulingPolicy::rr, 3, [](int port) { return kata_cluster_test::run_load(port, 300, 6); });
  expect_all_answered(r, 300);
  cl::Counts reported;
  for (int id : r.worker_ids) reported[id] = r.served.count(id) ? r.served.at(id) : 0;
  EXPECT_EQ(reported, counts_of(r));
}
