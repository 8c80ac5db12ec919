#include "session.hpp"

#include <any>
#include <cstdio>
#include <exception>
#include <stdexcept>

#include "immediates.hpp"  // status(): loop.immediates().size()
#include "js_error.hpp"
#include "task_queues.hpp"  // status(): loop.task_queues().ticks()
#include "timers.hpp"      // status(): loop.timers().size()

namespace playground {

using kata::node::Loop;

Session::Session(Wire& wire, const Options& options)
    : wire_(wire), options_(options), clock_(options.start_ms) {
  kata::node::LoopOptions lo;
  lo.tick_mode = options.legacy ? kata::node::TickMode::Legacy : kata::node::TickMode::Modern;
  lo.startup_cost_ms = 0;  // the host lets it pass at the end of the main script
  loop_ = std::make_unique<Loop>(clock_, lo);
  clock_.watch_pool([](void* l) { return static_cast<Loop*>(l)->active_requests() > 0; }, loop_.get(),
                    loop_->poller().wake_fd());
}

Session::~Session() {
  prepare_.reset();
  loop_.reset();
}

std::string Session::status() const {
  Loop& l = *loop_;
  return std::to_string(l.now()) + " " + std::to_string(iteration_) + " " + std::to_string(l.timers().size()) + " " +
         std::to_string(l.immediates().size()) + " " + std::to_string(l.task_queues().ticks()) + " " +
         std::to_string(l.task_queues().microtasks()) + " " + std::to_string(clock_.now_us());
}

void Session::run_js(std::uint64_t id, const char* kind, const std::string& args, const std::string& payload) {
  std::string line = "C " + std::to_string(id) + " " + kind + " " + status();
  if (!args.empty()) line += " " + args;
  wire_.send(line, payload);
  for (;;) {
    Message m = wire_.read();
    if (m.tag == 'D') {
      clock_.advance_us(m.num(0));
      return;
    }
    if (m.tag == 'E') {
      clock_.advance_us(m.num(0));
      const std::size_t sp = m.rest.find(' ', m.rest.find(' ') + 1);
      throw JsError(std::uint64_t(m.num(1)), sp == std::string::npos ? std::string("Error") : m.rest.substr(sp + 1));
    }
    if (m.tag == 'H') throw Halt();
    handle(m);
  }
}

void Session::handle(const Message& m) {
  Loop& loop = *loop_;
  switch (m.tag) {
    case 'T': {  // T id delay repeat
      const std::uint64_t id = std::uint64_t(m.num(0));
      const bool repeat = m.num(2) != 0;
      auto cb = [this, id, repeat] {
        if (!repeat) timers_.erase(id);
        run_js(id, "timer");
      };
      timers_[id] = repeat ? loop.set_interval(cb, m.real(1)) : loop.set_timeout(cb, m.real(1));
      break;
    }
    case 'X': {  // X id: clearTimeout / clearInterval
      auto it = timers_.find(std::uint64_t(m.num(0)));
      if (it != timers_.end()) {
        const auto t = it->second;
        timers_.erase(it);
        loop.clear_timeout(t);
      }
      break;
    }
    case 'r': {  // r id 0|1: timer unref / ref
      auto it = timers_.find(std::uint64_t(m.num(0)));
      if (it != timers_.end()) m.num(1) ? loop.ref(it->second) : loop.unref(it->second);
      break;
    }
    case 'I': {  // I id: setImmediate
      const std::uint64_t id = std::uint64_t(m.num(0));
      immediates_[id] = loop.set_immediate([this, id] {
        immediates_.erase(id);
        run_js(id, "immediate");
      });
      break;
    }
    case 'Y': {  // Y id: clearImmediate
      auto it = immediates_.find(std::uint64_t(m.num(0)));
      if (it != immediates_.end()) {
        const auto im = it->second;
        immediates_.erase(it);
        loop.clear_immediate(im);
      }
      break;
    }
    case 'i': {  // i id 0|1: immediate unref / ref
      auto it = immediates_.find(std::uint64_t(m.num(0)));
      if (it != immediates_.end()) m.num(1) ? loop.ref(it->second) : loop.unref(it->second);
      break;
    }
    case 'N': {  // N id: process.nextTick
      const std::uint64_t id = std::uint64_t(m.num(0));
      loop.next_tick([this, id] { run_js(id, "tick"); });
      break;
    }
    case 'M': {  // M id: queueMicrotask / a promise reaction job
      const std::uint64_t id = std::uint64_t(m.num(0));
      loop.queue_microtask([this, id] { run_js(id, "micro"); });
      break;
    }
    case 'F': {  // F id path: fs.readFile
      const std::uint64_t id = std::uint64_t(m.num(0));
      const std::string path = m.rest.substr(m.rest.find(' ') + 1);
      loop.read_file(path, [this, id](int err, std::string data) {
        run_js(id, "fs", std::to_string(err) + " " + std::to_string(data.size()), data);
      });
      break;
    }
    case 'U': {  // U 0|1: the host has (no) 'uncaughtException' listeners
      const bool want = m.num(0) != 0;
      if (want && !has_uncaught_listener_) {
        uncaught_listener_ = loop.process().on("uncaughtException", [this](const kata::events::Args& a) {
          std::exception_ptr e = a.empty() ? nullptr : std::any_cast<std::exception_ptr>(a[0]);
          run_js(0, "uncaught", std::to_string(error_id(e)) + " " + error_text(e));
        });
      } else if (!want && has_uncaught_listener_) {
        loop.process().off("uncaughtException", uncaught_listener_);
      }
      has_uncaught_listener_ = want;
      break;
    }
    case 'Z':  // Z code: process.exitCode = code
      loop.process().exit_code = int(m.num(0));
      break;
    case 'Q':  // Q code: process.exit(code) — "exit" listeners run now
      loop.process().exit(int(m.num(0)));
      wire_.send("K");
      break;
    case 'W': {  // W errid message: an unhandled rejection, raised as an uncaught exception
      const std::size_t sp = m.rest.find(' ');
      loop.report_uncaught(std::make_exception_ptr(
          JsError(std::uint64_t(m.num(0)), sp == std::string::npos ? std::string("Error") : m.rest.substr(sp + 1))));
      wire_.send("K");
      break;
    }
    case 'V':  // V us: Date.now() reads let this much time pass (before a nested call)
      clock_.advance_us(m.num(0));
      break;
    case 'G':  // G ms: the bootstrap time after the main script (startup cost)
      clock_.advance_us(m.num(0) * 1000);
      break;
    default:
      throw std::runtime_error(std::string("playground driver: unknown message '") + m.tag + "'");
  }
}

void Session::run() {
  Loop& loop = *loop_;
  std::string end;
  try {
    if (options_.trace) {
      // Counts iterations; unref'd, so it never keeps the loop alive.
      prepare_ = loop.hook(kata::node::HookKind::Prepare);
      prepare_->start([this] { ++iteration_; });
      prepare_->unref();
    }
    loop.process().on("beforeExit", [this](const kata::events::Args& a) {
      run_js(0, "beforeExit", std::to_string(a.empty() ? 0 : std::any_cast<int>(a[0])));
    });
    loop.process().on("exit", [this, &loop](const kata::events::Args& a) {
      const int code = a.empty() ? 0 : std::any_cast<int>(a[0]);
      std::exception_ptr fatal = loop.process().fatal_error();
      in_exit_ = true;
      run_js(0, "exit", std::to_string(code) + " " + std::to_string(error_id(fatal)) + " " + error_text(fatal));
    });
    const int code = loop.run_main([this] { run_js(0, "main"); });
    std::exception_ptr fatal = loop.process().fatal_error();
    end = "S " + std::to_string(code) + " " + std::to_string(error_id(fatal)) + " " + error_text(fatal);
  } catch (const Halt&) {
    end = "S -1 0 halted";
  } catch (const kata::NotDoneYet& e) {
    end = std::string("A ") + e.what();
  } catch (const std::exception& e) {
    end = std::string("A the loop threw (C++): ") + e.what();
  }
  // The host may still be mid-callback (the loop threw while serving it):
  // tell it, then skip what it sends until it acknowledges.
  wire_.send(end);
  for (;;) {
    Message m = wire_.read();
    if (m.tag == 'a') break;
  }
}

}  // namespace playground
