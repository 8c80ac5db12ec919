// Twin of chapter1.ex02 MicrotasksRunAfterEachTimer.
// Node >= 11 prints t1 m1 t2 m2; Node <= 10 printed t1 t2 m1 m2 (microtasks
// only between phases), the behaviour some older articles describe.
setTimeout(() => {
  console.log('t1')
  queueMicrotask(() => console.log('m1'))
}, 0)
setTimeout(() => {
  console.log('t2')
  queueMicrotask(() => console.log('m2'))
}, 0)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | t1
// | m1
// | t2
// | m2
