// Hidden check of ch3.ex04 (kata/probe.hpp): what immediates.cpp decides.
// Random programs heavy on setImmediate: immediates queued by immediates
// (next iteration, after timers that came due meanwhile), from timers, I/O,
// nextTicks and microtasks; clearImmediate of earlier, later and finished
// ones (also within the batch being run); unref/ref (an unref'd immediate
// alone never runs; a waiting ref'd one keeps poll from blocking); ticks
// and microtasks after each immediate; throws and process.exit inside the
// batch. Run as a main script (run_main), Legacy mode in some cases. Each
// callback logs its name and the clock; the case ends with the exit code.
//
//     ./build/learner/ch3_ex04 --kata-probe --seed 7 --cases 3
#include "ch3_probe.hpp"

namespace {

using namespace ch3probe;

constexpr int kPrograms = 8;

void one_program(Rng& rng) {
  const bool legacy = rng.chance(20);
  Loop loop(kata::virtual_clock(), LoopOptions{legacy ? TickMode::Legacy : TickMode::Modern, 4, rng.between(0, 2)});
  Guard guard(loop);
  Weights w;
  w.immediate = 24;
  w.clear_immediate = 4;
  w.unref_immediate = 3;
  w.ref_immediate = 3;
  w.timeout = 4;
  w.tick = 2;
  w.microtask = 2;
  w.io = 3;
  w.busy = 3;
  w.throw_ = rng.chance(25) ? 1 : 0;
  w.exit = !legacy && rng.chance(15) ? 1 : 0;  // (see the ex03 probe: Legacy cases never exit)
  Program p(loop, rng, w);
  p.max_made = rng.between(10, 60);
  p.busy_depth = rng.between(2, 3);
  p.max_depth = rng.between(3, 6);
  listen_uncaught(loop);
  p.task_throw_ok = true;
  loop.process().on("exit", [](const kata::events::Args& a) {
    log(at("exit " + std::to_string(std::any_cast<int>(a[0]))));
  });
  if (legacy) log("legacy");
  guarded([&] {
    const int code = loop.run_main([&] {
      p.body("main", 0);
      if (loop.exiting()) return;
      if (rng.chance(30)) {  // unref'd, maybe ref'd again: alone it never runs / it runs at once
        const Immediate u = loop.set_immediate([] { log(at("U")); });
        loop.unref(u);
        if (rng.chance(60)) loop.ref(u);
      }
      if (rng.chance(25)) {  // a far ref'd timer: a waiting immediate must not wait for it
        loop.set_timeout([] { log(at("far")); }, rng.between(30, 200));
      }
    });
    log("code " + std::to_string(code) + " @" + std::to_string(clock_now()));
  });
}

void one_case(Rng& rng) { programs(rng, kPrograms, one_program); }

}  // namespace

KATA_PROBE(one_case);
