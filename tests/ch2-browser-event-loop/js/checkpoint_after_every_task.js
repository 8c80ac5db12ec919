// Twin of chapter2.ex02 ACheckpointAfterEveryTask. Node >= 11 agrees with
// browsers here; Node <= 10 printed t1 t2 m1 m2.
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
