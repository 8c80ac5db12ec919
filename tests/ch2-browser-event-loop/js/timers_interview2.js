// Twin of chapter2.ex03 SeedInterview2 (seed 高频面试题 2).
setTimeout(() => {
  Promise.resolve().then(() => {
    console.log('promise')
  })
}, 0)

Promise.resolve().then(() => {
  setTimeout(() => {
    console.log('setTimeout')
  }, 0)
})

console.log('main')

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | main
// | promise
// | setTimeout
