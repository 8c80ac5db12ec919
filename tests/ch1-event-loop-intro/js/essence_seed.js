// Twin of chapter1.ex02 SeedSnippet (the seed's 第一章 · 事件循环的本质).
setTimeout(() => {
  console.log('setTimeout')
}, 0)

Promise.resolve().then(() => {
  console.log('promise')
})

console.log('main')

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | main
// | promise
// | setTimeout
