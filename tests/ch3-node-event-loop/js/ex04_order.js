// Twin of Immediates.RunInOrderInTheCheckPhase.
setImmediate(() => console.log('i1'))
setImmediate(() => console.log('i2'))
setImmediate(() => console.log('i3'))
console.log('main')

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | main
// | i1
// | i2
// | i3
