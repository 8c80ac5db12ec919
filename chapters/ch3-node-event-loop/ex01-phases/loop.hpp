// kata::node::Loop — Node's event loop: libuv's uv_run with Node's timers,
// immediates, nextTick and microtasks on top.
//
// One iteration, in libuv's order (src/unix/core.c, uv_run, libuv ≥ 1.45):
//
//     ┌─> timers            setTimeout / setInterval callbacks that are due
//     │   pending           I/O callbacks deferred from the last iteration
//     │   idle, prepare     internal hooks
//     │   poll              wait for I/O (fds, thread pool, simulated I/O)
//     │   check             setImmediate callbacks
//     └── close callbacks   handle.close(cb) callbacks
//
// and after *every* callback: the nextTick queue, then the microtasks
// (TickMode::Legacy: only after the timers / check batches, as Node ≤ 10).
//
// The parts live in their exercises, each a small class with its own header:
//   ex01 run.cpp          run(), alive(), backend_timeout()      (this folder)
//   ex02 timers.hpp       Timers        — setTimeout/setInterval
//   ex03 task_queues.hpp  TaskQueues    — nextTick, microtasks (+ promise.hpp)
//   ex04 immediates.hpp   Immediates    — setImmediate, the check phase
//   ex05 poll.hpp         Poller        — the poll phase, IoWatcher, Async
//        thread_pool.hpp  ThreadPool    — blocking work (readFile)
//   ex06 handle.hpp       Handle        — ref/unref/close, close callbacks
//   ex07 process.hpp      Process       — beforeExit/exit/uncaughtException
// This header only names the parts; loop.cpp builds them.
//
// Threading: a Loop and everything it owns are used from ONE thread (the one
// calling run()). The only thread-safe calls are post(), Async::send() and
// wake(). The loop never creates threads except its thread pool, started on
// the first queue_work()/read_file() and joined by ~Loop().
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "callback_queue.hpp"  // support/: CallbackQueue, a FIFO of callbacks
#include "immediate.hpp"       // ex04: Immediate, what set_immediate returns
#include "kata/clock.hpp"
#include "timeout.hpp"         // ex02: Timeout, what set_timeout returns

namespace kata::node {

using Callback = std::function<void()>;

// The parts (each in its exercise's header; include the ones you use).
class Timers;          // ex02 timers.hpp
class TaskQueues;      // ex03 task_queues.hpp
class Immediates;      // ex04 immediates.hpp
class Poller;          // ex05 poll.hpp
class IoWatcher;       // ex05 poll.hpp
class Async;           // ex05 poll.hpp
class ThreadPool;      // ex05 thread_pool.hpp
class ClosingHandles;  // ex06 handle.hpp
class Process;         // ex07 process.hpp
class Hook;            // ex01 hooks.hpp
enum class HookKind;   // ex01 hooks.hpp

// uv_run_mode: DEFAULT runs until the loop is not alive; ONCE runs one
// iteration, blocking in poll if there is nothing else to do; NOWAIT runs one
// iteration without blocking.
enum class RunMode { Default, Once, NoWait };

// When nextTicks and microtasks run: Modern (Node ≥ 11) after every callback;
// Legacy (Node ≤ 10) only after the whole batch of timers / immediates.
enum class TickMode { Modern, Legacy };

struct LoopOptions {
  TickMode tick_mode = TickMode::Modern;
  // UV_THREADPOOL_SIZE (libuv's default: 4).
  unsigned thread_pool_size = 4;
  // run_main(): clock time Node's bootstrap takes between the end of the main
  // script and the first loop iteration. On a virtual clock this decides the
  // seed's setTimeout(1) vs setImmediate race: 0 → immediate first, ≥ 1 →
  // timeout first.
  std::int64_t startup_cost_ms = 0;
};

class Loop {
 public:
  explicit Loop(kata::Clock& clock, LoopOptions options = {});
  ~Loop();  // drops pending work, joins the thread pool, closes its fds
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  // ---- running the loop — exercise 1 (run.cpp) -------------------------------
  // uv_run: returns whether the loop is still alive (more work remains).
  bool run(RunMode mode = RunMode::Default);
  // uv__loop_alive: active ref'd handles (incl. ref'd timers and immediates),
  // active requests (thread pool, simulated I/O), pending callbacks, or
  // handles being closed.
  bool alive() const;
  // uv__backend_timeout: how long poll may block. 0 if stopped, nothing is
  // alive, pending callbacks, ref'd immediates (Node's idle handle), active
  // idle hooks or closing handles; else ms to the nearest timer (0 if due);
  // -1 (block until I/O) when there is no timer.
  int backend_timeout() const;
  // uv_stop: run() returns after the current iteration.
  void stop() { stop_flag_ = true; }

