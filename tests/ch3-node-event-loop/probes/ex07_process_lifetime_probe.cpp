// Hidden check of ch3.ex07 (kata/probe.hpp): what process.cpp decides.
// Random programs run by run_main, with a random process.exitCode and
// random listeners: "beforeExit" (logs its code; may schedule more work —
// the loop runs again —, throw, or call process.exit), "exit" (logs its
// code; what it schedules never runs), "uncaughtException" (none → exit 1
// with "exit"; one that may throw → exit 7 without "exit"). Callbacks of
// every kind (the main script too) throw or call process.exit(code) at
// random; once in a while one throws kata::NotDoneYet (or the
// "uncaughtException" listener does), which must escape run_main unseen by
// the listeners. Each callback logs its name and the
// clock; the case ends with run_main's result and process.exitCode.
//
//     ./build/learner/ch3_ex07 --kata-probe --seed 7 --cases 3
#include "ch3_probe.hpp"

namespace {

using namespace ch3probe;

constexpr int kPrograms = 8;
using kata::events::Args;

int code_of(const Args& a) { return a.empty() ? -1 : std::any_cast<int>(a[0]); }

void one_program(Rng& rng) {
  Loop loop(kata::virtual_clock(), LoopOptions{TickMode::Modern, 4, rng.between(0, 1)});
  Guard guard(loop);
  Weights w;
  w.timeout = 5;
  w.immediate = 4;
  w.tick = 3;
  w.microtask = 3;
  w.promise = 1;
  w.io = 3;
  w.interval = 1;
  w.busy = 1;
  w.throw_ = rng.pick<int>({0, 1, 2, 3});
  w.exit = rng.pick<int>({0, 0, 1});
  Program p(loop, rng, w);
  p.max_made = rng.between(5, 35);
  p.busy_depth = rng.between(2, 3);
  p.max_depth = 3;
  auto& process = loop.process();
  if (rng.chance(50)) process.exit_code = rng.pick<int>({0, 2, 3, 3});

  // "uncaughtException": none, one that logs, or one that may throw.
  const int uncaught = rng.below(3);
  p.task_throw_ok = uncaught == 1;
  if (uncaught > 0) {
    const int throw_percent = uncaught == 2 ? 40 : 0;
    process.on("uncaughtException", [&rng, throw_percent](const Args& a) {
      const std::string name = error_name(a.empty() ? nullptr : std::any_cast<std::exception_ptr>(a[0]));
      log(at("caught " + name));
      if (name == "not done") throw kata::NotDoneYet("probe:not-done", "a listener of an unfinished exercise");
      if (rng.chance(throw_percent)) {
        log("listener throws");
        throw ProbeError("from the listener");
      }
    });
  }
  // "beforeExit": may schedule more work (a few times), throw or exit. One
  // emit is one frame of the program (Program::begin_frame): no throw or
  // exit after a tick was queued, nothing after a throw or an exit.
  const int before_exit_listeners = rng.below(3);
  if (before_exit_listeners > 0) process.on("beforeExit", [&p](const Args&) { p.begin_frame(); });
  for (int l = 0; l < before_exit_listeners; ++l) {
    auto rounds = std::make_shared<int>(rng.between(0, 3));
    process.on("beforeExit", [&, rounds, l](const Args& a) {
      if (p.frame_over) return;
      log(at("beforeExit" + std::to_string(l) + " " + std::to_string(code_of(a))));
      if (*rounds > 0) {
        --*rounds;
        int what = rng.below(10);
        if ((what == 7 || what == 8) && p.frame_tasks) what = 0;
        if (what < 6) {
          p.spawn(1);
          if (p.throw_pending) {  // the program's throw, from the listener itself
            p.throw_pending = false;
            log("beforeExit throws");
            throw ProbeError("from beforeExit");
          }
        } else if (what < 7) {
          process.exit_code = rng.pick<int>({0, 4});
          log("exitCode " + std::to_string(process.exit_code));
        } else if (what < 8) {
          log("beforeExit throws");
          p.frame_over = true;
          throw ProbeError("from beforeExit");
        } else if (what < 9) {
          log("beforeExit exit(5)");
          p.frame_over = true;
          process.exit(5);
        } else {
          p.frame_tasks = true;
          loop.next_tick([] { log(at("tick from beforeExit")); });
        }
      }
    });
  }
  if (rng.chance(80)) {
    process.on("exit", [&loop](const Args& a) {
      log(at("exit " + std::to_string(code_of(a))));
      loop.set_timeout([] { log("timer from exit: never"); }, 0);  // synchronous work only
    });
  }
  // kata::NotDoneYet from a callback, or from the uncaughtException listener.
  const bool not_done = rng.chance(12);
  const bool from_listener = not_done && uncaught > 0 && rng.chance(50);
  try {
    guarded([&] {
      const int code = loop.run_main([&] {
        if (not_done) {
          loop.set_timeout([from_listener] {
            log(at("throws NotDoneYet"));
            if (from_listener) throw ProbeError("not done");  // the listener throws NotDoneYet
            throw kata::NotDoneYet("probe:not-done", "an unfinished exercise");
          }, rng.between(0, 10));
        }
        p.body("main", 0);
      });
      log("run_main -> " + std::to_string(code) + ", exitCode " + std::to_string(process.exit_code) + " @" +
          std::to_string(clock_now()));
    });
  } catch (const kata::NotDoneYet& e) {
    if (e.where() != "probe:not-done") throw;
    log("NotDoneYet escaped run_main");
  }
}

void one_case(Rng& rng) { programs(rng, kPrograms, one_program); }

}  // namespace

KATA_PROBE(one_case);
