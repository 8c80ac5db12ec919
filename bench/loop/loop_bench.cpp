// The reference loop (kata::node::Loop) on the five workloads of
// bench/loop/run.sh. Prints "<workload> <ops per second>" per line.
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <functional>
#include <string>
#include <utility>

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
  if (g_quiet) return;
  // The floor of this workload: setTimeout reads a fresh clock (Node's
  // getLibuvNow(), here loop.update_time()), so queueing costs N clock reads
  // at least, and the last timer (50 ms) is due 50 ms after it was queued.
  // Nothing can finish before 50 ms + N clock reads (the same for node).
  kata::Clock& clock = real_clock;
  std::int64_t sum = 0;
  const auto c0 = Clock::now();
  for (int i = 0; i < N; ++i) sum += clock.now_ms();
  const double reads = seconds_since(c0);
  if (sum == 42) std::printf("\n");  // keeps the reads
  std::printf("timers_floor %.0f\n", N / (0.050 + reads));
}
}  // namespace

int main(int argc, char** argv) {
  // Measured WARM, like node and libuv (bench_loop_uv does the same): by
  // default glibc hands freed memory back to the kernel at once (heap trim,
  // munmap of large blocks), so the warm-up run would warm nothing and every
  // measured run would pay first-touch page faults for its million callbacks
  // (up to 40 % of next_tick). V8 keeps its heap after node's warm-up run;
  // these two settings make glibc keep ours too.
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  // Each workload twice; the first (untimed: its report goes to a dummy)
  // warms the allocator up, as the libuv and node runs do too.
  // An argument runs only the workloads whose names start with it (profiling).
  // A second argument repeats the measured run (profiling the warm path).
  const std::string only = argc > 1 ? argv[1] : "";
  const int repeat = argc > 2 ? std::max(1, std::atoi(argv[2])) : 1;
  const std::pair<const char*, void (*)()> workloads[] = {
      {"next_tick", next_tick_1m},
      {"promise_then", promise_1m},
      {"immediates_at_once", immediates_at_once_1m},
      {"immediates_chained", immediates_chained_1m},
      {"timers_50_durations", timers_1m}};
  for (const auto& [name, workload] : workloads) {
    if (std::string(name).rfind(only, 0) != 0) continue;
    g_quiet = true;
    workload();
    g_quiet = false;
    for (int i = 0; i < repeat; ++i) workload();
  }
}
