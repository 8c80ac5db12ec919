// Twin of chapter1.ex03 program 4 (ping_pong).
setTimeout(() => {
  console.log('t1')
  queueMicrotask(() => console.log('m2'))
}, 0)
queueMicrotask(() => {
  console.log('m1')
  setTimeout(() => console.log('t2'), 0)
})
console.log('main')

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | main
// | m1
// | t1
// | m2
// | t2
