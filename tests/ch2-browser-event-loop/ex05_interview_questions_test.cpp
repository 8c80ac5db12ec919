// Chapter 2, exercise 5 — the seed's 高频面试题 and a few more.
// For each program: your prediction (interview.cpp) must equal what the
// program logs on the reference browser loop (exercises 1–4 from solutions/),
// and that must equal what real node prints for its JavaScript twin.
#include <string>

#include "interview.hpp"
#include "kata/console.hpp"
#include "kata/testing.hpp"
#include "promise.hpp"
#include "timers.hpp"

using kata::browser::Promise;
using kata::browser::Window;
using kata::testing::Lines;
namespace console = kata::console;

namespace {
template <class Program>
Lines reference_run(Program program) {
  kata::clear_trace();
  kata::virtual_clock().set(0);
  Window w;
  w.run([&] { program(w); });
  Lines out = kata::trace();
  kata::clear_trace();
  return out;
}
auto log(std::string line) {
  return [line] { console::log(line); };
}
}  // namespace

// The prediction is asked for first: an unfinished one fails with "not done yet".
#define EXPECT_PREDICTION(guess, truth)                                                         \
  EXPECT_ORDER((truth), (guess)) << "  expected = what the program logs on the reference loop, " \
                                    "got = your prediction"

TEST(Interview, Question1) {
  const Lines guess = kata::interview::interview_1();
  const Lines truth = reference_run([](Window& w) {
    w.set_timeout(log("setTimeout"), 0);
    Promise<>::resolve().then([] {
      console::log("promise");
      Promise<>::resolve().then(log("promise2"));
    });
    console::log("main");
  });
  EXPECT_PREDICTION(guess, truth);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/checkpoint_interview1.js", truth);
}

TEST(Interview, Question2) {
  const Lines guess = kata::interview::interview_2();
  const Lines truth = reference_run([](Window& w) {
    w.set_timeout([] { Promise<>::resolve().then(log("promise")); }, 0);
    Promise<>::resolve().then([&w] { w.set_timeout(log("setTimeout"), 0); });
    console::log("main");
  });
  EXPECT_PREDICTION(guess, truth);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/timers_interview2.js", truth);
}

TEST(Interview, ScriptStart) {
  const Lines guess = kata::interview::script_start();
  const Lines truth = reference_run([](Window& w) {
    console::log("script start");
    w.set_timeout(log("setTimeout"), 0);
    Promise<>::resolve().then(log("promise1")).then(log("promise2"));
    console::log("script end");
  });
  EXPECT_PREDICTION(guess, truth);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/interview_script_start.js", truth);
}

TEST(Interview, TimersAndPromises) {
  const Lines guess = kata::interview::timers_and_promises();
  const Lines truth = reference_run([](Window& w) {
    w.set_timeout([] {
      console::log("t1");
      Promise<>::resolve().then(log("p1"));
    }, 0);
    w.set_timeout([] {
      console::log("t2");
      Promise<>::resolve().then(log("p2"));
    }, 0);
    Promise<>::resolve().then([&w] {
      console::log("p0");
      w.set_timeout(log("t3"), 0);
    });
    console::log("main");
  });
  EXPECT_PREDICTION(guess, truth);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/interview_timers_and_promises.js", truth);
}

TEST(Interview, ResolvedInATimer) {
  const Lines guess = kata::interview::resolved_in_a_timer();
  const Lines truth = reference_run([](Window& w) {
    console::log("start");
    w.set_timeout(log("timeout 100"), 100);
    w.set_timeout(log("timeout 0"), 0);
    Promise<std::string>([&w](auto resolve, auto) {
      console::log("executor");
      w.set_timeout([resolve] { resolve("resolved in timer"); }, 0);
    }).then([](const std::string& v) { console::log(v); });
    console::log("end");
  });
  EXPECT_PREDICTION(guess, truth);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/interview_resolved_in_a_timer.js", truth);
}

TEST(Interview, ReturnedPromise) {
  const Lines guess = kata::interview::returned_promise();
  const Lines truth = reference_run([](Window&) {
    Promise<>::resolve()
        .then([] {
          console::log("a1");
          return Promise<std::string>::resolve("a2");
        })
        .then([](const std::string& v) { console::log(v); });
    Promise<>::resolve().then(log("b1")).then(log("b2")).then(log("b3")).then(log("b4"));
  });
  EXPECT_PREDICTION(guess, truth);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/interview_returned_promise.js", truth);
}
