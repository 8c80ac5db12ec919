// kata::essence::Loop — the smallest event loop that explains the seed's
// first snippet (第一章 · 事件循环的本质):
//
//     setTimeout(() => console.log('setTimeout'), 0)
//     Promise.resolve().then(() => console.log('promise'))
//     console.log('main')                  // main, promise, setTimeout
//
// Three queues are enough: the script (runs first, to the end), microtasks
// (drained after the script and after every timer), and timers (macrotasks,
// 宏任务: run one at a time, earliest due first). Time is read from a Clock;
// tests use the virtual clock, so "wait 100 ms" takes no real time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include "kata/clock.hpp"

namespace kata::essence {

using Task = std::function<void()>;

class Loop {
 public:
  explicit Loop(kata::Clock& clock = kata::virtual_clock()) : clock_(clock) {}

  // setTimeout(fn, ms): run `fn` as a macrotask once `ms` have passed
  // (measured from now). Negative delays count as 0. Timers with the same
  // due time run in the order they were set.
  void set_timeout(Task fn, std::int64_t ms = 0);
  // queueMicrotask(fn) / Promise.resolve().then(fn): run `fn` as soon as the
  // current macrotask (the script or a timer) has finished.
  void queue_microtask(Task fn);

  // Runs the script, then drains microtasks, then runs timers (waiting on the
  // clock for each one's due time), draining microtasks after each, until
  // nothing is left.
  void run(Task script);

  std::size_t pending_timers() const { return timers_.size(); }
  std::size_t pending_microtasks() const { return microtasks_.size(); }

 private:
  struct Timer {
    std::int64_t due;    // clock time at which it may run
    std::uint64_t seq;   // creation order: breaks ties between equal due times
    Task fn;
  };
  void drain_microtasks();

  kata::Clock& clock_;
  std::deque<Task> microtasks_;
  std::vector<Timer> timers_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace kata::essence
