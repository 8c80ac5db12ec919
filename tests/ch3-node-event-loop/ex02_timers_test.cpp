// Chapter 3, exercise 2 — Node's timers (lib/internal/timers.js): delay
// coercion, order, clearTimeout, setInterval, unref. Virtual time.
#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "ch3_util.hpp"
#include "timers.hpp"  // Timers::coerce_delay

using namespace ch3;
using kata::node::Timeout;
using kata::node::Timers;

TEST(Timers, DelayCoercion) {
  EXPECT_EQ(Timers::coerce_delay(0), 1);
  EXPECT_EQ(Timers::coerce_delay(-5), 1);
  EXPECT_EQ(Timers::coerce_delay(std::nan("")), 1);
  EXPECT_EQ(Timers::coerce_delay(2147483648.0), 1) << "> 2^31-1 (Node also warns)";
  EXPECT_EQ(Timers::coerce_delay(2147483647.0), 2147483647);
  EXPECT_EQ(Timers::coerce_delay(1.9), 1) << "fractions are truncated";
  EXPECT_EQ(Timers::coerce_delay(10.5), 10);
}

TEST(Timers, CoercedDelaysAllFireAtOneMillisecondInCallOrder) {
  VLoop loop;
  loop.set_timeout(say("a 0"), 0);
  loop.set_timeout(say("b -5"), -5);
  loop.set_timeout(say("c NaN"), std::nan(""));
  loop.set_timeout(say("d 2^31"), 2147483648.0);
  loop.set_timeout(say("e 1.9"), 1.9);
  loop.set_timeout(say("f 1"), 1);
  loop.run();
  EXPECT_EQ(now(), 1) << "all of them were due at 1 ms";
  const Lines expected{"a 0", "b -5", "c NaN", "d 2^31", "e 1.9", "f 1"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex02_coercion.js", expected);
}

TEST(Timers, ShorterDelaysFirstEqualDelaysInInsertionOrder) {
  VLoop loop;
  // (Gaps of 50 ms: node's twin runs on a busy machine too.)
  loop.set_timeout(say("A 200"), 200);
  loop.set_timeout(say("B 100"), 100);
  loop.set_timeout(say("C 200"), 200);
  loop.set_timeout(say("D 100"), 100);
  loop.set_timeout(say("E 150"), 150);
  loop.run();
  const Lines expected{"B 100", "D 100", "E 150", "A 200", "C 200"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex02_order.js", expected);
}

// Two lists due at the same time: the older list (lower id) runs first.
TEST(Timers, ListsDueTogetherRunInListOrder) {
  VLoop loop;
  loop.set_timeout(say("20 ms, set at 0"), 20);
  kata::busy_wait(10);
  loop.set_timeout(say("10 ms, set at 10"), 10);
  loop.run();
  EXPECT_EQ(now(), 20);
  EXPECT_TRACE({"20 ms, set at 0", "10 ms, set at 10"});
}

TEST(Timers, ClearTimeoutFromAnotherCallback) {
  VLoop loop;
  Timeout second;
  loop.set_timeout([&] { log("first clears second"); loop.clear_timeout(second); }, 10);
  second = loop.set_timeout(say("second"), 10);
  loop.set_timeout(say("third"), 10);
  loop.run();
  const Lines expected{"first clears second", "third"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex02_clear.js", expected);
}

TEST(Timers, ClearingTwiceOrAfterFiringIsHarmless) {
  VLoop loop;
  auto t = loop.set_timeout(say("fired"), 5);
  loop.run();
  loop.clear_timeout(t);
  auto u = loop.set_timeout(say("reuses the slot"), 5);
  loop.clear_timeout(t);  // stale: must not clear u
  loop.run();
  loop.clear_timeout(u);
  loop.clear_timeout(Timeout{});
  EXPECT_TRACE({"fired", "reuses the slot"});
}

// setInterval: the next run is due `repeat` ms after this run *started*
// (start + 10), not after it ended — unless the callback overran its period.
// A chain of 1 ms immediates keeps the loop turning (and its time fresh), so
// each timers phase sees the clock as it is.
TEST(Timers, IntervalIsRescheduledFromTheCallbacksStart) {
  VLoop loop;
  std::vector<std::int64_t> at;
  int n = 0;
  Timeout iv;
  iv = loop.set_interval([&] {
    at.push_back(now());
    log("tick " + std::to_string(++n));
    kata::busy_wait(n == 2 ? 15 : 4);  // the second run overruns its 10 ms
    if (n == 4) { loop.clear_interval(iv); log("cleared"); }
  }, 10);
  std::function<void()> spin = [&] {
    kata::busy_wait(1);
    if (n < 4) loop.set_immediate(spin);
  };
  loop.set_immediate(spin);
  loop.run();
  EXPECT_EQ(at, (std::vector<std::int64_t>{10, 20, 36, 46}));
  const Lines expected{"tick 1", "tick 2", "tick 3", "tick 4", "cleared"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex02_interval.js", expected);
}

TEST(Timers, UnrefdTimerStillFiresWhileSomethingElseKeepsTheLoopAlive) {
  VLoop loop;
  auto t = loop.set_timeout(say("unref'd 100"), 100);
  loop.unref(t);
  EXPECT_FALSE(loop.has_ref(t));
  loop.set_timeout(say("ref'd 200"), 200);
  auto never = loop.set_timeout(say("unref'd 5000"), 5000);
  loop.unref(never);
  loop.run();
  const Lines expected{"unref'd 100", "ref'd 200"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex02_unref.js", expected);
}

// A timer set from a timer callback is due later even with delay 0
// (at least 1 ms): an immediate set beside it runs first.
TEST(Timers, TimeoutSetInsideATimerWaitsForALaterIteration) {
  VLoop loop;
  loop.set_timeout([&] {
    log("outer");
    loop.set_timeout(say("inner timeout"), 0);
    loop.set_immediate(say("immediate"));
  }, 0);
  loop.run();
  const Lines expected{"outer", "immediate", "inner timeout"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex02_nested.js", expected);
}

// Many timers over 50 durations, set together, fire sorted by due time,
// ties in the order they were set (what one list per duration guarantees).
TEST(Timers, TenThousandTimersFireInDueThenInsertionOrder) {
  VLoop loop;
  std::mt19937 rng(42);
  struct T { std::int64_t due; int seq; };
  std::vector<T> set;
  std::vector<int> fired;
  for (int i = 0; i < 10000; ++i) {
    const int delay = 1 + int(rng() % 50);
    set.push_back(T{now() + delay, i});
    loop.set_timeout([&fired, i] { fired.push_back(i); }, delay);
  }
  loop.run();
  std::stable_sort(set.begin(), set.end(), [](const T& a, const T& b) { return a.due < b.due; });
  std::vector<int> expected;
  for (const T& t : set) expected.push_back(t.seq);
  ASSERT_EQ(fired.size(), expected.size());
  EXPECT_TRUE(fired == expected) << "timers fired out of (due, insertion) order";
}
