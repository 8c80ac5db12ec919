// The reference loop (kata::node::Loop) on the five workloads of
// bench/loop/run.sh. Prints "<workload> <ops per second>" per line.
#include <chrono>
#include <cstdio>
#include <functional>

#include "node_runtime.hpp"

using namespace kata::node;
using Clock = std::chrono::steady_clock;

namespace {
constexpr int N = 1'000'000;
kata::RealClock real_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

bool g_quiet = false;

void report(const char* name, int ops, double secs, int done) {
  if (done != ops) std::fprintf(stderr, "%s: only %d of %d callbacks ran\n", name, done, ops);
  if (!g_quiet) std::printf("%s %.0f\n", name, ops / secs);
}

void next_tick_1m() {
  Loop loop(real_clock);
  int done = 0;
  const auto t0 = Clock::now();
  loop.run_main([&] {
    for (int i = 0; i < N; ++i) loop.next_tick([&done] { ++done; });
  });
  report("next_tick", N, seconds_since(t0), done);
}

void promise_1m() {
  Loop loop(real_clock);
  int done = 0;
  const auto t0 = Clock::now();
  loop.run_main([&] {
    const Promise p = Promise::resolve(loop);
    for (int i = 0; i < N; ++i) p.then([&done] { ++done; });
  });
  report("promise_then", N, seconds_since(t0), done);
}

void immediates_at_once_1m() {
  Loop loop(real_clock);
  int done = 0;
  const auto t0 = Clock::now();
  loop.run_main([&] {
    for (int i = 0; i < N; ++i) loop.set_immediate([&done] { ++done; });
  });
  report("immediates_at_once", N, seconds_since(t0), done);
}

void immediates_chained_1m() {
  Loop loop(real_clock);
  int done = 0;
  std::function<void()> next = [&] {
    if (++done < N) loop.set_immediate(next);
  };
  const auto t0 = Clock::now();
  loop.run_main([&] { loop.set_immediate(next); });
  report("immediates_chained", N, seconds_since(t0), done);
}

void timers_1m() {
  Loop loop(real_clock);
  int done = 0;
  const auto t0 = Clock::now();
  loop.run_main([&] {
    for (int i = 0; i < N; ++i) loop.set_timeout([&done] { ++done; }, 1 + i % 50);
  });
  report("timers_50_durations", N, seconds_since(t0), done);
}
}  // namespace

int main() {
  // Each workload twice; the first (untimed: its report goes to a dummy)
  // warms the allocator up, as the libuv and node runs do too.
  for (auto* workload : {next_tick_1m, promise_1m, immediates_at_once_1m, immediates_chained_1m, timers_1m}) {
    g_quiet = true;
    workload();
    g_quiet = false;
    workload();
  }
}
