// What every multi-process cluster test does around its body: a real-time
// loop, a watchdog budget, children killed if the test dies, the loop's
// pending work named on a hang.
#pragma once

#include <signal.h>

#include <memory>
#include <vector>

#include "cluster.hpp"
#include "kata/testing.hpp"
#include "worker_scenarios.hpp"

namespace kata_cluster_test {

struct ClusterRig {
  kata::RealClock clock;
  kata::node::Loop loop{clock};
  std::unique_ptr<kata::cluster::Cluster> cluster;

  explicit ClusterRig(const std::string& scenario, kata::cluster::Settings settings = {},
                      double watchdog_seconds = 10) {
    kata::testing::set_watchdog_seconds(watchdog_seconds);
    settings.env["KATA_SCENARIO"] = scenario;
    cluster = std::make_unique<kata::cluster::Cluster>(loop, settings);
    auto* c = cluster.get();
    // A worker that hit a KATA_TODO printed "not done yet: …" on stderr; fail here too.
    cluster->on("exit", [](const kata::events::Args& a) {
      auto w = std::any_cast<std::shared_ptr<kata::cluster::Worker>>(a.at(0));
      if (w->exit_code() == kWorkerNotDoneYet)
        ADD_FAILURE() << "not done yet: worker " << w->id()
                      << " reached a KATA_TODO (its \"not done yet\" line is printed above)";
    });
    kata::testing::at_abort([c] {
      for (auto& [id, w] : c->workers())
        if (w->pid() > 0) ::kill(w->pid(), SIGKILL);
    });
    kata::testing::describe_pending([this] {
      std::string s = "workers alive: " + std::to_string(cluster->workers().size()) + "; ";
      return s + loop.describe();
    });
  }
  ~ClusterRig() {
    // A failed assertion may leave workers behind: kill and reap them here
    // so the next test starts clean (NoLeaks reports them, this only cleans).
    for (auto& [id, w] : cluster->workers())
      if (w->pid() > 0 && !w->is_dead()) ::kill(w->pid(), SIGKILL);
    for (int i = 0; i < 200 && !cluster->workers().empty(); ++i) {
      try {
        loop.run(kata::node::RunMode::Once);
      } catch (...) {  // a KATA_TODO on the way out: the failure is already reported
        for (auto& [id, w] : cluster->workers())
          if (w->pid() > 0) ::kill(w->pid(), SIGKILL);
        break;
      }
    }
  }
};

}  // namespace kata_cluster_test

#include <set>
#include <thread>

#include "load_client.hpp"

namespace kata_cluster_test {

struct ClusterLoad {
  LoadResult load;                          // what the client saw
  std::map<int, std::uint64_t> served;      // what the workers reported at disconnect
  std::set<int> ports;                      // the ports the workers' 'listening' named
  std::vector<int> worker_ids;
  std::vector<int> exit_codes;
};

// Forks `workers` "serve" workers with `policy`, waits until all listen, runs
// `client(port)` on a thread, then disconnects everyone and runs the loop dry.
// `rr_max_in_flight`: connections a worker may hold unanswered under rr (1,
// the default, is Node's algorithm; more is the strict-rotation extension).
inline ClusterLoad run_cluster(kata::cluster::SchedulingPolicy policy, int workers,
                               std::function<LoadResult(int port)> client,
                               std::size_t rr_max_in_flight = kata::cluster::Settings{}.rr_max_in_flight) {
  kata::cluster::Settings settings;
  settings.policy = policy;
  settings.rr_max_in_flight = rr_max_in_flight;
  ClusterRig rig("serve", settings, 20);
  auto& c = *rig.cluster;
  ClusterLoad out;
  std::thread load;
  int listening = 0;
  rig.loop.run_main([&] {
    c.on("listening", [&](const kata::events::Args& a) {
      const int port = std::any_cast<kata::cluster::net::Address>(a.at(1)).port;
      out.ports.insert(port);
      if (++listening != workers) return;
      // Keep the loop alive while the client runs (an Async ref'd until done).
      auto done = rig.loop.async([&] { c.disconnect(); });
      load = std::thread([&, port, done] {
        out.load = client(port);
        done->send();
      });
      c.once("exit", [done](const kata::events::Args&) {
        if (!done->is_closing()) done->close();
      });
    });
    c.on("exit", [&](const kata::events::Args& a) {
      auto w = std::any_cast<std::shared_ptr<kata::cluster::Worker>>(a.at(0));
      out.exit_codes.push_back(w->exit_code().value_or(-1));
    });
    for (int i = 0; i < workers; ++i) out.worker_ids.push_back(c.fork()->id());
  });
  if (load.joinable()) load.join();
  out.served = c.served();
  return out;
}

}  // namespace kata_cluster_test
