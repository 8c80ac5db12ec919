// cluster_server — the lab's "hello world" server, built on the reference
// cluster (exercises 7–10): the seed's
//
//   if (cluster.isMaster) { for (i < numCPUs) cluster.fork() } else { http.createServer(...).listen(8000) }
//
// Usage: cluster_server [--workers N] [--port P] [--policy rr|none|reuseport]
//                       [--window W] [--reply-timeout MS] [--report FILE]
//   --workers 0        a single process (no cluster)
//   --window W         rr: unacknowledged connections per worker (default 1 = Node's algorithm)
//   --reply-timeout MS rr: a newconn nobody answers within MS is given to another worker
// SIGTERM / SIGINT: disconnect the workers (each finishes its requests and
// reports what it served) — for at most kShutdownGraceMs, then the ones still
// there are killed: the program is gone within 2 s whatever state it is in.
// Writes {"policy":…, "workers":N, "served":{"1":…}, "dropped":…} to --report
// (or stdout), exit 0. 127.0.0.1 only.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "cluster.hpp"

namespace cl = kata::cluster;
namespace node = kata::node;

namespace {
// Workers get this long to finish their requests at SIGTERM (the HTTP
// servers' own grace is shorter, so a healthy worker leaves in time).
constexpr double kShutdownGraceMs = 1200;
constexpr double kWorkerRequestGraceMs = 1000;
int g_signal_pipe[2] = {-1, -1};
void on_signal(int sig) {
  const char c = static_cast<char>(sig);
  (void)!::write(g_signal_pipe[1], &c, 1);
}
}  // namespace

int main(int argc, char** argv) {
  int workers = 2, port = 8000;
  std::size_t window = cl::Settings{}.rr_max_in_flight;
  double reply_timeout = cl::Settings{}.rr_reply_timeout_ms;
  std::string policy = "rr", report;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto val = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--workers") workers = std::atoi(val().c_str());
    else if (a == "--port") port = std::atoi(val().c_str());
    else if (a == "--policy") policy = val();
    else if (a == "--window") window = std::strtoul(val().c_str(), nullptr, 10);
    else if (a == "--reply-timeout") reply_timeout = std::strtod(val().c_str(), nullptr);
    else if (a == "--report") report = val();
    else {
      std::fprintf(stderr, "usage: %s [--workers N] [--port P] [--policy rr|none|reuseport] [--window W] [--reply-timeout MS] [--report FILE]\n", argv[0]);
      return 2;
    }
  }
  ::signal(SIGPIPE, SIG_IGN);
  kata::RealClock clock;
  node::Loop loop(clock);
  cl::Settings settings;
  settings.policy = policy == "none" ? cl::SchedulingPolicy::none
                    : policy == "reuseport" ? cl::SchedulingPolicy::reuseport
                                            : cl::SchedulingPolicy::rr;
  settings.rr_max_in_flight = window;
  settings.rr_reply_timeout_ms = reply_timeout;
  settings.disconnect_grace_ms = kWorkerRequestGraceMs;
  settings.args = {"--port", std::to_string(port)};
  static cl::Cluster* cluster_ptr = nullptr;
  static cl::HttpServer* server_ptr = nullptr;
  return loop.run_main([&] {
    cluster_ptr = new cl::Cluster(loop, settings);
    cl::Cluster& c = *cluster_ptr;
    const std::string who = c.is_worker() ? std::to_string(c.worker().id()) : "0";
    auto handler = cl::HttpServer::sync([who](const kata::http::Request&, kata::http::Response& res) {
      res.headers = {{"X-Worker", who}};
      res.body = "hello world\n";
    });
    if (c.is_worker() || workers == 0) {
      server_ptr = new cl::HttpServer(loop, handler);
      c.listen(*server_ptr, port, "127.0.0.1");
      if (c.is_worker()) return;  // the primary tells us when to go (disconnect)
    } else {
      for (int i = 0; i < workers; ++i) c.fork();
    }
    // The primary (or the single process): stop on SIGTERM / SIGINT.
    if (::pipe2(g_signal_pipe, O_CLOEXEC | O_NONBLOCK) < 0) std::exit(1);
    ::signal(SIGTERM, on_signal);
    ::signal(SIGINT, on_signal);
    auto watcher = loop.watch_fd(g_signal_pipe[0]);
    watcher->start(node::kReadable, [&, watcher, policy, workers, report](int) {
      watcher->close([] { ::close(g_signal_pipe[0]); ::close(g_signal_pipe[1]); });
      auto finish = [&c, policy, workers, report] {
        std::map<int, std::uint64_t> served = c.served();
        if (server_ptr != nullptr) served[0] = server_ptr->requests_served();
        cl::Json j{{"policy", workers == 0 ? std::string("single") : policy}, {"workers", workers}};
        cl::Json s = cl::Json::object();
        for (auto& [id, n] : served) s[std::to_string(id)] = n;
        j["served"] = s;
        const cl::ClusterStats st = c.stats();
        j["dropped"] = st.dropped_connections;
        j["reply_timeouts"] = st.reply_timeouts;
        j["accept_errors"] = st.accept_errors;
        if (report.empty()) {
          std::cout << j.dump() << std::endl;
        } else {
          std::ofstream(report) << j.dump() << "\n";
        }
      };
      if (server_ptr != nullptr && workers == 0) {
        server_ptr->close(finish, kWorkerRequestGraceMs);
      } else {
        c.shutdown(kShutdownGraceMs, finish);
      }
    });
  });
}
