// Twin of chapter2.ex05 ScriptStart.
console.log('script start')
setTimeout(() => console.log('setTimeout'), 0)
Promise.resolve()
  .then(() => console.log('promise1'))
  .then(() => console.log('promise2'))
console.log('script end')

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | script start
// | script end
// | promise1
// | promise2
// | setTimeout
