// Twin of chapter2.ex05 ResolvedInATimer.
console.log('start')
setTimeout(() => console.log('timeout 100'), 100)
setTimeout(() => console.log('timeout 0'), 0)
new Promise(resolve => {
  console.log('executor')
  setTimeout(() => resolve('resolved in timer'), 0)
}).then(v => console.log(v))
console.log('end')

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | start
// | executor
// | end
// | timeout 0
// | resolved in timer
// | timeout 100
