// Chapter 1, exercise 1 — EventEmitter (Node's events module).
// Each test names the Node behaviour it pins; the JavaScript twin that shows
// it is tests/ch1-event-loop-intro/js/event_emitter.js (checked against node
// by the last test).
#include "event_emitter.hpp"

#include <any>
#include <string>

#include "kata/console.hpp"
#include "kata/testing.hpp"

using kata::events::Args;
using kata::events::EventEmitter;
namespace console = kata::console;

namespace {
std::string str(const Args& a, size_t i) { return std::any_cast<std::string>(a.at(i)); }
}  // namespace

TEST(EventEmitter, EmitCallsListenersInRegistrationOrderWithArguments) {
  EventEmitter e;
  e.on("start", [](const Args& a) { console::log("first " + str(a, 0)); });
  e.on("start", [](const Args& a) { console::log("second " + str(a, 0)); });
  EXPECT_TRUE(e.emit("start", std::string("fooResource")));
  EXPECT_TRACE({"first fooResource", "second fooResource"});
}

TEST(EventEmitter, EmitWithoutListenersReturnsFalse) {
  EventEmitter e;
  EXPECT_FALSE(e.emit("start"));
  e.on("other", [](const Args&) {});
  EXPECT_FALSE(e.emit("start"));
}

TEST(EventEmitter, OnceFiresOnlyOnce) {
  EventEmitter e;
  e.once("ready", [](const Args&) { console::log("once"); });
  e.on("ready", [](const Args&) { console::log("on"); });
  e.emit("ready");
  e.emit("ready");
  EXPECT_TRACE({"once", "on", "on"});
  EXPECT_EQ(e.listener_count("ready"), 1u);
}

TEST(EventEmitter, OffRemovesOneListener) {
  EventEmitter e;
  auto a = e.on("x", [](const Args&) { console::log("a"); });
  e.on("x", [](const Args&) { console::log("b"); });
  EXPECT_TRUE(e.off("x", a));
  EXPECT_FALSE(e.off("x", a)) << "removing twice reports false";
  e.emit("x");
  EXPECT_TRACE({"b"});
}

TEST(EventEmitter, RemovalDuringEmitNeitherSkipsNorRepeats) {
  // Node copies the listener array before calling it.
  EventEmitter e;
  kata::events::ListenerId b = 0;
  e.on("x", [&](const Args&) { console::log("a"); e.off("x", b); });
  b = e.on("x", [](const Args&) { console::log("b"); });
  e.on("x", [](const Args&) { console::log("c"); });
  e.emit("x");
  e.emit("x");
  EXPECT_TRACE({"a", "b", "c", "a", "c"});
}

TEST(EventEmitter, ListenerAddedDuringEmitWaitsForTheNextEmit) {
  EventEmitter e;
  e.once("x", [&](const Args&) {
    console::log("a");
    e.on("x", [](const Args&) { console::log("late"); });
  });
  e.on("x", [](const Args&) { console::log("b"); });
  e.emit("x");
  e.emit("x");
  EXPECT_TRACE({"a", "b", "b", "late"});
}

TEST(EventEmitter, NestedEmitCallsAOnceListenerOnlyOnce) {
  EventEmitter e;
  bool nested = false;
  e.on("x", [&](const Args&) {
    console::log("outer");
    if (!nested) { nested = true; e.emit("x"); }
  });
  e.once("x", [](const Args&) { console::log("once"); });
  e.emit("x");
  EXPECT_TRACE({"outer", "outer", "once"});
}

TEST(EventEmitter, ErrorWithoutListenerThrows) {
  EventEmitter e;
  EXPECT_THROW(e.emit("error", std::string("boom")), kata::events::UnhandledError);
  auto err = std::make_exception_ptr(std::runtime_error("disk on fire"));
  try {
    e.emit("error", err);
    ADD_FAILURE() << "emit('error', err) with no listener must throw err";
  } catch (const std::runtime_error& ex) {
    EXPECT_STREQ(ex.what(), "disk on fire");
  }
}

TEST(EventEmitter, ErrorWithListenerDoesNotThrow) {
  EventEmitter e;
  e.on("error", [](const Args& a) { console::log("handled " + str(a, 0)); });
  EXPECT_NO_THROW(e.emit("error", std::string("boom")));
  EXPECT_TRACE({"handled boom"});
}

TEST(EventEmitter, ListenerCountAndEventNames) {
  EventEmitter e;
  EXPECT_EQ(e.listener_count("a"), 0u);
  auto id = e.on("b", [](const Args&) {});
  e.on("a", [](const Args&) {});
  e.on("a", [](const Args&) {});
  EXPECT_EQ(e.listener_count("a"), 2u);
  EXPECT_EQ(e.event_names(), (std::vector<std::string>{"b", "a"}));
  e.off("b", id);
  EXPECT_EQ(e.event_names(), (std::vector<std::string>{"a"}));
  e.remove_all_listeners("a");
  EXPECT_EQ(e.listener_count("a"), 0u);
  EXPECT_TRUE(e.event_names().empty());
}

// Runs the same scenarios as js/event_emitter.js, in C++ and in node: both
// must print the expected order (the C++ part first, so a stub fails here too).
TEST(EventEmitter, SameOrderAsNode) {
  const kata::testing::Lines expected{"first fooResource", "second fooResource", "once", "on", "on",
                                      "a", "b", "c", "a", "c", "outer", "outer", "once",
                                      "a", "b", "b", "late"};
  {
    EventEmitter e;
    e.on("start", [](const Args& a) { console::log("first " + str(a, 0)); });
    e.on("start", [](const Args& a) { console::log("second " + str(a, 0)); });
    e.emit("start", std::string("fooResource"));
  }
  {
    EventEmitter e;
    e.once("ready", [](const Args&) { console::log("once"); });
    e.on("ready", [](const Args&) { console::log("on"); });
    e.emit("ready");
    e.emit("ready");
  }
  {
    EventEmitter e;
    kata::events::ListenerId b = 0;
    e.on("x", [&](const Args&) { console::log("a"); e.off("x", b); });
    b = e.on("x", [](const Args&) { console::log("b"); });
    e.on("x", [](const Args&) { console::log("c"); });
    e.emit("x");
    e.emit("x");
  }
  {
    EventEmitter e;
    bool nested = false;
    e.on("x", [&](const Args&) {
      console::log("outer");
      if (!nested) { nested = true; e.emit("x"); }
    });
    e.once("x", [](const Args&) { console::log("once"); });
    e.emit("x");
  }
  {
    EventEmitter e;
    e.once("x", [&](const Args&) {
      console::log("a");
      e.on("x", [](const Args&) { console::log("late"); });
    });
    e.on("x", [](const Args&) { console::log("b"); });
    e.emit("x");
    e.emit("x");
  }
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch1-event-loop-intro/js/event_emitter.js", expected);
}
