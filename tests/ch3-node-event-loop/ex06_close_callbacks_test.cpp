// Chapter 3, exercise 6 — handles and the close-callbacks phase.
#include "ch3_util.hpp"

using namespace ch3;
using kata::node::HookKind;

// From an I/O callback: check, then close callbacks, then the next timers
// (the same twin as ex01: a socket's 'close' is emitted from its handle's
// close callback).
TEST(Close, CloseCallbackRunsAfterCheckAndBeforeTheNextTimers) {
  VLoop loop;
  auto handle = loop.async([] {});
  loop.simulate_io(1, [&] {
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

// A handle closed from a close callback waits for the next iteration's
// close phase; the immediate queued beside it runs first (its check phase
// comes before that close phase).
TEST(Close, HandleClosedByACloseCallbackWaitsForTheNextIteration) {
  VLoop loop;
  auto h1 = loop.async([] {});
  auto h2 = loop.async([] {});
  h1->close([&] {
    log("close 1");
    loop.set_immediate(say("immediate"));
    h2->close(say("close 2"));
  });
  loop.run();
  const Lines expected{"close 1", "immediate", "close 2"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex06_close_twice.js", expected);
}

TEST(Close, ClosingStopsTheHandleAtOnce) {
  VLoop loop;
  auto idle = loop.hook(HookKind::Idle);
  int calls = 0;
  idle->start([&] { ++calls; });
  idle->close(say("closed"));
  EXPECT_FALSE(idle->is_active());
  EXPECT_TRUE(idle->is_closing());
  loop.run();
  EXPECT_EQ(calls, 0) << "a closing handle makes no more callbacks";
  EXPECT_TRUE(idle->is_closing()) << "uv_is_closing stays true after the close callback";
  EXPECT_TRACE({"closed"});
}

TEST(Close, ClosingTwiceIsAnError) {
  VLoop loop;
  auto h = loop.async([] {});
  h->close();
  EXPECT_THROW(h->close(), std::logic_error);
  loop.run();
}

// The loop keeps a closing handle (and so the loop) alive until its
// callback ran, even when its owner let go of it.
TEST(Close, TheLoopKeepsAClosingHandleUntilItsCallback) {
  VLoop loop;
  std::weak_ptr<kata::node::Async> weak;
  {
    auto h = loop.async([] {});
    weak = h;
    h->close(say("close callback"));
  }
  EXPECT_FALSE(weak.expired());
  EXPECT_TRUE(loop.alive());
  EXPECT_EQ(loop.backend_timeout(), 0) << "closing handles: poll must not block";
  loop.run();
  EXPECT_TRUE(weak.expired()) << "released after its close callback";
  EXPECT_TRACE({"close callback"});
}

// ref/unref: a ref'd active handle keeps run() going; closing it ends it.
TEST(Close, ARefdHandleKeepsTheLoopAliveUntilClosed) {
  VLoop loop;
  auto async = loop.async([] {});
  loop.set_timeout([&] { log("closing the async"); async->close(say("async closed")); }, 10);
  EXPECT_TRUE(loop.run(RunMode::NoWait));
  loop.run();
  EXPECT_FALSE(loop.alive());
  EXPECT_TRACE({"closing the async", "async closed"});
}

TEST(Close, CloseCallbacksAreFollowedByTicksAndMicrotasks) {
  VLoop loop;
  auto a = loop.async([] {});
  auto b = loop.async([] {});
  a->close([&] { log("close a"); loop.next_tick(say("tick after a")); });
  b->close(say("close b"));
  loop.run();
  EXPECT_TRACE({"close a", "tick after a", "close b"});
}
