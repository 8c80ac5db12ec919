// Chapter 3, exercise 8 — the seed's nextTick use cases, and the truth
// about "compute with nextTick".
#include "ch3_util.hpp"
#include "next_tick_uses.hpp"

using namespace ch3;
using namespace kata::node::uses;
using kata::events::Args;

std::string yes_no(bool b) { return b ? "true" : "false"; }

TEST(NextTickUses, AsyncFakeCallsBackBeforeTheCallersNextLine) {
  VLoop loop;
  loop.run_main([&] {
    log("before asyncFake");
    async_fake(loop, "foo", [](bool r) { log("asyncFake callback " + yes_no(r)); });
    log("after asyncFake");
    log("before asyncReal");
    async_real(loop, "bar", [](bool r) { log("asyncReal callback " + yes_no(r)); });
    log("after asyncReal");
  });
  const Lines expected{"before asyncFake", "asyncFake callback true", "after asyncFake",
                       "before asyncReal", "after asyncReal", "asyncReal callback false"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex08_zalgo.js", expected);
}

// The seed's net.connect story: the callback uses a variable the caller
// assigns from the call's result. Synchronous → not assigned yet.
TEST(NextTickUses, ACallbackThatRunsTooEarlySeesAnUnassignedVariable) {
  VLoop loop;
  const std::string* client = nullptr;  // the caller's variable
  loop.run_main([&] {
    static const std::string connected = "client";
    auto connect = [&](auto api) {
      api(loop, "foo", [&](bool) { log(client ? "client connected" : "client is not initialized yet"); });
      return &connected;
    };
    client = connect(async_fake);
    client = nullptr;
    client = connect(async_real);
  });
  const Lines expected{"client is not initialized yet", "client connected"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex08_connect.js", expected);
}

TEST(NextTickUses, EmitAfterConstructionReachesListenersAddedAfterIt) {
  VLoop loop;
  loop.run_main([&] {
    static std::unique_ptr<StreamLibrary> good;  // outlives the main script
    good = std::make_unique<StreamLibrary>(loop, "fooResource");
    good->on("start", [](const Args&) { log("Reading has started (nextTick)"); });
    NaiveStreamLibrary bad(loop, "fooResource");
    bad.on("start", [](const Args&) { log("Reading has started (constructor)"); });
    log("listeners added");
  });
  const Lines expected{"listeners added", "Reading has started (nextTick)"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex08_stream.js", expected);
}

// The seed says re-scheduling compute() with nextTick lets HTTP requests in.
// It does not: the I/O completes while the chain runs, but its callback
// waits until all 300 pieces are done.
TEST(NextTickUses, RecursiveNextTickStarvesIo) {
  VLoop loop;
  int pieces = 0;
  loop.run_main([&] {
    loop.simulate_io(0, [&] { log("I/O callback (after " + std::to_string(pieces) + " pieces)"); });
    compute_with_next_tick(loop, 300, [&](int) { ++pieces; kata::busy_wait(1); },
                           [] { log("compute done"); });
  });
  EXPECT_TRACE({"compute done", "I/O callback (after 300 pieces)"});
  kata::testing::set_watchdog_seconds(15);  // node spins 300 ms for real
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex08_compute_next_tick.js", Lines({"compute done", "I/O callback"}));
}

// setImmediate is what yields: one piece per iteration, and the I/O
// callback runs as soon as its poll phase comes.
TEST(NextTickUses, SetImmediateLetsIoIn) {
  VLoop loop;
  int pieces = 0;
  loop.run_main([&] {
    loop.simulate_io(5, [&] { log("I/O callback (after " + std::to_string(pieces) + " pieces)"); });
    compute_with_immediate(loop, 500, [&](int) { ++pieces; kata::busy_wait(1); },
                           [] { log("compute done"); });
  });
  EXPECT_TRACE({"I/O callback (after 5 pieces)", "compute done"});
  EXPECT_EQ(pieces, 500);
  kata::testing::set_watchdog_seconds(15);  // node spins 500 ms for real
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex08_compute_immediate.js", Lines({"I/O callback", "compute done"}));
}
