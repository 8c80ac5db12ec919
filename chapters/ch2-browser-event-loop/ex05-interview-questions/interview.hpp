// 高频面试题 — predict what each program prints, in order.
// The test runs the same program on the reference browser loop (exercises
// 1–4, finished) and with real node, and compares with your answer.
// (The C++ versions are in tests/ch2-browser-event-loop/ex05_interview_questions_test.cpp.)
#pragma once

#include <string>
#include <vector>

namespace kata::interview {

using Prediction = std::vector<std::string>;

// The seed's interview question 1:
//   setTimeout(() => { console.log('setTimeout') }, 0)
//   Promise.resolve().then(() => {
//     console.log('promise')
//     Promise.resolve().then(() => { console.log('promise2') })
//   })
//   console.log('main')
Prediction interview_1();

// The seed's interview question 2:
//   setTimeout(() => {
//     Promise.resolve().then(() => { console.log('promise') })
//   }, 0)
//   Promise.resolve().then(() => {
//     setTimeout(() => { console.log('setTimeout') }, 0)
//   })
//   console.log('main')
Prediction interview_2();

//   console.log('script start')
//   setTimeout(() => console.log('setTimeout'), 0)
//   Promise.resolve()
//     .then(() => console.log('promise1'))
//     .then(() => console.log('promise2'))
//   console.log('script end')
Prediction script_start();

//   setTimeout(() => { console.log('t1'); Promise.resolve().then(() => console.log('p1')) }, 0)
//   setTimeout(() => { console.log('t2'); Promise.resolve().then(() => console.log('p2')) }, 0)
//   Promise.resolve().then(() => { console.log('p0'); setTimeout(() => console.log('t3'), 0) })
//   console.log('main')
Prediction timers_and_promises();

//   console.log('start')
//   setTimeout(() => console.log('timeout 100'), 100)
//   setTimeout(() => console.log('timeout 0'), 0)
//   new Promise(resolve => {
//     console.log('executor')
//     setTimeout(() => resolve('resolved in timer'), 0)
//   }).then(v => console.log(v))
//   console.log('end')
Prediction resolved_in_a_timer();

//   Promise.resolve()
//     .then(() => { console.log('a1'); return Promise.resolve('a2') })
//     .then(v => console.log(v))
//   Promise.resolve()
//     .then(() => console.log('b1'))
//     .then(() => console.log('b2'))
//     .then(() => console.log('b3'))
//     .then(() => console.log('b4'))
Prediction returned_promise();

}  // namespace kata::interview
