// Chapter 3, exercise 1 — the phases of one iteration, run modes, the
// "alive" rule and the poll timeout rule (libuv's uv_run, src/unix/core.c).
// Time is virtual: "poll blocks 10 ms" means the clock jumps 10 ms.
#include "ch3_util.hpp"

using namespace ch3;
using kata::node::HookKind;

// From inside an I/O callback (poll phase) the rest of the iteration is:
// check (setImmediate), close callbacks, then timers of the next round.
TEST(Phases, FromAnIoCallbackCheckThenCloseThenTimers) {
  VLoop loop;
  auto handle = loop.hook(HookKind::Prepare);  // any handle will do for close()
  loop.simulate_io(2, [&] {
    loop.set_timeout(say("timers"), 0);
    loop.set_immediate(say("check"));
    handle->close(say("close callbacks"));
    log("poll");
  });
  loop.run();
  const Lines expected{"poll", "check", "close callbacks", "timers"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex01_phase_order.js", expected);
}

// The phases JavaScript cannot see (pending, idle, prepare) in their place.
// A callback deferred by I/O runs right after poll (libuv ≥ 1.45 re-runs the
// pending queue up to 8 times there); idle and prepare started from the I/O
// callback run in the next iteration; the timer (1 ms) comes due while that
// iteration's poll waits.
TEST(Phases, EveryPhaseInLibuvOrder) {
  VLoop loop;
  auto closer = loop.hook(HookKind::Check);
  auto idle = loop.hook(HookKind::Idle);
  auto prepare = loop.hook(HookKind::Prepare);
  loop.simulate_io(2, [&] {
    log("poll");
    loop.set_timeout(say("timers"), 1);
    loop.queue_pending(say("pending"));
    idle->start([&] { log("idle"); idle->stop(); });
    prepare->start([&] { log("prepare"); prepare->stop(); });
    loop.set_immediate(say("check"));
    closer->close(say("close callbacks"));
  });
  loop.run();
  const Lines expected{"poll", "pending", "check", "close callbacks", "idle", "prepare", "timers"};
  EXPECT_TRACE(expected);
  // What JavaScript sees of it is the previous test's order.
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex01_phase_order.js",
                     only(expected, {"poll", "check", "close callbacks", "timers"}));
}

// libuv ≥ 1.45 runs due timers once *before* the first iteration in
// DEFAULT mode, so they come before that iteration's pending callbacks.
TEST(Phases, DefaultModeRunsDueTimersBeforeTheFirstIteration) {
  VLoop loop;
  loop.set_timeout(say("timer"), 1);
  loop.queue_pending(say("pending"));
  kata::busy_wait(1);  // the timer is due when run() starts
  loop.run();
  EXPECT_TRACE({"timer", "pending"});
}

TEST(Phases, RunReturnsWhenNothingIsAlive) {
  VLoop loop;
  EXPECT_FALSE(loop.alive());
  EXPECT_FALSE(loop.run());
  EXPECT_EQ(now(), 0) << "an empty loop does not wait";
}

TEST(Phases, DefaultModeBlocksInPollUntilTheNearestTimer) {
  VLoop loop;
  loop.set_timeout([] { log("at " + std::to_string(now())); }, 10);
  loop.set_timeout([] { log("at " + std::to_string(now())); }, 25);
  EXPECT_FALSE(loop.run());
  EXPECT_TRACE({"at 10", "at 25"});
}

TEST(Phases, NoWaitModeRunsOneIterationWithoutBlocking) {
  VLoop loop;
  loop.set_timeout(say("timer"), 10);
  loop.set_immediate(say("immediate"));
  EXPECT_TRUE(loop.run(RunMode::NoWait)) << "the timer is still waiting";
  EXPECT_EQ(now(), 0) << "NOWAIT never blocks";
  EXPECT_TRACE({"immediate"});
}

