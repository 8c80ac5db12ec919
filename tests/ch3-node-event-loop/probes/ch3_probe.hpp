// What chapter 3's probes share (kata/probe.hpp): a Loop on the virtual
// clock, a guard against loops that never end, and a generator of random
// Node programs — timers, intervals, immediates, nextTicks, microtasks,
// promises, simulated I/O, pending callbacks, hooks, closes, throws,
// process.exit — whose callbacks log their name and the clock. Each probe
// turns some kinds up and others off (Weights) to stress its exercise.
//
// Rules kept here (so that every correct loop prints what the reference does):
//   * only the virtual clock is logged, never loop.now()'s caching nor
//     addresses; the thread pool is left to the poll probe;
//   * every hook is unref'd and every ref'd hook has a timer that closes it:
//     on a virtual clock nothing may make poll block for real (-1);
//   * the process ends (process.exit, a fatal throw) only where no tick or
//     microtask is left behind (Program::begin_frame says why);
//   * a loop that goes round too often without ending is stopped by the
//     guard (a prepare hook that throws kata::NotDoneYet, which the loop
//     always lets through), one that would block for ever by its unref'd
//     sentinel timer: "stuck" — never a hang.
#pragma once

#include <cmath>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "kata/clock.hpp"
#include "kata/console.hpp"
#include "kata/probe.hpp"
#include "kata/todo.hpp"
#include "node_runtime.hpp"

