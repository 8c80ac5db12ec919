// The worker half of the cluster tests.
//
// cluster::Cluster::fork() re-executes this very test binary (like Node
// re-running the script) with NODE_UNIQUE_ID set. Before GoogleTest's main()
// runs, the hook below notices, plays the scenario the test asked for in
// KATA_SCENARIO (passed through Settings::env), and exits — so one file holds
// both halves of each test, like the seed's `if (cluster.isMaster) … else …`.
#pragma once

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "cluster.hpp"
#include "kata/todo.hpp"

namespace kata_cluster_test {

namespace cl = kata::cluster;
namespace node = kata::node;
using cl::Json;

// "worker <id>" for every request; /slow answers after 300 ms (an in-flight
// request for the graceful-disconnect tests) and tells the primary it started.
inline cl::HttpServer::Handler hello_handler(node::Loop& loop, cl::Cluster& c) {
  return [&loop, &c](const kata::http::Request& req, cl::HttpServer::Respond respond) {
    kata::http::Response res;
    res.body = "worker " + std::to_string(c.worker().id());
    if (req.target == "/slow") {
      c.worker().send(Json{{"slow", "started"}});
      loop.set_timeout([respond, res] { respond(res); }, 300);
      return;
    }
    respond(res);
  };
}

inline int run_worker_scenario(const std::string& name) {
  kata::RealClock clock;
  node::Loop loop(clock);
  return loop.run_main([&] {
    static cl::Cluster* cluster = nullptr;
    static cl::HttpServer* server = nullptr;
    cluster = new cl::Cluster(loop);
    cl::Cluster& c = *cluster;
    const char* port_env = std::getenv("KATA_PORT");
    const int port = port_env ? std::atoi(port_env) : 0;
    if (name == "hello" || name == "serve") {
      // The lifecycle twin: listen, then say hello once listening.
      server = new cl::HttpServer(loop, hello_handler(loop, c));
      c.listen(*server, port, "127.0.0.1", [&c, name](cl::net::Address) {
        if (name == "hello") c.worker().send(Json{{"hello", c.worker().id()}});
      });
    } else if (name == "hang") {
      // A worker that stops: it listens, then its loop blocks for good (and
      // it ignores SIGTERM). It never answers a newconn, nor 'disconnect'.
      server = new cl::HttpServer(loop, hello_handler(loop, c));
      c.listen(*server, port, "127.0.0.1", [&loop, &c](cl::net::Address) {
        // After the 'listening' message is written (it follows this callback);
        // {"hanging": id} is written at once, the last thing the primary hears.
        loop.set_timeout([&c] {
          c.worker().send(Json{{"hanging", c.worker().id()}});
          ::signal(SIGTERM, SIG_IGN);
          for (;;) ::pause();
        }, 1);
      });
    } else if (name == "echo") {
      // The seed's IPC example: process.on('message', (msg) => process.send(msg)).
      c.worker().on("message", [&c](const kata::events::Args& a) {
        c.worker().send(std::any_cast<Json>(a.at(0)));
      });
    } else if (name == "exit3") {
      loop.process().exit(3);
    } else if (name == "crash") {
      throw std::runtime_error("crash on start-up");  // uncaught: exit code 1
    } else if (name == "relay") {
      // Worker-to-worker through the primary: {"to": id, "data": …} goes out,
      // {"from": id, "data": …} comes in. 1 pings 2, 2 pongs back, 1 reports.
      c.worker().on("message", [&c](const kata::events::Args& a) {
        const Json m = std::any_cast<Json>(a.at(0));
        if (m.value("data", "") == "ping") c.worker().send(Json{{"to", m["from"]}, {"data", "pong"}});
        if (m.value("data", "") == "pong") c.worker().send(Json{{"done", m["from"]}});
        if (m.value("data", "") == "start") c.worker().send(Json{{"to", m["peer"]}, {"data", "ping"}});
        if (m.value("data", "") == "bye") c.worker().disconnect();
      });
    }
  });
}

// A worker that reaches a KATA_TODO exits with this code after printing the
// "not done yet" line; the primary's ClusterRig turns it into a test failure.
constexpr int kWorkerNotDoneYet = 86;

// Runs before main(): a worker never reaches GoogleTest.
inline const bool kWorkerHook = [] {
  if (std::getenv("NODE_UNIQUE_ID") == nullptr) return false;
  const char* scenario = std::getenv("KATA_SCENARIO");
  const std::string id = std::getenv("NODE_UNIQUE_ID");  // the worker unsets it
  int code = 0;
  try {
    code = run_worker_scenario(scenario ? scenario : "");
  } catch (const kata::NotDoneYet& todo) {
    std::fprintf(stderr, "\n\u2717 %s (in worker %s)\n", todo.what(), id.c_str());
    code = kWorkerNotDoneYet;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "worker: uncaught exception: %s\n", e.what());
    code = 1;
  }
  std::fflush(nullptr);
  ::_exit(code);
}();

}  // namespace kata_cluster_test
