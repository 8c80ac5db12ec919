// Twin of chapter1.ex02 MicrotaskQueuedByAMicrotaskRunsBeforeTimers (seed 高频面试题 1).
setTimeout(() => {
  console.log('setTimeout')
}, 0)

Promise.resolve().then(() => {
  console.log('promise')
  Promise.resolve().then(() => {
    console.log('promise2')
  })
})

console.log('main')

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | main
// | promise
// | promise2
// | setTimeout
