// Hidden check of ch3.ex01 (kata/probe.hpp): random programs over every
// phase — timers, pending callbacks, idle/prepare/check hooks, simulated I/O,
// immediates, close callbacks, nextTicks and microtasks — driven by a random
// series of run(Default | Once | NoWait) calls, with stop() from callbacks.
// Each callback logs its name and the clock; after each run() the probe logs
// its result, the clock and backend_timeout(); "state" lines (from inside
// callbacks) log alive() and whether poll may block (backend_timeout's sign).
//
//     ./build/learner/ch3_ex01 --kata-probe --seed 7 --cases 3
#include "ch3_probe.hpp"

namespace {

using namespace ch3probe;

constexpr int kPrograms = 5;

const char* mode_name(RunMode m) {
  return m == RunMode::Default ? "Default" : m == RunMode::Once ? "Once" : "NoWait";
}

std::string timeout_class(int t) { return t == 0 ? "0" : t < 0 ? "-1" : ">0"; }

void one_program(Rng& rng) {
  Loop loop(kata::virtual_clock());
  Guard guard(loop, false);
  Weights w;
  w.timeout = 6;
  w.interval = 2;
  w.immediate = 5;
  w.tick = 2;
  w.microtask = 2;
  w.promise = 1;
  w.io = 5;
  w.pending = 7;
  w.hook = 5;
  w.close_hook = 4;
  w.clear_timer = 1;
  w.clear_immediate = 1;
  w.unref_timer = 2;
  w.ref_timer = 1;
  w.unref_immediate = 1;
  w.busy = 3;
  w.throw_ = rng.chance(30) ? 1 : 0;
  w.stop = rng.chance(40) ? 2 : 0;
  w.state = 3;
  Program p(loop, rng, w);
  p.max_made = rng.between(8, 40);
  p.busy_depth = rng.between(2, 3);
  p.on_state = [&loop](const std::string& where) {
    log(where + " alive=" + std::to_string(loop.alive()) + " timeout " + timeout_class(loop.backend_timeout()));
  };
  listen_uncaught(loop);
  p.task_throw_ok = true;

  log("main");
  p.spawn(0);
  p.throw_pending = false;
  if (rng.chance(25)) {  // a handle closed by the script: closing keeps the loop alive
    auto h = loop.hook(rng.pick<HookKind>({HookKind::Idle, HookKind::Prepare, HookKind::Check}));
    h->close([] { log(at("script's handle closed")); });
  }
  if (rng.chance(50)) kata::busy_wait(rng.between(1, 6));  // timers may be due when run() starts
  log("before run: alive=" + std::to_string(loop.alive()) + " timeout=" + std::to_string(loop.backend_timeout()));
  guard.arm();  // from here on backend_timeout() is at most the sentinel's

  const int style = rng.below(3);  // 0: Default only; 1: mixed modes; 2: Once/NoWait steps
  guarded([&] {
    for (int call = 0; call < 40; ++call) {
      RunMode mode = RunMode::Default;
      if (style == 1) mode = rng.pick<RunMode>({RunMode::Default, RunMode::Once, RunMode::NoWait});
      if (style == 2) mode = rng.chance(60) ? RunMode::Once : RunMode::NoWait;
      const bool r = loop.run(mode);
      log(std::string("run(") + mode_name(mode) + ") -> " + std::to_string(r) + " @" +
          std::to_string(clock_now()) + " alive=" + std::to_string(loop.alive()) +
          " timeout=" + std::to_string(loop.backend_timeout()));
      if (!r && !loop.alive()) break;
      if (style == 2 && rng.chance(20)) kata::busy_wait(rng.between(1, 5));  // time between calls
    }
  });
  log("end @" + std::to_string(clock_now()));
}

void one_case(Rng& rng) { programs(rng, kPrograms, one_program); }

}  // namespace

KATA_PROBE(one_case);
