// Chapter 3, exercise 3 — process.nextTick and microtasks: drained after
// every callback (Node ≥ 11), ticks first, then microtasks, repeat. And the
// Node ≤ 10 behaviour the seed describes ("between phases"), as Legacy mode.
#include "ch3_util.hpp"

using namespace ch3;
using kata::node::Promise;
using kata::node::TickMode;

TEST(Microtasks, AfterTheMainScriptTicksFirstThenPromises) {
  VLoop loop;
  loop.run_main([&] {
    loop.set_timeout(say("setTimeout"), 0);
    Promise::resolve(loop).then(say("promise"));
    loop.queue_microtask(say("queueMicrotask"));
    loop.next_tick(say("nextTick"));
    log("main");
  });
  const Lines expected{"main", "nextTick", "promise", "queueMicrotask", "setTimeout"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex03_main.js", expected);
}

// A nextTick queued by a microtask waits until the microtask queue is empty;
// a microtask queued by a nextTick waits until the tick queue is empty.
TEST(Microtasks, TicksAndMicrotasksQueuedByEachOther) {
  VLoop loop;
  loop.run_main([&] {
    Promise::resolve(loop).then([&] {
      log("p1");
      loop.next_tick(say("tick from p1"));
      Promise::resolve(loop).then(say("p3 from p1"));
    });
    Promise::resolve(loop).then(say("p2"));
    loop.next_tick([&] {
      log("t1");
      Promise::resolve(loop).then(say("p4 from t1"));
      loop.next_tick(say("t2 from t1"));
    });
  });
  const Lines expected{"t1", "t2 from t1", "p1", "p2", "p4 from t1", "p3 from p1", "tick from p1"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex03_nested.js", expected);
}

TEST(Microtasks, PromiseChainsInterleave) {
  VLoop loop;
  loop.run_main([&] {
    Promise::resolve(loop).then(say("a1")).then(say("a2")).then(say("a3"));
    Promise::resolve(loop).then(say("b1")).then(say("b2"));
  });
  const Lines expected{"a1", "b1", "a2", "b2", "a3"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex03_chains.js", expected);
}

// semantics.md: "timers + immediates mixing ticks/promises: t1 n1 p1 t2 p2".
// The same program in both modes: Modern drains after each timer, Legacy
// (Node ≤ 10, the seed's "nextTick runs between phases") after the batch.
namespace {
void two_timers_program(Loop& loop) {
  for (int i = 1; i <= 2; ++i) {
    loop.set_timeout([&loop, i] {
      const std::string n = std::to_string(i);
      log("t" + n);
      loop.next_tick(say("n" + n));
      Promise::resolve(loop).then(say("p" + n));
    }, 0);
  }
  for (int i = 1; i <= 2; ++i) {
    loop.set_immediate([&loop, i] {
      const std::string n = std::to_string(i);
      log("i" + n);
      loop.next_tick(say("in" + n));
    });
  }
}
}  // namespace

TEST(Microtasks, ModernModeDrainsAfterEachCallback) {
  VLoop loop(LoopOptions{TickMode::Modern, 4, 1});  // 1 ms start-up: the timers are due first
  loop.run_main([&] { two_timers_program(loop); });
  const Lines expected{"t1", "n1", "p1", "t2", "n2", "p2", "i1", "in1", "i2", "in2"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex03_two_timers.js", expected);
}

TEST(Microtasks, LegacyModeDrainsOnlyBetweenPhases) {
  // Node ≤ 10 printed this (no such node here to check: the Modern test's
  // twin shows today's order for the same program).
  VLoop loop(LoopOptions{TickMode::Legacy, 4, 1});
  loop.run_main([&] { two_timers_program(loop); });
  EXPECT_TRACE({"t1", "t2", "n1", "n2", "p1", "p2", "i1", "i2", "in1", "in2"});
}

// The loop is the same; only when the queues drain differs.
TEST(Microtasks, ModeCanBeSwitchedPerLoop) {
  VLoop loop(LoopOptions{TickMode::Legacy, 4, 1});
  EXPECT_EQ(loop.tick_mode(), TickMode::Legacy);
  loop.set_tick_mode(TickMode::Modern);
  loop.run_main([&] { two_timers_program(loop); });
  EXPECT_TRACE({"t1", "n1", "p1", "t2", "n2", "p2", "i1", "in1", "i2", "in2"});
}

// The seed (第三章, process.nextTick): inside a readFile callback.
TEST(Microtasks, SeedNextTickExampleInsideAnIoCallback) {
  VLoop loop;
  loop.run_main([&] {
    loop.simulate_io(2, [&] {  // fs.readFile(__filename, ...)
      loop.set_timeout(say("setTimeout"), 0);
      loop.set_immediate([&] {
        log("setImmediate");
        loop.next_tick(say("nextTick3"));
      });
      loop.next_tick(say("nextTick1"));
      loop.next_tick(say("nextTick2"));
    });
  });
  const Lines expected{"nextTick1", "nextTick2", "setImmediate", "nextTick3", "setTimeout"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex03_seed_next_tick.js", expected);
}

// semantics.md: recursive nextTick + setTimeout 0 → the timer waits for all.
TEST(Microtasks, RecursiveNextTickRunsBeforeAnyTimer) {
  VLoop loop;
  int n = 0;
  std::function<void()> again = [&] {
    if (++n < 100000) loop.next_tick(again);
    else log("100000 ticks done");
  };
  loop.run_main([&] {
    loop.set_timeout(say("setTimeout"), 0);
    loop.next_tick(again);
  });
  const Lines expected{"100000 ticks done", "setTimeout"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex03_recursive_tick.js", expected);
}
