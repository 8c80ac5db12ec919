// Predict the output: for each program below, write down the lines you
// expect it to print, in order. The test runs the same program on the
// reference loop (chapter 1, exercise 2) and with real node, and compares.
//
// Each function returns your prediction, e.g. {"main", "promise", "setTimeout"}.
// The programs (in JavaScript; the C++ versions are in the test file
// tests/ch1-event-loop-intro/ex03_predict_the_output_test.cpp):
#pragma once

#include <string>
#include <vector>

namespace kata::predict {

using Prediction = std::vector<std::string>;

// 1.  setTimeout(() => console.log('setTimeout'), 0)
//     Promise.resolve().then(() => console.log('promise'))
//     console.log('main')
Prediction seed_snippet();

// 2.  setTimeout(() => console.log('setTimeout'), 0)
//     console.log('main1')
//     console.log('main2')
Prediction main_first();

// 3.  setTimeout(() => console.log('a'), 100)
//     setTimeout(() => console.log('b'), 0)
//     queueMicrotask(() => console.log('c'))
//     console.log('d')
Prediction timers_by_delay();

// 4.  setTimeout(() => {
//       console.log('t1')
//       queueMicrotask(() => console.log('m2'))
//     }, 0)
//     queueMicrotask(() => {
//       console.log('m1')
//       setTimeout(() => console.log('t2'), 0)
//     })
//     console.log('main')
Prediction ping_pong();

// 5.  setTimeout(() => console.log('timeout'), 0)
//     let n = 0
//     const again = () => { n += 1; if (n < 3) queueMicrotask(again); else console.log('microtasks done: ' + n) }
//     queueMicrotask(again)
//     console.log('main')
Prediction microtask_chain();

}  // namespace kata::predict
