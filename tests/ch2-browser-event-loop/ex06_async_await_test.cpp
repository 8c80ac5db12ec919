// Chapter 2, exercise 6 — async/await as C++20 coroutines.
// Async functions are free functions here (a coroutine lambda's captures die
// with the lambda object; parameters are copied into the coroutine frame).
// Every order is what node prints for the twin in js/async_*.js.
#include <stdexcept>
#include <string>

#include "async.hpp"
#include "kata/console.hpp"
#include "kata/testing.hpp"
#include "promise.hpp"
#include "timers.hpp"

using kata::browser::Async;
using kata::browser::Promise;
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

// --- TheClassicAsyncPuzzle
Async<> async2() {
  console::log("async2");
  co_return;
}
Async<> async1() {
  console::log("async1 start");
  co_await async2();
  console::log("async1 end");
}

// --- EachAwaitIsOneTick
Async<> f() {
  console::log("f1");
  co_await Promise<>::resolve();
  console::log("f2");
  co_await Promise<>::resolve();
  console::log("f3");
}

// --- ReturningAPromiseCostsTwoTicks
Async<std::string> g() { co_return Promise<std::string>::resolve("g"); }
Async<std::string> h() { co_return "h"; }

// --- AwaitThrowsOnRejectionAndWaitsForTimers
Async<> fails() {
  co_await Promise<>::resolve();  // await null
  throw std::runtime_error("nope");
}
Async<int> main_fn(Window* w) {
  try {
    co_await fails();
  } catch (const std::exception& e) {
    console::log(std::string("caught ") + e.what());
  }
  const int v = co_await Promise<int>([w](auto resolve, auto) { w->set_timeout([resolve] { resolve(42); }, 10); });
  console::log("value " + std::to_string(v));
  co_return v + 1;
}

// --- AnAsyncFunctionNeverThrowsAtItsCaller
Async<> bad() {
  console::log("bad runs");
  throw std::runtime_error("early");
  co_return;
}
}  // namespace

TEST(AsyncAwait, TheClassicAsyncPuzzle) {
  Window w;
  watch(w);
  w.run([&] {
    console::log("script start");
    w.set_timeout(log("setTimeout"), 0);
    async1();
    Promise<>([](auto resolve, auto) {
      console::log("promise1");
      resolve();
    }).then(log("promise2"));
    console::log("script end");
  });
  const Lines expected{"script start", "async1 start", "async2",   "promise1",
                       "script end",   "async1 end",   "promise2", "setTimeout"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/async_script_start.js", expected);
}

TEST(AsyncAwait, EachAwaitIsOneTick) {
  Window w;
  watch(w);
  w.run([&] {
    f();
    Promise<>::resolve().then(log("b1")).then(log("b2")).then(log("b3"));
  });
  const Lines expected{"f1", "f2", "b1", "f3", "b2", "b3"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/async_each_await_one_tick.js", expected);
}

TEST(AsyncAwait, ReturningAPromiseCostsTwoTicks) {
  Window w;
  watch(w);
  w.run([&] {
    g().then([](const std::string& v) { console::log(v); });
    h().then([](const std::string& v) { console::log(v); });
    Promise<>::resolve().then(log("b1")).then(log("b2")).then(log("b3")).then(log("b4"));
  });
  const Lines expected{"h", "b1", "b2", "g", "b3", "b4"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/async_return_promise.js", expected);
}

TEST(AsyncAwait, AwaitThrowsOnRejectionAndWaitsForTimers) {
  Window w;
  watch(w);
  w.run([&] {
    main_fn(&w).then([](int v) { console::log("main resolved " + std::to_string(v)); });
    console::log("sync end");
  });
  const Lines expected{"sync end", "caught nope", "value 42", "main resolved 43"};
  EXPECT_TRACE(expected);
  EXPECT_EQ(kata::virtual_clock().now_ms(), 10);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/async_try_catch.js", expected);
}

TEST(AsyncAwait, AnAsyncFunctionNeverThrowsAtItsCaller) {
  // The exception becomes a rejection of the returned promise.
  Window w;
  watch(w);
  w.run([&] {
    bad().catch_([](std::exception_ptr e) { console::log("caught " + reason_text(e)); });
    console::log("after the call");
  });
  const Lines expected{"bad runs", "after the call", "caught early"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/async_throw_before_await.js", expected);
}
