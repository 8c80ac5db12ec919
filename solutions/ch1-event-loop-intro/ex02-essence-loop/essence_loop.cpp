#include "essence_loop.hpp"

#include <algorithm>
#include <utility>

namespace kata::essence {

void Loop::set_timeout(Task fn, std::int64_t ms) {
  // Due time counts from *now*: a timer set by a timer at t=10 with 5 ms
  // runs at t=15.
  timers_.push_back(Timer{clock_.now_ms() + std::max<std::int64_t>(ms, 0), next_seq_++, std::move(fn)});
}

void Loop::queue_microtask(Task fn) { microtasks_.push_back(std::move(fn)); }

void Loop::drain_microtasks() {
  // A microtask may queue more microtasks: they run in this same drain, so
  // the loop is a `while`, not a for over a snapshot.
  while (!microtasks_.empty()) {
    Task next = std::move(microtasks_.front());
    microtasks_.pop_front();  // before the call: it may push to the queue
    next();
  }
}

void Loop::run(Task script) {
  script();            // 1. the script is the first macrotask, run to the end
  drain_microtasks();  // 2. then every microtask
  while (!timers_.empty()) {  // 3. then timers, one macrotask at a time
    auto next = std::min_element(timers_.begin(), timers_.end(), [](const Timer& a, const Timer& b) {
      return a.due != b.due ? a.due < b.due : a.seq < b.seq;
    });
    if (next->due > clock_.now_ms()) clock_.sleep_ms(next->due - clock_.now_ms());
    Task fn = std::move(next->fn);
    timers_.erase(next);  // before the call: the callback may set new timers
    fn();
    drain_microtasks();  // microtasks after *each* macrotask
  }
}

}  // namespace kata::essence
