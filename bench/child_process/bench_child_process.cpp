// Chapter 4 benchmark: how many children per second, and IPC round trips per
// second, for the reference child_process runtime — printed one figure per
// line ("name value") for run.sh to put beside Node's and raw posix_spawn's.
//
// Each figure is one run of `seconds` (default 2) of strictly sequential
// work: start one child, wait for its 'close' (or the callback), start the
// next. Sequential is what the question asks ("how long does one spawn
// cost"), and what the Node twin (node_bench.js) does the same way.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

#include "exec.hpp"
#include "fork.hpp"
#include "kata/clock.hpp"
#include "node_runtime.hpp"

namespace cp = kata::child_process;
using Clock = std::chrono::steady_clock;

extern char** environ;

namespace {

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Runs `start(done)` back to back on a loop for `budget` seconds; returns per second.
double loop_rate(double budget, const std::function<void(kata::node::Loop&, std::function<void()>)>& start) {
  kata::RealClock clock;
  kata::node::Loop loop(clock);
  long count = 0;
  const auto t0 = Clock::now();
  double elapsed = 0;
  std::function<void()> next = [&] {
    elapsed = seconds_since(t0);
    if (elapsed >= budget) return;
    start(loop, [&] {
      ++count;
      next();
    });
  };
  loop.run_main([&] { next(); });
  return double(count) / seconds_since(t0);
}

double raw_posix_spawn(double budget) {
  char* argv[] = {const_cast<char*>("/bin/true"), nullptr};
  long count = 0;
  const auto t0 = Clock::now();
  while (seconds_since(t0) < budget) {
    pid_t pid;
    if (::posix_spawn(&pid, "/bin/true", nullptr, nullptr, argv, environ) != 0) return -1;
    ::waitpid(pid, nullptr, 0);
    ++count;
  }
  return double(count) / seconds_since(t0);
}

}  // namespace

int main(int argc, char** argv) {
  const double budget = argc > 1 ? std::atof(argv[1]) : 2.0;
  const std::string echo = argc > 2 ? argv[2] : "";
  const bool ipc_only = argc > 3 && std::string(argv[3]) == "ipc-only";  // for profiling

  if (!ipc_only) {
  std::printf("raw_posix_spawn %.0f\n", raw_posix_spawn(budget));
  std::fflush(stdout);

  std::printf("spawn %.0f\n", loop_rate(budget, [](kata::node::Loop& loop, std::function<void()> done) {
                auto child = cp::spawn(loop, "/bin/true");
                child->on("close", [done](const cp::Args&) { done(); });
              }));
  std::fflush(stdout);

  std::printf("exec %.0f\n", loop_rate(budget, [](kata::node::Loop& loop, std::function<void()> done) {
                cp::exec(loop, "true", {}, [done](const cp::ExecError*, const std::string&, const std::string&) { done(); });
              }));
  std::fflush(stdout);
  }

  if (!echo.empty()) {
    // IPC round trips: one small JSON message to a forked echo worker and
    // back, the next sent from the reply's listener.
    kata::RealClock clock;
    kata::node::Loop loop(clock);
    long count = 0;
    Clock::time_point t0;
    double rate = 0;
    loop.run_main([&] {
      auto child = cp::fork(loop, echo);
      cp::ChildProcess* c = child.get();
      child->on("message", [&, c](const cp::Args& a) {
        ++count;
        const double elapsed = seconds_since(t0);
        if (elapsed >= budget) {
          rate = double(count) / elapsed;
          c->disconnect();
          return;
        }
        c->send({{"cmd", "ping"}, {"seq", cp::message_arg(a)["seq"].get<long>() + 1}});
      });
      t0 = Clock::now();
      child->send({{"cmd", "ping"}, {"seq", 0}});
    });
    std::printf("ipc_round_trip %.0f\n", rate);
  }
  return 0;
}
