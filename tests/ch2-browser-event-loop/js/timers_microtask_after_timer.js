// Twin of chapter2.ex03 MicrotasksRunAfterEachTimer.
setTimeout(() => {
  console.log('t1')
  Promise.resolve().then(() => console.log('p1'))
}, 0)
setTimeout(() => {
  console.log('t2')
  Promise.resolve().then(() => console.log('p2'))
}, 0)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | t1
// | p1
// | t2
// | p2
