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
