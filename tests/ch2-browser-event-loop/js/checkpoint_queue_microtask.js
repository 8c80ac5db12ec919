// Twin of chapter2.ex02 QueueMicrotaskUsesTheCurrentLoop.
queueMicrotask(() => console.log('promise'))
console.log('main')

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | main
// | promise
