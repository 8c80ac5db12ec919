// Hidden check of ch3.ex03 (kata/probe.hpp): what task_queues.cpp decides.
// Random programs run as a main script (run_main) in which nextTicks,
// queueMicrotask, promise chains and promises resolved later nest inside one
// another and inside timers, immediates, simulated I/O and pending
// callbacks; some callbacks throw (with or without an "uncaughtException"
// listener: the rest of the queue must still run, or the process exits 1),
// some call process.exit(code) (nothing runs after it). Modern mode mostly,
// Legacy (Node ≤ 10: drained only between phases) in some cases (without
// process.exit and with a listener there). Each
// callback logs its name and the clock; the case ends with the exit code.
//
//     ./build/learner/ch3_ex03 --kata-probe --seed 7 --cases 3
#include "ch3_probe.hpp"

namespace {

using namespace ch3probe;

constexpr int kPrograms = 8;

void one_program(Rng& rng) {
  const bool legacy = rng.chance(25);
  Loop loop(kata::virtual_clock(), LoopOptions{legacy ? TickMode::Legacy : TickMode::Modern, 4, rng.between(0, 2)});
  Guard guard(loop);
  Weights w;
  w.timeout = 3;
  w.immediate = 3;
  w.tick = 8;
  w.microtask = 6;
  w.promise = 5;
  w.pending_promise = 3;
  w.io = 2;
  w.pending = 1;
  w.interval = 1;
  w.busy = 1;
  w.throw_ = rng.chance(60) ? 3 : 0;
  // Legacy drains after a whole batch: what an earlier callback of the
  // batch queued would run after a later one ended the process (see
  // Program::begin_frame), so Legacy cases neither exit nor die.
  w.exit = !legacy && rng.chance(40) ? 2 : 0;
  Program p(loop, rng, w);
  p.max_made = rng.between(10, 60);
  p.busy_depth = rng.between(2, 3);
  p.max_depth = rng.between(3, 7);
  if (legacy || rng.chance(75)) {
    listen_uncaught(loop);
    p.task_throw_ok = true;
  }
  loop.process().on("exit", [](const kata::events::Args& a) {
    log(at("exit " + std::to_string(std::any_cast<int>(a[0]))));
  });
  log(std::string(legacy ? "legacy" : "modern"));
  guarded([&] {
    const int code = loop.run_main([&] {
      p.body("main", 0);
      if (!loop.exiting() && rng.chance(20)) {  // a long recursive nextTick chain against a timer
        auto left = std::make_shared<int>(rng.between(10, 300));
        auto again = std::make_shared<std::function<void()>>();
        *again = [&loop, left, again] {
          if (--*left > 0) loop.next_tick(*again);
          else log(at("chain done"));
        };
        loop.set_timeout([] { log(at("timer after chain")); }, 0);
        loop.next_tick(*again);
      }
    });
    log("code " + std::to_string(code) + " @" + std::to_string(clock_now()));
  });
}

void one_case(Rng& rng) { programs(rng, kPrograms, one_program); }

}  // namespace

KATA_PROBE(one_case);
