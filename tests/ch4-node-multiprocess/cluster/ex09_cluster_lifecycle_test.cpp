// Chapter 4, exercise 9 — the cluster API and its lifecycle, with real
// processes. fork() re-executes this test binary; worker_scenarios.hpp plays
// the worker half. Every expected order is what real Node prints for the
// twin in js/ (checked by the test itself).
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "primary_process.hpp"
#include "cluster.hpp"
#include "cluster_test_support.hpp"
#include "kata/console.hpp"
#include "kata/testing.hpp"
#include "load_client.hpp"
#include "worker_scenarios.hpp"

using kata::cluster::Json;
using kata::cluster::Worker;
using kata::events::Args;
using kata_cluster_test::ClusterRig;
namespace console = kata::console;
namespace cl = kata::cluster;

namespace {

std::shared_ptr<Worker> worker_arg(const Args& a) { return std::any_cast<std::shared_ptr<Worker>>(a.at(0)); }
std::string show(const std::optional<int>& v) { return v ? std::to_string(*v) : "null"; }
std::string show(const std::optional<std::string>& v) { return v ? *v : "null"; }

// The primary's view: every cluster event as one trace line.
void trace_cluster_events(cl::Cluster& c) {
  for (std::string ev : {"fork", "online", "listening", "disconnect"})
    c.on(ev, [ev](const Args& a) { console::log("cluster " + ev + " " + std::to_string(worker_arg(a)->id())); });
  c.on("exit", [](const Args& a) {
    auto w = worker_arg(a);
    console::log("cluster exit " + std::to_string(w->id()) + " code=" + show(std::any_cast<std::optional<int>>(a.at(1))) +
                 " signal=" + show(std::any_cast<std::optional<std::string>>(a.at(2))) +
                 " after_disconnect=" + (w->exited_after_disconnect() ? "true" : "false"));
  });
  c.on("message", [](const Args& a) {
    console::log("cluster message " + std::to_string(worker_arg(a)->id()) + " " + std::any_cast<Json>(a.at(1)).dump());
  });
}

class ClusterLifecycle : public kata::testing::NoLeaks {};

}  // namespace

TEST_F(ClusterLifecycle, EventsComeInNodesOrder) {
  // js/lifecycle.js: fork → online → (its message) → listening → disconnect → exit,
  // then a second worker killed with SIGKILL: disconnect still comes before exit.
  ClusterRig rig("hello");
  cl::Cluster& c = *rig.cluster;
  rig.loop.run_main([&] {  // the main script: forks, listeners (its nextTicks run after it)
    trace_cluster_events(c);
    auto first = c.fork();
    first->on("online", [](const Args&) { console::log("worker online"); });
    first->on("listening", [](const Args&) { console::log("worker listening"); });
    first->on("message", [first](const Args& a) {
      console::log("worker message " + std::any_cast<Json>(a.at(0)).dump());
      first->disconnect();
    });
    first->on("disconnect", [](const Args&) { console::log("worker disconnect"); });
    first->on("exit", [&c](const Args& a) {
      console::log("worker exit code=" + show(std::any_cast<std::optional<int>>(a.at(0))) +
                   " signal=" + show(std::any_cast<std::optional<std::string>>(a.at(1))));
      auto second = c.fork();
      std::weak_ptr<Worker> weak = second;
      second->on("listening", [weak](const Args&) {
        if (auto w = weak.lock()) w->kill(SIGKILL);
      });
    });
  });
  const kata::testing::Lines expected{
      "cluster fork 1",
      "worker online",
      "cluster online 1",
      "cluster message 1 {\"hello\":1}",
      "worker message {\"hello\":1}",
      "worker listening",
      "cluster listening 1",
      "worker disconnect",
      "cluster disconnect 1",
      "worker exit code=0 signal=null",
      "cluster exit 1 code=0 signal=null after_disconnect=true",
      "cluster fork 2",
      "cluster online 2",
      "cluster message 2 {\"hello\":2}",
      "cluster listening 2",
      "cluster disconnect 2",
      "cluster exit 2 code=null signal=SIGKILL after_disconnect=false",
  };
  EXPECT_TRACE(expected);
  EXPECT_TRUE(c.workers().empty()) << "dead and disconnected workers leave cluster.workers";
  EXPECT_NODE_PRINTS("ch4-node-multiprocess/cluster/js/lifecycle.js", expected);
}

TEST_F(ClusterLifecycle, PrimaryAndWorkerRolesAndIds) {
  ClusterRig rig("echo");
  cl::Cluster& c = *rig.cluster;
  std::shared_ptr<Worker> a, b;
  int online = 0;
  rig.loop.run_main([&] {  // the main script: forks, listeners (its nextTicks run after it)
    EXPECT_TRUE(c.is_primary());
    EXPECT_FALSE(c.is_worker());
    EXPECT_THROW(c.worker(), std::logic_error) << "cluster.worker exists only in a worker";
    a = c.fork();
    b = c.fork();
    EXPECT_EQ(a->id(), 1);
    EXPECT_EQ(b->id(), 2);
    EXPECT_EQ(c.workers().size(), 2u);
    EXPECT_GT(a->pid(), 0);
    EXPECT_NE(a->pid(), b->pid());
    EXPECT_EQ(a->state(), "none") << "'online' has not been received yet";
    c.on("online", [&](const Args& args) {
      EXPECT_EQ(worker_arg(args)->state(), "online");
      if (++online == 2) c.disconnect([] { console::log("all gone"); });
    });
  });
  EXPECT_TRACE({"all gone"});
  EXPECT_TRUE(a->is_dead());
  EXPECT_TRUE(a->exited_after_disconnect());
  EXPECT_EQ(a->exit_code(), 0);
}

