// The poll phase: where the loop waits for the outside world.
//
// kata::node::Poller owns an epoll instance (poll(2) elsewhere — see
// poll_backend.cpp) and a wake-up eventfd. Three kinds of sources complete
// in the poll phase, as in libuv:
//   * IoWatcher (uv_poll_t): a real fd became readable / writable;
//   * posted completions (uv_async_t, the thread pool's uv__work_done):
//     another thread calls post(fn), writes the eventfd, and fn runs here;
//   * simulated I/O: an operation that completes at clock time T, so the
//     seed's "readFile takes 2 ms" examples run on the virtual clock.
// poll(timeout) waits at most `timeout` ms (-1 = until something happens).
// On a VirtualClock waiting is jumping the clock; real fds are still polled.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <queue>
#include <vector>

#include "handle.hpp"

namespace kata::node {

class Loop;
using Callback = std::function<void()>;

// Event bits for IoWatcher (UV_READABLE, UV_WRITABLE, UV_DISCONNECT).
enum PollEvent : int { kReadable = 1, kWritable = 2, kDisconnect = 4 };

// uv_poll_t: watches an fd it does not own (closing the watcher does not
// close the fd; close the fd after the watcher is stopped or closed).
// Level-triggered: the callback runs on every iteration while the fd is ready.
class IoWatcher final : public Handle {
 public:
  static std::shared_ptr<IoWatcher> create(Loop& loop, int fd);
  // Dropped while still watching: it stops (the loop must not keep a
  // pointer to it). Close it instead when you want its close callback.
  ~IoWatcher() override;
  // Watches `events` (kReadable | kWritable); cb(ready_events) in poll phase.
  // Calling start again changes the events and the callback.
  void start(int events, std::function<void(int events)> cb);
  void stop();
  int fd() const { return fd_; }
  int events() const { return events_; }

 private:
  friend class Poller;
  IoWatcher(Loop& loop, int fd) : Handle(loop), fd_(fd) {}
  void on_close_stop() override { stop(); }
  int fd_;
  int events_ = 0;
  std::function<void(int)> cb_;
};

// uv_async_t: send() from any thread; cb runs once on the loop thread in the
// poll phase (several sends before it runs coalesce into one call). Active
// and ref'd from creation until closed: unref() it if it must not keep the
// loop alive.
class Async final : public Handle {
 public:
  static std::shared_ptr<Async> create(Loop& loop, Callback cb);
  ~Async() override;  // dropped unclosed: unregistered, like ~IoWatcher
  void send();  // thread-safe

 private:
  friend class Poller;
  Async(Loop& loop, Callback cb) : Handle(loop), cb_(std::move(cb)) {}
  void on_close_stop() override;
  Callback cb_;
  std::atomic<bool> pending_{false};
};

class Poller {
 public:
  explicit Poller(Loop& loop);
  ~Poller();
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  // ---- the poll phase (uv__io_poll) — exercise 5 -------------------------
  // Waits up to timeout_ms (-1: no limit) for: a ready watched fd, a post()
  // or Async::send() (the wake-up fd), a simulated operation coming due.
  // Then runs what completed: watcher callbacks, posted functions / async
  // callbacks, due simulated operations — each through loop.invoke().
  void poll(Loop& loop, int timeout_ms);

  // ---- sources --------------------------------------------------------------
  void watch(IoWatcher& w);    // (re)arms w.fd_ for w.events_
  void unwatch(IoWatcher& w);
  void add_async(Async* a);
  void remove_async(Async* a);
  // Thread-safe: fn runs on the loop thread in the next poll phase.
  void post(Callback fn);
  // Thread-safe: makes a blocked poll() return (uv__async_send).
  void wake();
  // The loop is going away with watchers and asyncs still open: drop their
  // callbacks now (see ~Loop).
  void drop_callbacks();
  // An operation that completes at clock time `due_ms` (poll phase).
  void add_simulated(std::int64_t due_ms, Callback cb);
  std::optional<std::int64_t> next_simulated() const;

  std::size_t simulated_pending() const { return simulated_.size(); }
  std::size_t active_watchers() const { return active_watchers_; }
  int backend_fd() const { return backend_fd_; }
  int wake_fd() const { return wake_fd_; }

 private:
  // ---- the OS part (poll_backend.cpp): epoll on Linux, poll(2) elsewhere --
  struct Ready {
    int fd;
    int events;
  };
  // Waits up to timeout_ms for the watched fds + wake fd; fills ready_.
  void backend_wait(int timeout_ms);
  void backend_add(int fd, int events, bool modify);
  void backend_remove(int fd);

  // Runs what post()/send() brought: async callbacks, posted functions.
  void run_posted(Loop& loop);
  void drain_wake_fd();
  // Runs the simulated operations due at loop.now(), in (due, order) order.
  void run_due_simulated(Loop& loop);

  struct Sim {
    std::int64_t due;
    std::uint64_t seq;
    mutable Callback cb;
    bool operator>(const Sim& o) const { return due != o.due ? due > o.due : seq > o.seq; }
  };

  Loop& loop_;
  int backend_fd_ = -1;
  int wake_fd_ = -1;
  std::vector<Ready> ready_;
  std::vector<IoWatcher*> by_fd_;  // fd -> watcher (one watcher per fd)
  std::size_t active_watchers_ = 0;
  std::vector<Async*> asyncs_;
  std::priority_queue<Sim, std::vector<Sim>, std::greater<Sim>> simulated_;
  std::uint64_t sim_seq_ = 0;
  std::mutex post_mu_;
  std::vector<Callback> posted_;
  std::atomic<bool> woken_{false};  // a post/send is waiting (skips idle syscalls)
};

}  // namespace kata::node
