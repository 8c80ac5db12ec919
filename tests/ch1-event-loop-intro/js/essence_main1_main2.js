// Twin of chapter1.ex02 ScriptRunsToTheEndBeforeAnyTimer (seed 第二章 · 任务队列).
setTimeout(() => {
  console.log('setTimeout')
}, 0)

console.log('main1')
console.log('main2')

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | main1
// | main2
// | setTimeout