TEST_F(ClusterLifecycle, MessagesGoBothWays) {
  // The seed's IPC example (js/ipc_echo.js): the worker sends back what it gets.
  ClusterRig rig("echo");
  cl::Cluster& c = *rig.cluster;
  rig.loop.run_main([&] {  // the main script: forks, listeners (its nextTicks run after it)
    auto w = c.fork();
    w->send(Json("hi there"));
    w->on("message", [w](const Args& a) {
      console::log("msg: " + std::any_cast<Json>(a.at(0)).get<std::string>() + " from worker#" + std::to_string(w->id()));
      w->disconnect();
    });
  });
  const kata::testing::Lines expected{"msg: hi there from worker#1"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch4-node-multiprocess/cluster/js/ipc_echo.js", expected);
}

TEST_F(ClusterLifecycle, AWorkerThatExitsByItselfReportsItsCode) {
  // js/exit_code.js: the worker calls process.exit(3) right away.
  ClusterRig rig("exit3");
  cl::Cluster& c = *rig.cluster;
  rig.loop.run_main([&] {  // the main script: forks, listeners (its nextTicks run after it)
    trace_cluster_events(c);
    c.fork();
  });
  const kata::testing::Lines expected{"cluster fork 1", "cluster online 1", "cluster disconnect 1",
                                      "cluster exit 1 code=3 signal=null after_disconnect=false"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch4-node-multiprocess/cluster/js/exit_code.js", expected);
}

TEST_F(ClusterLifecycle, KillSendsTheSignalWithoutDisconnecting) {
  ClusterRig rig("serve");
  cl::Cluster& c = *rig.cluster;
  rig.loop.run_main([&] {  // the main script: forks, listeners (its nextTicks run after it)
    trace_cluster_events(c);
    auto w = c.fork();
    w->on("listening", [w](const Args&) { w->kill(); });
  });
  const kata::testing::Lines expected{"cluster fork 1", "cluster online 1", "cluster listening 1",
                                      "cluster disconnect 1",
                                      "cluster exit 1 code=null signal=SIGTERM after_disconnect=false"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch4-node-multiprocess/cluster/js/kill.js", expected);
}

TEST_F(ClusterLifecycle, DisconnectLetsAnInFlightRequestFinish) {
  // The seed's 优雅退出: stop taking connections, finish what was accepted, exit.
  ClusterRig rig("serve");
  cl::Cluster& c = *rig.cluster;
  std::shared_ptr<Worker> w;
  std::thread client;
  kata_cluster_test::Answer answer;
  rig.loop.run_main([&] {  // the main script: forks, listeners (its nextTicks run after it)
    w = c.fork();
    w->on("listening", [&](const Args& a) {
      const int port = std::any_cast<cl::net::Address>(a.at(0)).port;
      client = std::thread([&answer, port] { answer = kata_cluster_test::get_once(port, "/slow"); });
    });
    w->on("message", [&w](const Args& a) {
      if (std::any_cast<Json>(a.at(0)).value("slow", "") == "started") {
        console::log("slow request in flight: disconnect");
        w->disconnect();
      }
    });
    w->on("exit", [&w](const Args&) { console::log("exit code=" + show(w->exit_code())); });
  });
  client.join();
  EXPECT_TRACE({"slow request in flight: disconnect", "exit code=0"});
  EXPECT_TRUE(answer.ok) << "the in-flight request was cut: " << answer.error;
  EXPECT_EQ(answer.worker, 1);
  EXPECT_TRUE(w->exited_after_disconnect());
  EXPECT_EQ(c.served().at(1), 1u) << "the worker reports what it served as it leaves";
}

TEST_F(ClusterLifecycle, SigtermEndsAPrimaryWhoseWorkersHang) {
  kata::testing::set_watchdog_seconds(30);  // the bounds below are 1 s and 2 s; the rest is set-up
  // Both workers hang (blocked loop, SIGTERM ignored): 'disconnect' is never
  // read. Cluster::shutdown waits its grace, then kills them; the primary
  // reaps them and exits — within 2 s, nothing left behind.
  kata_cluster_test::PrimaryProcess server({.scenario = "hang", .workers = 2, .grace_ms = 1000});
  ASSERT_GT(server.port(), 0) << "the primary did not report its workers listening";
  ASSERT_EQ(server.workers().size(), 2u);
  const int status = server.terminate(2000);
  EXPECT_NE(status, -1) << "SIGTERM did not end the primary within 2 s";
  if (status != -1) {
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  }
  EXPECT_TRUE(server.workers_alive().empty()) << "a worker outlived its primary";
}