namespace ch3probe {

using kata::node::Callback;
using kata::node::Hook;
using kata::node::HookKind;
using kata::node::Immediate;
using kata::node::Loop;
using kata::node::LoopOptions;
using kata::node::Promise;
using kata::node::RunMode;
using kata::node::TickMode;
using kata::node::Timeout;
using kata::probe::Rng;

inline std::int64_t clock_now() { return kata::virtual_clock().now_ms(); }
inline void log(const std::string& line) { kata::console::log(line); }
inline std::string at(const std::string& name) { return name + "@" + std::to_string(clock_now()); }

// The exception a probe's own callbacks throw (its text is the probe's).
struct ProbeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "x3" for a ProbeError("x3"), "other" for anything else (an implementer's text is never logged).
inline std::string error_name(const std::exception_ptr& e) {
  if (!e) return "none";
  try {
    std::rethrow_exception(e);
  } catch (const ProbeError& p) {
    return p.what();
  } catch (...) {
    return "other";
  }
}

// Stops a loop that goes round `limit` times (a wrong loop that never ends),
// and one that would block in poll for ever: an unref'd sentinel timer far
// away (it keeps nothing alive, but poll never waits past it — on the
// virtual clock the loop jumps there instead of blocking for real; it never
// fires in a correct loop).
class Guard {
 public:
  explicit Guard(Loop& loop, bool sentinel = true, int limit = 20000) : loop_(loop), hook_(loop.hook(HookKind::Prepare)) {
    hook_->unref();
    hook_->start([this, limit] {
      if (++turns_ > limit) throw kata::NotDoneYet("probe", "stuck");
    });
    if (sentinel) arm();
  }
  ~Guard() { if (!hook_->is_closing()) hook_->stop(); }
  // (Again after a case has logged backend_timeout() without it.)
  void arm() {
    sentinel_ = loop_.set_timeout([] { log("sentinel"); throw kata::NotDoneYet("probe", "blocked"); }, kSentinelMs);
    loop_.unref(sentinel_);
  }
  void disarm() { loop_.clear_timeout(sentinel_); }
  int turns() const { return turns_; }
  static constexpr double kSentinelMs = 1000000;

 private:
  Loop& loop_;
  std::shared_ptr<Hook> hook_;
  Timeout sentinel_;
  int turns_ = 0;
};

// Runs f; a guard's NotDoneYet becomes the line "stuck". A real KATA_TODO is
// recorded by the harness already (it says "not done yet" after the case).
template <class F>
bool guarded(F&& f) {
  try {
    f();
    return true;
  } catch (const kata::NotDoneYet& e) {
    if (e.where() != "probe") throw;  // a KATA_TODO: "not done yet"
    log("stuck");
    return false;
  }
}

// How often each kind of action is chosen (0 = never).
struct Weights {
  int timeout = 0, interval = 0, immediate = 0, tick = 0, microtask = 0, promise = 0, pending_promise = 0,
      io = 0, pending = 0, hook = 0, close_hook = 0, clear_timer = 0, clear_immediate = 0, unref_timer = 0,
      ref_timer = 0, unref_immediate = 0, ref_immediate = 0, busy = 0, throw_ = 0, exit = 0, stop = 0,
      state = 0;
};

// A random program: every callback logs "<name>@<clock>", may spin the
// clock, and may schedule more (bounded: `max_made` callbacks in all,
// nesting at most `max_depth`).
struct Program {
  Loop& loop;
  Rng& rng;
  Weights w;
  int max_made = 40;
  int max_depth = 4;
  int made = 0;
  std::vector<Timeout> timers;
  std::vector<Immediate> immediates;
  std::vector<Promise> waiting;  // pending promises, resolved by a later action
  struct HookRec {
    std::shared_ptr<Hook> hook;
    std::string name;
  };
  std::vector<HookRec> hooks;
  // Optional: what "state" logs (each probe logs what its exercise decides).
  std::function<void(const std::string&)> on_state;

  Program(Loop& l, Rng& r, Weights weights) : loop(l), rng(r), w(weights) {}

  std::string fresh(const char* kind) { return kind + std::to_string(made++); }

  double pick_delay() {
    switch (rng.below(14)) {
      case 0: return -5;
      case 1: return 0;
      case 2: return 1.9;
      case 3: return std::nan("");
      case 4: return 2147483648.0;
      case 5: case 6: return 1;
      case 7: return 2;
      case 8: return 3;
      case 9: return 5;
      case 10: return 10;
      case 11: return 10.5;
      case 12: return 20;
      default: return double(rng.between(1, 60));
    }
  }

  // One callback's "frame". The process may only end (process.exit, or an
  // exception nobody catches) where no tick or microtask is left behind:
  // in a macrotask callback (not a tick or microtask) that queued none yet,
  // or in a tick or microtask of the main script's drain (run_main starts
  // no loop and drains nothing after it); and a callback that ended it
  // queues nothing more. Elsewhere the reference loop would still run
  // leftovers, one per later after_callback() (it drains after a callback
  // even when the process has ended; Node would run none, and an
  // implementation that checks exiting() before each task runs none
  // either) — no README rule, so the probes never observe it. Throws that a
  // non-throwing "uncaughtException" listener catches (task_throw_ok) are
  // allowed everywhere.
  bool frame_tasks = false;  // this callback queued a tick or microtask
  bool frame_over = false;   // this callback threw or exited
  bool in_task = false;      // this callback is a tick or microtask
  bool main_drain = true;    // no macrotask but the main script has run yet
  bool task_throw_ok = false;
  void begin_frame(bool task = false) {
    frame_tasks = false;
    frame_over = false;
    in_task = task;
    throw_pending = false;
  }
  bool may_end_process() const { return in_task ? main_drain : !frame_tasks; }

  // A callback's body: log, maybe spin, maybe throw, schedule more.
  void step(const std::string& name, int depth) {
    log(at(name));
    spawn(depth + 1);
  }

  // Schedules 1..3 things above depth `busy_depth`, 0..3 deeper, none past max_depth.
  int busy_depth = 2;
  void spawn(int depth) {
    const int n = depth < busy_depth ? rng.between(1, 3) : depth > max_depth ? 0 : rng.below(4);
    for (int i = 0; i < n && made < max_made && !frame_over; ++i) action(depth);
  }

  void action(int depth) {
    const int weights[] = {w.timeout,    w.interval,        w.immediate,     w.tick,        w.microtask,
                           w.promise,    w.pending_promise, w.io,            w.pending,     w.hook,
                           w.close_hook, w.clear_timer,     w.clear_immediate, w.unref_timer, w.ref_timer,
                           w.unref_immediate, w.ref_immediate, w.busy,     w.throw_,      w.exit,
                           w.stop,       w.state};
    int total = 0;
    for (int x : weights) total += x;
    if (total == 0) return;
    int r = rng.below(total), kind = 0;
    while (r >= weights[kind]) r -= weights[kind++];
    switch (kind) {
      case 0: set_timeout(depth); break;
      case 1: set_interval(depth); break;
      case 2: set_immediate(depth); break;
      case 3: { frame_tasks = true; auto n = fresh("N"); loop.next_tick([this, n, depth] { body(n, depth, true); }); break; }
      case 4: { frame_tasks = true; auto n = fresh("M"); loop.queue_microtask([this, n, depth] { body(n, depth, true); }); break; }
      case 5: frame_tasks = true; promise_chain(depth); break;
      case 6: frame_tasks = true; pending_promise(depth); break;
      case 7: { auto n = fresh("O"); loop.simulate_io(rng.pick<int>({0, 1, 2, 2, 5, 9, 15}), [this, n, depth] { body(n, depth); }); break; }
      case 8: { auto n = fresh("D"); loop.queue_pending([this, n, depth] { body(n, depth); }); break; }
      case 9: start_hook(depth); break;
      case 10: close_hook(); break;
      case 11: clear_timer(); break;
      case 12: clear_immediate(); break;
      case 13: if (!timers.empty()) { auto& t = timers[std::size_t(rng.below(int(timers.size())))]; loop.unref(t); } break;
      case 14: if (!timers.empty()) { auto& t = timers[std::size_t(rng.below(int(timers.size())))]; loop.ref(t); } break;
      case 15: if (!immediates.empty()) loop.unref(immediates[std::size_t(rng.below(int(immediates.size())))]); break;
      case 16: if (!immediates.empty()) loop.ref(immediates[std::size_t(rng.below(int(immediates.size())))]); break;
      case 17: kata::busy_wait(rng.between(1, 12)); break;
      case 18: { if (!task_throw_ok && !may_end_process()) break; frame_over = true; ++made; throw_later(); break; }
      case 19: { if (!may_end_process()) break; frame_over = true; ++made; const int code = rng.between(0, 9); log(at("exit(" + std::to_string(code) + ")")); loop.process().exit(code); break; }
      case 20: { ++made; log(at("stop")); loop.stop(); break; }
      case 21: if (on_state) on_state(at("state")); break;
    }
  }

  // The throw happens at the end of the current callback: everything the
  // callback scheduled before stays scheduled.
  bool throw_pending = false;
  void throw_later() { throw_pending = true; }

  void set_timeout(int depth) {
    const std::string n = fresh("T");
    const double d = pick_delay();
    timers.push_back(loop.set_timeout([this, n, depth] { body(n, depth); }, d));
  }

  void set_interval(int depth) {
    const std::string n = fresh("V");
    const double d = rng.pick<double>({1, 2, 3, 5, 7, 10, 0});
    const int reps = rng.between(1, 4);
    auto count = std::make_shared<int>(0);
    auto self = std::make_shared<Timeout>();
    *self = loop.set_interval(
        [this, n, depth, reps, count, self] {
          ++*count;
          if (*count >= reps) loop.clear_interval(*self);
          if (rng.chance(30)) kata::busy_wait(rng.between(1, 15));  // may overrun its period
          body(n + "#" + std::to_string(*count), depth);
        },
        d);
    timers.push_back(*self);
  }

  void set_immediate(int depth) {
    const std::string n = fresh("I");
    immediates.push_back(loop.set_immediate([this, n, depth] { body(n, depth); }));
  }

  void clear_timer() {
    if (timers.empty()) return;
    const std::size_t i = std::size_t(rng.below(int(timers.size())));
    log("clear timer " + std::to_string(i));
    loop.clear_timeout(timers[i]);
  }

  void clear_immediate() {
    if (immediates.empty()) return;
    const std::size_t i = std::size_t(rng.below(int(immediates.size())));
    log("clear immediate " + std::to_string(i));
    loop.clear_immediate(immediates[i]);
  }

  void promise_chain(int depth) {
    const std::string n = fresh("P");
    Promise p = Promise::resolve(loop).then([this, n, depth] { body(n, depth, true); });
    const int more = rng.below(3);
    for (int k = 1; k <= more; ++k) p = p.then([this, n, k, depth] { body(n + "." + std::to_string(k), depth, true); });
  }

  void pending_promise(int depth) {
    if (!waiting.empty() && rng.chance(50)) {
      const std::size_t i = std::size_t(rng.below(int(waiting.size())));
      log("resolve " + std::to_string(i));
      waiting[i].resolve();
      return;
    }
    const std::string n = fresh("Q");
    Promise p = Promise::pending(loop);
    p.then([this, n, depth] { body(n, depth, true); });
    waiting.push_back(p);
  }

  // An unref'd hook (idle / prepare / check) that logs its first runs, then stops or closes.
  void start_hook(int depth) {
    const std::string n = fresh("H");
    const HookKind kind = rng.pick<HookKind>({HookKind::Idle, HookKind::Prepare, HookKind::Check});
    const char* kname = kind == HookKind::Idle ? "idle" : kind == HookKind::Prepare ? "prepare" : "check";
    auto h = loop.hook(kind);
    h->unref();
    const int runs = rng.between(1, 3);
    const bool close_at_end = rng.chance(50);
    auto count = std::make_shared<int>(0);
    std::weak_ptr<Hook> weak = h;
    h->start([this, n, kname, runs, close_at_end, count, weak, depth] {
      auto self = weak.lock();
      ++*count;
      if (*count >= runs && self) {
        if (close_at_end && !self->is_closing()) self->close([this, n] { closed(n); });
        else self->stop();
      }
      body(n + " " + kname + "#" + std::to_string(*count), depth);
    });
    hooks.push_back({h, n});
  }

  void close_hook() {
    if (hooks.empty()) return;
    auto& rec = hooks[std::size_t(rng.below(int(hooks.size())))];
    if (rec.hook->is_closing()) return;
    const std::string n = rec.name;
    log("close " + n);
    rec.hook->close([this, n] { closed(n); });
  }

  // A close callback: logs, and (close_spawns) may schedule more — close
  // other handles, queue immediates, ticks...
  bool close_spawns = false;
  void closed(const std::string& n) {
    if (close_spawns) body(n + " closed", 2);
    else log(at(n + " closed"));
  }

  // step() plus the throw an action may have asked for.
  void body(const std::string& name, int depth, bool task = false) {
    if (!task && name != "main") main_drain = false;
    begin_frame(task);
    step(name, depth);
    if (throw_pending) {
      throw_pending = false;
      log("throw " + name);
      throw ProbeError("x" + name);
    }
  }
};

// Listeners that log what process emits.
inline void listen_uncaught(Loop& loop) {
  loop.process().on("uncaughtException", [](const kata::events::Args& a) {
    log(at("caught " + error_name(a.empty() ? nullptr : std::any_cast<std::exception_ptr>(a[0]))));
  });
}

// A case is a few programs (the grader runs few cases: each one checks
// more), each logged as "program K" on a clock back at 0.
inline void programs(Rng& rng, int count, void (*one_program)(Rng&)) {
  for (int k = 0; k < count; ++k) {
    kata::virtual_clock().set(0);
    kata::console::log("program " + std::to_string(k));
    one_program(rng);
  }
}

}  // namespace ch3probe
