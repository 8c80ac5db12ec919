// Exercise 1 — the loop itself: run(), alive(), backend_timeout().
// Read libuv's uv_run (src/unix/core.c): this is the same function.
#include <algorithm>
#include <climits>

#include "handle.hpp"      // closing_ (ClosingHandles)
#include "immediates.hpp"  // immediates_
#include "loop.hpp"
#include "timers.hpp"      // timers_

namespace kata::node {

bool Loop::alive() const {
  // uv__loop_alive: anything that can still produce a callback and is
  // allowed to keep the process running.
  return active_handles_ > 0 || active_requests_ > 0 || timers_.has_refed() || immediates_.has_refed() ||
         !pending_.empty() || !closing_.empty();
}

int Loop::backend_timeout() const {
  // uv__backend_timeout: don't block when there is work to do right now.
  if (stop_flag_ || !alive()) return 0;
  if (!pending_.empty() || has_active_idle() || !closing_.empty()) return 0;
  // Otherwise wait until the nearest timer (uv__next_timeout), or for I/O.
  auto expiry = timers_.next_expiry();
  if (!expiry) return -1;
  const std::int64_t diff = *expiry - time_;
  if (diff <= 0) return 0;
  return int(std::min<std::int64_t>(diff, INT_MAX));
}

bool Loop::run(RunMode mode) {
  bool r = alive();
  if (!r) update_time();

  // libuv ≥ 1.45: in DEFAULT mode the timers run once before the loop; then
  // only at the end of each iteration, after poll.
  if (mode == RunMode::Default && r && !stop_flag_) {
    update_time();
    run_timers();
  }

  while (r && !stop_flag_) {
    const bool can_sleep = pending_.empty() && !has_active_idle();

    run_pending();
    run_idle();
    run_prepare();

    int timeout = 0;
    if ((mode == RunMode::Once && can_sleep) || mode == RunMode::Default) timeout = backend_timeout();
    io_poll(timeout);

    // Callbacks deferred by poll, a few rounds at most (no starvation).
    for (int i = 0; i < 8 && !pending_.empty(); ++i) run_pending();

    run_check();
    run_closing_handles();

    update_time();
    run_timers();

    r = alive();
    if (mode == RunMode::Once || mode == RunMode::NoWait) break;
  }

  if (stop_flag_) stop_flag_ = false;
  return r;
}

}  // namespace kata::node
