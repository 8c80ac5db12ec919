// Hidden check of ch1.ex02 (kata/probe.hpp): random programs of timers and
// microtasks, each callback logging its name and the clock, some scheduling
// more. What the reference loop logs for them is what yours must log.
//
//     ./build/learner/ch1_ex02 --kata-probe --seed 7 --cases 3
#include <functional>
#include <string>

#include "essence_loop.hpp"
#include "kata/clock.hpp"
#include "kata/console.hpp"
#include "kata/probe.hpp"

namespace {

using kata::essence::Loop;
using kata::probe::Rng;

struct Program {
  Loop& loop;
  Rng& rng;
  int made = 0;        // callbacks scheduled so far (a program stays small)

  // Schedules 0..3 more callbacks from inside one (depth limits the nesting).
  void spawn(int depth) {
    const int n = depth == 0 ? rng.between(1, 3) : depth > 3 ? 0 : rng.below(4);
    for (int i = 0; i < n && made < 40; ++i) {
      const std::string name = (rng.chance(50) ? "t" : "m") + std::to_string(made++);
      if (name[0] == 't') {
        const int delay = rng.pick<int>({-5, 0, 0, 1, 2, 5, 10, 10, 25, 100});
        loop.set_timeout([this, name, depth] { step(name, depth); }, delay);
      } else {
        loop.queue_microtask([this, name, depth] { step(name, depth); });
      }
    }
  }
  void step(const std::string& name, int depth) {
    kata::console::log(name + "@" + std::to_string(kata::virtual_clock().now_ms()));
    if (rng.chance(20)) kata::busy_wait(rng.between(1, 30));   // a long callback
    spawn(depth + 1);
  }
};

void one_case(Rng& rng) {
  Loop loop;
  Program program{loop, rng};
  loop.run([&] {
    kata::console::log("main");
    program.spawn(0);
    program.spawn(0);
  });
  kata::console::log("end: timers " + std::to_string(loop.pending_timers()) + ", microtasks " +
                     std::to_string(loop.pending_microtasks()));
}

}  // namespace

KATA_PROBE(one_case);
