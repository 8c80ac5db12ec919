// Chapter 1, exercise 2 — the essence of an event loop (事件循环的本质).
//
// Each test runs a little program on your kata::essence::Loop and compares
// what it logged with the order real Node prints for the same JavaScript
// (tests/ch1-event-loop-intro/js/essence_*.js, run by EXPECT_NODE_PRINTS).
// Time is the virtual clock: "100 ms" passes instantly.
#include "essence_loop.hpp"

#include <string>

#include "kata/clock.hpp"
#include "kata/console.hpp"
#include "kata/testing.hpp"

using kata::essence::Loop;
using kata::testing::Lines;
namespace console = kata::console;

namespace {
// If a test hangs, the watchdog says what the loop still had.
void watch(const Loop& loop) {
  kata::testing::describe_pending([&loop] {
    return "essence loop: timers " + std::to_string(loop.pending_timers()) + ", microtasks " +
           std::to_string(loop.pending_microtasks());
  });
}
std::string at(const std::string& what) { return what + "@" + std::to_string(kata::virtual_clock().now_ms()); }
}  // namespace

TEST(EssenceLoop, SeedSnippet) {
  // setTimeout(..., 0); Promise.resolve().then(...); console.log('main')
  Loop loop;
  watch(loop);
  loop.run([&] {
    loop.set_timeout([] { console::log("setTimeout"); }, 0);
    loop.queue_microtask([] { console::log("promise"); });
    console::log("main");
  });
  const Lines expected{"main", "promise", "setTimeout"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch1-event-loop-intro/js/essence_seed.js", expected);
}

TEST(EssenceLoop, ScriptRunsToTheEndBeforeAnyTimer) {
  Loop loop;
  watch(loop);
  loop.run([&] {
    loop.set_timeout([] { console::log("setTimeout"); }, 0);
    console::log("main1");
    console::log("main2");
  });
  const Lines expected{"main1", "main2", "setTimeout"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch1-event-loop-intro/js/essence_main1_main2.js", expected);
}

TEST(EssenceLoop, MicrotaskQueuedByAMicrotaskRunsBeforeTimers) {
  // The drain goes on until the microtask queue is *empty*, not just through
  // the ones that were there when it started.
  Loop loop;
  watch(loop);
  loop.run([&] {
    loop.set_timeout([] { console::log("setTimeout"); }, 0);
    loop.queue_microtask([&] {
      console::log("promise");
      loop.queue_microtask([] { console::log("promise2"); });
    });
    console::log("main");
  });
  const Lines expected{"main", "promise", "promise2", "setTimeout"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch1-event-loop-intro/js/essence_nested_microtask.js", expected);
}

TEST(EssenceLoop, TimersRunByDueTimeThenByCallOrder) {
  Loop loop;
  watch(loop);
  loop.run([&] {
    loop.set_timeout([] { console::log("b 100ms"); }, 100);
    loop.set_timeout([] { console::log("a 5ms"); }, 5);
    loop.set_timeout([] { console::log("c 5ms"); }, 5);
  });
  const Lines expected{"a 5ms", "c 5ms", "b 100ms"};
  EXPECT_TRACE(expected);
  EXPECT_EQ(kata::virtual_clock().now_ms(), 100) << "the loop waits on the clock until the last timer is due";
  EXPECT_NODE_PRINTS("ch1-event-loop-intro/js/essence_timer_order.js", expected);
}

TEST(EssenceLoop, MicrotasksRunAfterEachTimer) {
  // Node >= 11 (and browsers): the microtask queue is drained after *every*
  // macrotask, not after a whole batch of timers.
  Loop loop;
  watch(loop);
  loop.run([&] {
    loop.set_timeout([&] {
      console::log("t1");
      loop.queue_microtask([] { console::log("m1"); });
    }, 0);
    loop.set_timeout([&] {
      console::log("t2");
      loop.queue_microtask([] { console::log("m2"); });
    }, 0);
  });
  const Lines expected{"t1", "m1", "t2", "m2"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch1-event-loop-intro/js/essence_microtask_after_timer.js", expected);
}

TEST(EssenceLoop, ATimerSetByATimerCountsFromItsOwnTime) {
  // B's 150 ms count from when A runs (100 + 150 = 250), not from the start
  // of the script (150), so C (200) comes first.
  Loop loop;
  watch(loop);
  loop.run([&] {
    loop.set_timeout([&] {
      console::log("A at 100");
      loop.set_timeout([] { console::log("B at 100+150"); }, 150);
    }, 100);
    loop.set_timeout([] { console::log("C at 200"); }, 200);
  });
  const Lines expected{"A at 100", "C at 200", "B at 100+150"};
  EXPECT_TRACE(expected);
  EXPECT_EQ(kata::virtual_clock().now_ms(), 250);
  EXPECT_NODE_PRINTS("ch1-event-loop-intro/js/essence_timer_from_timer.js", expected);
}

// Not an order but a time: callbacks run when the virtual clock says they
// are due, and a busy script (the seed's 20 ms busy loop) delays them — a
// timer never runs early, and never "catches up" by running before the
// script ends. Node can't check exact times (its clock is real), so no twin.
TEST(EssenceLoop, TimersRunOnTheClockAndWaitForABusyScript) {
  Loop loop;
  watch(loop);
  loop.run([&] {
    loop.set_timeout([] { console::log(at("x 10ms")); }, 10);
    loop.set_timeout([&] {
      console::log(at("y 100ms"));
      loop.set_timeout([] { console::log(at("z +5ms")); }, 5);
    }, 100);
    kata::busy_wait(30);  // while (Date.now() - start < 30) {}
    console::log(at("main"));
  });
  EXPECT_TRACE({"main@30", "x 10ms@30", "y 100ms@100", "z +5ms@105"});
}

TEST(EssenceLoop, NegativeDelayCountsAsZero) {
  // Node turns both 0 and -5 into 1 ms, so it prints the same order; only
  // the virtual clock can show "at 0".
  Loop loop;
  watch(loop);
  loop.run([&] {
    loop.set_timeout([] { console::log(at("zero")); }, 0);
    loop.set_timeout([] { console::log(at("negative")); }, -5);
  });
  EXPECT_TRACE({"zero@0", "negative@0"});
  EXPECT_NODE_PRINTS("ch1-event-loop-intro/js/essence_negative_delay.js", (Lines{"zero", "negative"}));
}
