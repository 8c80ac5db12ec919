// Chapter 4, exercise 11 — 进程守护: the primary keeps the workers alive.
// Real processes and real load: a killed worker is replaced at once and costs
// only its own in-flight requests; a worker that crashes on start-up is
// retried with back-off, not in a tight loop; a rolling restart under load
// drops nothing; workers talk to each other through the primary.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "cluster.hpp"
#include "cluster_test_support.hpp"
#include "kata/console.hpp"
#include "kata/testing.hpp"
#include "load_client.hpp"
#include "supervisor.hpp"
#include "worker_scenarios.hpp"

using kata::cluster::Json;
using kata::cluster::Supervisor;
using kata::cluster::SupervisorOptions;
using kata::cluster::Worker;
using kata::events::Args;
using kata_cluster_test::ClusterRig;
namespace console = kata::console;
namespace cl = kata::cluster;
using Clock = std::chrono::steady_clock;

namespace {
class Supervision : public kata::testing::NoLeaks {};
std::shared_ptr<Worker> worker_arg(const Args& a) { return std::any_cast<std::shared_ptr<Worker>>(a.at(0)); }
double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}
}  // namespace

TEST(Backoff, DoublesFromTheInitialDelayAndIsCapped) {
  SupervisorOptions o;
  o.backoff_initial_ms = 100;
  o.backoff_max_ms = 1000;
  EXPECT_EQ(cl::backoff_ms(0, o), 0) << "no crash yet: no wait";
  EXPECT_EQ(cl::backoff_ms(1, o), 100);
  EXPECT_EQ(cl::backoff_ms(2, o), 200);
  EXPECT_EQ(cl::backoff_ms(4, o), 800);
  EXPECT_EQ(cl::backoff_ms(5, o), 1000);
  EXPECT_EQ(cl::backoff_ms(40, o), 1000);
}

TEST_F(Supervision, AWorkerThatCrashesOnStartUpIsRetriedWithBackOff) {
  ClusterRig rig("crash");
  SupervisorOptions o;
  o.workers = 1;
  o.backoff_initial_ms = 20;
  o.max_startup_crashes = 4;
  Supervisor sup(*rig.cluster, o);
  const auto t0 = Clock::now();
  rig.loop.run_main([&] {
    sup.on("restart", [](const Args& a) {
      console::log("restart " + std::to_string(std::any_cast<int>(a.at(0))) + " -> " +
                   std::to_string(std::any_cast<int>(a.at(1))) + " after " +
                   std::to_string(int(std::any_cast<double>(a.at(2)))) + " ms");
    });
    sup.on("giveup", [](const Args& a) { console::log("giveup after " + std::to_string(std::any_cast<int>(a.at(0))) + " crashes"); });
    sup.start();
  });
  EXPECT_TRACE({"restart 1 -> 2 after 20 ms", "restart 2 -> 3 after 40 ms", "restart 3 -> 4 after 80 ms",
                "restart 4 -> 5 after 160 ms", "giveup after 5 crashes"});
  EXPECT_GE(ms_since(t0), 300.0) << "20 + 40 + 80 + 160 ms of back-off: not a tight loop";
  EXPECT_TRUE(rig.cluster->workers().empty());
}

TEST_F(Supervision, AKilledWorkerIsReplacedAtOnceAndOnlyItsRequestsFail) {
  ClusterRig rig("serve", {}, 20);
  SupervisorOptions o;
  o.workers = 2;
  Supervisor sup(*rig.cluster, o);
  cl::Cluster& c = *rig.cluster;
  std::thread load;
  std::shared_ptr<kata::node::Async> done;  // keeps the loop alive while the client runs
  kata_cluster_test::LoadResult result;
  constexpr int kConcurrency = 8;
  // The load runs until the replacement has served for a while, not for a
  // fixed count: a fast machine would finish a fixed count before the kill.
  std::atomic<bool> enough{false};
  Clock::time_point killed_at;
  double replaced_after_ms = -1;
  int listening = 0;
  rig.loop.run_main([&] {
    c.on("listening", [&](const Args& a) {
      ++listening;
      if (listening == 3) {  // the replacement
        replaced_after_ms = ms_since(killed_at);
        rig.loop.set_timeout([&] { enough = true; }, 100);
      }
      if (listening != 2) return;
      const int port = std::any_cast<cl::net::Address>(a.at(1)).port;
      done = rig.loop.async([&] {
        sup.stop();
        done->close();
      });
      load = std::thread([&, port] {
        result = kata_cluster_test::run_load(port, 20000, kConcurrency, "/", &enough);
        done->send();
      });
      rig.loop.set_timeout([&] {
        killed_at = Clock::now();
        c.workers().at(1)->kill(SIGKILL);
      }, 50);
      sup.on("restart", [](const Args& a) {
        console::log("replaced " + std::to_string(std::any_cast<int>(a.at(0))) + " by " +
                     std::to_string(std::any_cast<int>(a.at(1))));
      });
      c.on("exit", [](const Args& a) {
        auto w = worker_arg(a);
        std::fprintf(stderr, "exit %d code=%d\n", w->id(), w->exit_code().value_or(-1));
      });
    });
    sup.start();
  });
  if (load.joinable()) load.join();
  EXPECT_TRACE({"replaced 1 by 3"});
  EXPECT_GE(replaced_after_ms, 0) << "the replacement never listened";
  EXPECT_LT(replaced_after_ms, 1000) << "replaced within 1 s";
  EXPECT_LT(result.ok + result.failed, 20000u) << "the load ran while the kill and the replacement happened";
  EXPECT_LE(result.failed, std::uint64_t(kConcurrency)) << "only the killed worker's in-flight requests may fail";
  EXPECT_GT(result.by_worker[1], 0u) << "the killed worker served before it died";
  EXPECT_GT(result.by_worker[3], 0u) << "the replacement serves";
}

