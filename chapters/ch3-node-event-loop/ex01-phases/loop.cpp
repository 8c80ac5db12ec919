// The loop's plumbing (given, not an exercise): construction, the phases as
// one-line calls into their parts, the Node API forwarding to the parts,
// callback invocation. The loop's heart, run(), is exercise 1 (run.cpp).
#include "loop.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <sstream>

#include "handle.hpp"       // ex06: ClosingHandles
#include "hooks.hpp"        // ex01: Hook
#include "immediates.hpp"   // ex04: Immediates
#include "kata/todo.hpp"
#include "poll.hpp"         // ex05: Poller, IoWatcher, Async
#include "process.hpp"      // ex07: Process
#include "task_queues.hpp"  // ex03: TaskQueues
#include "thread_pool.hpp"  // ex05: ThreadPool
#include "timers.hpp"       // ex02: Timers

namespace kata::node {

// The parts, in the order they are built; destroyed in reverse, so the
// thread pool (last) is joined first.
struct Loop::Parts {
  Parts(Loop& loop, unsigned threads)
      : process(loop),
        tasks(loop.ticks_, loop.microtasks_),
        poller(loop),
        pool(threads, [this](std::function<void()> done) { poller.post(std::move(done)); }) {}
  Process process;
  TaskQueues tasks;
  Timers timers;
  Immediates immediates;
  ClosingHandles closing;
  Poller poller;
  ThreadPool pool;
};

Loop::Loop(kata::Clock& clock, LoopOptions options)
    : clock_(clock),
      options_(options),
      tick_mode_(options.tick_mode),
      time_(clock.now_ms()),
      parts_(std::make_unique<Parts>(*this, options.thread_pool_size)),
      process_(parts_->process),
      tasks_(parts_->tasks),
      timers_(parts_->timers),
      immediates_(parts_->immediates),
      closing_(parts_->closing),
      poller_(parts_->poller),
      pool_(parts_->pool) {}

Loop::~Loop() {
  // After this body, parts_ joins the workers first (the pool is its last
  // part); completions they post are dropped with the poller's queue.
  // Handles still open are forgotten: like uv_loop_close, the loop owns no
  // user fd. But their callbacks go
  // now, while the loop is whole: one that holds the object owning its
  // handle (a channel whose watcher holds the channel) would otherwise keep
  // both alive for ever once nothing else can close them.
  poller_.drop_callbacks();
  for (auto* v : {&idle_, &prepare_, &check_}) v->clear();
  closing_.clear();
}

// ---- the phases ------------------------------------------------------------------
void Loop::run_timers() {
  timers_.run(*this);
  after_batch();
}

void Loop::run_pending() {
  // uv__run_pending: detach the queue; what these callbacks defer waits.
  CallbackQueue batch;
  std::swap(batch, pending_);
  while (!batch.empty()) {
    Callback cb = batch.pop();
    invoke(cb);
    after_callback();
  }
}

void Loop::run_hooks(std::vector<std::shared_ptr<Hook>>& hooks) {
  if (hooks.empty()) return;
  // A copy: a hook may stop itself or start another one from its callback.
  auto batch = hooks;
  for (auto& h : batch) {
    if (!h->is_active()) continue;
    Callback cb = h->cb_;
    invoke(cb);
    after_callback();
  }
}

void Loop::run_idle() { run_hooks(idle_); }
void Loop::run_prepare() { run_hooks(prepare_); }

void Loop::io_poll(int timeout) { poller_.poll(*this, timeout); }

void Loop::run_check() {
  // Node's immediate check handle was started at bootstrap, before any
  // user check hook: immediates first.
  immediates_.run(*this);
  after_batch();
  run_hooks(check_);
}

void Loop::run_closing_handles() { closing_.run(*this); }

void Loop::hook_started(Hook& h) {
  auto& list = h.kind_ == HookKind::Idle ? idle_ : h.kind_ == HookKind::Prepare ? prepare_ : check_;
  list.push_back(std::static_pointer_cast<Hook>(h.shared_from_this()));
}

void Loop::hook_stopped(Hook& h) {
  auto& list = h.kind_ == HookKind::Idle ? idle_ : h.kind_ == HookKind::Prepare ? prepare_ : check_;
  list.erase(std::remove_if(list.begin(), list.end(), [&](const auto& p) { return p.get() == &h; }), list.end());
}

// ---- callbacks -------------------------------------------------------------------
void Loop::drain_ticks() { tasks_.process_ticks_and_rejections(*this); }

bool Loop::has_active_idle() const { return !idle_.empty() || immediates_.has_refed(); }

void Loop::callback_threw() {
  // Called from invoke()'s catch (...): the exception is the one in flight.
  try {
    throw;
  } catch (const kata::NotDoneYet&) {
    throw;  // an unfinished exercise is not the program's exception
  } catch (...) {
    report_uncaught(std::current_exception());
  }
}

void Loop::report_uncaught(std::exception_ptr error) { process_.handle_uncaught(std::move(error)); }

// ---- Node API → parts ---------------------------------------------------------------
Timeout Loop::set_timeout(Callback cb, double delay_ms) { return timers_.start(*this, std::move(cb), delay_ms, false); }
Timeout Loop::set_interval(Callback cb, double delay_ms) { return timers_.start(*this, std::move(cb), delay_ms, true); }
void Loop::clear_timeout(Timeout t) { timers_.stop(t); }
void Loop::ref(Timeout t) { timers_.ref(t); }
void Loop::unref(Timeout t) { timers_.unref(t); }
bool Loop::has_ref(Timeout t) const { return timers_.has_ref(t); }

void Loop::next_tick(Callback cb) { tasks_.next_tick(std::move(cb)); }
void Loop::queue_microtask(Callback cb) { tasks_.queue_microtask(std::move(cb)); }

Immediate Loop::set_immediate(Callback cb) { return immediates_.add(std::move(cb)); }
void Loop::clear_immediate(Immediate im) { immediates_.clear(im); }
void Loop::ref(Immediate im) { immediates_.ref(im); }
void Loop::unref(Immediate im) { immediates_.unref(im); }

void Loop::queue_pending(Callback cb) { pending_.push(std::move(cb)); }

std::shared_ptr<IoWatcher> Loop::watch_fd(int fd) { return IoWatcher::create(*this, fd); }
std::shared_ptr<Async> Loop::async(Callback cb) { return Async::create(*this, std::move(cb)); }
void Loop::post(Callback fn) { poller_.post(std::move(fn)); }
void Loop::wake() { poller_.wake(); }
std::shared_ptr<Hook> Loop::hook(HookKind kind) { return Hook::create(*this, kind); }

void Loop::queue_work(std::function<void()> work, std::function<void(std::exception_ptr)> after_work) {
  ++active_requests_;
  pool_.submit(std::move(work), [this, after = std::move(after_work)](std::exception_ptr error) {
    --active_requests_;  // the poller runs us through invoke()
    if (after) after(error);
  });
}

void Loop::read_file(const std::string& path, std::function<void(int, std::string)> cb) {
  auto result = std::make_shared<std::pair<int, std::string>>(0, std::string());
  queue_work(
      [path, result] {
        // Blocking reads: this is why it runs on the thread pool.
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) { result->first = errno; return; }
        char buf[65536];
        for (;;) {
          const ssize_t n = ::read(fd, buf, sizeof buf);
          if (n > 0) { result->second.append(buf, size_t(n)); continue; }
          if (n < 0 && errno == EINTR) continue;
          if (n < 0) result->first = errno;
          break;
        }
        ::close(fd);
      },
      [result, cb = std::move(cb)](std::exception_ptr error) {
        if (error) std::rethrow_exception(error);
        cb(result->first, std::move(result->second));
      });
}

void Loop::simulate_io(std::int64_t duration_ms, Callback cb) {
  ++active_requests_;
  poller_.add_simulated(clock_.now_ms() + std::max<std::int64_t>(0, duration_ms),
                        [this, cb = std::move(cb)] {
                          --active_requests_;  // the poller runs us through invoke()
                          if (cb) cb();
                        });
}

std::string Loop::describe() const {
  std::ostringstream os;
  os << "loop time " << time_ << " ms; timers: " << timers_.size() << (timers_.has_refed() ? " (ref'd)" : "")
     << ", immediates: " << immediates_.size() << ", nextTicks: " << tasks_.ticks()
     << ", microtasks: " << tasks_.microtasks() << ", pending: " << pending_.size()
     << ", active handles: " << active_handles_ << ", active requests: " << active_requests_
     << " (simulated I/O: " << poller_.simulated_pending() << ", fd watchers: " << poller_.active_watchers()
     << "), closing: " << closing_.size();
  return os.str();
}

}  // namespace kata::node
