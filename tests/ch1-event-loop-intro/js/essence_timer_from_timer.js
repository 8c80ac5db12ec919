// Twin of chapter1.ex02 ATimerSetByATimerCountsFromItsOwnTime.
// B's 150 ms count from when A runs (100 + 150 = 250), not from the start
// (150): so C (200) comes first. Delays are wide because node's clock is
// real: each setTimeout reads the current time, and on a busy machine the
// script may stall between two calls.
setTimeout(() => {
  console.log('A at 100')
  setTimeout(() => console.log('B at 100+150'), 150)
}, 100)
setTimeout(() => console.log('C at 200'), 200)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | A at 100
// | C at 200
// | B at 100+150
