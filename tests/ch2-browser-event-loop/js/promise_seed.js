// Twin of chapter2.ex04 ThenHandlersRunAsMicrotasks.
setTimeout(() => console.log('setTimeout'), 0)
Promise.resolve().then(() => console.log('promise'))
console.log('main')

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | main
// | promise
// | setTimeout