TEST(Phases, OnceModeBlocksForOneIteration) {
  VLoop loop;
  loop.set_timeout(say("10"), 10);
  loop.set_timeout(say("20"), 20);
  EXPECT_TRUE(loop.run(RunMode::Once));
  EXPECT_EQ(now(), 10);
  EXPECT_TRACE({"10"});
  EXPECT_FALSE(loop.run(RunMode::Once));
  EXPECT_TRACE({"10", "20"});
}

TEST(Phases, StopEndsRunAfterTheCurrentIteration) {
  VLoop loop;
  loop.set_interval([&] { log("tick"); loop.stop(); }, 5);
  EXPECT_TRUE(loop.run()) << "stopped, not finished";
  EXPECT_TRACE({"tick"});
  EXPECT_TRUE(loop.run());
  EXPECT_TRACE({"tick", "tick"});
}

// The alive rule: ref'd handles, active requests, pending, closing.
TEST(Phases, AnUnrefdTimerAloneDoesNotKeepTheLoopAlive) {
  VLoop loop;
  auto t = loop.set_timeout(say("never"), 10);
  loop.unref(t);
  EXPECT_FALSE(loop.alive());
  log("main");
  loop.run();
  EXPECT_TRACE({"main"});
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex01_unref.js", Lines{"main"});
}

TEST(Phases, AliveRule) {
  VLoop loop;
  EXPECT_FALSE(loop.alive());
  loop.queue_pending([] {});
  EXPECT_TRUE(loop.alive()) << "a pending callback";
  loop.run(RunMode::NoWait);
  EXPECT_FALSE(loop.alive());

  loop.simulate_io(5, [] {});
  EXPECT_TRUE(loop.alive()) << "an active request";
  loop.run();
  EXPECT_FALSE(loop.alive());

  auto idle = loop.hook(HookKind::Idle);
  idle->start([] {});
  EXPECT_TRUE(loop.alive()) << "an active ref'd handle";
  idle->unref();
  EXPECT_FALSE(loop.alive()) << "unref'd";
  idle->ref();
  idle->close();
  EXPECT_FALSE(idle->is_active());
  EXPECT_TRUE(loop.alive()) << "a closing handle, until its close callback ran";
  loop.run(RunMode::NoWait);
  EXPECT_FALSE(loop.alive());
}

// uv__backend_timeout: 0 while something can run now, else the nearest timer.
TEST(Phases, PollTimeoutRule) {
  VLoop loop;
  EXPECT_EQ(loop.backend_timeout(), 0) << "not alive: never block";
  auto async = loop.async([] {});
  EXPECT_EQ(loop.backend_timeout(), -1) << "alive, no timer: block until I/O";
  loop.set_timeout([] {}, 30);
  loop.set_timeout([] {}, 12);
  EXPECT_EQ(loop.backend_timeout(), 12) << "the nearest timer";
  kata::busy_wait(5);
  loop.update_time();
  EXPECT_EQ(loop.backend_timeout(), 7);
  kata::busy_wait(50);
  loop.update_time();
  EXPECT_EQ(loop.backend_timeout(), 0) << "a timer is overdue";

  VLoop other;
  auto keep = other.async([] {});
  other.set_timeout([] {}, 100);
  auto im = other.set_immediate([] {});
  EXPECT_EQ(other.backend_timeout(), 0) << "an immediate is waiting (Node's idle handle)";
  other.clear_immediate(im);
  EXPECT_EQ(other.backend_timeout(), 100);
  other.queue_pending([] {});
  EXPECT_EQ(other.backend_timeout(), 0) << "a pending callback";
  other.run(RunMode::NoWait);
  EXPECT_EQ(other.backend_timeout(), 100);
  auto idle = other.hook(HookKind::Idle);
  idle->start([] {});
  EXPECT_EQ(other.backend_timeout(), 0) << "an active idle handle";
  idle->close();
  EXPECT_EQ(other.backend_timeout(), 0) << "a closing handle";
  other.stop();
  EXPECT_EQ(other.backend_timeout(), 0) << "stopped";
  async->close();
  keep->close();
}
