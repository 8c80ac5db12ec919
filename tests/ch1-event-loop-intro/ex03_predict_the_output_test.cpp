// Chapter 1, exercise 3 — predict the output.
//
// For each program: your prediction (predictions.cpp) must equal what the
// program logs on the reference essence loop (chapter 1, exercise 2, linked
// from solutions/ so this exercise does not depend on yours), and that must
// equal what real node prints for the JavaScript twin.
#include <memory>
#include <string>

#include "essence_loop.hpp"
#include "kata/console.hpp"
#include "kata/testing.hpp"
#include "predictions.hpp"

using kata::essence::Loop;
using kata::testing::Lines;
namespace console = kata::console;

namespace {
// Runs `program` on a fresh reference loop and returns what it logged.
template <class Program>
Lines reference_run(Program program) {
  kata::clear_trace();
  Loop loop;
  loop.run([&] { program(loop); });
  Lines out = kata::trace();
  kata::clear_trace();
  return out;
}
}  // namespace

// Each test asks for the prediction first, so an unfinished one fails with
// "not done yet" before anything else happens.
#define EXPECT_PREDICTION(guess, truth)                                                         \
  EXPECT_ORDER((truth), (guess)) << "  expected = what the program logs on the reference loop, " \
                                    "got = your prediction"

TEST(PredictTheOutput, SeedSnippet) {
  const Lines guess = kata::predict::seed_snippet();
  const Lines truth = reference_run([](Loop& loop) {
    loop.set_timeout([] { console::log("setTimeout"); }, 0);
    loop.queue_microtask([] { console::log("promise"); });
    console::log("main");
  });
  EXPECT_PREDICTION(guess, truth);
  EXPECT_NODE_PRINTS("ch1-event-loop-intro/js/essence_seed.js", truth);
}

TEST(PredictTheOutput, MainFirst) {
  const Lines guess = kata::predict::main_first();
  const Lines truth = reference_run([](Loop& loop) {
    loop.set_timeout([] { console::log("setTimeout"); }, 0);
    console::log("main1");
    console::log("main2");
  });
  EXPECT_PREDICTION(guess, truth);
  EXPECT_NODE_PRINTS("ch1-event-loop-intro/js/essence_main1_main2.js", truth);
}

TEST(PredictTheOutput, TimersByDelay) {
  const Lines guess = kata::predict::timers_by_delay();
  const Lines truth = reference_run([](Loop& loop) {
    loop.set_timeout([] { console::log("a"); }, 100);
    loop.set_timeout([] { console::log("b"); }, 0);
    loop.queue_microtask([] { console::log("c"); });
    console::log("d");
  });
  EXPECT_PREDICTION(guess, truth);
  EXPECT_NODE_PRINTS("ch1-event-loop-intro/js/predict_timers_by_delay.js", truth);
}

TEST(PredictTheOutput, PingPong) {
  const Lines guess = kata::predict::ping_pong();
  const Lines truth = reference_run([](Loop& loop) {
    loop.set_timeout([&loop] {
      console::log("t1");
      loop.queue_microtask([] { console::log("m2"); });
    }, 0);
    loop.queue_microtask([&loop] {
      console::log("m1");
      loop.set_timeout([] { console::log("t2"); }, 0);
    });
    console::log("main");
  });
  EXPECT_PREDICTION(guess, truth);
  EXPECT_NODE_PRINTS("ch1-event-loop-intro/js/predict_ping_pong.js", truth);
}

TEST(PredictTheOutput, MicrotaskChain) {
  const Lines guess = kata::predict::microtask_chain();
  const Lines truth = reference_run([](Loop& loop) {
    loop.set_timeout([] { console::log("timeout"); }, 0);
    struct Again {  // const again = () => { ... queueMicrotask(again) ... }
      Loop* loop;
      std::shared_ptr<int> n;
      void operator()() const {
        *n += 1;
        if (*n < 3) loop->queue_microtask(*this);
        else console::log("microtasks done: " + std::to_string(*n));
      }
    };
    loop.queue_microtask(Again{&loop, std::make_shared<int>(0)});
    console::log("main");
  });
  EXPECT_PREDICTION(guess, truth);
  EXPECT_NODE_PRINTS("ch1-event-loop-intro/js/predict_microtask_chain.js", truth);
}
