// A primary in a process of its own, for the tests that need what a test
// process cannot give itself: a low fd limit (setrlimit in the forked child,
// before it re-executes this test binary; its workers inherit the limit), and
// SIGTERM sent to the primary from outside, as an operator would.
//
// The child runs run_primary_role() (from the hook below, before main): a
// primary with N workers of a scenario, which reports "<port> <pid>…" on a
// pipe once every worker listens, and on SIGTERM calls
// Cluster::shutdown(grace) — then reports its stats line and exits 0.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cluster.hpp"
#include "kata/testing.hpp"
#include "load_client.hpp"
#include "worker_scenarios.hpp"  // its hook first: a worker never runs the primary's

extern char** environ;

namespace kata_cluster_test {

inline int g_primary_signal_pipe[2] = {-1, -1};

inline int run_primary_role() {
  const int report_fd = std::atoi(std::getenv("KATA_PRIMARY_REPORT_FD"));
  const int workers = std::atoi(std::getenv("KATA_PRIMARY_WORKERS"));
  const double grace_ms = std::atof(std::getenv("KATA_PRIMARY_GRACE_MS"));
  kata::RealClock clock;
  node::Loop loop(clock);
  cl::Settings settings;
  settings.policy = cl::SchedulingPolicy::rr;
  settings.env["KATA_SCENARIO"] = std::getenv("KATA_PRIMARY_SCENARIO");
  settings.rr_reply_timeout_ms = std::atof(std::getenv("KATA_PRIMARY_REPLY_TIMEOUT_MS"));
  settings.disconnect_grace_ms = grace_ms * 0.8;  // a healthy worker leaves before the kill
  auto say = [report_fd](const std::string& line) { (void)!::write(report_fd, line.data(), line.size()); };
  static cl::Cluster* cluster = nullptr;
  return loop.run_main([&] {
    cluster = new cl::Cluster(loop, settings);
    cl::Cluster& c = *cluster;
    auto listening = std::make_shared<int>(0);  // this function returns before the loop runs
    c.on("listening", [&c, listening, workers, say](const kata::events::Args& a) {
      if (++*listening != workers) return;
      std::string line = std::to_string(std::any_cast<cl::net::Address>(a.at(1)).port);
      for (auto& [id, w] : c.workers()) line += " " + std::to_string(w->pid());
      say(line + "\n");
    });
    for (int i = 0; i < workers; ++i) c.fork();
    if (::pipe2(g_primary_signal_pipe, O_CLOEXEC | O_NONBLOCK) < 0) std::_Exit(1);
    ::signal(SIGTERM, [](int) { (void)!::write(g_primary_signal_pipe[1], "T", 1); });
    auto watcher = loop.watch_fd(g_primary_signal_pipe[0]);
    watcher->start(node::kReadable, [&c, watcher, grace_ms, say](int) {
      watcher->close([] {
        ::close(g_primary_signal_pipe[0]);
        ::close(g_primary_signal_pipe[1]);
      });
      c.shutdown(grace_ms, [&c, say] {
        const cl::ClusterStats s = c.stats();
        say("stats " + std::to_string(s.dropped_connections) + " " + std::to_string(s.reply_timeouts) + " " +
            std::to_string(s.accept_errors) + "\n");
      });
    });
  });
}

inline const bool kPrimaryHook = [] {
  if (std::getenv("NODE_UNIQUE_ID") != nullptr || std::getenv("KATA_PRIMARY_SCENARIO") == nullptr) return false;
  int code = 1;
  try {
    code = run_primary_role();
  } catch (const kata::NotDoneYet& todo) {
    std::fprintf(stderr, "\n\u2717 %s (in the primary process)\n", todo.what());
    code = kWorkerNotDoneYet;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "primary: uncaught exception: %s\n", e.what());
  }
  std::fflush(nullptr);
  ::_exit(code);
}();

struct PrimaryOptions {
  std::string scenario = "serve";
  int workers = 2;
  rlim_t max_fds = 0;  // 0: inherit the test's limit
  double reply_timeout_ms = 100;
  double grace_ms = 1000;
};

class PrimaryProcess {
 public:
  explicit PrimaryProcess(const PrimaryOptions& o) {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) < 0) return;
    ::fcntl(p[1], F_SETFD, 0);  // the child's end survives execve
    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
    env_strings.push_back("KATA_PRIMARY_SCENARIO=" + o.scenario);
    env_strings.push_back("KATA_PRIMARY_WORKERS=" + std::to_string(o.workers));
    env_strings.push_back("KATA_PRIMARY_REPORT_FD=" + std::to_string(p[1]));
    env_strings.push_back("KATA_PRIMARY_REPLY_TIMEOUT_MS=" + std::to_string(o.reply_timeout_ms));
    env_strings.push_back("KATA_PRIMARY_GRACE_MS=" + std::to_string(o.grace_ms));
    std::vector<char*> envp;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    char exe[] = "/proc/self/exe";
    char* argv[] = {exe, nullptr};
    const rlimit lim{o.max_fds, o.max_fds};
    pid_ = ::fork();
    if (pid_ == 0) {
      // In the server process only: the test process keeps its own limit.
      if (o.max_fds != 0 && ::setrlimit(RLIMIT_NOFILE, &lim) < 0) ::_exit(126);
      ::execve(exe, argv, envp.data());
      ::_exit(127);
    }
    ::close(p[1]);
    report_fd_ = p[0];
    std::istringstream first(read_line(10000));
    first >> port_;
    for (pid_t w; first >> w;) workers_.push_back(w);
    // A test that overruns its budget dies without running destructors:
    // the primary and its workers must not outlive it.
    kata::testing::at_abort([pids = workers_, primary = pid_] {
      for (pid_t w : pids) ::kill(w, SIGKILL);
      ::kill(primary, SIGKILL);
    });
  }
  ~PrimaryProcess() {
    // Whatever the test saw: nothing may outlive it.
    for (pid_t w : workers_) ::kill(w, SIGKILL);
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (report_fd_ >= 0) ::close(report_fd_);
  }
  PrimaryProcess(const PrimaryProcess&) = delete;
  PrimaryProcess& operator=(const PrimaryProcess&) = delete;

  int port() const { return port_; }
  const std::vector<pid_t>& workers() const { return workers_; }

  // SIGTERM, then wait up to `within_ms` for the primary to exit. Returns
  // its wait status, or -1 if it is still running then.
  int terminate(int within_ms) {
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(within_ms);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        reaped_ = true;
        return status;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return -1;
  }
  // Worker processes that still exist (running or zombie).
  std::vector<pid_t> workers_alive() const {
    std::vector<pid_t> alive;
    for (pid_t w : workers_)
      if (::kill(w, 0) == 0) alive.push_back(w);
    return alive;
  }
  // What the primary reported after shutdown: "stats <dropped> <timeouts> <accept errors>".
  std::string stats_line() { return read_line(100); }

 private:
  std::string read_line(int timeout_ms) {
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
      for (std::size_t nl; (nl = buffer_.find('\n')) != std::string::npos;) {
        line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        return line;
      }
      pollfd pfd{report_fd_, POLLIN, 0};
      if (::poll(&pfd, 1, 20) <= 0) continue;
      char buf[256];
      const ssize_t n = ::read(report_fd_, buf, sizeof buf);
      if (n <= 0) break;
      buffer_.append(buf, static_cast<std::size_t>(n));
    }
    return line;
  }
  pid_t pid_ = -1;
  bool reaped_ = false;
  int report_fd_ = -1;
  int port_ = 0;
  std::vector<pid_t> workers_;
  std::string buffer_;
};


}  // namespace kata_cluster_test
