// Chapter 2, exercise 4 — Promise: reactions are microtasks.
// Each program runs on the reference browser loop (exercises 1–3, linked
// from solutions/) with your PromiseState; each order is what node prints
// for the twin in js/promise_*.js.
#include <memory>
#include <stdexcept>
#include <string>

#include "kata/console.hpp"
#include "kata/testing.hpp"
#include "promise.hpp"
#include "timers.hpp"

using kata::browser::Promise;
using kata::browser::PromiseState;
using kata::browser::reason_text;
using kata::browser::Window;
using kata::testing::Lines;
namespace console = kata::console;

namespace {
void watch(Window& w) {
  kata::testing::describe_pending([&w] {
    return "window: active timers " + std::to_string(w.active_timers()) + ", tasks " +
           std::to_string(w.loop().pending_tasks()) + ", microtasks " + std::to_string(w.loop().pending_microtasks());
  });
}
auto log(std::string line) {
  return [line] { console::log(line); };
}
}  // namespace

TEST(Promise, ThenHandlersRunAsMicrotasks) {
  Window w;
  watch(w);
  w.run([&] {
    w.set_timeout(log("setTimeout"), 0);
    Promise<>::resolve().then(log("promise"));
    console::log("main");
  });
  const Lines expected{"main", "promise", "setTimeout"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/promise_seed.js", expected);
}

TEST(Promise, ValuesFlowDownTheChain) {
  Window w;
  watch(w);
  w.run([&] {
    Promise<int>::resolve(1)
        .then([](int x) { return x + 1; })
        .then([](int x) { return "value " + std::to_string(x); })
        .then([](const std::string& s) { console::log(s); });
  });
  const Lines expected{"value 2"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/promise_values.js", expected);
}

TEST(Promise, TwoChainsInterleaveOneStepPerTick) {
  // A chain's next handler is queued only when the previous one has run.
  Window w;
  watch(w);
  w.run([&] {
    Promise<>::resolve().then(log("a1")).then(log("a2")).then(log("a3"));
    Promise<>::resolve().then(log("b1")).then(log("b2")).then(log("b3"));
  });
  const Lines expected{"a1", "b1", "a2", "b2", "a3", "b3"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/promise_interleave.js", expected);
}

TEST(Promise, TheExecutorRunsNow) {
  Window w;
  watch(w);
  w.run([&] {
    w.set_timeout(log("1"), 0);
    Promise<>([](auto resolve, auto) {
      console::log("2");
      resolve();
      console::log("3");
    }).then(log("4"));
    console::log("5");
  });
  const Lines expected{"2", "3", "5", "4", "1"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/promise_executor.js", expected);
}

TEST(Promise, TheFirstSettlementWins) {
  Window w;
  watch(w);
  auto report = [](const Promise<std::string>& p) {
    p.then([](const std::string& v) { console::log("fulfilled " + v); },
           [](std::exception_ptr e) { console::log("rejected " + reason_text(e)); });
  };
  w.run([&] {
    report(Promise<std::string>([](auto resolve, auto reject) {
      resolve("first");
      resolve("second");
      reject("too late");
    }));
    report(Promise<std::string>([](auto resolve, auto reject) {
      reject("no");
      resolve("too late");
    }));
  });
  const Lines expected{"fulfilled first", "rejected no"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/promise_first_wins.js", expected);
}

TEST(Promise, ARejectionSkipsThensAndReachesCatch) {
  // Each skipped then() still takes one microtask tick: see where "caught"
  // lands among b1..b4.
  Window w;
  watch(w);
  w.run([&] {
    Promise<std::string>::reject("boom")
        .then([](const std::string&) { console::log("never 1"); return std::string("x"); })
        .then([](const std::string&) { console::log("never 2"); return std::string("y"); })
        .catch_([](std::exception_ptr e) {
          console::log("caught " + reason_text(e));
          return std::string("recovered");
        })
        .then([](const std::string& v) { console::log(v); });
    Promise<>::resolve().then(log("b1")).then(log("b2")).then(log("b3")).then(log("b4"));
  });
  const Lines expected{"b1", "b2", "caught boom", "b3", "recovered", "b4"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/promise_rejection.js", expected);
}

TEST(Promise, AHandlerThatThrowsRejectsTheNextPromise) {
  Window w;
  watch(w);
  w.run([&] {
    Promise<int>::resolve(1)
        .then([](int) -> int { throw std::runtime_error("bad"); })
        .then([](int) { console::log("skipped"); return 0; },
              [](std::exception_ptr e) {
                console::log("caught " + reason_text(e));
                return 7;
              })
        .then([](int v) { console::log("then " + std::to_string(v)); });
  });
  const Lines expected{"caught bad", "then 7"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/promise_throw.js", expected);
}

TEST(Promise, AReturnedPromiseCostsTwoExtraTicks) {
  // Returning a promise from a handler: the derived promise must *follow* it.
  // V8 (and the spec) do that with a job that calls its then() — one tick —
  // whose reaction settles the derived promise — a second tick. So "4" comes
  // after "3", not right after "1".
  Window w;
  watch(w);
  w.run([&] {
    Promise<>::resolve()
        .then([] {
          console::log("0");
          return Promise<std::string>::resolve("4");
        })
        .then([](const std::string& x) { console::log(x); });
    Promise<>::resolve().then(log("1")).then(log("2")).then(log("3")).then(log("5")).then(log("6"));
  });
  const Lines expected{"0", "1", "2", "3", "4", "5", "6"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/promise_returned_promise.js", expected);
}

TEST(Promise, ResolvingWithAPromiseInTheExecutorAlsoCostsTwoTicks) {
  Window w;
  watch(w);
  w.run([&] {
    auto q = Promise<std::string>::resolve("q");
    Promise<std::string>([&q](auto resolve, auto) { resolve(q); }).then([](const std::string& v) {
      console::log("executor followed " + v);
    });
    // Promise.resolve(p) is p itself: nothing to follow, no extra tick.
    console::log(std::string("same ") + (Promise<std::string>::resolve(q) == q ? "true" : "false"));
    Promise<std::string>::resolve(q).then([](const std::string& v) { console::log("Promise.resolve(q) " + v); });
    Promise<>::resolve().then(log("b1")).then(log("b2")).then(log("b3"));
  });
  const Lines expected{"same true", "Promise.resolve(q) q", "b1", "b2", "executor followed q", "b3"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/promise_resolve_with_promise.js", expected);
}

TEST(Promise, FollowingAPendingPromiseWaitsForIt) {
  Window w;
  watch(w);
  w.run([&] {
    Promise<std::string> late([&w](auto resolve, auto) {
      w.set_timeout([resolve] {
        console::log("timer resolves late");
        resolve("late");
      }, 10);
    });
    EXPECT_EQ(late.status(), PromiseState::Status::pending);
    Promise<>::resolve()
        .then([late] { return late; })
        .then([](const std::string& v) {
          console::log("followed " + v + " at " + std::to_string(kata::virtual_clock().now_ms()) + " ms");
        });
    w.set_timeout(log("timer 100"), 100);
    console::log("main");
  });
  EXPECT_TRACE({"main", "timer resolves late", "followed late at 10 ms", "timer 100"});
  // node can't print the virtual time: its twin logs "followed late".
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/promise_pending_follow.js",
                     (Lines{"main", "timer resolves late", "followed late", "timer 100"}));
}

TEST(Promise, ReactionsRunInRegistrationOrder) {
  // On a settled promise then() queues its job at once (so a queueMicrotask
  // in between runs in between); on a pending one, reactions wait and are
  // queued in registration order when it settles.
  Window w;
  watch(w);
  w.run([&] {
    auto p = Promise<std::string>::resolve("v");
    p.then([](const std::string&) { console::log("h1"); });
    w.queue_microtask(log("m"));
    p.then([](const std::string&) { console::log("h2"); });
    auto resolve_later = std::make_shared<std::function<void()>>();
    Promise<> pending([&](auto resolve, auto) { *resolve_later = [resolve] { resolve(); }; });
    pending.then(log("p1"));
    pending.then(log("p2"));
    w.set_timeout([resolve_later] { (*resolve_later)(); }, 0);
  });
  const Lines expected{"h1", "m", "h2", "p1", "p2"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/promise_registration_order.js", expected);
}

// Not an order: the states and values, read directly (JavaScript can't).
TEST(Promise, StatesAndValues) {
  Window w;
  watch(w);
  w.run([&] {
    auto ok = Promise<int>::resolve(42);
    EXPECT_EQ(ok.status(), PromiseState::Status::fulfilled) << "Promise.resolve(value) is fulfilled at once";
    EXPECT_EQ(ok.value(), 42);
    auto bad = Promise<int>::reject("nope");
    EXPECT_EQ(bad.status(), PromiseState::Status::rejected);
    EXPECT_EQ(reason_text(bad.reason()), "nope");
    bad.catch_([](std::exception_ptr) { return 0; });  // handled
    auto derived = ok.then([](int v) { return v * 2; });
    EXPECT_EQ(derived.status(), PromiseState::Status::pending) << "then() never runs its handler right away";
    w.set_timeout([derived] {
      EXPECT_EQ(derived.status(), PromiseState::Status::fulfilled);
      EXPECT_EQ(derived.value(), 84);
      console::log("checked");
    }, 0);
  });
  EXPECT_TRACE({"checked"});
}

TEST(Promise, AnExecutorThatThrowsRejects) {
  Window w;
  watch(w);
  w.run([&] {
    Promise<int>([](auto, auto) { throw std::runtime_error("executor failed"); })
        .catch_([](std::exception_ptr e) {
          console::log("caught " + reason_text(e));
          return 0;
        });
  });
  EXPECT_TRACE({"caught executor failed"});
}
