// kata::node::Handle — libuv's uv_handle_t: a long-lived object the loop
// watches (an fd watcher, an async, an idle/prepare/check hook).
//
// Three bits decide what the loop does with it:
//   active   — it is started (watching, waiting): it may produce callbacks;
//   ref'd    — an active ref'd handle keeps the loop alive (unref() = "don't
//              wait for me", like Node's timer.unref() / server.unref());
//   closing  — close(cb) was called: it stops at once, and `cb` runs in the
//              close-callbacks phase, the last phase of the iteration.
// Handles are shared_ptr-owned: the loop holds one reference while the handle
// is closing, so a handle whose owner dropped it still gets its close callback.
#pragma once

#include <functional>
#include <memory>
#include <vector>

namespace kata::node {

class Loop;
using Callback = std::function<void()>;

class Handle : public std::enable_shared_from_this<Handle> {
 public:
  virtual ~Handle() = default;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  // uv_ref / uv_unref / uv_has_ref: only active ref'd handles keep the loop alive.
  void ref();
  void unref();
  bool has_ref() const { return refed_; }
  bool is_active() const { return active_; }
  // uv_is_closing: true from close() on (also after the close callback ran).
  bool is_closing() const { return closing_ || closed_; }

  // uv_close: stops the handle now; `on_close` runs in the close-callbacks
  // phase of this iteration. Closing twice is a programming error (throws).
  void close(Callback on_close = {});

  Loop& loop() const { return loop_; }

 protected:
  explicit Handle(Loop& loop) : loop_(loop) {}
  // For subclasses: start/stop keep the loop's count of active ref'd handles.
  void activate();
  void deactivate();
  // Subclasses stop watching here (called by close(), before it is queued).
  virtual void on_close_stop() {}

 private:
  friend class ClosingHandles;
  Loop& loop_;
  bool active_ = false;
  bool refed_ = true;
  bool closing_ = false;
  bool closed_ = false;
  Callback close_cb_;
};

// The close-callbacks phase's queue (uv__run_closing_handles).
class ClosingHandles {
 public:
  // Queues a handle whose close() was called.
  void push(std::shared_ptr<Handle> h);
  // The close phase: each closing handle gets its callback, in close() order.
  // Handles closed by these callbacks wait for the next iteration.
  void run(Loop& loop);
  bool empty() const { return queue_.empty(); }
  std::size_t size() const { return queue_.size(); }
  void clear() { queue_.clear(); }

 private:
  std::vector<std::shared_ptr<Handle>> queue_;
};

}  // namespace kata::node
