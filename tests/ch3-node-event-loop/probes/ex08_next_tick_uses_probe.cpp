// Hidden check of ch3.ex08 (kata/probe.hpp): what next_tick_uses.cpp decides.
// Each case is a main script (run_main) of random parts:
//   * async_fake / async_real calls on random data ("foo" or not) among
//     nextTicks, microtasks, timers and immediates: the fake one calls back
//     before the caller's next line, the real one as a nextTick (after the
//     ticks queued before it, before any microtask, timer or immediate);
//   * StreamLibrary (and the naive one) built in the script or in a
//     callback, with listeners added right after the constructor or later
//     (from a nextTick queued after it: too late for the 'start' event);
//   * one compute (with nextTick or with setImmediate) of 1..40 pieces of
//     1 ms, against simulated I/O and timers that log how many pieces were
//     done when they ran. (They all come due in the first half of the
//     computation: when `done` is called after the last piece is not fixed
//     by the README.)
//
//     ./build/learner/ch3_ex08 --kata-probe --seed 7 --cases 3
#include <list>

#include "ch3_probe.hpp"
#include "next_tick_uses.hpp"

namespace {

using namespace ch3probe;

constexpr int kPrograms = 8;
using kata::events::Args;
namespace uses = kata::node::uses;

std::string tf(bool b) { return b ? "true" : "false"; }

struct Script {
  Loop& loop;
  Rng& rng;
  int made = 0;
  // Streams live until the case ends (a JS object kept by its closures).
  std::list<uses::StreamLibrary> streams;
  std::list<uses::NaiveStreamLibrary> naive;

  std::string fresh(const char* kind) { return kind + std::to_string(made++); }

  // A task or macrotask that logs and does nothing more (a marker).
  void marker() {
    const std::string n = fresh("m");
    switch (rng.below(4)) {
      case 0: loop.next_tick([n] { log(at(n + " tick")); }); break;
      case 1: loop.queue_microtask([n] { log(at(n + " microtask")); }); break;
      case 2: loop.set_timeout([n] { log(at(n + " timeout")); }, rng.pick<int>({0, 1, 2})); break;
      default: loop.set_immediate([n] { log(at(n + " immediate")); }); break;
    }
  }

  void async_call() {
    const std::string n = fresh("a");
    const std::string data = rng.pick<std::string>({"foo", "bar", "", "foo ", "Foo"});
    const bool real = rng.chance(55);
    log(n + (real ? " before asyncReal(" : " before asyncFake(") + data + ")");
    auto cb = [n](bool r) { log(at(n + " callback " + tf(r))); };
    if (real) uses::async_real(loop, data, cb);
    else uses::async_fake(loop, data, cb);
    log(n + " after");
  }

  void stream() {
    const std::string n = fresh("s");
    const bool good = rng.chance(70);
    kata::events::EventEmitter* e;
    if (good) e = &streams.emplace_back(loop, "resource " + n);
    else e = &naive.emplace_back(loop, "resource " + n);
    log(n + (good ? " StreamLibrary" : " NaiveStreamLibrary"));
    const int now_listeners = rng.below(3);
    for (int l = 0; l < now_listeners; ++l) e->on("start", [n, l](const Args&) { log(at(n + " start heard by " + std::to_string(l))); });
    if (rng.chance(30)) {  // subscribed one tick later: after the emit's tick
      loop.next_tick([e, n] {
        log(n + " late listener added");
        e->on("start", [n](const Args&) { log(at(n + " start heard by the late listener")); });
      });
    }
  }

  void part(int depth) {
    const int r = rng.below(10);
    if (r < 4) async_call();
    else if (r < 6) stream();
    else if (r < 9) marker();
    else if (depth < 2) {
      // More of the same from a callback.
      const std::string n = fresh("c");
      auto more = [this, n, depth] {
        log(at(n));
        for (int k = rng.between(1, 3); k > 0; --k) part(depth + 1);
      };
      if (rng.chance(50)) loop.set_timeout(more, rng.between(0, 5));
      else loop.simulate_io(rng.between(0, 5), more);
    }
  }
};

void compute(Loop& loop, Rng& rng, int& pieces) {
  const bool with_tick = rng.chance(50);
  const int events = rng.below(4);
  // Events come due in the first half of the computation (see above): with
  // setImmediate, at least 12 pieces then.
  const int steps = rng.between(!with_tick && events > 0 ? 12 : 1, 40);
  const int latest = std::max(0, steps / 2 - 3);
  for (int k = events; k > 0; --k) {
    const std::string n = "e" + std::to_string(k);
    const int due = rng.between(0, latest);
    auto cb = [&loop, &pieces, n, with_tick, leaf = rng.below(3)] {
      log(at(n + " after " + std::to_string(pieces) + " pieces"));
      if (leaf == 1) loop.next_tick([&pieces, n] { log(at(n + " tick after " + std::to_string(pieces) + " pieces")); });
      if (leaf == 2) loop.set_immediate([&pieces, n] { log(at(n + " immediate after " + std::to_string(pieces) + " pieces")); });
    };
    if (rng.chance(60)) loop.simulate_io(due, cb);
    else loop.set_timeout(cb, due);
  }
  log(std::string("compute with ") + (with_tick ? "nextTick" : "setImmediate") + " " + std::to_string(steps));
  auto step = [&pieces](int i) {
    if (i != pieces) log("piece " + std::to_string(i) + " out of order");
    ++pieces;
    kata::busy_wait(1);
  };
  auto done = [&pieces] { log(at("compute done after " + std::to_string(pieces) + " pieces")); };
  if (with_tick) uses::compute_with_next_tick(loop, steps, step, done);
  else uses::compute_with_immediate(loop, steps, step, done);
}

void one_program(Rng& rng) {
  Loop loop(kata::virtual_clock());
  Guard guard(loop);
  Script s{loop, rng, 0, {}, {}};
  int pieces = 0;
  const bool with_compute = rng.chance(40);
  guarded([&] {
    const int code = loop.run_main([&] {
      log("main");
      if (with_compute) compute(loop, rng, pieces);
      else
        for (int k = rng.between(1, 6); k > 0; --k) s.part(0);
      log("main ends");
    });
    log("code " + std::to_string(code) + " @" + std::to_string(clock_now()));
  });
}

void one_case(Rng& rng) { programs(rng, kPrograms, one_program); }

}  // namespace

KATA_PROBE(one_case);
