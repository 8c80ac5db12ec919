// The answers; README.md ("Why") explains each.
#include "interview.hpp"

namespace kata::interview {

Prediction interview_1() { return {"main", "promise", "promise2", "setTimeout"}; }

Prediction interview_2() { return {"main", "promise", "setTimeout"}; }

Prediction script_start() { return {"script start", "script end", "promise1", "promise2", "setTimeout"}; }

Prediction timers_and_promises() { return {"main", "p0", "t1", "p1", "t2", "p2", "t3"}; }

Prediction resolved_in_a_timer() {
  return {"start", "executor", "end", "timeout 0", "resolved in timer", "timeout 100"};
}

Prediction returned_promise() { return {"a1", "b1", "b2", "b3", "a2", "b4"}; }

}  // namespace kata::interview
