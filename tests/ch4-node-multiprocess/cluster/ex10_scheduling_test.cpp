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
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>
#include <thread>

#include "cluster.hpp"
#include "cluster_test_support.hpp"
#include "kata/testing.hpp"
#include "load_client.hpp"
#include "load_stats.hpp"
#include "primary_process.hpp"
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

// ---- when things go wrong: no answer, no fds --------------------------------

TEST_F(Scheduling, ADispatchNobodyAnswersIsGivenToAnotherWorker) {
  // Worker 2 listens, then hangs: it never answers its newconn. Node would
  // wait for ever (and so would every connection queued for worker 2); here
  // the reply timer gives the connection to worker 1 and frees the slot.
  cl::Settings settings;
  settings.policy = SchedulingPolicy::rr;
  settings.rr_reply_timeout_ms = 150;
  kata_cluster_test::ClusterRig rig("serve", settings, 20);
  auto& c = *rig.cluster;
  std::vector<kata_cluster_test::Answer> answers;
  std::thread client;
  int ready = 0, port = 0;
  rig.loop.run_main([&] {
    // Both listening, and worker 2 hung (its last word).
    auto on_ready = [&] {
      if (++ready != 3) return;
      auto done = rig.loop.async([&] { c.shutdown(300); });
      client = std::thread([&answers, port = port, done] {
        // Sequential: the 1st goes to worker 1, the 2nd to worker 2 (hung), …
        for (int i = 0; i < 6; ++i)
          answers.push_back(kata_cluster_test::get_once(port, "/", 2000, kata_cluster_test::ReadUntil::ContentLength));
        done->send();
      });
      c.on("exit", [done](const kata::events::Args&) {
        if (!done->is_closing()) done->close();
      });
    };
    c.on("listening", [&, on_ready](const kata::events::Args& a) {
      port = std::any_cast<cl::net::Address>(a.at(1)).port;
      on_ready();
    });
    c.on("message", [on_ready](const kata::events::Args& a) {
      if (std::any_cast<cl::Json>(a.at(1)).contains("hanging")) on_ready();
    });
    c.fork();                                 // worker 1: serves
    c.fork({{"KATA_SCENARIO", "hang"}});      // worker 2: never answers
  });
  if (client.joinable()) client.join();
  ASSERT_EQ(answers.size(), 6u);
  for (std::size_t i = 0; i < answers.size(); ++i) {
    EXPECT_TRUE(answers[i].ok) << "request " << i << ": " << answers[i].error;
    EXPECT_EQ(answers[i].worker, 1) << "request " << i << ": only worker 1 answers";
  }
  EXPECT_GE(c.stats().reply_timeouts, 1u);
  EXPECT_EQ(c.stats().dropped_connections, 0u) << "worker 1 took every one in the end";
}

TEST_F(Scheduling, AFloodPastTheFdLimitIsSurvivedAndServiceResumes) {
  kata::testing::set_watchdog_seconds(30);  // the bounds below are 1 s and 2 s; the rest is set-up
  // The primary and its 2 workers may hold 64 fds each; 150 slow clients
  // (headers never finished) take them all: accept() fails with EMFILE in
  // the primary, the workers' recvmsg drops handles (MSG_CTRUNC). Once the
  // clients go, the cluster must serve again by itself, and SIGTERM must
  // still end it.
  kata_cluster_test::PrimaryProcess server({.scenario = "serve", .workers = 2, .max_fds = 64,
                                            .reply_timeout_ms = 100, .grace_ms = 1000});
  ASSERT_GT(server.port(), 0) << "the primary did not report its workers listening";
  ASSERT_EQ(server.workers().size(), 2u);
  std::vector<int> flood;
  for (int i = 0; i < 150; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    ASSERT_GE(fd, 0);
    flood.push_back(fd);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(server.port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    (void)::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);  // completes in the backlog
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  for (int fd : flood) (void)::send(fd, "GET / HTTP/1.1\r\nHost: x\r\n", 26, MSG_NOSIGNAL);
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  for (int fd : flood) ::close(fd);

  // Service is back within a second, and stays.
  const auto back_by = std::chrono::steady_clock::now() + std::chrono::milliseconds(1000);
  kata_cluster_test::Answer first;
  while (!first.ok && std::chrono::steady_clock::now() < back_by)
    first = kata_cluster_test::get_once(server.port(), "/", 300, kata_cluster_test::ReadUntil::ContentLength);
  EXPECT_TRUE(first.ok) << "no answer within 1 s after the flood: " << first.error;
  int ok = 0;
  std::string error;
  for (int i = 0; i < 10; ++i) {
    auto a = kata_cluster_test::get_once(server.port(), "/", 1000, kata_cluster_test::ReadUntil::ContentLength);
    ok += a.ok;
    if (!a.ok) error = a.error;
  }
  EXPECT_EQ(ok, 10) << error;

  const int status = server.terminate(2000);
  EXPECT_NE(status, -1) << "SIGTERM did not end the primary within 2 s";
  if (status != -1) {
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  }
  EXPECT_TRUE(server.workers_alive().empty()) << "a worker outlived its primary";
  // The flood did hit the limit (else this test proved nothing): the
  // primary had to shed or drop connections.
  std::istringstream stats(server.stats_line());
  std::string word;
  std::uint64_t dropped = 0, timeouts = 0, accept_errors = 0;
  stats >> word >> dropped >> timeouts >> accept_errors;
  EXPECT_EQ(word, "stats");
  EXPECT_GT(dropped + accept_errors, 0u) << "the flood never exhausted the fds";
  std::printf("  flood: dropped %llu, reply timeouts %llu, accept EMFILE %llu\n", (unsigned long long)dropped,
              (unsigned long long)timeouts, (unsigned long long)accept_errors);
}
