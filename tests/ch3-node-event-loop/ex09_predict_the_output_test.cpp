// Chapter 3, exercise 9 — predict the output of the seed's 代码执行 1, 2, 3.
// Your prediction is compared with what the program prints on the loop
// (virtual clock: exact numbers); node checks the shape of it (real time:
// the numbers vary, the facts they show do not).
#include <regex>

#include "ch3_util.hpp"
#include "predictions.hpp"
#include "seed_programs.hpp"

using namespace ch3;
namespace predict = kata::node::predict;
namespace seed = kata::node::seed;

namespace {
long number_in(const std::string& line) {
  std::smatch m;
  return std::regex_search(line, m, std::regex("(-?\\d+)")) ? std::stol(m[1]) : -1;
}
std::string tf(bool b) { return b ? "true" : "false"; }
}  // namespace

TEST(Predict, Code1TheTimerWaitsForTheBusyIoCallback) {
  const Lines prediction = predict::code1_read_2ms();
  VLoop loop;
  loop.run_main([&] { seed::code1(loop, 2); });
  const Lines printed = kata::trace();
  EXPECT_ORDER(prediction, printed);
  ASSERT_EQ(printed.size(), 2u);
  // What node shows, whatever the machine: the timer (10 ms) fired only
  // after the read's callback had spun its 20 ms.
  const long delay = number_in(printed[0]), read = number_in(printed[1]);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex09_code1.js",
                     Lines({"timer fired after the busy callback: " + tf(delay >= read + 20),
                            "read finished before the timer was due: " + tf(read < 10)}));
}

TEST(Predict, Code2TheTimerFiresWhileTheReadIsStillRunning) {
  const Lines prediction = predict::code2_read_9ms();
  VLoop loop;
  loop.run_main([&] { seed::code2(loop, 9); });
  const Lines printed = kata::trace();
  EXPECT_ORDER(prediction, printed);
  ASSERT_EQ(printed.size(), 2u);
  const long delay = number_in(printed[0]), read = number_in(printed[1]);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex09_code2.js",
                     Lines({"timer fired before the read finished: " + tf(delay < read),
                            "timer fired on time (before the busy loop): " + tf(delay < read + 20)}));
}

TEST(Predict, Code3FastStartImmediateFirst) {
  const Lines prediction = predict::code3_fast_start();
  VLoop loop(LoopOptions{kata::node::TickMode::Modern, 4, 0});  // loop starts at once
  loop.run_main([&] { seed::code3(loop); });
  EXPECT_ORDER(prediction, kata::trace());
  // node prints this order on some runs (the twin runs it until it does).
  kata::testing::set_watchdog_seconds(25);
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex09_code3_fast.js", kata::trace());
}

TEST(Predict, Code3SlowStartTimeoutFirst) {
  const Lines prediction = predict::code3_slow_start();
  VLoop loop(LoopOptions{kata::node::TickMode::Modern, 4, 2});  // 2 ms of start-up
  loop.run_main([&] { seed::code3(loop); });
  EXPECT_ORDER(prediction, kata::trace());
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex09_code3_slow.js", kata::trace());
}

TEST(Predict, Code3InsideAnIoCallbackAlwaysImmediateFirst) {
  const Lines prediction = predict::code3_inside_io();
  for (std::int64_t startup : {0, 1, 5}) {
    kata::clear_trace();
    VLoop loop(LoopOptions{kata::node::TickMode::Modern, 4, startup});
    loop.run_main([&] { seed::code3_in_io(loop, 2); });
    EXPECT_ORDER(prediction, kata::trace()) << "start-up cost " << startup << " ms";
  }
  EXPECT_NODE_PRINTS("ch3-node-event-loop/js/ex04_seed_readfile.js", kata::trace());
}
