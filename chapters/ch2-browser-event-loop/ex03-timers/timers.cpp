#include "timers.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "kata/todo.hpp"

namespace kata::browser {

TimerId Window::set_timeout(Task handler, std::int64_t timeout_ms) {
  return initialize_timer(std::move(handler), timeout_ms, false, 0);
}

TimerId Window::set_interval(Task handler, std::int64_t timeout_ms) {
  return initialize_timer(std::move(handler), timeout_ms, true, 0);
}

void Window::clear_timeout(TimerId id) {
  (void)id;
  KATA_TODO("remove the id from the map of active timers (hint 4)");
}

TimerId Window::initialize_timer(Task handler, std::int64_t timeout_ms, bool repeat, TimerId id) {
  (void)handler, (void)timeout_ms, (void)repeat, (void)id;
  KATA_TODO("nesting = running_nesting_level_; timeout = max(ms, 0), 4 if nesting > 5 and timeout < 4; "
            "a fresh id unless re-arming; store Timer{now + timeout, next_seq_++, timeout_ms, repeat, nesting + 1} "
            "in active_ (hints 1 and 2)");
}

void Window::queue_due_timers() {
  KATA_TODO("collect active, not-queued timers with due_ms <= now; sort by (due_ms, seq); mark each queued and "
            "queue a task that calls run_timer_task(id) (hint 3)");
}

void Window::run_timer_task(TimerId id) {
  (void)id;
  KATA_TODO("gone from active_? return. Copy what you need, erase a timeout, set running_nesting_level_ to its "
            "level, call the handler, set the level back to 0; an interval still active re-arms (hints 4 and 5)");
}

void Window::run(Task script) {
  (void)script;
  KATA_TODO("queue the script; loop: queue_due_timers(); if loop_.run_one_task() continue; else sleep the clock "
            "to the earliest not-queued timer, or return when there is none (hint 6)");
}

}  // namespace kata::browser
