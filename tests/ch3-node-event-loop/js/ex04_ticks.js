// Twin of Immediates.TicksAndPromisesRunAfterEachImmediate.
setImmediate(() => {
  console.log('i1')
  Promise.resolve().then(() => console.log('p1'))
  process.nextTick(() => console.log('n1'))
})
setImmediate(() => console.log('i2'))

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | i1
// | n1
// | p1
// | i2
