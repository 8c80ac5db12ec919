// Twin of chapter2.ex04 TheExecutorRunsNow.
setTimeout(() => console.log('1'), 0)
new Promise(resolve => {
  console.log('2')
  resolve()
  console.log('3')
}).then(() => console.log('4'))
console.log('5')

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | 2
// | 3
// | 5
// | 4
// | 1
