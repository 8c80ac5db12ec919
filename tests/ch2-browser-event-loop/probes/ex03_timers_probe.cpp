// Hidden check of ch2.ex03 (kata/probe.hpp): random programs of setTimeout /
// setInterval on a Window — delays that are negative, 0, under 4 ms and
// longer, nested chains deep enough for the 4 ms clamp, intervals that run a
// few times, clearTimeout of pending, queued, running and unknown timers,
// busy handlers, and timers set from microtasks and from plain tasks. Every
// callback logs its name, the virtual time and nesting_level(); microtasks,
// plain tasks and the script also log active_timers(). Rules 1–6.
//
//     ./build/learner/ch2_ex03 --kata-probe --seed 7 --cases 3
#include <memory>
#include <string>
#include <vector>

#include "kata/clock.hpp"
#include "kata/console.hpp"
#include "kata/probe.hpp"
#include "timers.hpp"

namespace {

using kata::browser::TimerId;
using kata::browser::Window;
using kata::probe::Rng;

std::string now() { return "@" + std::to_string(kata::virtual_clock().now_ms()); }

struct Known {
  std::string name;
  TimerId id;
  std::shared_ptr<bool> alive;  // neither run (a timeout) nor cleared: its id is still its own
};

struct Program {
  Window& w;
  Rng& rng;
  int made = 0;
  int calls = 0;                // handler, microtask and task calls so far
  std::vector<Known> timers;    // every timer set so far
  bool ids_ok = true;           // every id > 0 and unlike the id of any live timer

  Program(Window& window, Rng& r) : w(window), rng(r) {}

  std::string level() { return " level " + std::to_string(w.nesting_level()); }
  std::string active() { return " active " + std::to_string(w.active_timers()); }

  std::int64_t random_delay() { return rng.pick<std::int64_t>({-7, -1, 0, 0, 0, 1, 1, 2, 3, 4, 5, 8, 20, 60}); }

  // A timer whose handler acts at random; `deep` more levels of 0..3 ms
  // timeouts follow it when deep > 0 (a chain that reaches the clamp).
  void set_timer(const std::string& by, int deep = 0) {
    const std::string name = "t" + std::to_string(made++);
    const bool interval = deep == 0 && rng.chance(20);
    const std::int64_t delay = deep > 0 ? rng.pick<std::int64_t>({-1, 0, 0, 0, 1, 2, 3}) : random_delay();
    TimerId id = 0;
    auto alive = std::make_shared<bool>(true);
    if (interval) {
      const int runs = rng.between(1, 9);
      auto count = std::make_shared<int>(0);
      auto self = std::make_shared<TimerId>(0);
      id = *self = w.set_interval([this, name, runs, count, self, alive] {
        ++*count;
        kata::console::log(name + " run " + std::to_string(*count) + now() + level());
        ++calls;
        if (*count >= runs) {
          w.clear_interval(*self);
          *alive = false;
          kata::console::log("  " + name + " clears itself");
        } else {
          act(name, 1);
        }
      }, delay);
    } else {
      id = w.set_timeout([this, name, deep, alive] {
        *alive = false;
        kata::console::log(name + now() + level());
        ++calls;
        if (deep > 0) set_timer(name, deep - 1);
        act(name, deep > 0 ? 1 : 3);
      }, delay);
    }
    if (id <= 0) ids_ok = false;
    for (const Known& k : timers)
      if (*k.alive && k.id == id) ids_ok = false;
    timers.push_back({name, id, alive});
    kata::console::log("  " + by + " sets " + (interval ? "interval " : "timeout ") + name + " " +
                       std::to_string(delay) + "ms");
  }

  void clear_some(const std::string& by) {
    std::vector<Known> live;
    for (const Known& k : timers)
      if (*k.alive) live.push_back(k);
    if (live.empty() || rng.chance(15)) {
      const TimerId unknown = rng.pick<TimerId>({0, -1, -42});
      w.clear_timeout(unknown);
      kata::console::log("  " + by + " clears an unknown id");
      return;
    }
    // Only live ids: the HTML spec lets an id be reused once its timer is gone.
    const Known k = live[std::size_t(rng.below(int(live.size())))];
    *k.alive = false;
    if (rng.chance(50)) w.clear_timeout(k.id);
    else w.clear_interval(k.id);
    kata::console::log("  " + by + " clears " + k.name);
  }

  void microtask(const std::string& by) {
    const std::string name = "m" + std::to_string(made++);
    w.queue_microtask([this, name] {
      kata::console::log(name + now() + level() + active());
      ++calls;
      act(name, 2);
    });
    kata::console::log("  " + by + " queues microtask " + name);
  }

  void plain_task(const std::string& by) {
    const std::string name = "T" + std::to_string(made++);
    w.loop().queue_task([this, name] {
      kata::console::log(name + now() + level() + active());
      ++calls;
      act(name, 2);
    });
    kata::console::log("  " + by + " queues task " + name);
  }

  void act(const std::string& by, int max_actions) {
    if (made > 50 || calls > 120) return;
    const int n = rng.between(0, max_actions);
    for (int i = 0; i < n; ++i) {
      const int what = rng.below(100);
      if (what < 40) set_timer(by);
      else if (what < 55) clear_some(by);
      else if (what < 70) microtask(by);
      else if (what < 78) plain_task(by);
      else if (what < 88) {
        const int ms = rng.between(1, 12);
        kata::busy_wait(ms);
        kata::console::log("  " + by + " is busy " + std::to_string(ms) + "ms" + now());
      }
    }
  }
};

void one_case(Rng& rng) {
  Window w;
  Program p(w, rng);
  w.run([&] {
    kata::console::log("script" + now() + p.level());
    if (rng.chance(55)) p.set_timer("script", rng.between(5, 9));
    const int n = rng.between(1, 5);
    for (int i = 0; i < n; ++i) {
      if (rng.chance(75)) p.set_timer("script");
      else p.microtask("script");
    }
    if (rng.chance(30)) p.clear_some("script");
    if (rng.chance(30)) {
      const int ms = rng.between(1, 30);
      kata::busy_wait(ms);
      kata::console::log("  script is busy " + std::to_string(ms) + "ms" + now());
    }
    kata::console::log("script ends" + p.active());
  });
  kata::console::log("run returned" + now() + p.active() + ", ids " +
                     (p.ids_ok ? "positive and distinct" : "NOT positive and distinct"));
}

}  // namespace

KATA_PROBE(one_case);
