// Hidden check of ch3.ex02 (kata/probe.hpp): what timers.cpp decides.
// Two kinds of case:
//   * a random program heavy on timers — delays that need coercion (0, -5,
//     NaN, 2^31, 1.9, 10.5), timers set at different clock times, timers
//     set from timers, intervals (some overrunning their period, cleared
//     from their own callback), clearTimeout from other callbacks (also of
//     fired timers whose slot a new timer reuses), unref/ref, has_ref —
//     among immediates, nextTicks, microtasks and simulated I/O;
//   * a batch: up to 150 timers over a few durations set across several
//     milliseconds, some cleared, some unref'd: they must fire in (due,
//     insertion) order, lists due together in list order.
// Each callback logs its name and the clock.
//
//     ./build/learner/ch3_ex02 --kata-probe --seed 7 --cases 3
#include "ch3_probe.hpp"

namespace {

using namespace ch3probe;

constexpr int kPrograms = 8;

void program_case(Rng& rng) {
  Loop loop(kata::virtual_clock());
  Guard guard(loop);
  Weights w;
  w.timeout = 12;
  w.interval = 4;
  w.immediate = 3;
  w.tick = 1;
  w.microtask = 1;
  w.io = 2;
  w.clear_timer = 5;
  w.unref_timer = 3;
  w.ref_timer = 2;
  w.busy = 5;
  w.throw_ = rng.chance(20) ? 1 : 0;
  w.state = 3;
  Program p(loop, rng, w);
  p.max_made = rng.between(10, 50);
  p.on_state = [&](const std::string& where) {
    if (p.timers.empty()) return;
    const std::size_t i = std::size_t(rng.below(int(p.timers.size())));
    log(where + " has_ref(timer " + std::to_string(i) + ")=" + std::to_string(loop.has_ref(p.timers[i])));
  };
  listen_uncaught(loop);
  p.task_throw_ok = true;
  log("main");
  for (int k = rng.between(1, 3); k > 0; --k) {
    p.spawn(0);
    if (rng.chance(50)) kata::busy_wait(rng.between(1, 7));  // main sets timers at different times
  }
  p.throw_pending = false;
  guarded([&] {
    const bool r = loop.run();
    log("run -> " + std::to_string(r) + " @" + std::to_string(clock_now()));
    // Clearing what fired or was cleared is harmless; a second run has nothing to do.
    for (auto& t : p.timers) loop.clear_timeout(t);
    loop.clear_timeout(Timeout{});
    loop.set_timeout([] { log(at("last")); }, rng.pick<double>({0, 1, 3}));
    loop.run();
    log("end @" + std::to_string(clock_now()));
  });
}

void batch_case(Rng& rng) {
  Loop loop(kata::virtual_clock());
  Guard guard(loop);
  const int n = rng.between(10, 150);
  std::vector<int> durations;
  for (int k = rng.between(1, 6); k > 0; --k) durations.push_back(rng.between(1, 30));
  std::vector<Timeout> ts;
  for (int i = 0; i < n; ++i) {
    const std::string name = "b" + std::to_string(i);
    ts.push_back(loop.set_timeout([name] { log(at(name)); }, rng.pick(durations)));
    if (rng.chance(15)) kata::busy_wait(rng.between(1, 4));
    if (rng.chance(8)) loop.clear_timeout(ts[std::size_t(rng.below(int(ts.size())))]);
    if (rng.chance(5)) loop.unref(ts[std::size_t(rng.below(int(ts.size())))]);
  }
  guarded([&] {
    loop.run();
    log("end @" + std::to_string(clock_now()) + " alive=" + std::to_string(loop.alive()));
  });
}

void one_program(Rng& rng) {
  if (rng.chance(25)) batch_case(rng);
  else program_case(rng);
}

void one_case(Rng& rng) { programs(rng, kPrograms, one_program); }

}  // namespace

KATA_PROBE(one_case);