  // ---- the phases: what run() calls, one line each ---------------------------
  void run_timers();           // timers
  void run_pending();          // pending callbacks
  void run_idle();             // idle
  void run_prepare();          // prepare
  void io_poll(int timeout);   // poll
  void run_check();            // check (setImmediate)
  void run_closing_handles();  // close callbacks

  // ---- time (uv_now / uv_update_time) ----------------------------------------
  std::int64_t now() const { return time_; }  // cached at the points libuv updates it
  void update_time() { time_ = clock_.now_ms(); }
  kata::Clock& clock() const { return clock_; }

  // ---- timers (ex02) ---------------------------------------------------------
  Timeout set_timeout(Callback cb, double delay_ms = 1);
  Timeout set_interval(Callback cb, double delay_ms = 1);
  void clear_timeout(Timeout t);
  void clear_interval(Timeout t) { clear_timeout(t); }
  void ref(Timeout t);
  void unref(Timeout t);
  bool has_ref(Timeout t) const;

  // ---- nextTick, microtasks (ex03) -------------------------------------------
  void next_tick(Callback cb);
  void queue_microtask(Callback cb);

  // ---- setImmediate (ex04) ---------------------------------------------------
  Immediate set_immediate(Callback cb);
  void clear_immediate(Immediate im);
  void ref(Immediate im);
  void unref(Immediate im);

  // ---- I/O (ex05) ------------------------------------------------------------
  // Watch a file descriptor in the poll phase (uv_poll_init + uv_poll_start).
  std::shared_ptr<IoWatcher> watch_fd(int fd);
  // uv_async_init: a handle another thread wakes with send().
  std::shared_ptr<Async> async(Callback cb);
  // Thread-safe: runs fn on the loop thread in the next poll phase. Does NOT
  // keep the loop alive by itself (hold a ref'd Async or an active request).
  void post(Callback fn);
  // Thread-safe: makes a blocked poll return.
  void wake();
  // uv_queue_work: `work` on the thread pool, then after_work(error) on the
  // loop thread in the poll phase. An active request until after_work ran.
  void queue_work(std::function<void()> work, std::function<void(std::exception_ptr)> after_work);
  // fs.readFile: reads the file on the thread pool; cb(errno or 0, contents).
  void read_file(const std::string& path, std::function<void(int err, std::string data)> cb);
  // An I/O operation that completes `duration_ms` from now (clock time): its
  // callback runs in the poll phase. Deterministic on a VirtualClock.
  void simulate_io(std::int64_t duration_ms, Callback cb);

  // uv__io_feed: a callback for the pending phase of the next iteration.
  void queue_pending(Callback cb);

  // Idle / prepare / check hooks (uv_idle_t, uv_prepare_t, uv_check_t).
  std::shared_ptr<Hook> hook(HookKind kind);

  // ---- process lifetime (ex07) -----------------------------------------------
  Process& process() { return process_; }
  // Node's main: runs `script` as the main module (then its nextTicks and
  // microtasks), runs the loop until it is not alive, emits "beforeExit"
  // (and runs again while listeners schedule work), emits "exit"; returns
  // the exit code.
  int run_main(Callback script);

