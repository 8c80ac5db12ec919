// Chapter 3, exercise 7 — the process around the loop: beforeExit, exit,
// uncaughtException, exit codes.
#include <stdexcept>

#include "ch3_util.hpp"
#include "kata/todo.hpp"

using namespace ch3;
using kata::events::Args;

namespace {
int code_of(const Args& a) { return std::any_cast<int>(a.at(0)); }
std::string message_of(const Args& a) {
  try {
    std::rethrow_exception(std::any_cast<std::exception_ptr>(a.at(0)));
  } catch (const std::exception& e) {
    return e.what();
  }
}
}  // namespace

// beforeExit fires each time the loop runs dry; work scheduled by a
// listener makes the loop run again. Then exit, with process.exitCode.
TEST(Process, BeforeExitRunsTheLoopAgainWhileListenersScheduleWork) {
  VLoop loop;
  auto& process = loop.process();
  int n = 0;
  process.on("beforeExit", [&](const Args& a) {
    log("beforeExit " + std::to_string(code_of(a)));
    if (n++ < 2) loop.set_timeout([&] { log("more " + std::to_string(n)); }, 0);
  });
  process.on("exit", [&](const Args& a) { log("exit " + std::to_string(code_of(a))); });
  const int code = loop.run_main([&] { process.exit_code = 3; });
  EXPECT_EQ(code, 3);
  // The twin resets exitCode to 0 inside 'exit' so node's own status is 0.
  const Lines expected{"beforeExit 3", "more 1", "beforeExit 3", "more 2", "beforeExit 3", "exit 3"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex07_before_exit.js", expected);
}

TEST(Process, ExceptionGoesToTheUncaughtExceptionListenerAndTheLoopGoesOn) {
  VLoop loop;
  loop.process().on("uncaughtException", [](const Args& a) { log("caught " + message_of(a)); });
  loop.process().on("exit", [](const Args& a) { log("exit " + std::to_string(code_of(a))); });
  const int code = loop.run_main([&] {
    loop.set_timeout([] { log("t1"); throw std::runtime_error("tx"); }, 0);
    loop.set_timeout([&] {
      log("t2");
      loop.set_immediate([] { log("i1"); throw std::runtime_error("x"); });
      loop.set_immediate(say("i2"));
    }, 0);
  });
  EXPECT_EQ(code, 0);
  const Lines expected{"t1", "caught tx", "t2", "i1", "caught x", "i2", "exit 0"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex07_uncaught_listener.js", expected);
}

// No listener: the process ends with exit code 1 (over process.exitCode);
// "exit" is still emitted; nothing else runs.
TEST(Process, UncaughtExceptionWithoutListenerExitsWithOne) {
  VLoop loop;
  loop.process().on("exit", [](const Args& a) { log("exit " + std::to_string(code_of(a))); });
  const int code = loop.run_main([&] {
    loop.process().exit_code = 5;
    loop.set_timeout([] { log("t1 throws"); throw std::runtime_error("boom"); }, 0);
    loop.set_timeout(say("t2 never runs"), 0);
    loop.next_tick(say("tick runs first"));
  });
  EXPECT_EQ(code, 1);
  const Lines expected{"tick runs first", "t1 throws", "exit 1"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex07_uncaught_no_listener.js", expected);
}

// A listener that throws: exit code 7, and no "exit" event.
TEST(Process, AThrowingUncaughtExceptionListenerExitsWithSeven) {
  VLoop loop;
  loop.process().on("uncaughtException", [](const Args&) {
    log("handler");
    throw std::runtime_error("y");
  });
  loop.process().on("exit", [](const Args& a) { log("exit " + std::to_string(code_of(a))); });
  const int code = loop.run_main([&] {
    loop.set_timeout([] { throw std::runtime_error("x"); }, 0);
    loop.set_timeout(say("t2"), 0);
  });
  EXPECT_EQ(code, 7);
  const Lines expected{"handler", "status 7"};
  EXPECT_TRACE(Lines{"handler"});
  kata::console::log("status " + std::to_string(code));
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex07_throwing_listener.js", expected);
}

// process.exit(code): "exit" right away, nothing else runs, no beforeExit.
TEST(Process, ExitStopsEverything) {
  VLoop loop;
  loop.process().on("beforeExit", [](const Args&) { log("beforeExit"); });
  loop.process().on("exit", [](const Args& a) { log("exit " + std::to_string(code_of(a))); });
  const int code = loop.run_main([&] {
    loop.set_timeout([&] { log("t1 exits"); loop.process().exit(0); }, 0);
    loop.set_timeout(say("t2"), 0);
    loop.next_tick(say("tick"));
  });
  EXPECT_EQ(code, 0);
  const Lines expected{"tick", "t1 exits", "exit 0"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex07_exit.js", expected);
}

// The main script's exception is an uncaught exception too.
TEST(Process, MainScriptExceptionIsUncaught) {
  VLoop loop;
  loop.process().on("exit", [](const Args& a) { log("exit " + std::to_string(code_of(a))); });
  const int code = loop.run_main([&] {
    loop.set_timeout(say("never"), 0);
    throw std::runtime_error("main failed");
  });
  EXPECT_EQ(code, 1);
  EXPECT_TRACE({"exit 1"});
}

// An unfinished exercise (kata::NotDoneYet) must reach the test: it is never
// handed to uncaughtException, even when a listener exists.
TEST(Process, NotDoneYetIsNeverSwallowed) {
  VLoop loop;
  loop.process().on("uncaughtException", [](const Args&) { log("swallowed!"); });
  EXPECT_THROW(loop.run_main([&] {
    loop.set_timeout([] { throw kata::NotDoneYet("somewhere.cpp:1", "a stub"); }, 0);
  }), kata::NotDoneYet);
  EXPECT_TRACE(Lines{});
}