TEST_F(Supervision, ARollingRestartUnderLoadDropsNoRequest) {
  ClusterRig rig("serve", {}, 20);
  SupervisorOptions o;
  o.workers = 2;
  Supervisor sup(*rig.cluster, o);
  cl::Cluster& c = *rig.cluster;
  std::thread load;
  std::shared_ptr<kata::node::Async> done;  // keeps the loop alive while the client runs
  kata_cluster_test::LoadResult result;
  bool started = false;
  std::atomic<bool> enough{false};
  rig.loop.run_main([&] {
    c.on("listening", [&](const Args& a) {
      if (started || c.workers().size() != 2) return;
      for (auto& [id, w] : c.workers())
        if (w->state() != "listening") return;
      started = true;
      const int port = std::any_cast<cl::net::Address>(a.at(1)).port;
      done = rig.loop.async([&] {
        sup.stop();
        done->close();
      });
      load = std::thread([&, port] {
        // Until the restart is over (bounded: at most 20000 requests).
        result = kata_cluster_test::run_load(port, 20000, 8, "/", &enough);
        done->send();
      });
      rig.loop.set_timeout([&] {
        sup.rolling_restart([&] {
          console::log("rolling restart done");
          rig.loop.set_timeout([&] { enough = true; }, 50);  // and a little load on the new ones
        });
      }, 50);
    });
    sup.on("restart", [](const Args& a) {
      console::log("replaced " + std::to_string(std::any_cast<int>(a.at(0))) + " by " +
                   std::to_string(std::any_cast<int>(a.at(1))));
    });
    sup.start();
  });
  if (load.joinable()) load.join();
  EXPECT_TRACE({"replaced 1 by 3", "replaced 2 by 4", "rolling restart done"});
  EXPECT_EQ(result.failed, 0u) << (result.errors.empty() ? "" : result.errors.front());
  EXPECT_GT(result.ok, 100u);
  EXPECT_LT(result.ok, 20000u) << "the load stopped when the restart was over";
  EXPECT_GT(result.by_worker[1] + result.by_worker[2], 0u) << "the old workers served before the restart";
  EXPECT_GT(result.by_worker[3] + result.by_worker[4], 0u) << "the new ones after";
}

TEST_F(Supervision, WorkersTalkThroughThePrimary) {
  ClusterRig rig("relay");
  SupervisorOptions o;
  o.workers = 2;
  Supervisor sup(*rig.cluster, o);
  cl::Cluster& c = *rig.cluster;
  int online = 0;
  rig.loop.run_main([&] {
    c.on("online", [&](const Args&) {
      if (++online == 2) c.workers().at(1)->send(Json{{"data", "start"}, {"peer", 2}});
    });
    c.on("message", [&](const Args& a) {
      const Json msg = std::any_cast<Json>(a.at(1));
      console::log("from " + std::to_string(worker_arg(a)->id()) + ": " + msg.dump());
      if (msg.contains("done")) sup.stop();
    });
    sup.start();
  });
  const kata::testing::Lines expected{"from 1: {\"to\":2,\"data\":\"ping\"}", "from 2: {\"to\":1,\"data\":\"pong\"}",
                                      "from 1: {\"done\":2}"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch4-node-multiprocess/cluster/js/relay.js", expected);
}
