// Exercise 5 — the poll phase (libuv's uv__io_poll).
#include <algorithm>

#include "kata/todo.hpp"
#include "loop.hpp"
#include "poll.hpp"

namespace kata::node {

void Poller::poll(Loop& loop, int timeout) {
  (void)loop;
  (void)timeout;
  KATA_TODO("poll: shorten the timeout to the next simulated completion, wait (backend_wait; skipped → ready_.clear(); on a virtual clock jump the clock instead), update the loop time, run ready watchers (events & (events_ | kDisconnect), holding the watcher's shared_ptr) / run_posted, then run_due_simulated (hints 1-5)");
}

}  // namespace kata::node
