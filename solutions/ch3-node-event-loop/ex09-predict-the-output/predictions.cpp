// Exercise 9 — your predictions.
#include "predictions.hpp"

namespace kata::node::predict {

// Timer due at 10; the read finishes at 2 and its callback spins until 22.
// Timers only run in the timers phase, after that callback: 22 ms.
Lines code1_read_2ms() {
  return {"setTimeout: 22ms have passed since I was scheduled", "fileReaderTime 2"};
}

// Timer due at 5: poll wakes for it before the read (9 ms) is done.
Lines code2_read_9ms() {
  return {"setTimeout: 5ms have passed since I was scheduled", "fileReaderTime 9"};
}

// The first timers phase runs at loop time 0: the 1 ms timer is not due;
// check (setImmediate) comes first in that iteration.
Lines code3_fast_start() { return {"immediate", "timeout"}; }

// 1 ms has passed when the loop starts: the timer is due in the first
// timers phase, before poll and check.
Lines code3_slow_start() { return {"timeout", "immediate"}; }

// From poll, check comes next; the timer waits for the next timers phase.
Lines code3_inside_io() { return {"setImmediate", "setTimeout"}; }

}  // namespace kata::node::predict
