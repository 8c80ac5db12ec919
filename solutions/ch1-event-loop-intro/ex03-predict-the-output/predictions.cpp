// The answers. Why each one — see README.md ("Why").
#include "predictions.hpp"

namespace kata::predict {

Prediction seed_snippet() { return {"main", "promise", "setTimeout"}; }

Prediction main_first() { return {"main1", "main2", "setTimeout"}; }

Prediction timers_by_delay() { return {"d", "c", "b", "a"}; }

Prediction ping_pong() { return {"main", "m1", "t1", "m2", "t2"}; }

Prediction microtask_chain() { return {"main", "microtasks done: 3", "timeout"}; }

}  // namespace kata::predict
