// kata::browser::Window — setTimeout / setInterval as the HTML spec defines
// them ("timer initialization steps"), on top of exercise 2's EventLoop.
//
// What the spec says, and what the tests check (on the virtual clock):
//  * a negative timeout counts as 0;
//  * timers are kept in a "map of active timers"; clearTimeout removes one,
//    and a timer whose id is gone does nothing when its task runs;
//  * when a timer is due, a *task* is queued on the event loop; timers due
//    together queue in (due time, creation order) — equal delays keep call order;
//  * nesting: a timer created while a timer task runs gets that task's
//    nesting level + 1; when the level is > 5 and the timeout < 4 ms, the
//    timeout becomes 4 ms. A timer created from anything else (the script,
//    another task, a microtask) starts from nesting level 0.
//  * setInterval re-runs the initialization steps from inside its own task,
//    so an interval's nesting level grows too.
// The seed's "browsers: setTimeout(fn, 0) is 4 ms" is only true past 5
// nesting levels.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>

#include "event_loop.hpp"
#include "kata/clock.hpp"

namespace kata::browser {

using TimerId = int;

class Window {
 public:
  explicit Window(kata::Clock& clock = kata::virtual_clock()) : clock_(clock) {}

  TimerId set_timeout(Task handler, std::int64_t timeout_ms = 0);
  TimerId set_interval(Task handler, std::int64_t timeout_ms = 0);
  // Removes the timer from the map of active timers (unknown ids: no-op).
  void clear_timeout(TimerId id);
  void clear_interval(TimerId id) { clear_timeout(id); }

  void queue_microtask(Task microtask) { loop_.queue_microtask(std::move(microtask)); }

  // Runs the script as the first task, then: queue the tasks of the timers
  // that are due; run one task (+ microtask checkpoint); when no task is
  // waiting, sleep the clock until the next timer is due; stop when there
  // is neither a task nor an active timer.
  void run(Task script);

  // The nesting level of the timer task running now (0 outside timer tasks).
  int nesting_level() const { return running_nesting_level_; }
  std::size_t active_timers() const { return active_.size(); }
  EventLoop& loop() { return loop_; }
  kata::Clock& clock() { return clock_; }

 private:
  struct Timer {
    std::int64_t due_ms;       // when its task may be queued
    std::uint64_t seq;         // creation order, breaks ties
    std::int64_t timeout_ms;   // as given (before clamping), for intervals
    bool repeat;               // setInterval
    int nesting_level;         // the task's timer nesting level
    bool queued = false;       // its task is already in the task queue
    Task handler;
  };
  // The spec's "timer initialization steps"; `id` = 0 for a new timer, the
  // interval's own id when it re-arms.
  TimerId initialize_timer(Task handler, std::int64_t timeout_ms, bool repeat, TimerId id);
  // Queues the task of every active, not-yet-queued timer whose time has come.
  void queue_due_timers();
  // The task a due timer queues.
  void run_timer_task(TimerId id);

  kata::Clock& clock_;
  EventLoop loop_;
  std::map<TimerId, Timer> active_;  // the map of active timers
  TimerId next_id_ = 1;
  std::uint64_t next_seq_ = 0;
  int running_nesting_level_ = 0;
};

}  // namespace kata::browser
