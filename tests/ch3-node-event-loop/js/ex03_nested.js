// Twin of Microtasks.TicksAndMicrotasksQueuedByEachOther.
Promise.resolve().then(() => {
  console.log('p1')
  process.nextTick(() => console.log('tick from p1'))
  Promise.resolve().then(() => console.log('p3 from p1'))
})
Promise.resolve().then(() => console.log('p2'))
process.nextTick(() => {
  console.log('t1')
  Promise.resolve().then(() => console.log('p4 from t1'))
  process.nextTick(() => console.log('t2 from t1'))
})

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | t1
// | t2 from t1
// | p1
// | p2
// | p4 from t1
// | p3 from p1
// | tick from p1
