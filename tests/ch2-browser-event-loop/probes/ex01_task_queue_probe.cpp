// Hidden check of ch2.ex01 (kata/probe.hpp): random scripts of enqueue /
// run_oldest / run_all / size on a TaskQueue, whose tasks log their name and
// size(), and sometimes queue more tasks or throw. Logged: which task runs
// when, what run_oldest and run_all return, size() inside and between tasks,
// and that a task that threw is gone while the others still wait (rules 1–4).
//
//     ./build/learner/ch2_ex01 --kata-probe --seed 7 --cases 3
#include <stdexcept>
#include <string>

#include "kata/console.hpp"
#include "kata/probe.hpp"
#include "task_queue.hpp"

namespace {

using kata::browser::TaskQueue;
using kata::probe::Rng;

struct ProbeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Program {
  TaskQueue queue;
  Rng& rng;
  int made = 0;

  explicit Program(Rng& r) : rng(r) {}

  void enqueue(const std::string& by) {
    const std::string name = "T" + std::to_string(made++);
    // Decided now, so a task does the same whenever it runs.
    const int children = made > 40 ? 0 : rng.pick<int>({0, 0, 0, 1, 1, 2});
    const bool throws = rng.chance(12);
    queue.enqueue([this, name, children, throws] {
      kata::console::log("  " + name + " runs, size " + std::to_string(queue.size()));
      for (int i = 0; i < children; ++i) enqueue(name);
      if (throws) {
        kata::console::log("  " + name + " throws");
        throw ProbeError(name);
      }
    });
    kata::console::log((by.empty() ? "" : "  ") + std::string("enqueue ") + name + (by.empty() ? "" : " by " + by) +
                       ", size " + std::to_string(queue.size()));
  }
};

void one_case(Rng& rng) {
  Program p(rng);
  const int steps = rng.between(3, 16);
  for (int s = 0; s < steps; ++s) {
    const int what = rng.below(100);
    try {
      if (what < 45) {
        p.enqueue("");
      } else if (what < 85) {
        kata::console::log("run_oldest {");
        const bool ran = p.queue.run_oldest();
        kata::console::log(std::string("} run_oldest -> ") + (ran ? "true" : "false"));
      } else {
        kata::console::log("run_all {");
        const std::size_t ran = p.queue.run_all();
        kata::console::log("} run_all -> " + std::to_string(ran));
      }
    } catch (const ProbeError& e) {
      kata::console::log(std::string("} threw ") + e.what());
    }
    kata::console::log("size " + std::to_string(p.queue.size()) + (p.queue.empty() ? " (empty)" : ""));
  }
  // Whatever is left, one at a time.
  for (int guard = 0; guard < 200; ++guard) {
    try {
      kata::console::log("run_oldest {");
      const bool ran = p.queue.run_oldest();
      kata::console::log(std::string("} run_oldest -> ") + (ran ? "true" : "false"));
      if (!ran) break;
    } catch (const ProbeError& e) {
      kata::console::log(std::string("} threw ") + e.what());
    }
  }
  kata::console::log("size " + std::to_string(p.queue.size()));
}

}  // namespace

KATA_PROBE(one_case);
