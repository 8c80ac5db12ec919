// Twin of chapter2.ex01 TasksQueuedByATaskGoToTheBack.
setTimeout(() => {
  console.log('a')
  setTimeout(() => console.log('c (queued by a)'), 0)
}, 0)
setTimeout(() => console.log('b'), 0)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | a
// | b
// | c (queued by a)
