// Write down what each program in interview.hpp prints, one string per
// console.log, in order. Work it out on paper first: one macrotask, then
// all the microtasks, then the next macrotask.
#include "interview.hpp"

#include "kata/todo.hpp"

namespace kata::interview {

Prediction interview_1() {
  KATA_TODO("return the lines the seed's interview question 1 prints (hint 1)");
}

Prediction interview_2() {
  KATA_TODO("return the lines the seed's interview question 2 prints (hint 2)");
}

Prediction script_start() {
  KATA_TODO("return the lines program 'script start' prints (hint 3)");
}

Prediction timers_and_promises() {
  KATA_TODO("return the lines program 'timers and promises' prints (hint 2)");
}

Prediction resolved_in_a_timer() {
  KATA_TODO("return the lines program 'resolved in a timer' prints (hint 4)");
}

Prediction returned_promise() {
  KATA_TODO("return the lines program 'returned promise' prints (hint 5)");
}

}  // namespace kata::interview
