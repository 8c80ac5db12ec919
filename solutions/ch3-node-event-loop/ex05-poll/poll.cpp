// Exercise 5 — the poll phase (libuv's uv__io_poll).
#include <algorithm>

#include "loop.hpp"
#include "poll.hpp"

namespace kata::node {

void Poller::poll(Loop& loop, int timeout) {
  kata::Clock& clock = loop.clock();

  // A simulated operation is a deadline like a timer: don't sleep past it.
  if (auto due = next_simulated()) {
    const std::int64_t wait = std::max<std::int64_t>(0, *due - clock.now_ms());
    if (timeout < 0 || wait < timeout) timeout = int(wait);
  }

  // Nothing to wait for and nothing to wait on: skip the system call, as
  // libuv does when it watches no fd (a big part of a fast iteration).
  const bool os_sources = active_watchers_ > 0 || woken_.load() || timeout != 0;
  if (os_sources) {
    // On a virtual clock time does not pass by itself: real fds are only
    // checked (0), unless nothing virtual can ever wake us (-1: block for real).
    const int os_timeout = clock.is_virtual() ? (timeout < 0 ? -1 : 0) : timeout;
    backend_wait(os_timeout);
    if (clock.is_virtual() && timeout > 0 && ready_.empty()) clock.sleep_ms(timeout);  // "blocked" for timeout ms
  } else {
    ready_.clear();
  }
  loop.update_time();  // uv__io_poll updates the loop time after waiting

  // Real events: the wake-up fd (posted completions, asyncs) and watched fds.
  for (const Ready& r : ready_) {
    if (loop.exiting()) return;
    if (r.fd == wake_fd_) {
      run_posted(loop);
      continue;
    }
    if (std::size_t(r.fd) >= by_fd_.size()) continue;
    IoWatcher* w = by_fd_[std::size_t(r.fd)];
    if (w == nullptr) continue;  // stopped by an earlier callback of this batch
    const int events = r.events & (w->events_ | kDisconnect);
    if (events == 0) continue;
    auto keep = std::static_pointer_cast<IoWatcher>(w->shared_from_this());  // may close itself
    Callback cb = [&] { keep->cb_(events); };
    loop.invoke(cb);
    loop.after_callback();
  }
  // Simulated operations whose completion time has come.
  run_due_simulated(loop);
}

}  // namespace kata::node