  // ---- for the parts of the loop ---------------------------------------------
  // Runs one macrotask callback: an exception escaping it goes to
  // process().handle_uncaught(); kata::NotDoneYet is rethrown. After
  // process.exit() nothing runs any more.
  // (This and the two below are inline: they run around every callback.)
  void invoke(Callback& cb) {
    if (exiting_) [[unlikely]] return;  // process.exit(): nothing runs any more
    try {
      cb();
    } catch (...) {
      callback_threw();
    }
  }
  // After each macrotask callback: the nextTick + microtask drain (Modern).
  void after_callback() {
    if (tick_mode_ == TickMode::Modern && ticks_waiting()) drain_ticks();
  }
  // After the timers / check batch: the drain (Legacy).
  void after_batch() {
    if (tick_mode_ == TickMode::Legacy && ticks_waiting()) drain_ticks();
  }
  // An exception escaped a callback or a tick/microtask.
  void report_uncaught(std::exception_ptr error);
  // process.exit() was called: the loop stops and runs no callback any more
  // (Node's environment "is stopping"). Process::exit() calls exit_loop().
  bool exiting() const { return exiting_; }
  void exit_loop() { exiting_ = true; stop_flag_ = true; }

  TickMode tick_mode() const { return tick_mode_; }
  void set_tick_mode(TickMode mode) { tick_mode_ = mode; }
  const LoopOptions& options() const { return options_; }

  Timers& timers() { return timers_; }
  TaskQueues& task_queues() { return tasks_; }
  Immediates& immediates() { return immediates_; }
  Poller& poller() { return poller_; }
  ThreadPool& thread_pool() { return pool_; }
  ClosingHandles& closing_handles() { return closing_; }

  // Bookkeeping for alive(): Handle::activate/deactivate/ref/unref keep the
  // count of active ref'd handles; requests are thread-pool jobs + simulated I/O.
  void handle_ref_added() { ++active_handles_; }
  void handle_ref_removed() { --active_handles_; }
  std::size_t active_handles() const { return active_handles_; }
  std::size_t active_requests() const { return active_requests_; }
  bool has_pending() const { return !pending_.empty(); }
  // libuv's idle handles, including the one Node starts while ref'd
  // immediates wait (so poll does not block).
  bool has_active_idle() const;

  // "timers: 2 (ref'd), immediates: 1, ..." — for the test watchdog.
  std::string describe() const;

 private:
  friend class Hook;
  void callback_threw();  // invoke()'s catch: NotDoneYet or report_uncaught
  // TaskQueues::has_work() on the loop's own queues (TaskQueues is only
  // named here); drain_ticks() is tasks_.process_ticks_and_rejections(*this).
  bool ticks_waiting() const { return !ticks_.empty() || !microtasks_.empty(); }
  void drain_ticks();
  void hook_started(Hook& h);
  void hook_stopped(Hook& h);
  void run_hooks(std::vector<std::shared_ptr<Hook>>& hooks);

  kata::Clock& clock_;
  LoopOptions options_;
  TickMode tick_mode_;
  std::int64_t time_ = 0;
  bool stop_flag_ = false;
  bool exiting_ = false;
  std::size_t active_handles_ = 0;
  std::size_t active_requests_ = 0;
  // The nextTick and microtask queues. TaskQueues (ex03) fills and drains
  // them; the loop itself only asks whether they are empty, after every
  // callback (inline: that runs a million times a second), the way Node's
  // C++ reads its tickInfo flag without calling into JavaScript.
  CallbackQueue ticks_, microtasks_;
  CallbackQueue pending_;
  std::vector<std::shared_ptr<Hook>> idle_, prepare_, check_;

  // The parts, built and owned by loop.cpp (struct Parts). This header only
  // names their classes: a file that uses the loop does not include
  // timers.hpp & co, so an edit of timers.hpp recompiles the few files that
  // use Timers, not every file that uses the loop. Include a part's header
  // where you call it (run.cpp includes timers.hpp for timers_.next_expiry()).
  struct Parts;
  std::unique_ptr<Parts> parts_;
  Process& process_;
  TaskQueues& tasks_;
  Timers& timers_;
  Immediates& immediates_;
  ClosingHandles& closing_;
  Poller& poller_;
  ThreadPool& pool_;
};

}  // namespace kata::node
