// Chapter 4 benchmark: how many children per second, and IPC round trips per
// second, for the reference child_process runtime — printed one figure per
// line ("name value") for run.sh to put beside Node's and raw posix_spawn's.
//
// Each figure is one run of `seconds` (default 2) of strictly sequential
// work: start one child, wait for its 'close' (or the callback), start the
// next. Sequential is what the question asks ("how long does one spawn
// cost"), and what the Node twin (node_bench.js) does the same way.
#include <spawn.h>
#include <sys/socket.h>
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

// Messages in flight for the throughput figure (the Node twin uses the same).
constexpr int kPipelineWindow = 64;

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

// The floor under ipc_round_trip: the same 25-byte line over a socketpair
// between two plain processes (blocking write/read, no JSON, no loop). What
// is left is the kernel: two sends, two reads and two wake-ups per round trip.
double raw_socketpair_round_trip(double budget) {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return -1;
  const pid_t pid = ::fork();
  if (pid < 0) return -1;
  char buf[256];
  if (pid == 0) {
    ::close(sv[0]);
    ssize_t n;
    while ((n = ::read(sv[1], buf, sizeof buf)) > 0)
      if (::write(sv[1], buf, size_t(n)) != n) break;
    ::_exit(0);
  }
  ::close(sv[1]);
  const std::string line = "{\"cmd\":\"ping\",\"seq\":1}\n";
  long count = 0;
  const auto t0 = Clock::now();
  while (seconds_since(t0) < budget) {
    if (::write(sv[0], line.data(), line.size()) != ssize_t(line.size())) break;
    std::size_t got = 0;
    while (got < line.size()) {
      const ssize_t n = ::read(sv[0], buf, sizeof buf);
      if (n <= 0) break;
      got += std::size_t(n);
    }
    ++count;
  }
  const double rate = double(count) / seconds_since(t0);
  ::close(sv[0]);  // EOF: the echo exits
  ::waitpid(pid, nullptr, 0);
  return rate;
}

// IPC round trips: small JSON messages to a forked echo worker (written with
// this runtime) and back; each reply's listener sends the next message.
// window 1: one message in flight, so every round trip pays two wake-ups
// (latency). window > 1: that many in flight, so reads and wake-ups serve
// several messages and the per-message work decides (throughput).
double ipc_rate(double budget, const std::string& echo, int window) {
  kata::RealClock clock;
  kata::node::Loop loop(clock);
  long count = 0;
  Clock::time_point t0;
  double rate = 0;
  loop.run_main([&] {
    auto child = cp::fork(loop, echo);
    cp::ChildProcess* c = child.get();
    child->on("message", [&, c](const cp::Args& a) {
      if (rate > 0) return;  // replies still in flight after the measurement
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
    for (int i = 0; i < window; ++i) child->send({{"cmd", "ping"}, {"seq", 0}});
  });
  return rate;
}

}  // namespace

int main(int argc, char** argv) {
  const double budget = argc > 1 ? std::atof(argv[1]) : 2.0;
  const std::string echo = argc > 2 ? argv[2] : "";
  // argv[3]: "ipc-only" skips spawn and exec (run.sh pins the IPC figures to one CPU).
  const bool ipc_only = argc > 3 && std::string(argv[3]) == "ipc-only";

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
    std::printf("raw_socketpair %.0f\n", raw_socketpair_round_trip(budget));
    std::fflush(stdout);
    std::printf("ipc_round_trip %.0f\n", ipc_rate(budget, echo, 1));
    std::fflush(stdout);
    std::printf("ipc_pipelined %.0f\n", ipc_rate(budget, echo, kPipelineWindow));
  }
  return 0;
}
