// Hidden check of ch2.ex02 (kata/probe.hpp): random programs of tasks and
// microtasks on an EventLoop — run(script) or driven by hand with
// run_one_task / perform_microtask_checkpoint — whose callbacks log their
// name and the queue sizes, and sometimes queue tasks and microtasks (also
// through the free queue_microtask), start a chain of microtasks, or ask for
// a checkpoint themselves (nested inside a checkpoint it must do nothing).
// Logged: the order, what run_one_task returns, pending_tasks /
// pending_microtasks between callbacks (rules 1–5).
//
//     ./build/learner/ch2_ex02 --kata-probe --seed 7 --cases 3
#include <string>

#include "event_loop.hpp"
#include "kata/console.hpp"
#include "kata/probe.hpp"

namespace {

using kata::browser::EventLoop;
using kata::probe::Rng;

struct Program {
  EventLoop& loop;
  Rng& rng;
  int made = 0;

  Program(EventLoop& l, Rng& r) : loop(l), rng(r) {}

  std::string sizes() {
    return " [tasks " + std::to_string(loop.pending_tasks()) + ", microtasks " +
           std::to_string(loop.pending_microtasks()) + "]";
  }

  void queue_task(const std::string& by) {
    const std::string name = "T" + std::to_string(made++);
    loop.queue_task([this, name] {
      kata::console::log(name + sizes());
      act(name, false);
    });
    kata::console::log("  " + by + " queues " + name);
  }

  void queue_microtask(const std::string& by) {
    const std::string name = "m" + std::to_string(made++);
    auto fn = [this, name] {
      kata::console::log(name + " [tasks " + std::to_string(loop.pending_tasks()) + "]");
      act(name, true);
    };
    if (rng.chance(30)) kata::browser::queue_microtask(fn);
    else loop.queue_microtask(fn);
    kata::console::log("  " + by + " queues " + name);
  }

  // A microtask that queues the next one, `left` more times.
  void chain(const std::string& name, int step, int left) {
    loop.queue_microtask([this, name, step, left] {
      kata::console::log(name + "." + std::to_string(step) + " [tasks " + std::to_string(loop.pending_tasks()) + "]");
      if (left > 0) chain(name, step + 1, left - 1);
    });
  }

  // Inside a microtask only pending_tasks() is logged: whether the running
  // microtask still counts in pending_microtasks() is not fixed by the README.
  void checkpoint(const std::string& by, bool in_microtask = false) {
    kata::console::log("  " + by + " checkpoint {");
    loop.perform_microtask_checkpoint();
    kata::console::log("  } " + by + " checkpoint" +
                       (in_microtask ? " [tasks " + std::to_string(loop.pending_tasks()) + "]" : sizes()));
  }

  // What a script, task or microtask does besides logging.
  void act(const std::string& by, bool in_microtask) {
    const int n = made > 45 ? 0 : rng.between(0, by == "script" ? 5 : 3);
    for (int i = 0; i < n; ++i) {
      const int what = rng.below(100);
      if (what < 38) queue_task(by);
      else if (what < 78) queue_microtask(by);
      else if (what < 88) {
        const std::string name = "c" + std::to_string(made++);
        const int length = rng.between(1, 12);
        chain(name, 1, length - 1);
        kata::console::log("  " + by + " queues chain " + name + " of " + std::to_string(length));
      } else {
        checkpoint(by, in_microtask);
      }
    }
  }
};

void one_case(Rng& rng) {
  EventLoop loop;
  Program p(loop, rng);
  if (rng.chance(60)) {
    loop.run([&] {
      kata::console::log("script" + p.sizes());
      p.act("script", false);
    });
    kata::console::log("run returned" + p.sizes());
  } else {
    const int steps = rng.between(3, 12);
    for (int s = 0; s < steps; ++s) {
      const int what = rng.below(100);
      if (what < 30) p.queue_task("top");
      else if (what < 55) p.queue_microtask("top");
      else if (what < 85) {
        kata::console::log("run_one_task {");
        const bool ran = loop.run_one_task();
        kata::console::log(std::string("} run_one_task -> ") + (ran ? "true" : "false") + p.sizes());
      } else {
        p.checkpoint("top");
      }
    }
    while (true) {
      kata::console::log("run_one_task {");
      const bool ran = loop.run_one_task();
      kata::console::log(std::string("} run_one_task -> ") + (ran ? "true" : "false") + p.sizes());
      if (!ran) break;
    }
  }
  // Afterwards the flag is down: a microtask queued now runs at the next checkpoint.
  if (rng.chance(50)) {
    p.queue_microtask("top");
    p.checkpoint("top");
  }
}

}  // namespace

KATA_PROBE(one_case);
