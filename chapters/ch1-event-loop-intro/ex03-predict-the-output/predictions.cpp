// Write down what you expect each program in predictions.hpp to print,
// one string per console.log, in order — then run the tests.
// Work it out on paper first: which queue is each callback in?
#include "predictions.hpp"

#include "kata/todo.hpp"

namespace kata::predict {

Prediction seed_snippet() {
  KATA_TODO("return the lines program 1 prints, e.g. {\"...\", \"...\", \"...\"} (hint 1)");
}

Prediction main_first() {
  KATA_TODO("return the lines program 2 prints (hint 1)");
}

Prediction timers_by_delay() {
  KATA_TODO("return the lines program 3 prints (hints 1 and 2)");
}

Prediction ping_pong() {
  KATA_TODO("return the lines program 4 prints (hint 3)");
}

Prediction microtask_chain() {
  KATA_TODO("return the lines program 5 prints (hint 4)");
}

}  // namespace kata::predict
