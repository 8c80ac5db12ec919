#include "timers.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace kata::browser {

TimerId Window::set_timeout(Task handler, std::int64_t timeout_ms) {
  return initialize_timer(std::move(handler), timeout_ms, false, 0);
}

TimerId Window::set_interval(Task handler, std::int64_t timeout_ms) {
  return initialize_timer(std::move(handler), timeout_ms, true, 0);
}

void Window::clear_timeout(TimerId id) { active_.erase(id); }

TimerId Window::initialize_timer(Task handler, std::int64_t timeout_ms, bool repeat, TimerId id) {
  // Outside a timer task (script, other task, microtask) the level is 0.
  const int nesting = running_nesting_level_;
  std::int64_t timeout = std::max<std::int64_t>(timeout_ms, 0);
  if (nesting > 5 && timeout < 4) timeout = 4;  // the clamp: only deep and short
  if (id == 0) id = next_id_++;
  active_[id] = Timer{clock_.now_ms() + timeout, next_seq_++, timeout_ms, repeat, nesting + 1, false,
                      std::move(handler)};
  return id;
}

void Window::queue_due_timers() {
  std::vector<std::pair<TimerId, const Timer*>> due;
  for (const auto& [id, t] : active_)
    if (!t.queued && t.due_ms <= clock_.now_ms()) due.emplace_back(id, &t);
  // Ids are not the order: an interval keeps its old id when it re-arms.
  std::sort(due.begin(), due.end(), [](const auto& a, const auto& b) {
    return a.second->due_ms != b.second->due_ms ? a.second->due_ms < b.second->due_ms
                                                : a.second->seq < b.second->seq;
  });
  for (const auto& [id, t] : due) {
    active_.at(id).queued = true;
    loop_.queue_task([this, id = id] { run_timer_task(id); });
  }
}

void Window::run_timer_task(TimerId id) {
  auto it = active_.find(id);
  if (it == active_.end()) return;  // cleared after its task was queued
  // Copies: the handler may clear (erase) its own timer.
  const bool repeat = it->second.repeat;
  const std::int64_t timeout_ms = it->second.timeout_ms;
  const int level = it->second.nesting_level;
  Task handler = it->second.handler;
  if (!repeat) active_.erase(it);  // a timeout is done once its task runs

  // While the handler runs, this is "the currently running task", so timers
  // it creates inherit its level. Back to 0 before the microtask checkpoint
  // the loop performs after this task: microtasks are not timer tasks.
  running_nesting_level_ = level;
  struct Reset {
    int& level;
    ~Reset() { level = 0; }
  } reset{running_nesting_level_};
  handler();
  // setInterval: "if repeat is true, perform the timer initialization steps
  // again" — from inside this task, so with this task's nesting level.
  if (repeat && active_.count(id) != 0) initialize_timer(std::move(handler), timeout_ms, true, id);
}

void Window::run(Task script) {
  loop_.queue_task(std::move(script));
  for (;;) {
    queue_due_timers();
    if (loop_.run_one_task()) continue;
    // Nothing to run now: wait for the earliest active timer, if any.
    const Timer* next = nullptr;
    for (const auto& [id, t] : active_)
      if (!t.queued && (next == nullptr || t.due_ms < next->due_ms)) next = &t;
    if (next == nullptr) return;
    clock_.sleep_ms(next->due_ms - clock_.now_ms());
  }
}

}  // namespace kata::browser
