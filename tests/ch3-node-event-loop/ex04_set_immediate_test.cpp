// Chapter 3, exercise 4 — setImmediate and the check phase.
#include "ch3_util.hpp"

using namespace ch3;
using kata::node::Immediate;

TEST(Immediates, RunInOrderInTheCheckPhase) {
  VLoop loop;
  loop.run_main([&] {
    loop.set_immediate(say("i1"));
    loop.set_immediate(say("i2"));
    loop.set_immediate(say("i3"));
    log("main");
  });
  const Lines expected{"main", "i1", "i2", "i3"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex04_order.js", expected);
}

// The check phase detaches its queue first: C, queued by A, waits for the
// next iteration — after the timer that came due meanwhile.
TEST(Immediates, QueuedDuringCheckRunNextIteration) {
  VLoop loop;
  loop.run_main([&] {
    loop.simulate_io(1, [&] {
      loop.set_immediate([&] {
        log("A");
        loop.set_immediate(say("C (queued by A)"));
        kata::busy_wait(2);  // the timer below is due when this check phase ends
      });
      loop.set_immediate(say("B"));
      loop.set_timeout(say("T"), 0);
    });
  });
  const Lines expected{"A", "B", "T", "C (queued by A)"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex04_next_iteration.js", expected);
}

// The seed's readFile example: inside an I/O callback the immediate always
// comes first (check follows poll; timers wait for the next iteration).
TEST(Immediates, InsideAnIoCallbackImmediateBeatsTimeout) {
  VLoop loop;
  loop.run_main([&] {
    loop.simulate_io(2, [&] {
      loop.set_immediate(say("setImmediate"));
      loop.set_timeout(say("setTimeout"), 0);
    });
  });
  const Lines expected{"setImmediate", "setTimeout"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex04_seed_readfile.js", expected);
}

TEST(Immediates, ClearImmediateFromAnEarlierImmediate) {
  VLoop loop;
  Immediate b;
  loop.run_main([&] {
    loop.set_immediate([&] { log("A clears B"); loop.clear_immediate(b); });
    b = loop.set_immediate(say("B"));
    loop.set_immediate(say("C"));
  });
  const Lines expected{"A clears B", "C"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex04_clear.js", expected);
}

TEST(Immediates, TicksAndPromisesRunAfterEachImmediate) {
  VLoop loop;
  loop.run_main([&] {
    loop.set_immediate([&] {
      log("i1");
      kata::node::Promise::resolve(loop).then(say("p1"));
      loop.next_tick(say("n1"));
    });
    loop.set_immediate(say("i2"));
  });
  const Lines expected{"i1", "n1", "p1", "i2"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex04_ticks.js", expected);
}

TEST(Immediates, AnUnrefdImmediateAloneNeverRuns) {
  VLoop loop;
  loop.run_main([&] {
    auto im = loop.set_immediate(say("never"));
    loop.unref(im);
    log("main");
  });
  const Lines expected{"main"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex04_unref.js", expected);
}

// While a ref'd immediate waits, poll must not block (Node's idle handle):
// the far timer does not delay the immediate.
TEST(Immediates, AWaitingImmediateKeepsPollFromBlocking) {
  VLoop loop;
  loop.set_timeout(say("timer at 1000"), 1000);
  loop.set_immediate([&] { log("immediate at " + std::to_string(now())); });
  EXPECT_EQ(loop.backend_timeout(), 0);
  loop.run();
  EXPECT_TRACE({"immediate at 0", "timer at 1000"});
}

TEST(Immediates, ImmediateRecursionYieldsEveryIteration) {
  // Unlike nextTick, an immediate that queues an immediate lets the rest of
  // the loop run in between: the I/O completes while the chain goes on.
  VLoop loop;
  int n = 0;
  std::function<void()> step = [&] {
    ++n;
    kata::busy_wait(1);
    if (n < 10) loop.set_immediate(step);
  };
  loop.set_immediate(step);
  loop.simulate_io(3, [&] { log("I/O after " + std::to_string(n) + " steps"); });
  loop.run();
  EXPECT_EQ(n, 10);
  EXPECT_TRACE({"I/O after 3 steps"});
}
