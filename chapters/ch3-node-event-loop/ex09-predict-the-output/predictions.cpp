// Exercise 9 — your predictions. Replace each KATA_TODO with the lines you
// expect, e.g. return {"immediate", "timeout"};
#include "predictions.hpp"

#include "kata/todo.hpp"

namespace kata::node::predict {

Lines code1_read_2ms() {
  KATA_TODO("predict 代码执行 1: the two lines, with the numbers, when the read takes 2 ms (hint 1)");
}

Lines code2_read_9ms() {
  KATA_TODO("predict 代码执行 2: the two lines, with the numbers, when the read takes 9 ms (hint 2)");
}

Lines code3_fast_start() {
  KATA_TODO("predict 代码执行 3 when the first timers phase runs before 1 ms has passed (hint 3)");
}

Lines code3_slow_start() {
  KATA_TODO("predict 代码执行 3 when 1 ms or more has passed at the first timers phase (hint 3)");
}

Lines code3_inside_io() {
  KATA_TODO("predict 代码执行 3's second half: setImmediate and setTimeout inside a readFile callback (hint 4)");
}

}  // namespace kata::node::predict
